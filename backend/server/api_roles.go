package server

import (
	"net/http"

	"roster/backend"
)

// roleDTO is a role with its permissions and how many use it.
type roleDTO struct {
	ID              string               `json:"id"`
	Name            string               `json:"name"`
	BuiltIn         bool                 `json:"builtIn"`
	Permissions     []backend.Permission `json:"permissions"`
	UserCount       int                  `json:"userCount"`
	InvitationCount int                  `json:"invitationCount"`
}

// rolesDTO is every role, the built-in ones first.
type rolesDTO struct {
	Entries []roleDTO `json:"entries"`
}

// createRoleRequest names a new custom role and its permissions.
type createRoleRequest struct {
	Name        string               `json:"name"`
	Permissions []backend.Permission `json:"permissions"`
}

// updateRoleRequest renames a custom role or changes its permissions; an
// absent field keeps its value.
type updateRoleRequest struct {
	Name        *string               `json:"name"`
	Permissions *[]backend.Permission `json:"permissions"`
}

func newRoleDTO(r *backend.Role) roleDTO {
	perms := r.Permissions
	if perms == nil {
		perms = []backend.Permission{}
	}
	return roleDTO{ID: r.ID, Name: r.Name, BuiltIn: r.BuiltIn, Permissions: perms, UserCount: r.UserCount,
		InvitationCount: r.InvitationCount}
}

func (s *Server) apiFindRoles(w http.ResponseWriter, r *http.Request) (int, any, error) {
	if _, err := queryParams(r); err != nil {
		return 0, nil, err
	}
	roles, err := s.svc.Roles.FindRoles(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := rolesDTO{Entries: make([]roleDTO, len(roles))}
	for i, role := range roles {
		out.Entries[i] = newRoleDTO(role)
	}
	return http.StatusOK, out, nil
}

func (s *Server) apiCreateRole(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var req createRoleRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return 0, nil, err
	}
	role, err := s.svc.Roles.CreateRole(r.Context(), backend.RoleParams{Name: req.Name, Permissions: req.Permissions})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, newRoleDTO(role), nil
}

func (s *Server) apiUpdateRole(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var req updateRoleRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	current, err := s.svc.Roles.FindRoleByID(ctx, r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	p := backend.RoleParams{Name: current.Name, Permissions: current.Permissions}
	if req.Name != nil {
		p.Name = *req.Name
	}
	if req.Permissions != nil {
		p.Permissions = *req.Permissions
	}
	role, err := s.svc.Roles.UpdateRole(ctx, current.ID, p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, newRoleDTO(role), nil
}

func (s *Server) apiDeleteRole(w http.ResponseWriter, r *http.Request) (int, any, error) {
	return deleteByPath(r, s.svc.Roles.DeleteRole)
}
