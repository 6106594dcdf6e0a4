package sqlite

import "roster/backend/sqlstore"

// CredentialService implements backend.CredentialService over
// users.password_hash (package sqlstore has its rules).
type CredentialService struct{ *sqlstore.CredentialService }

// NewCredentialService returns the credential service of db.
func NewCredentialService(db *DB) *CredentialService {
	return &CredentialService{sqlstore.NewCredentialService(newStore(db))}
}
