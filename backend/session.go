package backend

import (
	"context"
	"time"
)

// Session lifetimes: a session ends SessionIdleTimeout after its last use,
// and SessionLifetime after it began, whichever comes first.
const (
	SessionLifetime    = 7 * 24 * time.Hour
	SessionIdleTimeout = 24 * time.Hour
)

// Session is a member signed in to the directory server in one browser. Its
// token lives only in that browser's cookie; the database keeps its SHA-256.
type Session struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute end; the idle end is LastSeenAt + SessionIdleTimeout
}

// SessionService keeps the directory server's sign-in sessions. Besides the
// methods below, redeeming a password reset (PasswordResetService.ResetPassword)
// ends every session of that member in the same transaction.
type SessionService interface {
	// CreateSession signs an active member in and returns the session and its
	// token, which is returned only here. ENOTFOUND; EFORBIDDEN
	// ("session.inactive") for a member who is not active.
	CreateSession(ctx context.Context, userID string) (*Session, string, error)

	// AuthenticateSession returns the session of a token and its member, as
	// they are now, and notes the use. ENOTFOUND ("session.invalid") for an
	// unknown, ended or expired session, and for a member who is no longer
	// active, whose sessions all end then.
	AuthenticateSession(ctx context.Context, token string) (*Session, *User, error)

	// DeleteSession ends the session of a token (signing out). An unknown
	// token is not an error.
	DeleteSession(ctx context.Context, token string) error

	// DeleteUserSessions ends every session of a member but the one with id
	// keepID ("" for none) and says how many ended.
	DeleteUserSessions(ctx context.Context, userID, keepID string) (int, error)

	// PurgeSessions deletes expired sessions and says how many.
	PurgeSessions(ctx context.Context) (int, error)
}
