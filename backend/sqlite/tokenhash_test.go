package sqlite_test

import (
	"context"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

// inviteWithHash invites addr as a User with the link of hash, as the admin
// API does for a desktop.
func (e *env) inviteWithHash(t *testing.T, addr string, hash []byte) *backend.Invitation {
	t.Helper()
	inv, err := sqlite.NewHashedLinkService(e.db).InviteUserWithTokenHash(e.ctx, backend.InviteParams{Email: addr, Role: "user"}, hash)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestHashedLinkService_InviteUserWithTokenHash(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		token, hash := sqlite.NewToken()
		inv, err := sqlite.NewHashedLinkService(e.db).InviteUserWithTokenHash(e.ctx,
			backend.InviteParams{Email: " Sam@Example.com ", Role: "User"}, hash)
		if err != nil {
			t.Fatal(err)
		}
		if inv.Email != "Sam@example.com" || inv.RoleID != backend.RoleUser || inv.InvitedByID != e.admin.ID ||
			inv.State != backend.InvitationPending || !inv.ExpiresAt.Equal(inv.CreatedAt.Add(backend.InvitationLifetime)) {
			t.Fatalf("invitation = %+v", inv)
		}
		got, err := sqlite.NewLinkService(e.db).FindInvitationByToken(context.Background(), token)
		if err != nil || got.ID != inv.ID {
			t.Fatalf("FindInvitationByToken = %+v, %v", got, err)
		}
		if n := e.count(t, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("%d emails queued; the desktop sends them", n)
		}
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ? AND actor_id = ?`,
			backend.AuditInvitationCreated, inv.ID, e.admin.ID); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
		u, err := e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: token, Name: "Sam",
			PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"})
		if err != nil || u.RoleID != backend.RoleUser {
			t.Fatalf("AcceptInvitation = %+v, %v", u, err)
		}
	})
	t.Run("ErrBadHash", func(t *testing.T) {
		e := newEnv(t)
		_, err := sqlite.NewHashedLinkService(e.db).InviteUserWithTokenHash(e.ctx,
			backend.InviteParams{Email: "sam@example.com", Role: "user"}, []byte("short"))
		assertKey(t, err, backend.EINVALID, "link.bad_hash")
	})
	t.Run("ErrHashUsed", func(t *testing.T) {
		e := newEnv(t)
		_, hash := sqlite.NewToken()
		inv := e.inviteWithHash(t, "sam@example.com", hash)
		if err := e.invitations.DeleteInvitation(e.ctx, inv.ID); err != nil {
			t.Fatal(err)
		}
		// The hash of a deleted link cannot bring it back for another address.
		_, err := sqlite.NewHashedLinkService(e.db).InviteUserWithTokenHash(e.ctx,
			backend.InviteParams{Email: "eve@example.com", Role: "user"}, hash)
		assertKey(t, err, backend.ECONFLICT, "link.hash_used")
	})
	t.Run("ErrInvited", func(t *testing.T) {
		e := newEnv(t)
		e.invite(t, "sam@example.com", "user")
		_, hash := sqlite.NewToken()
		_, err := sqlite.NewHashedLinkService(e.db).InviteUserWithTokenHash(e.ctx,
			backend.InviteParams{Email: "SAM@example.com", Role: "user"}, hash)
		assertKey(t, err, backend.ECONFLICT, "invitation.exists")
	})
	t.Run("ErrUnknownRole", func(t *testing.T) {
		e := newEnv(t)
		_, hash := sqlite.NewToken()
		_, err := sqlite.NewHashedLinkService(e.db).InviteUserWithTokenHash(e.ctx,
			backend.InviteParams{Email: "sam@example.com", Role: "pilot"}, hash)
		assertKey(t, err, backend.EINVALID, "role.unknown")
	})
}

func TestHashedLinkService_ResendInvitationWithTokenHash(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		oldToken, oldHash := sqlite.NewToken()
		inv := e.inviteWithHash(t, "sam@example.com", oldHash)
		now := fixedClock(e.db)
		*now = now.Add(backend.InvitationLifetime + time.Second)
		newToken, newHash := sqlite.NewToken()
		got, err := sqlite.NewHashedLinkService(e.db).ResendInvitationWithTokenHash(e.ctx, inv.ID, newHash)
		if err != nil || got.State != backend.InvitationPending || !got.ExpiresAt.Equal(now.Add(backend.InvitationLifetime)) {
			t.Fatalf("ResendInvitationWithTokenHash = %+v, %v", got, err)
		}
		finder := sqlite.NewLinkService(e.db)
		if _, err := finder.FindInvitationByToken(context.Background(), oldToken); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("old link: %v", err)
		}
		if g, err := finder.FindInvitationByToken(context.Background(), newToken); err != nil || g.ID != inv.ID {
			t.Fatalf("new link: %+v, %v", g, err)
		}
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?`, backend.AuditInvitationResent, inv.ID); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
	})
	t.Run("ErrCommandLineMailCancelled", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "sam@example.com", "user")
		_, hash := sqlite.NewToken()
		if _, err := sqlite.NewHashedLinkService(e.db).ResendInvitationWithTokenHash(e.ctx, inv.ID, hash); err != nil {
			t.Fatal(err)
		}
		if state, data := e.mailOf(t, inv.OutboxID); state != string(backend.DeliveryCancelled) || data != nil {
			t.Fatalf("the old email is %s with %v", state, data)
		}
	})
	t.Run("ErrDeleted", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "sam@example.com", "user")
		if err := e.invitations.DeleteInvitation(e.ctx, inv.ID); err != nil {
			t.Fatal(err)
		}
		_, hash := sqlite.NewToken()
		_, err := sqlite.NewHashedLinkService(e.db).ResendInvitationWithTokenHash(e.ctx, inv.ID, hash)
		assertKey(t, err, backend.ENOTFOUND, "invitation.deleted")
	})
	t.Run("ErrHashUsed", func(t *testing.T) {
		e := newEnv(t)
		_, hash := sqlite.NewToken()
		inv := e.inviteWithHash(t, "sam@example.com", hash)
		_, err := sqlite.NewHashedLinkService(e.db).ResendInvitationWithTokenHash(e.ctx, inv.ID, hash)
		assertKey(t, err, backend.ECONFLICT, "link.hash_used")
	})
}

func TestHashedLinkService_SendPasswordResetWithTokenHash(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		links := sqlite.NewHashedLinkService(e.db)
		sam := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam")
		oldToken, oldHash := sqlite.NewToken()
		if _, err := links.SendPasswordResetWithTokenHash(e.ctx, sam.ID, oldHash); err != nil {
			t.Fatal(err)
		}
		token, hash := sqlite.NewToken()
		r, err := links.SendPasswordResetWithTokenHash(e.ctx, sam.ID, hash)
		if err != nil || r.UserID != sam.ID || !r.ExpiresAt.Equal(r.CreatedAt.Add(backend.PasswordResetLifetime)) {
			t.Fatalf("SendPasswordResetWithTokenHash = %+v, %v", r, err)
		}
		finder := sqlite.NewLinkService(e.db)
		if _, err := finder.FindPasswordResetByToken(context.Background(), oldToken); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("the older link still works: %v", err)
		}
		if got, err := finder.FindPasswordResetByToken(context.Background(), token); err != nil || got.ID != r.ID {
			t.Fatalf("FindPasswordResetByToken = %+v, %v", got, err)
		}
		if n := e.count(t, `SELECT count(*) FROM outbox WHERE kind = 'password_reset'`); n != 0 {
			t.Fatalf("%d emails queued", n)
		}
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?`, backend.AuditPasswordResetSent, sam.ID); n != 2 {
			t.Fatalf("%d audit entries", n)
		}
	})
	t.Run("ErrInactive", func(t *testing.T) {
		e := newEnv(t)
		sam := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam")
		if _, err := e.users.DeactivateUser(e.ctx, sam.ID); err != nil {
			t.Fatal(err)
		}
		_, hash := sqlite.NewToken()
		_, err := sqlite.NewHashedLinkService(e.db).SendPasswordResetWithTokenHash(e.ctx, sam.ID, hash)
		assertKey(t, err, backend.EFORBIDDEN, "password_reset.inactive")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		e := newEnv(t)
		_, hash := sqlite.NewToken()
		_, err := sqlite.NewHashedLinkService(e.db).SendPasswordResetWithTokenHash(e.ctx, "nobody", hash)
		assertCode(t, err, backend.ENOTFOUND)
	})
	t.Run("ErrHashUsed", func(t *testing.T) {
		e := newEnv(t)
		links := sqlite.NewHashedLinkService(e.db)
		sam := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam")
		_, hash := sqlite.NewToken()
		if _, err := links.SendPasswordResetWithTokenHash(e.ctx, sam.ID, hash); err != nil {
			t.Fatal(err)
		}
		_, err := links.SendPasswordResetWithTokenHash(e.ctx, sam.ID, hash)
		assertKey(t, err, backend.ECONFLICT, "link.hash_used")
	})
}
