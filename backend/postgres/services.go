package postgres

import "roster/backend/sqlstore"

// NewServices returns the services of db that package sqlstore implements
// for both stores; NewInvitationService gives the other one.
func NewServices(db *DB) *sqlstore.Services {
	return sqlstore.NewServices(newStore(db))
}
