package sqlite

import (
	"roster/backend"
	"roster/backend/sqlstore"
)

var _ backend.ConflictService = (*ConflictService)(nil)

// ConflictService implements backend.ConflictService: the Conflicts
// screen of a desktop with sync.
type ConflictService struct{ *sqlstore.ConflictService }

// NewConflictService returns the conflict service of db.
func NewConflictService(db *DB) *ConflictService {
	return &ConflictService{sqlstore.NewConflictService(newStore(db))}
}
