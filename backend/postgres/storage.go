package postgres

import "roster/backend"

// NewStorage returns every directory service over db.
func NewStorage(db *DB) *backend.Storage {
	return NewServices(db).Storage(NewInvitationService(db), db.Ping)
}
