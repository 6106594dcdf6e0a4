package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"roster/backend"
)

var _ backend.SessionService = (*SessionService)(nil)

// sessionTouchInterval is how stale last_seen_at may get before a request
// writes it again: often enough for the idle timeout, rarely enough that
// reading a page is not a write.
const sessionTouchInterval = time.Minute

// SessionService implements backend.SessionService. Sessions live in the
// database only, so every server process on it sees each one begin and end.
type SessionService struct {
	db *DB
}

// NewSessionService returns the session service of db.
func NewSessionService(db *DB) *SessionService {
	return &SessionService{db: db}
}

// errSessionInvalid is the answer for every session that cannot be used.
func errSessionInvalid() error {
	return &backend.Error{Code: backend.ENOTFOUND, Message: "Your session has ended. Sign in again.", Key: "session.invalid"}
}

func errInactive() error {
	return &backend.Error{Code: backend.EFORBIDDEN, Message: "This account is not active.", Key: "session.inactive"}
}

// CreateSession signs an active member in. It holds the member's row in
// share mode, so a deactivation or removal waits for it and then ends the
// new session too.
func (s *SessionService) CreateSession(ctx context.Context, userID string) (*backend.Session, string, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	u, err := lockUser(ctx, tx, userID, "FOR SHARE")
	if err != nil {
		return nil, "", err
	}
	if u.Status != backend.UserActive {
		return nil, "", errInactive()
	}
	token, hash := newToken()
	sess := &backend.Session{ID: newID(), UserID: u.ID, CreatedAt: tx.now, LastSeenAt: tx.now,
		ExpiresAt: tx.now.Add(backend.SessionLifetime)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $4, $5)`, sess.ID, hash, sess.UserID, sess.CreatedAt, sess.ExpiresAt); err != nil {
		return nil, "", fmt.Errorf("create session: %w", mapError(err))
	}
	if err := tx.Commit(); err != nil {
		return nil, "", fmt.Errorf("create session: %w", mapError(err))
	}
	return sess, token, nil
}

// AuthenticateSession returns the session of a token and its member as they
// are now. Reading is not a write unless the session must end or its last
// use is older than sessionTouchInterval.
func (s *SessionService) AuthenticateSession(ctx context.Context, token string) (*backend.Session, *backend.User, error) {
	now := s.db.Now().UTC()
	var sess backend.Session
	err := s.db.db.QueryRowContext(ctx, `SELECT id, user_id, created_at, last_seen_at, expires_at FROM sessions
		WHERE token_hash = $1`, hashToken(token)).Scan(&sess.ID, &sess.UserID, timeCol{&sess.CreatedAt},
		timeCol{&sess.LastSeenAt}, timeCol{&sess.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errSessionInvalid()
	} else if err != nil {
		return nil, nil, fmt.Errorf("authenticate session: %w", mapError(err))
	}
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(backend.SessionIdleTimeout)) {
		if _, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sess.ID); err != nil {
			return nil, nil, fmt.Errorf("end expired session: %w", mapError(err))
		}
		return nil, nil, errSessionInvalid()
	}
	u, err := findUserByID(ctx, s.db.db, sess.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate session: %w", err)
	}
	if u.Status != backend.UserActive {
		if _, err := s.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return nil, nil, err
		}
		return nil, nil, errSessionInvalid()
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchInterval {
		sess.LastSeenAt = now.Truncate(time.Millisecond)
		// Only forward: another process may have touched it a moment ago.
		if _, err := s.db.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1`,
			sess.LastSeenAt, sess.ID); err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", mapError(err))
		}
	}
	return &sess, u, nil
}

// DeleteSession ends the session of a token.
func (s *SessionService) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", mapError(err))
	}
	return nil
}

// DeleteUserSessions ends every session of a member but keepID.
func (s *SessionService) DeleteUserSessions(ctx context.Context, userID, keepID string) (int, error) {
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, userID, keepID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions: %w", mapError(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// PurgeSessions deletes sessions past their absolute or idle end.
func (s *SessionService) PurgeSessions(ctx context.Context) (int, error) {
	now := s.db.Now().UTC()
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
		now, now.Add(-backend.SessionIdleTimeout))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", mapError(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
