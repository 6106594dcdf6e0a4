package postgres

import "roster/backend/sqlstore"

// NewServices returns the services of db that package sqlstore implements
// for both stores; NewInvitationService and NewRateLimitService give the
// other two.
func NewServices(db *DB) *sqlstore.Services {
	return sqlstore.NewServices(newStore(db))
}
