package sqlite_test

import (
	"context"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

func TestCredentialService(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "Sam@Example.com", "user"), "Sam Member")
		s := sqlite.NewCredentialService(e.db)
		c, err := s.FindCredentialByEmail(context.Background(), " sam@EXAMPLE.com ")
		if err != nil || c.User.ID != u.ID || c.PasswordHash == "" {
			t.Fatalf("FindCredentialByEmail = %+v, %v", c, err)
		}
		c, err = s.FindCredentialByUserID(context.Background(), e.admin.ID)
		if err != nil || c.PasswordHash != "" {
			t.Fatalf("the administrator set up without a password: %+v, %v", c, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		e := newEnv(t)
		s := sqlite.NewCredentialService(e.db)
		for _, email := range []string{"nobody@example.com", "not an address", ""} {
			_, err := s.FindCredentialByEmail(context.Background(), email)
			assertKey(t, err, backend.ENOTFOUND, "credential.not_found")
		}
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		if err := e.users.RemoveUser(e.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.FindCredentialByEmail(context.Background(), "sam@example.com")
		assertKey(t, err, backend.ENOTFOUND, "credential.not_found")
	})
	t.Run("Rehash", func(t *testing.T) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		s := sqlite.NewCredentialService(e.db)
		c, _ := s.FindCredentialByUserID(context.Background(), u.ID)
		if err := s.RehashPassword(context.Background(), u.ID, "stale", "$argon2id$new1"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindCredentialByUserID(context.Background(), u.ID); got.PasswordHash != c.PasswordHash {
			t.Fatal("a rehash replaced a hash that had changed meanwhile")
		}
		if err := s.RehashPassword(context.Background(), u.ID, c.PasswordHash, "$argon2id$new2"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindCredentialByUserID(context.Background(), u.ID); got.PasswordHash != "$argon2id$new2" {
			t.Fatalf("hash after rehash = %q", got.PasswordHash)
		}
	})
	t.Run("ChangePasswordEndsOtherSessions", func(t *testing.T) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		sessions := sqlite.NewSessionService(e.db)
		keep, keepToken, _ := sessions.CreateSession(context.Background(), u.ID)
		_, otherToken, _ := sessions.CreateSession(context.Background(), u.ID)
		s := sqlite.NewCredentialService(e.db)
		if err := s.ChangePassword(context.Background(), u.ID, "$argon2id$changed", keep.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := sessions.AuthenticateSession(context.Background(), keepToken); err != nil {
			t.Fatalf("the current session ended: %v", err)
		}
		_, _, err := sessions.AuthenticateSession(context.Background(), otherToken)
		assertCode(t, err, backend.ENOTFOUND)
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ? AND actor_id = ?`, backend.AuditPasswordChanged, u.ID); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
	})
	t.Run("ErrChangePasswordInactive", func(t *testing.T) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		if _, err := e.users.DeactivateUser(e.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		s := sqlite.NewCredentialService(e.db)
		assertCode(t, s.ChangePassword(context.Background(), u.ID, "$argon2id$x", ""), backend.EFORBIDDEN)
		assertCode(t, s.ChangePassword(context.Background(), e.admin.ID, " ", ""), backend.EINVALID)
	})
}
