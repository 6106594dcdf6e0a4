package app

import (
	"roster/backend"
)

// Roles is the facade of the Roles section.
type Roles struct {
	app *App
}

// RoleDTO is a role with its permissions and how many use it.
type RoleDTO struct {
	ID              string               `json:"id"`
	Name            string               `json:"name"`
	BuiltIn         bool                 `json:"builtIn"`
	Permissions     []backend.Permission `json:"permissions"`
	UserCount       int                  `json:"userCount"`
	InvitationCount int                  `json:"invitationCount"`
}

// RoleParams names a custom role and its permissions.
type RoleParams struct {
	Name        string               `json:"name"`
	Permissions []backend.Permission `json:"permissions"`
}

func roleDTO(r *backend.Role) RoleDTO {
	perms := r.Permissions
	if perms == nil {
		perms = []backend.Permission{}
	}
	return RoleDTO{ID: r.ID, Name: r.Name, BuiltIn: r.BuiltIn, Permissions: perms, UserCount: r.UserCount,
		InvitationCount: r.InvitationCount}
}

// FindRoles returns every role, the built-in ones first.
func (s *Roles) FindRoles() ([]RoleDTO, error) {
	roles, err := s.app.deps.Roles.FindRoles(s.app.callContext())
	if err != nil {
		return nil, err
	}
	out := make([]RoleDTO, len(roles))
	for i, r := range roles {
		out[i] = roleDTO(r)
	}
	return out, nil
}

// CreateRole adds a custom role. Errors: invalid (field name or
// permissions), conflict (field name: taken).
func (s *Roles) CreateRole(p RoleParams) (RoleDTO, error) {
	r, err := s.app.deps.Roles.CreateRole(s.app.callContext(), backend.RoleParams{Name: p.Name, Permissions: p.Permissions})
	if err != nil {
		return RoleDTO{}, err
	}
	return roleDTO(r), nil
}

// UpdateRole renames a custom role or changes its permissions. Errors:
// not_found, invalid, conflict, forbidden (built-in role).
func (s *Roles) UpdateRole(id string, p RoleParams) (RoleDTO, error) {
	r, err := s.app.deps.Roles.UpdateRole(s.app.callContext(), id, backend.RoleParams{Name: p.Name, Permissions: p.Permissions})
	if err != nil {
		return RoleDTO{}, err
	}
	return roleDTO(r), nil
}

// DeleteRole deletes a custom role nobody has. Errors: not_found, forbidden
// (built-in), conflict (in use).
func (s *Roles) DeleteRole(id string) error {
	return s.app.deps.Roles.DeleteRole(s.app.callContext(), id)
}
