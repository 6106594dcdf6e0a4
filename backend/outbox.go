package backend

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// MailKind is what an outbox entry's email is.
type MailKind string

// The kinds of email Roster sends.
const (
	MailInvitation    MailKind = "invitation"
	MailPasswordReset MailKind = "password_reset"
	// MailPasswordChanged tells a member their password was changed (by a
	// reset link or on their account page), so a change they did not make
	// does not go unnoticed. It carries no link token.
	MailPasswordChanged MailKind = "password_changed"
)

// MailKinds are every kind of email, in the order previews list them.
var MailKinds = []MailKind{MailInvitation, MailPasswordReset, MailPasswordChanged}

// OutboxEntry is one email waiting for, in, or past delivery. It is written in
// the same transaction as the invitation or reset it belongs to, so a crash
// can lose neither. Data holds what the template needs, the link's token
// included. It is stored sealed (AES-256-GCM under a key from OutboxKeys,
// which never enters the database) and cleared once the entry is sent or
// cancelled, so no usable token stays in the database longer than needed: a
// failed entry keeps it, sealed, for Retry.
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
	MailDataChangedAt    = "changedAt"    // RFC 3339: when the password changed
	// MailDataLanguage is the language the email is written in ("en" or
	// "de"); without it, the email settings' language.
	MailDataLanguage = "language"
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
	// why the attempt failed.
	MarkOutboxRetry(ctx context.Context, id int64, next time.Time, why DeliveryFailure) error

	// MarkOutboxFailed gives up on an entry (a permanent SMTP error, or too
	// many attempts), keeping why. Its Data stays for Retry.
	MarkOutboxFailed(ctx context.Context, id int64, why DeliveryFailure) error

	// RetryOutboxEntry queues a failed entry again, due now. ENOTFOUND;
	// ECONFLICT when it is not failed, its link no longer works, or its Data
	// can no longer be read (key outbox.data_lost: send a new link).
	RetryOutboxEntry(ctx context.Context, id int64) error

	// RetryOutboxConnectionFailures makes the entries that wait or failed
	// because the connection to the SMTP server failed (DeliveryFailure's
	// Category is set) due now, failed ones with a fresh count of attempts,
	// and says how many. Saving new settings or trusting a certificate calls
	// it, so what they may fix is tried at once rather than after a backoff.
	RetryOutboxConnectionFailures(ctx context.Context) (int, error)

	// RecoverOutbox returns entries left "sending" by a crash to the queue and
	// says how many there were. Call it once at start, before the worker runs.
	RecoverOutbox(ctx context.Context) (int, error)

	// FindOutboxStats counts entries by state.
	FindOutboxStats(ctx context.Context) (*OutboxStats, error)
}

// DeliveryFailure is why an attempt to send an entry failed.
type DeliveryFailure struct {
	// Message is the sentence the administrator sees, the server's answer
	// included.
	Message string
	// Category is set (to the SMTP failure's category: certificate, tls,
	// auth, connection_refused, …) when the connection failed before the
	// message was offered, which new settings or a trusted certificate may
	// fix; it is empty when the message itself was refused or could not be
	// written.
	Category string
}

// DataKey is a 256-bit key that seals outbox entries' Data at rest.
type DataKey struct {
	// ID names the key in the data it sealed. It is derived from the key by
	// a one-way hash and tells whether the key is kept for this session only.
	ID string
	// Secret is the key itself; it never enters the database, a file or a log.
	Secret []byte
	// Session is set for a key kept in memory only, until Roster quits.
	Session bool

	aeadOnce sync.Once // makes aead from Secret on first use
	aead     cipher.AEAD
	aeadErr  error
}

// NewDataKey returns the DataKey of a 256-bit secret.
func NewDataKey(secret []byte, session bool) *DataKey {
	sum := sha256.Sum256(append([]byte("roster outbox key id\x00"), secret...))
	prefix := "k"
	if session {
		prefix = "s"
	}
	return &DataKey{ID: prefix + hex.EncodeToString(sum[:6]), Secret: secret, Session: session}
}

// OutboxKeys gives the keys that seal outbox entries' Data
// (secret.OutboxKeys keeps its key in the OS keyring).
type OutboxKeys interface {
	// SealingKey returns the key new data is sealed with. Without a usable
	// keyring it is a key kept for this session only.
	SealingKey() *DataKey
	// OpeningKey returns the key with the id. ENOTFOUND when the key is lost
	// (it was kept for an earlier session only, or it left the keyring);
	// EUNAVAILABLE when the keyring cannot be read now.
	OpeningKey(id string) (*DataKey, error)
}

// StaticOutboxKeys is OutboxKeys with one lasting key the caller keeps (the
// directory server reads it from a file, having no keyring).
type StaticOutboxKeys struct {
	key *DataKey
}

// NewStaticOutboxKeys returns OutboxKeys with a lasting 256-bit secret.
// It fails when the secret is not 32 bytes long.
func NewStaticOutboxKeys(secret []byte) (*StaticOutboxKeys, error) {
	if len(secret) != 32 {
		return nil, fmt.Errorf("the outbox key must be 32 bytes long, not %d", len(secret))
	}
	return &StaticOutboxKeys{key: NewDataKey(secret, false)}, nil
}

// SealingKey returns the key.
func (k *StaticOutboxKeys) SealingKey() *DataKey { return k.key }

// OpeningKey returns the key if it has the id. ENOTFOUND for data sealed
// under another key (another key file, or a key of an earlier session).
func (k *StaticOutboxKeys) OpeningKey(id string) (*DataKey, error) {
	if id != k.key.ID {
		return nil, &Error{Code: ENOTFOUND, Message: "The key that sealed this data is lost.", Key: "outbox.data_lost"}
	}
	return k.key, nil
}

// SessionOutboxKeys is OutboxKeys with one random key kept in memory only:
// what it sealed cannot be opened once Roster quits.
type SessionOutboxKeys struct {
	key *DataKey
}

// NewSessionOutboxKeys returns OutboxKeys with a new random session key.
func NewSessionOutboxKeys() *SessionOutboxKeys {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return &SessionOutboxKeys{key: NewDataKey(secret, true)}
}

// SealingKey returns the session key.
func (k *SessionOutboxKeys) SealingKey() *DataKey { return k.key }

// OpeningKey returns the session key if it has the id. ENOTFOUND.
func (k *SessionOutboxKeys) OpeningKey(id string) (*DataKey, error) {
	if id != k.key.ID {
		return nil, MsgOutboxDataLost.Error(ENOTFOUND)
	}
	return k.key, nil
}
