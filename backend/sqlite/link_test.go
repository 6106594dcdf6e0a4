package sqlite_test

import (
	"context"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

func TestLinkService_Invitation(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "sam@example.com", "user")
		got, err := sqlite.NewLinkService(e.db).FindInvitationByToken(context.Background(), e.tokenOf(t, inv))
		if err != nil || got.ID != inv.ID || got.State != backend.InvitationPending || got.InvitedByName != e.admin.Name {
			t.Fatalf("FindInvitationByToken = %+v, %v", got, err)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "sam@example.com", "user")
		now := fixedClock(e.db)
		*now = now.Add(backend.InvitationLifetime)
		got, err := sqlite.NewLinkService(e.db).FindInvitationByToken(context.Background(), e.tokenOf(t, inv))
		if err != nil || got.State != backend.InvitationExpired {
			t.Fatalf("FindInvitationByToken = %+v, %v", got, err)
		}
	})
	t.Run("ErrDeletedUsedUnknown", func(t *testing.T) {
		e := newEnv(t)
		links := sqlite.NewLinkService(e.db)
		deleted := e.invite(t, "del@example.com", "user")
		deletedToken := e.tokenOf(t, deleted)
		if err := e.invitations.DeleteInvitation(e.ctx, deleted.ID); err != nil {
			t.Fatal(err)
		}
		used := e.invite(t, "used@example.com", "user")
		usedToken := e.tokenOf(t, used)
		e.join(t, used, "Used Member")
		for _, token := range []string{deletedToken, usedToken, "", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", usedToken[:20]} {
			_, err := links.FindInvitationByToken(context.Background(), token)
			assertKey(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		}
	})
	t.Run("Take", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "sam@example.com", "user")
		want := e.tokenOf(t, inv)
		links := sqlite.NewLinkService(e.db)
		token, err := links.TakeInvitationToken(context.Background(), inv.ID)
		if err != nil || token != want {
			t.Fatalf("TakeInvitationToken = %q, %v", token, err)
		}
		if state, data := e.mailOf(t, inv.OutboxID); state != "cancelled" || data != nil {
			t.Fatalf("the email is %s with data %v; want cancelled without data", state, data)
		}
		_, err = links.TakeInvitationToken(context.Background(), inv.ID)
		assertKey(t, err, backend.ENOTFOUND, "link.not_pending")
		if _, err := links.FindInvitationByToken(context.Background(), token); err != nil {
			t.Fatalf("the taken link does not work: %v", err)
		}
	})
}

func TestLinkService_PasswordReset(t *testing.T) {
	setup := func(t *testing.T) (*env, *sqlite.LinkService, *backend.User, *backend.PasswordReset, string) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		r, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, data := e.mailOf(t, r.OutboxID)
		return e, sqlite.NewLinkService(e.db), u, r, data[backend.MailDataToken]
	}
	t.Run("OK", func(t *testing.T) {
		_, links, u, r, token := setup(t)
		got, err := links.FindPasswordResetByToken(context.Background(), token)
		if err != nil || got.ID != r.ID || got.UserID != u.ID {
			t.Fatalf("FindPasswordResetByToken = %+v, %v", got, err)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		e, links, _, _, token := setup(t)
		now := fixedClock(e.db)
		*now = now.Add(backend.PasswordResetLifetime)
		_, err := links.FindPasswordResetByToken(context.Background(), token)
		assertKey(t, err, backend.EFORBIDDEN, "password_reset.expired")
	})
	t.Run("ErrVoidedByNewer", func(t *testing.T) {
		e, links, u, _, token := setup(t)
		if _, err := e.resets.SendPasswordReset(e.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := links.FindPasswordResetByToken(context.Background(), token)
		assertKey(t, err, backend.ENOTFOUND, "password_reset.invalid")
	})
	t.Run("ErrInactive", func(t *testing.T) {
		e, links, u, _, token := setup(t)
		if _, err := e.users.DeactivateUser(e.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := links.FindPasswordResetByToken(context.Background(), token)
		assertKey(t, err, backend.EFORBIDDEN, "password_reset.expired")
	})
	t.Run("Take", func(t *testing.T) {
		e, links, _, r, token := setup(t)
		got, err := links.TakePasswordResetToken(context.Background(), r.ID)
		if err != nil || got != token {
			t.Fatalf("TakePasswordResetToken = %q, %v", got, err)
		}
		if state, _ := e.mailOf(t, r.OutboxID); state != "cancelled" {
			t.Fatalf("email state %s", state)
		}
	})
}
