package backend

import (
	"context"
	"time"
)

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 7 * 24 * time.Hour

// InvitationState is where an invitation stands. Expired is not stored: a
// pending invitation whose ExpiresAt has passed is reported as expired.
type InvitationState string

// The states of an invitation.
const (
	InvitationPending  InvitationState = "pending"
	InvitationExpired  InvitationState = "expired"
	InvitationAccepted InvitationState = "accepted"
	InvitationDeleted  InvitationState = "deleted"
)

// DeliveryState is where the email of an invitation or reset stands in the outbox.
type DeliveryState string

// The states of an outbox entry. Cancelled entries belong to invitations or
// resets that were deleted or replaced before their mail went out.
const (
	DeliveryQueued    DeliveryState = "queued"
	DeliverySending   DeliveryState = "sending"
	DeliverySent      DeliveryState = "sent"
	DeliveryFailed    DeliveryState = "failed"
	DeliveryCancelled DeliveryState = "cancelled"
)

// Invitation asks someone to join with a role. Only the SHA-256 of its token
// is stored; the token itself travels once, in the email.
type Invitation struct {
	ID            string
	Email         string
	RoleID        string
	RoleName      string
	InvitedByID   string
	InvitedByName string
	State         InvitationState
	CreatedAt     time.Time
	// SentAt is when the current link was issued: at creation, or the last resend.
	SentAt     time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	DeletedAt  *time.Time
	UserID     string // the member it created, once accepted

	// The delivery of its latest email.
	Delivery         DeliveryState
	DeliveryError    string
	DeliveryAttempts int
	DeliveredAt      *time.Time
	OutboxID         int64

	// Sync says, in a desktop's lists with sync, that a change of it waits
	// for the server or was refused by it.
	Sync SyncMark
}

// InviteParams is one person to invite. Role may be given by id or, as in
// import files, by name (case-insensitive).
type InviteParams struct {
	Email string
	Role  string
}

// InvitationFilter selects invitations. By default FindInvitations returns
// those not yet accepted or deleted: pending and expired ones.
type InvitationFilter struct {
	Search   *string
	State    *InvitationState
	Delivery *DeliveryState
	// Sort columns: "createdAt" (default, newest first), "email", "role",
	// "invitedBy", "expiresAt", "delivery".
	Sort   SortOrder
	Offset int
	Limit  int
}

// AcceptParams is what the directory server sends when an invitee registers.
type AcceptParams struct {
	Token        string
	Name         string
	PasswordHash string
}

// BulkInviteResult says what InviteUsers stored.
type BulkInviteResult struct {
	// Invited is how many invitations were stored (all the rows given).
	Invited int
}

// Progress receives how far a long operation has come. Implementations
// throttle; a final call with done == total always comes.
type Progress func(done, total int)

// InvitationService manages invitations.
type InvitationService interface {
	// FindInvitationByID returns one invitation. ENOTFOUND.
	FindInvitationByID(ctx context.Context, id string) (*Invitation, error)

	// FindInvitations returns a page of invitations and how many match in all.
	FindInvitations(ctx context.Context, filter InvitationFilter) ([]*Invitation, int, error)

	// InviteUser stores an invitation valid for 7 days and queues its email.
	// EINVALID (field "email" or "role") for a malformed address or an unknown
	// role; ECONFLICT (field "email") when the address is a current member or
	// has a pending invitation.
	InviteUser(ctx context.Context, params InviteParams) (*Invitation, error)

	// InviteUsers stores many invitations, all or none as anyone else sees
	// them, and queues their emails; their addresses are reserved while they
	// are stored. It fails with the first row's error as InviteUser would,
	// naming the row in the error's Args: "index" is its 0-based index in
	// params; EUNAVAILABLE when the database stays busy.
	InviteUsers(ctx context.Context, params []InviteParams, progress Progress) (*BulkInviteResult, error)

	// DeleteInvitation cancels a pending or expired invitation: its link stops
	// working at once and a queued email is not sent. ENOTFOUND (also when
	// accepted or deleted already).
	DeleteInvitation(ctx context.Context, id string) error

	// ResendInvitation gives a pending or expired invitation a new link, valid
	// 7 days from now, and queues a new email; the old link stops working.
	// ENOTFOUND; ECONFLICT when the address has become a member.
	ResendInvitation(ctx context.Context, id string) (*Invitation, error)

	// RenewInvitationLink gives a pending or expired invitation a new link,
	// valid 7 days from now, as ResendInvitation does, but sends no email:
	// it returns the link's token, for the administrator to hand over
	// (the only time the token leaves the service). The old link stops
	// working and an email still queued for it is not sent. ENOTFOUND;
	// ECONFLICT when the address has become a member.
	RenewInvitationLink(ctx context.Context, id string) (*Invitation, string, error)

	// AcceptInvitation turns a valid invitation into a member with the
	// invited role. ENOTFOUND for an unknown, deleted or used token;
	// EFORBIDDEN ("invitation.expired") for an expired one; EINVALID for a
	// bad name or an empty password hash; ECONFLICT if the address is a member.
	AcceptInvitation(ctx context.Context, params AcceptParams) (*User, error)
}
