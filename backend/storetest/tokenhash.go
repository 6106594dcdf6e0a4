package storetest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"roster/backend"
)

// mintToken mints a link token as the desktop does and returns it with the
// SHA-256 that travels to the server.
func mintToken(t *testing.T) (string, []byte) {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(token))
	return token, h[:]
}

// auditCount counts the audit entries of action on the target with id,
// written by the fixture's Administrator.
func auditCount(t *testing.T, f *fixture, action, id string) int {
	t.Helper()
	list, _, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Action: &action})
	noErr(t, err, "find audit entries")
	n := 0
	for _, e := range list {
		if e.TargetID == id && e.ActorID == f.admin.ID {
			n++
		}
	}
	return n
}

// testHashedLinks issues invitation and reset links from hashes the desktop
// minted: the token of the hash works, a hash is never taken twice, and a
// newer link voids the older one.
func testHashedLinks(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	t.Run("OK", func(t *testing.T) {
		token, hash := mintToken(t)
		inv, err := f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: " Sam@Example.com ", Role: "User"}, hash)
		noErr(t, err, "invite with hash")
		if inv.Email != "Sam@example.com" || inv.RoleID != backend.RoleUser || inv.InvitedByID != f.admin.ID ||
			inv.State != backend.InvitationPending || !inv.ExpiresAt.Equal(f.now.Add(backend.InvitationLifetime)) {
			t.Fatalf("invitation %+v", inv)
		}
		found, err := f.Links.FindInvitationByToken(f.ctx, token)
		noErr(t, err, "find by token")
		if found.ID != inv.ID {
			t.Fatalf("found %+v", found)
		}
		if n := auditCount(t, f, backend.AuditInvitationCreated, inv.ID); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
		u, err := f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: "Sam", PasswordHash: hashOf("Sam")})
		noErr(t, err, "accept")
		if u.Email != "Sam@example.com" || u.RoleID != backend.RoleUser {
			t.Fatalf("member %+v", u)
		}
	})
	t.Run("ErrBadHash", func(t *testing.T) {
		_, err := f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: "kim@example.com", Role: "user"}, []byte("short"))
		wantCode(t, err, backend.EINVALID, "link.bad_hash")
	})
	t.Run("ErrHashUsed", func(t *testing.T) {
		_, hash := mintToken(t)
		inv, err := f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: "eve@example.com", Role: "user"}, hash)
		noErr(t, err, "invite with hash")
		noErr(t, f.Invitations.DeleteInvitation(f.ctx, inv.ID), "delete")
		// The hash of a deleted link cannot bring it back, for any address.
		for _, email := range []string{"eve@example.com", "mallory@example.com"} {
			_, err = f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: email, Role: "user"}, hash)
			wantCode(t, err, backend.ECONFLICT, "link.hash_used")
		}
		_, err = f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: "ada@example.com", Role: "user"}, hash)
		wantCode(t, err, backend.ECONFLICT, "user.exists")
	})
	t.Run("Resend", func(t *testing.T) {
		oldToken, oldHash := mintToken(t)
		inv, err := f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: "rita@example.com", Role: "user"}, oldHash)
		noErr(t, err, "invite with hash")
		g := f.on(open)
		g.advance(backend.InvitationLifetime + time.Second)
		expired, err := g.Links.FindInvitationByToken(g.ctx, oldToken)
		noErr(t, err, "find expired invitation by token")
		if expired.State != backend.InvitationExpired {
			t.Fatalf("state %q, want expired", expired.State)
		}
		newToken, newHash := mintToken(t)
		_, err = g.HashedLinks.ResendInvitationWithTokenHash(g.ctx, inv.ID, oldHash)
		wantCode(t, err, backend.ECONFLICT, "link.hash_used")
		got, err := g.HashedLinks.ResendInvitationWithTokenHash(g.ctx, inv.ID, newHash)
		noErr(t, err, "resend with hash")
		if got.State != backend.InvitationPending || !got.ExpiresAt.Equal(g.now.Add(backend.InvitationLifetime)) {
			t.Fatalf("resent %+v", got)
		}
		_, err = g.Links.FindInvitationByToken(g.ctx, oldToken)
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		_, err = g.Invitations.AcceptInvitation(g.sys, backend.AcceptParams{Token: oldToken, Name: "Rita", PasswordHash: hashOf("Rita")})
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		if n := auditCount(t, g, backend.AuditInvitationResent, inv.ID); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
		_, err = g.Invitations.AcceptInvitation(g.sys, backend.AcceptParams{Token: newToken, Name: "Rita", PasswordHash: hashOf("Rita")})
		noErr(t, err, "accept with the new link")
		_, next := mintToken(t)
		_, err = g.HashedLinks.ResendInvitationWithTokenHash(g.ctx, inv.ID, next)
		wantCode(t, err, backend.ENOTFOUND, "invitation.accepted")
	})
	t.Run("Reset", func(t *testing.T) {
		bob := f.member(t, "Bob Builder", "bob@example.com", "user")
		older, olderHash := mintToken(t)
		_, err := f.HashedLinks.SendPasswordResetWithTokenHash(f.ctx, bob.ID, olderHash)
		noErr(t, err, "reset with hash")
		newer, newerHash := mintToken(t)
		r, err := f.HashedLinks.SendPasswordResetWithTokenHash(f.ctx, bob.ID, newerHash)
		noErr(t, err, "reset with another hash")
		if r.UserID != bob.ID || !r.ExpiresAt.Equal(f.now.Add(backend.PasswordResetLifetime)) {
			t.Fatalf("reset %+v", r)
		}
		_, err = f.HashedLinks.SendPasswordResetWithTokenHash(f.ctx, bob.ID, olderHash)
		wantCode(t, err, backend.ECONFLICT, "link.hash_used")
		if n := auditCount(t, f, backend.AuditPasswordResetSent, bob.ID); n != 2 {
			t.Fatalf("%d audit entries", n)
		}
		_, err = f.Links.FindPasswordResetByToken(f.ctx, older)
		wantCode(t, err, backend.ENOTFOUND, "password_reset.invalid")
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: older, PasswordHash: hashOf("old")}), backend.ENOTFOUND, "password_reset.invalid")
		found, err := f.Links.FindPasswordResetByToken(f.ctx, newer)
		noErr(t, err, "find by token")
		if found.ID != r.ID {
			t.Fatalf("found %+v", found)
		}
		noErr(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: newer, PasswordHash: hashOf("new")}), "reset")
		wantCode(t, f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: newer, PasswordHash: hashOf("again")}), backend.ENOTFOUND, "password_reset.invalid")
	})
	t.Run("ErrResetInactive", func(t *testing.T) {
		cleo := f.member(t, "Cleo", "cleo@example.com", "user")
		_, err := f.Users.DeactivateUser(f.ctx, cleo.ID)
		noErr(t, err, "deactivate")
		_, hash := mintToken(t)
		_, err = f.HashedLinks.SendPasswordResetWithTokenHash(f.ctx, cleo.ID, hash)
		wantCode(t, err, backend.EFORBIDDEN, "password_reset.inactive")
		noErr(t, f.Users.RemoveUser(f.ctx, cleo.ID), "remove")
		_, err = f.HashedLinks.SendPasswordResetWithTokenHash(f.ctx, cleo.ID, hash)
		wantCode(t, err, backend.EFORBIDDEN, "user.removed")
	})
}

// testConcurrentHashedInvites has two processes invite one address with
// hashes at once: one invitation is made, and its link works. Then they
// send one hash for several addresses at once: one link is made with it.
func testConcurrentHashedInvites(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	for round := range 3 {
		email := fmt.Sprintf("wanted%d@example.com", round)
		tokens := make([]string, 8)
		invs := make([]*backend.Invitation, 8)
		var fns []func() error
		for i := range 8 {
			f := []*fixture{a, b}[i%2]
			token, hash := mintToken(t)
			tokens[i] = token
			fns = append(fns, func() error {
				var err error
				invs[i], err = f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: email, Role: "user"}, hash)
				return err
			})
		}
		errs := together(fns...)
		if got := outcomes(errs); got[""] != 1 || got[backend.ECONFLICT] != 7 {
			t.Fatalf("round %d: want one invitation and 7 conflicts:%s", round, describe(errs))
		}
		for i, err := range errs {
			if err != nil {
				wantCode(t, err, backend.ECONFLICT, "invitation.exists")
				_, err = a.Links.FindInvitationByToken(a.ctx, tokens[i])
				wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
				continue
			}
			found, err := b.Links.FindInvitationByToken(b.ctx, tokens[i])
			noErr(t, err, "find the winner by token")
			if found.ID != invs[i].ID {
				t.Fatalf("round %d: found %+v", round, found)
			}
		}
	}
	for round := range 3 {
		_, hash := mintToken(t)
		var fns []func() error
		for i := range 8 {
			f := []*fixture{a, b}[i%2]
			email := fmt.Sprintf("shared%d-%d@example.com", round, i)
			fns = append(fns, func() error {
				_, err := f.HashedLinks.InviteUserWithTokenHash(f.ctx, backend.InviteParams{Email: email, Role: "user"}, hash)
				return err
			})
		}
		errs := together(fns...)
		if got := outcomes(errs); got[""] != 1 || got[backend.ECONFLICT] != 7 {
			t.Fatalf("shared hash round %d: want one invitation and 7 conflicts:%s", round, describe(errs))
		}
		for _, err := range errs {
			if err != nil {
				wantCode(t, err, backend.ECONFLICT, "link.hash_used")
			}
		}
	}
}
