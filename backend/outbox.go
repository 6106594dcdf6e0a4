package backend

import (
	"context"
	"time"
)

// MailKind is what an outbox entry's email is.
type MailKind string

// The kinds of email Roster sends.
const (
	MailInvitation    MailKind = "invitation"
	MailPasswordReset MailKind = "password_reset"
)

// OutboxEntry is one email waiting for, in, or past delivery. It is written in
// the same transaction as the invitation or reset it belongs to, so a crash
// can lose neither. Data holds what the template needs, the link's token
// included; it is cleared once the entry is sent, failed for good, or
// cancelled, so no usable token stays in the database longer than needed.
type OutboxEntry struct {
	ID              int64
	Kind            MailKind
	To              string
	InvitationID    string
	PasswordResetID string
	Data            map[string]string
	State           DeliveryState
	Attempts        int
	NextAttemptAt   time.Time
	LastError       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SentAt          *time.Time
}

// Keys of OutboxEntry.Data.
const (
	MailDataToken        = "token"        // the link's secret token
	MailDataRole         = "role"         // the invited role's name
	MailDataInviter      = "inviter"      // who invited
	MailDataRecipient    = "recipient"    // the member's name (resets)
	MailDataExpiresAt    = "expiresAt"    // RFC 3339: when the link stops working
	MailDataOrganisation = "organisation" // the organisation's name
)

// OutboxStats counts outbox entries by state.
type OutboxStats struct {
	Queued  int
	Sending int
	Sent    int
	Failed  int
	// NextAttemptAt is when the earliest queued entry is due, if any.
	NextAttemptAt *time.Time
}

// OutboxService is the durable queue the mail worker works through.
type OutboxService interface {
	// ClaimOutboxEntries moves up to limit queued entries that are due into
	// "sending" and returns them, oldest first.
	ClaimOutboxEntries(ctx context.Context, limit int) ([]*OutboxEntry, error)

	// MarkOutboxSent records a delivered entry and clears its Data. An entry
	// marked sent is never claimed again.
	MarkOutboxSent(ctx context.Context, id int64) error

	// MarkOutboxRetry puts an entry back in the queue, due at next, keeping
	// the server's answer as its last error.
	MarkOutboxRetry(ctx context.Context, id int64, next time.Time, lastError string) error

	// MarkOutboxFailed gives up on an entry (a permanent SMTP error, or too
	// many attempts), keeping the server's answer. Its Data stays for Retry.
	MarkOutboxFailed(ctx context.Context, id int64, lastError string) error

	// RetryOutboxEntry queues a failed entry again, due now. ENOTFOUND;
	// ECONFLICT when it is not failed.
	RetryOutboxEntry(ctx context.Context, id int64) error

	// RecoverOutbox returns entries left "sending" by a crash to the queue and
	// says how many there were. Call it once at start, before the worker runs.
	RecoverOutbox(ctx context.Context) (int, error)

	// FindOutboxStats counts entries by state.
	FindOutboxStats(ctx context.Context) (*OutboxStats, error)
}
