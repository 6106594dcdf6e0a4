package sqlite

import "roster/backend/sqlstore"

// RoleService implements backend.RoleService (package sqlstore has its rules).
type RoleService struct{ *sqlstore.RoleService }

// NewRoleService returns the role service of db.
func NewRoleService(db *DB) *RoleService {
	return &RoleService{sqlstore.NewRoleService(newStore(db))}
}
