package backend

import (
	"context"
	"time"
)

// SyncConflict is a Conflict as the Conflicts screen shows it: what this
// desktop did (Mine), why the server refused it (Error), and what the
// server has now (Server).
type SyncConflict struct {
	Seq  int64
	Kind OpKind
	At   time.Time
	// Mine is the change this desktop made, with the names and addresses
	// of what it touched.
	Mine ConflictRow
	// Error is the refusal, coded with its message key and arguments.
	Error *Error
	// Server is the rows the change touched as the server answered them,
	// or, when it answered none, the row as this desktop has it now.
	Server []ConflictRow
}

// ConflictRow is a member, an invitation or a role as the Conflicts
// screen shows it. Missing says the row does not exist (any more).
type ConflictRow struct {
	Entity  string // EntityUser, EntityInvitation or EntityRole
	ID      string
	Missing bool
	// Name is a member's or a role's name.
	Name     string
	Email    string
	RoleID   string
	RoleName string
	// Status is a member's status or an invitation's state.
	Status      string
	Permissions []Permission
}

// ConflictEdit is what Apply again changes in the refused change before
// it makes it again: an invitation's Email and Role, a member's new Role,
// a role's Name and Permissions. Empty fields keep what the change had.
type ConflictEdit struct {
	Email       string
	Role        string // a role's id or name
	Name        string
	Permissions []Permission
}

// ConflictService lists the conflicts of this desktop's changes and
// resolves them.
type ConflictService interface {
	// FindConflicts returns the conflicts not yet resolved, newest first;
	// none while the desktop is not connected.
	FindConflicts(ctx context.Context) ([]*SyncConflict, error)

	// DiscardConflict resolves a conflict by dropping the change: the rows
	// stay as the server has them. ENOTFOUND (sync.conflict_not_found).
	DiscardConflict(ctx context.Context, seq int64) error

	// ApplyAgain makes the change again, with edit, as a new change of
	// this desktop (recorded and pushed like any other), and resolves the
	// conflict once it is made. ENOTFOUND (sync.conflict_not_found);
	// EINVALID (sync.conflict_not_repeatable) for a change that cannot be
	// made again from here; otherwise the errors of the change's own
	// service method, the conflict staying unresolved.
	ApplyAgain(ctx context.Context, seq int64, edit ConflictEdit) error
}

// SyncMark says where a row of the Users or Invitations list stands with
// sync on a desktop.
type SyncMark string

// The marks of a list row; most rows have none.
const (
	SyncMarkNone     SyncMark = ""
	SyncMarkWaiting  SyncMark = "waiting"  // a change of it is not on the server yet
	SyncMarkConflict SyncMark = "conflict" // a change of it was refused, not yet resolved
)
