package sqlite_test

import (
	"context"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

func TestSessionService(t *testing.T) {
	var now *time.Time
	newSession := func(t *testing.T) (*env, *sqlite.SessionService, *backend.User, string) {
		e := newEnv(t)
		now = fixedClock(e.db)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		s := sqlite.NewSessionService(e.db)
		sess, token, err := s.CreateSession(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sess.UserID != u.ID || len(token) < 43 {
			t.Fatalf("session %+v, token of %d characters", sess, len(token))
		}
		return e, s, u, token
	}

	t.Run("OK", func(t *testing.T) {
		e, s, u, token := newSession(t)
		sess, got, err := s.AuthenticateSession(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.RoleName != "User" || sess.UserID != u.ID {
			t.Fatalf("session of %+v, want %s", got, u.ID)
		}
		if n := e.count(t, `SELECT count(*) FROM sessions WHERE token_hash = ?`, token); n != 0 {
			t.Fatal("the token is stored in plain text")
		}
	})
	t.Run("SeesRoleChange", func(t *testing.T) {
		e, s, u, token := newSession(t)
		if _, err := e.users.ChangeUserRole(e.ctx, u.ID, backend.RoleAdministrator); err != nil {
			t.Fatal(err)
		}
		_, got, err := s.AuthenticateSession(context.Background(), token)
		if err != nil || got.RoleID != backend.RoleAdministrator {
			t.Fatalf("role after change = %v, %v", got, err)
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		_, s, _, token := newSession(t)
		_, _, err := s.AuthenticateSession(context.Background(), token[:len(token)-1])
		assertKey(t, err, backend.ENOTFOUND, "session.invalid")
	})
	t.Run("ErrDeleted", func(t *testing.T) {
		_, s, _, token := newSession(t)
		if err := s.DeleteSession(context.Background(), token); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.AuthenticateSession(context.Background(), token)
		assertKey(t, err, backend.ENOTFOUND, "session.invalid")
	})
	for _, tt := range []struct {
		name string
		act  func(e *env, id string) error
	}{
		{"ErrDeactivated", func(e *env, id string) error { _, err := e.users.DeactivateUser(e.ctx, id); return err }},
		{"ErrRemoved", func(e *env, id string) error { return e.users.RemoveUser(e.ctx, id) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, s, u, token := newSession(t)
			if err := tt.act(e, u.ID); err != nil {
				t.Fatal(err)
			}
			_, _, err := s.AuthenticateSession(context.Background(), token)
			assertKey(t, err, backend.ENOTFOUND, "session.invalid")
			if n := e.count(t, `SELECT count(*) FROM sessions WHERE user_id = ?`, u.ID); n != 0 {
				t.Fatalf("%d sessions left", n)
			}
			_, _, err = s.CreateSession(context.Background(), u.ID)
			assertKey(t, err, backend.EFORBIDDEN, "session.inactive")
		})
	}
	t.Run("ErrStatusCheckedOnEachUse", func(t *testing.T) {
		// Without the trigger, the check on use still refuses the session.
		e, s, u, token := newSession(t)
		if _, err := e.raw.Exec(`DROP TRIGGER users_end_sessions`); err != nil {
			t.Fatal(err)
		}
		if _, err := e.users.DeactivateUser(e.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.AuthenticateSession(context.Background(), token)
		assertKey(t, err, backend.ENOTFOUND, "session.invalid")
		if n := e.count(t, `SELECT count(*) FROM sessions WHERE user_id = ?`, u.ID); n != 0 {
			t.Fatalf("%d sessions left", n)
		}
	})
	t.Run("ErrPasswordReset", func(t *testing.T) {
		e, s, u, token := newSession(t)
		r, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, data := e.mailOf(t, r.OutboxID)
		if err := e.resets.ResetPassword(context.Background(), backend.ResetParams{Token: data[backend.MailDataToken],
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"}); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.AuthenticateSession(context.Background(), token)
		assertKey(t, err, backend.ENOTFOUND, "session.invalid")
	})
	t.Run("ErrIdle", func(t *testing.T) {
		_, s, _, token := newSession(t)
		*now = now.Add(backend.SessionIdleTimeout - time.Minute)
		if _, _, err := s.AuthenticateSession(context.Background(), token); err != nil {
			t.Fatalf("just before the idle end: %v", err)
		}
		*now = now.Add(backend.SessionIdleTimeout)
		_, _, err := s.AuthenticateSession(context.Background(), token)
		assertKey(t, err, backend.ENOTFOUND, "session.invalid")
	})
	t.Run("ErrLifetime", func(t *testing.T) {
		_, s, _, token := newSession(t)
		for end := now.Add(backend.SessionLifetime); now.Before(end.Add(-backend.SessionIdleTimeout)); *now = now.Add(12 * time.Hour) {
			if _, _, err := s.AuthenticateSession(context.Background(), token); err != nil {
				t.Fatalf("used every 12 hours, ended early: %v", err)
			}
		}
		*now = now.Add(backend.SessionIdleTimeout)
		_, _, err := s.AuthenticateSession(context.Background(), token)
		assertKey(t, err, backend.ENOTFOUND, "session.invalid")
	})
	t.Run("DeleteUserSessionsKeepsOne", func(t *testing.T) {
		_, s, u, token := newSession(t)
		keep, keepToken, err := s.CreateSession(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.DeleteUserSessions(context.Background(), u.ID, keep.ID)
		if err != nil || n != 1 {
			t.Fatalf("DeleteUserSessions = %d, %v; want 1", n, err)
		}
		if _, _, err := s.AuthenticateSession(context.Background(), keepToken); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.AuthenticateSession(context.Background(), token)
		assertCode(t, err, backend.ENOTFOUND)
	})
	t.Run("Purge", func(t *testing.T) {
		_, s, _, _ := newSession(t)
		*now = now.Add(backend.SessionIdleTimeout)
		if n, err := s.PurgeSessions(context.Background()); err != nil || n != 1 {
			t.Fatalf("PurgeSessions = %d, %v; want 1", n, err)
		}
	})
}
