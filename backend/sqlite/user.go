package sqlite

import "roster/backend/sqlstore"

// UserService implements backend.UserService (package sqlstore has its rules).
type UserService struct{ *sqlstore.UserService }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService {
	return &UserService{sqlstore.NewUserService(newStore(db))}
}
