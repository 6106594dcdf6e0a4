package sqlite

import (
	"roster/backend"
	"roster/backend/sqlstore"
)

// NewStorage returns every directory service over db.
func NewStorage(db *DB) *backend.Storage {
	return sqlstore.NewServices(newStore(db)).Storage(NewInvitationService(db), db.Ping)
}
