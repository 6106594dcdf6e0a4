package sqlite

import "roster/backend/sqlstore"

// APITokenService implements backend.APITokenService (package sqlstore has its rules).
type APITokenService struct{ *sqlstore.APITokenService }

// NewAPITokenService returns the API token service of db.
func NewAPITokenService(db *DB) *APITokenService {
	return &APITokenService{sqlstore.NewAPITokenService(newStore(db))}
}
