package backend

import (
	"context"
	"time"
)

// PasswordResetLifetime is how long a reset link works by default.
const PasswordResetLifetime = 24 * time.Hour

// PasswordReset is a single-use link to set a new password. Only the SHA-256
// of its token is stored. A new request voids the older ones.
type PasswordReset struct {
	ID        string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	VoidedAt  *time.Time
	OutboxID  int64
}

// ResetParams is what the directory server sends when a member sets a new password.
type ResetParams struct {
	Token        string
	PasswordHash string
}

// PasswordResetService issues and redeems password resets.
type PasswordResetService interface {
	// SendPasswordReset issues a new reset link for an active member, voids
	// their older ones and queues the email (in the context's language,
	// LanguageFromContext, if any). ENOTFOUND; EFORBIDDEN for an inactive or
	// removed member.
	SendPasswordReset(ctx context.Context, userID string) (*PasswordReset, error)

	// ResetPassword redeems a reset token once and, in the same
	// transaction, queues the MailPasswordChanged notice (in the context's
	// language, LanguageFromContext, if any). ENOTFOUND for an unknown,
	// used or voided token; EFORBIDDEN ("password_reset.expired") when it
	// expired or the member is no longer active; EINVALID for an empty hash.
	ResetPassword(ctx context.Context, params ResetParams) error
}
