package sqlite

import "github.com/google/uuid"

// newID returns a new time-ordered id (UUIDv7): unique across installations,
// so rows can be synced, and in insertion order, so B-tree inserts append.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}
