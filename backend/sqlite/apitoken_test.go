package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

func TestAPITokenService(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		s := sqlite.NewAPITokenService(e.db)
		tok, secret, err := s.CreateAPIToken(e.ctx, e.admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, backend.APITokenPrefix) || tok.UserEmail != e.admin.Email {
			t.Fatalf("token %+v, secret %q", tok, secret[:7])
		}
		if n := e.count(t, `SELECT count(*) FROM api_tokens WHERE token_hash = ? OR CAST(token_hash AS TEXT) = ?`, secret, secret); n != 0 {
			t.Fatal("the secret is stored in plain text")
		}
		got, u, err := s.AuthenticateAPIToken(context.Background(), secret)
		if err != nil || got.ID != tok.ID || u.ID != e.admin.ID || got.LastUsedAt == nil {
			t.Fatalf("AuthenticateAPIToken = %+v, %v, %v", got, u, err)
		}
		list, err := s.FindAPITokens(context.Background(), backend.APITokenFilter{})
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("FindAPITokens = %v, %v", list, err)
		}
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditAPITokenCreated); n != 1 {
			t.Fatalf("%d audit entries for the new token", n)
		}
	})
	t.Run("ErrNotAdmin", func(t *testing.T) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		_, _, err := sqlite.NewAPITokenService(e.db).CreateAPIToken(e.ctx, u.ID)
		assertKey(t, err, backend.EFORBIDDEN, "api_token.not_admin")
	})
	t.Run("ErrRevoked", func(t *testing.T) {
		e := newEnv(t)
		s := sqlite.NewAPITokenService(e.db)
		tok, secret, err := s.CreateAPIToken(e.ctx, e.admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeAPIToken(e.ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.AuthenticateAPIToken(context.Background(), secret)
		assertKey(t, err, backend.ENOTFOUND, "api_token.invalid")
		assertKey(t, s.RevokeAPIToken(e.ctx, tok.ID), backend.ENOTFOUND, "api_token.not_found")
		list, _ := s.FindAPITokens(context.Background(), backend.APITokenFilter{})
		all, _ := s.FindAPITokens(context.Background(), backend.APITokenFilter{Revoked: true})
		if len(list) != 0 || len(all) != 1 || all[0].RevokedAt == nil {
			t.Fatalf("lists: %d active, %d in all", len(list), len(all))
		}
	})
	t.Run("ErrOwnerDemoted", func(t *testing.T) {
		e := newEnv(t)
		other := e.join(t, e.invite(t, "bo@example.com", "administrator"), "Bo Admin")
		s := sqlite.NewAPITokenService(e.db)
		_, secret, err := s.CreateAPIToken(e.ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.users.DeactivateUser(e.ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.AuthenticateAPIToken(context.Background(), secret)
		assertKey(t, err, backend.EFORBIDDEN, "api_token.not_admin")
	})
	t.Run("ErrGuessed", func(t *testing.T) {
		e := newEnv(t)
		s := sqlite.NewAPITokenService(e.db)
		for _, secret := range []string{"", "roster_", "roster_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Bearer x"} {
			_, _, err := s.AuthenticateAPIToken(context.Background(), secret)
			assertKey(t, err, backend.ENOTFOUND, "api_token.invalid")
		}
	})
}
