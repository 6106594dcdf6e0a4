package storetest

import (
	"testing"
	"time"

	"roster/backend"
)

func testPasswordReset(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	bob := f.member(t, "Bob Builder", "bob@example.com", "user")

	t.Run("OK", func(t *testing.T) {
		_, sessToken := f.session(t, bob.ID)
		r, token := f.resetToken(t, bob.ID)
		if r.UserID != bob.ID || !r.ExpiresAt.Equal(f.now.Add(backend.PasswordResetLifetime)) {
			t.Fatalf("reset %+v", r)
		}
		found, err := f.Links.FindPasswordResetByToken(f.ctx, token)
		noErr(t, err, "find by token")
		if found.ID != r.ID || found.UserID != bob.ID {
			t.Fatalf("found %+v", found)
		}
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: token, PasswordHash: " "}), backend.EINVALID, "password.missing")
		noErr(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: token, PasswordHash: hashOf("new")}), "reset")
		cred, err := f.Credentials.FindCredentialByUserID(f.ctx, bob.ID)
		noErr(t, err, "credential")
		if cred.PasswordHash != hashOf("new") {
			t.Fatalf("hash %q", cred.PasswordHash)
		}
		// Single use, and every session of Bob ended.
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: token, PasswordHash: hashOf("again")}), backend.ENOTFOUND, "password_reset.invalid")
		_, err = f.Links.FindPasswordResetByToken(f.ctx, token)
		wantCode(t, err, backend.ENOTFOUND, "password_reset.invalid")
		_, _, err = f.Sessions.AuthenticateSession(f.ctx, sessToken)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
	})
	t.Run("NewerVoidsOlder", func(t *testing.T) {
		_, older := f.resetToken(t, bob.ID)
		_, newer := f.resetToken(t, bob.ID)
		_, err := f.Links.FindPasswordResetByToken(f.ctx, older)
		wantCode(t, err, backend.ENOTFOUND, "password_reset.invalid")
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: older, PasswordHash: hashOf("old")}), backend.ENOTFOUND, "password_reset.invalid")
		noErr(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: newer, PasswordHash: hashOf("newer")}), "reset with newer")
	})
	t.Run("ErrExpired", func(t *testing.T) {
		_, token := f.resetToken(t, bob.ID)
		g := f.on(open)
		g.advance(backend.PasswordResetLifetime)
		_, err := g.Links.FindPasswordResetByToken(g.ctx, token)
		wantCode(t, err, backend.EFORBIDDEN, "password_reset.expired")
		wantCode(t, g.Resets.ResetPassword(g.sys, backend.ResetParams{Token: token, PasswordHash: hashOf("late")}), backend.EFORBIDDEN, "password_reset.expired")
	})
	t.Run("ErrInactive", func(t *testing.T) {
		_, token := f.resetToken(t, bob.ID)
		_, err := f.Users.DeactivateUser(f.ctx, bob.ID)
		noErr(t, err, "deactivate")
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: token, PasswordHash: hashOf("x")}), backend.EFORBIDDEN, "password_reset.expired")
		_, err = f.Resets.SendPasswordReset(f.ctx, bob.ID)
		wantCode(t, err, backend.EFORBIDDEN, "password_reset.inactive")
		_, err = f.Users.ActivateUser(f.ctx, bob.ID)
		noErr(t, err, "activate")
	})
	t.Run("ErrRemoved", func(t *testing.T) {
		_, token := f.resetToken(t, bob.ID)
		noErr(t, f.Users.RemoveUser(f.ctx, bob.ID), "remove")
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: token, PasswordHash: hashOf("x")}), backend.ENOTFOUND, "password_reset.invalid")
		_, err := f.Resets.SendPasswordReset(f.ctx, bob.ID)
		wantCode(t, err, backend.EFORBIDDEN, "user.removed")
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		_, err := f.Resets.SendPasswordReset(f.ctx, "nobody")
		wantCode(t, err, backend.ENOTFOUND, "user.not_found")
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: "guess", PasswordHash: hashOf("x")}), backend.ENOTFOUND, "password_reset.invalid")
	})
}

func testSessions(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	bob := f.member(t, "Bob Builder", "bob@example.com", "user")

	t.Run("OK", func(t *testing.T) {
		sess, token := f.session(t, bob.ID)
		if sess.UserID != bob.ID || !sess.ExpiresAt.Equal(f.now.Add(backend.SessionLifetime)) {
			t.Fatalf("session %+v", sess)
		}
		got, u, err := f.Sessions.AuthenticateSession(f.ctx, token)
		noErr(t, err, "authenticate")
		if got.ID != sess.ID || u.ID != bob.ID || u.Status != backend.UserActive {
			t.Fatalf("session %+v, user %+v", got, u)
		}
		noErr(t, f.Sessions.DeleteSession(f.ctx, token), "sign out")
		_, _, err = f.Sessions.AuthenticateSession(f.ctx, token)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
		noErr(t, f.Sessions.DeleteSession(f.ctx, token), "sign out twice")
	})
	t.Run("ErrDeactivated", func(t *testing.T) {
		_, token := f.session(t, bob.ID)
		_, err := f.Users.DeactivateUser(f.ctx, bob.ID)
		noErr(t, err, "deactivate")
		_, _, err = f.Sessions.AuthenticateSession(f.ctx, token)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
		_, _, err = f.Sessions.CreateSession(f.sys, bob.ID)
		wantCode(t, err, backend.EFORBIDDEN, "session.inactive")
		_, err = f.Users.ActivateUser(f.ctx, bob.ID)
		noErr(t, err, "activate")
		// Activating again does not bring the old session back.
		_, _, err = f.Sessions.AuthenticateSession(f.ctx, token)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
	})
	t.Run("IdleAndLifetime", func(t *testing.T) {
		g := f.on(open)
		_, idle := g.session(t, bob.ID)
		_, busy := g.session(t, bob.ID)
		// Used every 23 hours, a session outlives the idle timeout...
		for g.now.Before(start.Add(backend.SessionLifetime - 23*time.Hour)) {
			g.advance(23 * time.Hour)
			if _, _, err := g.Sessions.AuthenticateSession(g.ctx, busy); err != nil {
				t.Fatalf("at %v: %v", g.now, err)
			}
		}
		_, _, err := g.Sessions.AuthenticateSession(g.ctx, idle)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
		// ... but not its lifetime.
		g.advance(23 * time.Hour)
		_, _, err = g.Sessions.AuthenticateSession(g.ctx, busy)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
	})
	t.Run("DeleteUserSessions", func(t *testing.T) {
		keep, keepToken := f.session(t, bob.ID)
		_, other := f.session(t, bob.ID)
		n, err := f.Sessions.DeleteUserSessions(f.ctx, bob.ID, keep.ID)
		noErr(t, err, "delete sessions")
		if n != 1 {
			t.Fatalf("ended %d sessions, want 1", n)
		}
		_, _, err = f.Sessions.AuthenticateSession(f.ctx, other)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
		if _, _, err := f.Sessions.AuthenticateSession(f.ctx, keepToken); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Purge", func(t *testing.T) {
		g := f.on(open)
		g.advance(backend.SessionLifetime + time.Hour) // past every session above
		if _, err := g.Sessions.PurgeSessions(g.ctx); err != nil {
			t.Fatal(err)
		}
		g.session(t, bob.ID)
		g.session(t, bob.ID)
		g.advance(backend.SessionIdleTimeout)
		n, err := g.Sessions.PurgeSessions(g.ctx)
		noErr(t, err, "purge")
		if n != 2 {
			t.Fatalf("purged %d, want 2", n)
		}
	})
	t.Run("ErrRemoved", func(t *testing.T) {
		_, token := f.session(t, bob.ID)
		noErr(t, f.Users.RemoveUser(f.ctx, bob.ID), "remove")
		_, _, err := f.Sessions.AuthenticateSession(f.ctx, token)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
		_, _, err = f.Sessions.CreateSession(f.sys, bob.ID)
		wantCode(t, err, backend.EFORBIDDEN, "session.inactive")
		_, _, err = f.Sessions.CreateSession(f.sys, "nobody")
		wantCode(t, err, backend.ENOTFOUND, "")
	})
}

// testSessionsAcrossHandles is two server processes on one database: what
// one does to a member, the other's sessions see at once.
func testSessionsAcrossHandles(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	bob := a.member(t, "Bob Builder", "bob@example.com", "user")
	cleo := a.member(t, "Cleo Clerk", "cleo@example.com", "user")
	_, bobToken := a.session(t, bob.ID)
	_, cleoToken := a.session(t, cleo.ID)
	if _, u, err := b.Sessions.AuthenticateSession(b.ctx, bobToken); err != nil || u.ID != bob.ID {
		t.Fatalf("the other process does not know the session: %v", err)
	}
	noErr(t, b.Users.RemoveUser(b.ctx, bob.ID), "remove on b")
	_, _, err := a.Sessions.AuthenticateSession(a.ctx, bobToken)
	wantCode(t, err, backend.ENOTFOUND, "session.invalid")
	_, err = b.Users.DeactivateUser(b.ctx, cleo.ID)
	noErr(t, err, "deactivate on b")
	_, _, err = a.Sessions.AuthenticateSession(a.ctx, cleoToken)
	wantCode(t, err, backend.ENOTFOUND, "session.invalid")
}

func testCredentials(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	bob := f.member(t, "Bob Builder", "bob@example.com", "user")
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.Credentials.FindCredentialByEmail(f.ctx, "nobody@example.com")
		wantCode(t, err, backend.ENOTFOUND, "credential.not_found")
		_, err = f.Credentials.FindCredentialByEmail(f.ctx, "not an address")
		wantCode(t, err, backend.ENOTFOUND, "credential.not_found")
		_, err = f.Credentials.FindCredentialByUserID(f.ctx, "nobody")
		wantCode(t, err, backend.ENOTFOUND, "")
	})
	t.Run("ChangePassword", func(t *testing.T) {
		keep, keepToken := f.session(t, bob.ID)
		_, other := f.session(t, bob.ID)
		wantCode(t, f.Credentials.ChangePassword(f.ctx, bob.ID, "", keep.ID), backend.EINVALID, "password.missing")
		noErr(t, f.Credentials.ChangePassword(f.ctx, bob.ID, hashOf("changed"), keep.ID), "change password")
		cred, err := f.Credentials.FindCredentialByEmail(f.ctx, "BOB@example.com")
		noErr(t, err, "credential")
		if cred.PasswordHash != hashOf("changed") {
			t.Fatalf("hash %q", cred.PasswordHash)
		}
		_, _, err = f.Sessions.AuthenticateSession(f.ctx, other)
		wantCode(t, err, backend.ENOTFOUND, "session.invalid")
		if _, _, err := f.Sessions.AuthenticateSession(f.ctx, keepToken); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Rehash", func(t *testing.T) {
		noErr(t, f.Credentials.RehashPassword(f.ctx, bob.ID, hashOf("stale"), hashOf("rehashed")), "rehash stale")
		cred, _ := f.Credentials.FindCredentialByUserID(f.ctx, bob.ID)
		if cred.PasswordHash != hashOf("changed") {
			t.Fatalf("a stale rehash replaced the hash: %q", cred.PasswordHash)
		}
		noErr(t, f.Credentials.RehashPassword(f.ctx, bob.ID, hashOf("changed"), hashOf("rehashed")), "rehash")
		cred, _ = f.Credentials.FindCredentialByUserID(f.ctx, bob.ID)
		if cred.PasswordHash != hashOf("rehashed") {
			t.Fatalf("hash %q", cred.PasswordHash)
		}
	})
	t.Run("ErrInactive", func(t *testing.T) {
		_, err := f.Users.DeactivateUser(f.ctx, bob.ID)
		noErr(t, err, "deactivate")
		wantCode(t, f.Credentials.ChangePassword(f.ctx, bob.ID, hashOf("x"), ""), backend.EFORBIDDEN, "session.inactive")
		cred, err := f.Credentials.FindCredentialByEmail(f.ctx, "bob@example.com")
		noErr(t, err, "an inactive member's credential")
		if cred.User.Status != backend.UserInactive {
			t.Fatalf("status %q", cred.User.Status)
		}
		noErr(t, f.Users.RemoveUser(f.ctx, bob.ID), "remove")
		_, err = f.Credentials.FindCredentialByEmail(f.ctx, "bob@example.com")
		wantCode(t, err, backend.ENOTFOUND, "credential.not_found")
	})
}

func testAPITokens(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	g := f.on(open)
	bob := f.member(t, "Bob Builder", "bob@example.com", "user")
	cleo := f.member(t, "Cleo Chief", "cleo@example.com", backend.RoleAdministrator)

	tok, secret, err := f.APITokens.CreateAPIToken(f.ctx, f.admin.ID)
	noErr(t, err, "create token")
	if len(secret) < 40 || secret[:len(backend.APITokenPrefix)] != backend.APITokenPrefix || tok.UserEmail != f.admin.Email {
		t.Fatalf("token %+v", tok)
	}
	got, u, err := g.APITokens.AuthenticateAPIToken(g.ctx, secret)
	noErr(t, err, "authenticate on another handle")
	if got.ID != tok.ID || u.ID != f.admin.ID || got.LastUsedAt == nil {
		t.Fatalf("token %+v, user %+v", got, u)
	}

	t.Run("ErrNotAdmin", func(t *testing.T) {
		_, _, err := f.APITokens.CreateAPIToken(f.ctx, bob.ID)
		wantCode(t, err, backend.EFORBIDDEN, "api_token.not_admin")
		_, _, err = f.APITokens.CreateAPIToken(f.ctx, "nobody")
		wantCode(t, err, backend.ENOTFOUND, "")
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, s := range []string{"", "roster_", secret[:len(secret)-1], secret[len(backend.APITokenPrefix):]} {
			_, _, err := f.APITokens.AuthenticateAPIToken(f.ctx, s)
			wantCode(t, err, backend.ENOTFOUND, "api_token.invalid")
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		cleoTok, cleoSecret, err := f.APITokens.CreateAPIToken(f.ctx, cleo.ID)
		noErr(t, err, "create token")
		list, err := f.APITokens.FindAPITokens(f.ctx, backend.APITokenFilter{})
		noErr(t, err, "list")
		if len(list) != 2 || list[0].ID != cleoTok.ID {
			t.Fatalf("tokens %+v", list)
		}
		noErr(t, g.APITokens.RevokeAPIToken(g.ctx, cleoTok.ID), "revoke on another handle")
		_, _, err = f.APITokens.AuthenticateAPIToken(f.ctx, cleoSecret)
		wantCode(t, err, backend.ENOTFOUND, "api_token.invalid")
		wantCode(t, f.APITokens.RevokeAPIToken(f.ctx, cleoTok.ID), backend.ENOTFOUND, "api_token.not_found")
		list, _ = f.APITokens.FindAPITokens(f.ctx, backend.APITokenFilter{})
		all, _ := f.APITokens.FindAPITokens(f.ctx, backend.APITokenFilter{Revoked: true, UserID: &cleo.ID})
		if len(list) != 1 || len(all) != 1 || all[0].RevokedAt == nil {
			t.Fatalf("active %+v, cleo's with revoked %+v", list, all)
		}
	})
	t.Run("ErrDemoted", func(t *testing.T) {
		_, cleoSecret, err := f.APITokens.CreateAPIToken(f.ctx, cleo.ID)
		noErr(t, err, "create token")
		_, err = f.Users.ChangeUserRole(f.ctx, cleo.ID, backend.RoleUser)
		noErr(t, err, "demote")
		_, _, err = g.APITokens.AuthenticateAPIToken(g.ctx, cleoSecret)
		wantCode(t, err, backend.EFORBIDDEN, "api_token.not_admin")
	})
}

func testRateLimits(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	ctx := t.Context()
	hit := func(s *fixture, key string) *backend.RateLimit {
		t.Helper()
		r, err := s.RateLimits.HitRateLimit(ctx, key, 3, time.Minute)
		noErr(t, err, "hit")
		return r
	}
	// Two processes count one account together.
	for i, s := range []*fixture{a, b, a} {
		if r := hit(s, "account:bob"); !r.Allowed || r.Hits != i+1 || !r.ResetAt.Equal(start.Add(time.Minute)) {
			t.Fatalf("hit %d: %+v", i+1, r)
		}
	}
	if r := hit(b, "account:bob"); r.Allowed || r.Hits != 4 {
		t.Fatalf("hit 4: %+v", r)
	}
	if r := hit(a, "account:cleo"); !r.Allowed || r.Hits != 1 {
		t.Fatalf("another key: %+v", r)
	}
	a.advance(time.Minute)
	b.advance(time.Minute)
	if r := hit(b, "account:bob"); !r.Allowed || r.Hits != 1 || !r.ResetAt.Equal(start.Add(2*time.Minute)) {
		t.Fatalf("next window: %+v", r)
	}

	t.Run("Concurrent", func(t *testing.T) {
		const n = 16
		hits := make([]int, n)
		var fns []func() error
		for i := range n {
			s := []*fixture{a, b}[i%2]
			fns = append(fns, func() error {
				r, err := s.RateLimits.HitRateLimit(ctx, "link:x", n, time.Minute)
				if err == nil {
					hits[i] = r.Hits
				}
				return err
			})
		}
		if errs := together(fns...); outcomes(errs)[""] != n {
			t.Fatalf("errors:%s", describe(errs))
		}
		seen := map[int]bool{}
		for _, h := range hits {
			seen[h] = true
		}
		for i := 1; i <= n; i++ {
			if !seen[i] {
				t.Fatalf("hits %v: %d is missing, so two attempts were counted as one", hits, i)
			}
		}
	})
	t.Run("Purge", func(t *testing.T) {
		a.advance(time.Minute)
		n, err := a.RateLimits.PurgeRateLimits(ctx)
		noErr(t, err, "purge")
		if n != 3 {
			t.Fatalf("purged %d windows, want 3", n)
		}
	})
}
