package backend

import "time"

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
}
