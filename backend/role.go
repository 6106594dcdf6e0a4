package backend

import (
	"context"
	"time"
)

// Permission is one thing a role allows.
type Permission string

// The permissions of the guide's role table.
const (
	PermChat            Permission = "chat"
	PermUseSkills       Permission = "use_skills"
	PermCreateSkills    Permission = "create_skills"
	PermManageUsers     Permission = "manage_users"
	PermChangeSettings  Permission = "change_settings"
	PermConfigureModels Permission = "configure_models"
)

// AllPermissions lists every permission in the order the guide names them.
var AllPermissions = []Permission{
	PermChat, PermUseSkills, PermCreateSkills, PermManageUsers, PermChangeSettings, PermConfigureModels,
}

// The ids of the built-in roles. They cannot be changed or deleted.
const (
	RoleUser          = "user"
	RoleAdministrator = "administrator"
)

// Role is a named set of permissions: the built-in User and Administrator, or
// one the organisation defined.
type Role struct {
	ID          string
	Name        string
	BuiltIn     bool
	Permissions []Permission
	// UserCount counts the active and inactive members with this role;
	// InvitationCount the pending invitations for it.
	UserCount       int
	InvitationCount int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// RoleParams is what an administrator gives to create or change a custom role.
type RoleParams struct {
	Name        string
	Permissions []Permission
}

// RoleService manages roles.
type RoleService interface {
	// FindRoles returns every role, built-in ones first, then by name.
	FindRoles(ctx context.Context) ([]*Role, error)

	// FindRoleByID returns one role. ENOTFOUND.
	FindRoleByID(ctx context.Context, id string) (*Role, error)

	// CreateRole adds a custom role. EINVALID (field "name" or "permissions")
	// for a missing name or an unknown or empty permission set; ECONFLICT when
	// a role of that name (case-insensitive) exists.
	CreateRole(ctx context.Context, params RoleParams) (*Role, error)

	// UpdateRole renames a custom role or changes its permissions. ENOTFOUND,
	// EINVALID, ECONFLICT as CreateRole; EFORBIDDEN for a built-in role.
	UpdateRole(ctx context.Context, id string, params RoleParams) (*Role, error)

	// DeleteRole deletes a custom role. ENOTFOUND; EFORBIDDEN for a built-in
	// role; ECONFLICT while members or pending invitations have it.
	DeleteRole(ctx context.Context, id string) error
}
