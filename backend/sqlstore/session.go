package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"roster/backend"
)

// sessionTouchInterval is how stale last_seen_at may get before a request
// writes it again: often enough for the idle timeout, rarely enough that
// reading a page is not a write.
const sessionTouchInterval = time.Minute

// SessionService implements backend.SessionService. Sessions live in the
// database only, so every process on it sees each one begin and end.
type SessionService struct {
	s *Store
}

var _ backend.SessionService = (*SessionService)(nil)

// NewSessionService returns the session service of s.
func NewSessionService(s *Store) *SessionService {
	return &SessionService{s: s}
}

// errSessionInvalid is the answer for every session that cannot be used.
func errSessionInvalid() error {
	return backend.MsgSessionInvalid.Error(backend.ENOTFOUND)
}

func errInactive() error {
	return backend.MsgSessionInactive.Error(backend.EFORBIDDEN)
}

// CreateSession signs an active member in and records it as their last
// sign-in. Where writers run at once, it
// holds the member's row in share mode, so a deactivation or removal waits
// for it and then ends the new session too.
func (ss *SessionService) CreateSession(ctx context.Context, userID string) (*backend.Session, string, error) {
	s := ss.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	u, err := s.lockUser(ctx, tx, userID, s.ForShare)
	if err != nil {
		return nil, "", err
	}
	if u.Status != backend.UserActive {
		return nil, "", errInactive()
	}
	token, hash := NewToken()
	now := tx.Now()
	sess := &backend.Session{ID: NewID(), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(backend.SessionLifetime)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, sess.ID, hash, sess.UserID, s.Time(sess.CreatedAt), s.Time(sess.LastSeenAt),
		s.Time(sess.ExpiresAt)); err != nil {
		return nil, "", s.wrap("create session", err)
	}
	// Every way of signing in ends here, so this is the member's last sign-in.
	if _, err := tx.ExecContext(ctx, `UPDATE users SET last_sign_in_at = ? WHERE id = ?`, s.Time(now), u.ID); err != nil {
		return nil, "", s.wrap("create session", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, "", s.wrap("create session", err)
	}
	return sess, token, nil
}

// AuthenticateSession returns the session of a token and its member as they
// are now. Reading is not a write unless the session must end or its last
// use is older than sessionTouchInterval.
func (ss *SessionService) AuthenticateSession(ctx context.Context, token string) (*backend.Session, *backend.User, error) {
	s := ss.s
	now := s.Now().UTC()
	var sess backend.Session
	err := s.DB.QueryRowContext(ctx, `SELECT id, user_id, created_at, last_seen_at, expires_at FROM sessions
		WHERE token_hash = ?`, HashToken(token)).Scan(&sess.ID, &sess.UserID, Time(&sess.CreatedAt),
		Time(&sess.LastSeenAt), Time(&sess.ExpiresAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errSessionInvalid()
	} else if err != nil {
		return nil, nil, s.wrap("authenticate session", err)
	}
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(backend.SessionIdleTimeout)) {
		if _, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sess.ID); err != nil {
			return nil, nil, s.wrap("end expired session", err)
		}
		return nil, nil, errSessionInvalid()
	}
	u, err := s.FindUserByID(ctx, s.DB, sess.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate session: %w", err)
	}
	if u.Status != backend.UserActive {
		if _, err := ss.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return nil, nil, err
		}
		return nil, nil, errSessionInvalid()
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchInterval {
		sess.LastSeenAt = now.Truncate(time.Millisecond)
		seen := s.Time(sess.LastSeenAt)
		// Only forward: another process may have touched it a moment ago.
		if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`,
			seen, sess.ID, seen); err != nil {
			return nil, nil, s.wrap("touch session", err)
		}
	}
	return &sess, u, nil
}

// DeleteSession ends the session of a token.
func (ss *SessionService) DeleteSession(ctx context.Context, token string) error {
	if _, err := ss.s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, HashToken(token)); err != nil {
		return ss.s.wrap("delete session", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a member but keepID.
func (ss *SessionService) DeleteUserSessions(ctx context.Context, userID, keepID string) (int, error) {
	res, err := ss.s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepID)
	if err != nil {
		return 0, ss.s.wrap("delete sessions", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// PurgeSessions deletes sessions past their absolute or idle end.
func (ss *SessionService) PurgeSessions(ctx context.Context) (int, error) {
	s := ss.s
	now := s.Now().UTC()
	res, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`,
		s.Time(now), s.Time(now.Add(-backend.SessionIdleTimeout)))
	if err != nil {
		return 0, s.wrap("purge sessions", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
