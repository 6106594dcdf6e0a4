package backend

import (
	"context"
	"time"
)

// UserStatus is whether a member may sign in.
type UserStatus string

// The states of a user. A removed user is a tombstone: kept for the audit
// trail and to block access, never listed, and their address may be invited again.
const (
	UserActive   UserStatus = "active"
	UserInactive UserStatus = "inactive"
	UserRemoved  UserStatus = "removed"
)

// User is a member of the organisation.
type User struct {
	ID        string
	Name      string
	Email     string
	RoleID    string
	RoleName  string
	Status    UserStatus
	JoinedAt  time.Time
	RemovedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	// LastSignInAt is when the member last signed in on the directory
	// server; nil when never, or where only the desktop knows them.
	LastSignInAt *time.Time
}

// IsAdministrator reports whether u is an active member with the built-in Administrator role.
func (u *User) IsAdministrator() bool {
	return u.RoleID == RoleAdministrator && u.Status == UserActive
}

// SortOrder is a column to sort a list by, and its direction.
type SortOrder struct {
	// Column is one of the list's sortable columns; "" means its default.
	Column string
	Desc   bool
}

// UserFilter selects members. Nil fields do not filter. Removed members are
// never returned by FindUsers.
type UserFilter struct {
	// Search matches a part of the name or the email address, ignoring case.
	Search *string
	RoleID *string
	Status *UserStatus
	// Sort columns: "name" (default), "email", "role", "status", "joinedAt".
	Sort   SortOrder
	Offset int
	Limit  int
}

// UserService manages the organisation's members.
type UserService interface {
	// FindUserByID returns one member, removed ones included. ENOTFOUND.
	FindUserByID(ctx context.Context, id string) (*User, error)

	// FindUsers returns a page of members and how many match in all.
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, int, error)

	// ChangeUserRole gives a member another role. ENOTFOUND (user, or role
	// with field "roleId"); EFORBIDDEN when it would leave no active
	// Administrator, or the member was removed.
	ChangeUserRole(ctx context.Context, id, roleID string) (*User, error)

	// DeactivateUser stops a member from signing in, keeping their data.
	// ENOTFOUND; EFORBIDDEN for the last active Administrator or a removed member.
	DeactivateUser(ctx context.Context, id string) (*User, error)

	// ActivateUser lets an inactive member sign in again. ENOTFOUND;
	// EFORBIDDEN for a removed member.
	ActivateUser(ctx context.Context, id string) (*User, error)

	// IsLastAdministrator reports whether u is the only active Administrator,
	// whom the rule of the last Administrator protects: they cannot be
	// demoted, deactivated or removed.
	IsLastAdministrator(ctx context.Context, u *User) (bool, error)

	// RemoveUser blocks a member's access at once and keeps a tombstone; their
	// address may be invited again. Their password reset links stop working.
	// ENOTFOUND (also when removed already); EFORBIDDEN for the last active
	// Administrator and for the administrator acting in this installation.
	RemoveUser(ctx context.Context, id string) error
}
