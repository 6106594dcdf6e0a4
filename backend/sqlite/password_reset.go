package sqlite

import "roster/backend/sqlstore"

// PasswordResetService implements backend.PasswordResetService (package
// sqlstore has its rules).
type PasswordResetService struct{ *sqlstore.PasswordResetService }

// NewPasswordResetService returns the password reset service of db.
func NewPasswordResetService(db *DB) *PasswordResetService {
	return &PasswordResetService{sqlstore.NewPasswordResetService(newStore(db))}
}
