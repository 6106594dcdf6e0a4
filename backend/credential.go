package backend

import "context"

// AuditPasswordChanged records a member changing their own password.
const AuditPasswordChanged = "user.password_changed"

// Credential is a current member and their password hash: a PHC string, or
// "" when they have not chosen a password yet.
type Credential struct {
	User         *User
	PasswordHash string
}

// CredentialService reads and changes members' password hashes for the
// directory server's sign-in. Hashing and the password rules are the
// caller's (package password); only hashes reach this service.
type CredentialService interface {
	// FindCredentialByEmail returns the current (active or inactive) member
	// with this address, compared as Email.Key, and their hash. ENOTFOUND
	// ("credential.not_found") when there is none or the address is malformed.
	FindCredentialByEmail(ctx context.Context, email string) (*Credential, error)

	// FindCredentialByUserID returns a current member and their hash. ENOTFOUND.
	FindCredentialByUserID(ctx context.Context, userID string) (*Credential, error)

	// RehashPassword replaces a member's hash of an unchanged password with
	// one of stronger parameters, if the stored hash is still oldHash.
	RehashPassword(ctx context.Context, userID, oldHash, newHash string) error

	// ChangePassword sets an active member's new password hash, ends every
	// session of theirs but keepSessionID, writes an audit entry and queues
	// the MailPasswordChanged notice (in the context's language, if any).
	// ENOTFOUND; EFORBIDDEN for a member who is not active; EINVALID for an
	// empty hash.
	ChangePassword(ctx context.Context, userID, newHash, keepSessionID string) error
}

// LinkService looks up the invitation and reset links the directory server
// redeems, and hands a link's token to whoever delivers it by another way
// than email (the server's command line).
type LinkService interface {
	// FindInvitationByToken returns the invitation of a link token, with
	// State expired once it expired. ENOTFOUND ("invitation.invalid_link") for
	// an unknown, deleted or accepted one.
	FindInvitationByToken(ctx context.Context, token string) (*Invitation, error)

	// FindPasswordResetByToken returns the reset of a link token.
	// ENOTFOUND ("password_reset.invalid") for an unknown, used or voided one;
	// EFORBIDDEN ("password_reset.expired") when it expired or its member is
	// no longer active.
	FindPasswordResetByToken(ctx context.Context, token string) (*PasswordReset, error)

	// TakeInvitationToken returns the token of an invitation's queued email
	// and cancels that email, so the token leaves the database: the caller
	// delivers the link itself. ENOTFOUND when the invitation has no queued
	// email with a token (it was sent, cancelled or the invitation closed).
	TakeInvitationToken(ctx context.Context, invitationID string) (string, error)

	// TakePasswordResetToken is TakeInvitationToken for a password reset.
	TakePasswordResetToken(ctx context.Context, resetID string) (string, error)
}
