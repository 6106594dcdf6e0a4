package backend

import (
	"context"
	"time"
)

// EntryKind tells a member from an invitation in the unified Users list.
type EntryKind string

// The kinds of directory entries.
const (
	EntryUser       EntryKind = "user"
	EntryInvitation EntryKind = "invitation"
)

// EntryStatus is the Status column of the Users list.
type EntryStatus string

// The statuses the Users list shows. An invitation is pending until its link
// expires, then expired until it is resent or deleted.
const (
	EntryActive   EntryStatus = "active"
	EntryInactive EntryStatus = "inactive"
	EntryPending  EntryStatus = "pending"
	EntryExpired  EntryStatus = "expired"
)

// DirectoryEntry is one row of the Users list of the guide: a current member
// or an invitation not yet accepted.
type DirectoryEntry struct {
	Kind     EntryKind
	ID       string
	Name     string // empty for invitations
	Email    string
	RoleID   string
	RoleName string
	Status   EntryStatus
	// JoinedAt is when a member joined; for an invitation, when it was sent.
	JoinedAt time.Time
	// ExpiresAt is when a pending invitation's link stops working.
	ExpiresAt *time.Time
	// Sync says, on a desktop with sync, that a change of the row waits
	// for the server or was refused by it.
	Sync SyncMark
}

// DirectoryFilter selects rows of the Users list. Nil fields do not filter.
type DirectoryFilter struct {
	// Search finds rows by their name and email address, ignoring case and
	// accents. A search of three or more characters matches anywhere in
	// them ("ller" finds "Müller"). A search of one or two characters
	// matches the start of a word, a word being a run of letters and digits:
	// the words of the name, of the address's local part ("jo" finds
	// "mary.jones@…") and its domain labels ("ex" finds "…@example.org"),
	// as consoles match short terms; characters other than letters and
	// digits in it are ignored ("j." is "j"), and one made of none ("@") matches
	// anywhere.
	Search *string
	RoleID *string
	Status *EntryStatus
	// Sort columns: "name" (default), "email", "role", "status", "joinedAt".
	Sort   SortOrder
	Offset int
	Limit  int
}

// EmailUse says why an address cannot be invited.
type EmailUse string

// The reasons an address is taken.
const (
	EmailMember  EmailUse = "member"  // a current member (active or inactive) has it
	EmailInvited EmailUse = "invited" // it has a pending invitation (expired ones included)
)

// MaxExactCount is how far FindDirectory counts the matches of a search that
// matches many rows; beyond it the total is reported as "more than".
const MaxExactCount = 10_000

// DirectoryPage is a page of the Users list.
type DirectoryPage struct {
	Entries []*DirectoryEntry
	// Total is how many rows match. When AtLeast is set, more rows than
	// Total match (a search matching over MaxExactCount rows).
	Total   int
	AtLeast bool
}

// DirectoryService answers the unified Users list in one paged query, and
// which addresses are taken.
type DirectoryService interface {
	// FindDirectory returns a page of members and open invitations, and how
	// many rows match.
	FindDirectory(ctx context.Context, filter DirectoryFilter) (*DirectoryPage, error)

	// FindEmailUses reports, for the given Email.Key values, those that are
	// taken and why. Keys not in the map are free.
	FindEmailUses(ctx context.Context, keys []string) (map[string]EmailUse, error)
}
