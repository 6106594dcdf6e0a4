package storetest

import (
	"strings"
	"testing"
	"time"

	"roster/backend"
)

func testInviteAccept(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	inv, token := f.invite(t, "Bob@Example.com", "User")
	if inv.State != backend.InvitationPending || inv.RoleID != backend.RoleUser || inv.InvitedByID != f.admin.ID ||
		!inv.ExpiresAt.Equal(start.Add(backend.InvitationLifetime)) {
		t.Fatalf("invitation %+v", inv)
	}
	byToken, err := f.Links.FindInvitationByToken(f.ctx, token)
	noErr(t, err, "find by token")
	if byToken.ID != inv.ID || byToken.State != backend.InvitationPending || byToken.Email != "Bob@example.com" {
		t.Fatalf("by token %+v", byToken)
	}

	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: " ", PasswordHash: hashOf("x")})
		wantCode(t, err, backend.EINVALID, "")
		_, err = f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: "Bob", PasswordHash: " "})
		wantCode(t, err, backend.EINVALID, "password.missing")
	})
	f.advance(time.Hour)
	u, err := f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: "Bob Builder", PasswordHash: hashOf("bob")})
	noErr(t, err, "accept")
	if u.RoleID != backend.RoleUser || u.RoleName != "User" || u.Status != backend.UserActive || u.Email != "Bob@example.com" ||
		!u.JoinedAt.Equal(start.Add(time.Hour)) {
		t.Fatalf("user %+v", u)
	}
	got, err := f.Invitations.FindInvitationByID(f.ctx, inv.ID)
	noErr(t, err, "find invitation")
	if got.State != backend.InvitationAccepted || got.UserID != u.ID || got.AcceptedAt == nil || !got.AcceptedAt.Equal(start.Add(time.Hour)) {
		t.Fatalf("accepted invitation %+v", got)
	}
	cred, err := f.Credentials.FindCredentialByEmail(f.ctx, "bob@EXAMPLE.com")
	noErr(t, err, "credential")
	if cred.User.ID != u.ID || cred.PasswordHash != hashOf("bob") {
		t.Fatalf("credential %+v", cred)
	}

	t.Run("ErrUsed", func(t *testing.T) {
		_, err := f.Links.FindInvitationByToken(f.ctx, token)
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		_, err = f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: "Bob Again", PasswordHash: hashOf("x")})
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		wantCode(t, f.Invitations.DeleteInvitation(f.ctx, inv.ID), backend.ENOTFOUND, "invitation.accepted")
	})
	t.Run("Administrator", func(t *testing.T) {
		admin := f.member(t, "Cleo Chief", "cleo@example.com", backend.RoleAdministrator)
		if !admin.IsAdministrator() {
			t.Fatalf("user %+v is no Administrator", admin)
		}
	})
}

func testInvitationLinks(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	t.Run("ErrUnknown", func(t *testing.T) {
		_, err := f.Links.FindInvitationByToken(f.ctx, "no-such-token")
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		_, err = f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: "no-such-token", Name: "X", PasswordHash: hashOf("x")})
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
	})
	t.Run("ErrDeleted", func(t *testing.T) {
		inv, token := f.invite(t, "deleted@example.com", "user")
		noErr(t, f.Invitations.DeleteInvitation(f.ctx, inv.ID), "delete")
		_, err := f.Links.FindInvitationByToken(f.ctx, token)
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		_, err = f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: "X", PasswordHash: hashOf("x")})
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		wantCode(t, f.Invitations.DeleteInvitation(f.ctx, inv.ID), backend.ENOTFOUND, "invitation.deleted")
	})
	t.Run("ErrTakenTwice", func(t *testing.T) {
		inv, _ := f.invite(t, "taken@example.com", "user")
		_, err := f.Links.TakeInvitationToken(f.ctx, inv.ID)
		wantCode(t, err, backend.ENOTFOUND, "link.not_pending")
	})
	t.Run("ResentVoidsOld", func(t *testing.T) {
		inv, old := f.invite(t, "resent@example.com", "user")
		resent, err := f.Invitations.ResendInvitation(f.ctx, inv.ID)
		noErr(t, err, "resend")
		if resent.OutboxID == inv.OutboxID || resent.Delivery != backend.DeliveryQueued {
			t.Fatalf("resent %+v", resent)
		}
		fresh, err := f.Links.TakeInvitationToken(f.ctx, inv.ID)
		noErr(t, err, "take new token")
		_, err = f.Links.FindInvitationByToken(f.ctx, old)
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		if _, err := f.Links.FindInvitationByToken(f.ctx, fresh); err != nil {
			t.Fatalf("new link: %v", err)
		}
	})
	t.Run("RenewedVoidsOld", func(t *testing.T) {
		inv, old := f.invite(t, "copied@example.com", "user")
		f.advance(time.Hour)
		renewed, token, err := f.Invitations.RenewInvitationLink(f.ctx, inv.ID)
		noErr(t, err, "renew link")
		// No email carries the new link, and the one queued with the old link is not sent.
		if renewed.OutboxID != 0 || renewed.Delivery != "" || !renewed.SentAt.Equal(f.now) ||
			!renewed.ExpiresAt.Equal(f.now.Add(backend.InvitationLifetime)) {
			t.Fatalf("renewed %+v", renewed)
		}
		_, err = f.Links.TakeInvitationToken(f.ctx, inv.ID)
		wantCode(t, err, backend.ENOTFOUND, "link.not_pending")
		_, err = f.Links.FindInvitationByToken(f.ctx, old)
		wantCode(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		got, err := f.Links.FindInvitationByToken(f.ctx, token)
		noErr(t, err, "find by the new link")
		if got.ID != inv.ID {
			t.Fatalf("new link finds %+v", got)
		}
		action := backend.AuditInvitationLinkCopied
		entries, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Action: &action})
		noErr(t, err, "find audit")
		if n != 1 || entries[0].TargetID != inv.ID || entries[0].ActorID != f.admin.ID ||
			strings.Contains(entries[0].Before+entries[0].After, token) {
			t.Fatalf("audit %d %+v", n, entries)
		}
	})
	t.Run("ErrRenewDeleted", func(t *testing.T) {
		inv, _ := f.invite(t, "gone@example.com", "user")
		noErr(t, f.Invitations.DeleteInvitation(f.ctx, inv.ID), "delete")
		_, token, err := f.Invitations.RenewInvitationLink(f.ctx, inv.ID)
		wantCode(t, err, backend.ENOTFOUND, "invitation.deleted")
		if token != "" {
			t.Fatal("a token for a deleted invitation")
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		inv, token := f.invite(t, "late@example.com", "user")
		g := f.on(open)
		g.advance(backend.InvitationLifetime)
		got, err := g.Links.FindInvitationByToken(g.ctx, token)
		noErr(t, err, "find expired by token")
		if got.ID != inv.ID || got.State != backend.InvitationExpired {
			t.Fatalf("expired invitation %+v", got)
		}
		_, err = g.Invitations.AcceptInvitation(g.sys, backend.AcceptParams{Token: token, Name: "Late", PasswordHash: hashOf("x")})
		wantCode(t, err, backend.EFORBIDDEN, "invitation.expired")
		// A resend gives it a new week.
		if _, err := g.Invitations.ResendInvitation(g.ctx, inv.ID); err != nil {
			t.Fatal(err)
		}
		fresh, err := g.Links.TakeInvitationToken(g.ctx, inv.ID)
		noErr(t, err, "take token")
		if _, err := g.Invitations.AcceptInvitation(g.sys, backend.AcceptParams{Token: fresh, Name: "Late", PasswordHash: hashOf("x")}); err != nil {
			t.Fatal(err)
		}
	})
}

func testInviteConflicts(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	wantField := func(t *testing.T, err error, field string) {
		t.Helper()
		if e := backend.AsError(err); e == nil || e.Field != field {
			t.Fatalf("error %v: field is not %q", err, field)
		}
	}
	t.Run("ErrMember", func(t *testing.T) {
		_, err := f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: "ADA@example.com", Role: "user"})
		wantCode(t, err, backend.ECONFLICT, "user.exists")
		wantField(t, err, "email")
	})
	t.Run("ErrInvited", func(t *testing.T) {
		f.invite(t, "twice@example.com", "user")
		_, err := f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: "Twice@Example.com", Role: "user"})
		wantCode(t, err, backend.ECONFLICT, "invitation.exists")
		wantField(t, err, "email")
		g := f.on(open)
		g.advance(backend.InvitationLifetime)
		_, err = g.Invitations.InviteUser(g.ctx, backend.InviteParams{Email: "twice@example.com", Role: "user"})
		wantCode(t, err, backend.ECONFLICT, "invitation.exists_expired")
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: "nobody", Role: "user"})
		wantCode(t, err, backend.EINVALID, "")
		_, err = f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: "x@example.com", Role: "Pilots"})
		wantCode(t, err, backend.EINVALID, "role.unknown")
		wantField(t, err, "role")
	})
	t.Run("RemovedAddressFree", func(t *testing.T) {
		u := f.member(t, "Rita Removed", "rita@example.com", "user")
		noErr(t, f.Users.RemoveUser(f.ctx, u.ID), "remove")
		f.member(t, "Rita Returned", "rita@example.com", "user")
	})
	t.Run("BulkAllOrNone", func(t *testing.T) {
		_, before, err := f.Invitations.FindInvitations(f.ctx, backend.InvitationFilter{})
		noErr(t, err, "count")
		_, err = f.Invitations.InviteUsers(f.ctx, []backend.InviteParams{
			{Email: "one@example.com", Role: "user"}, {Email: "ONE@example.com", Role: "user"}}, nil)
		wantCode(t, err, backend.ECONFLICT, "invitation.duplicate")
		_, err = f.Invitations.InviteUsers(f.ctx, []backend.InviteParams{
			{Email: "one@example.com", Role: "user"}, {Email: "ada@example.com", Role: "user"}}, nil)
		wantCode(t, err, backend.ECONFLICT, "user.exists")
		if idx := backend.AsError(err).Args["index"]; idx != 1 {
			t.Fatalf("index %v, want 1", idx)
		}
		_, after, err := f.Invitations.FindInvitations(f.ctx, backend.InvitationFilter{})
		noErr(t, err, "count")
		if after != before {
			t.Fatalf("%d invitations after a refused import, %d before", after, before)
		}
		res, err := f.Invitations.InviteUsers(f.ctx, []backend.InviteParams{
			{Email: "one@example.com", Role: "user"}, {Email: "two@example.com", Role: "Administrator"}}, nil)
		noErr(t, err, "bulk invite")
		if res.Invited != 2 {
			t.Fatalf("invited %d, want 2", res.Invited)
		}
		search := "two@example.com"
		two, _, err := f.Invitations.FindInvitations(f.ctx, backend.InvitationFilter{Search: &search})
		noErr(t, err, "find the second row")
		if len(two) != 1 || two[0].RoleID != backend.RoleAdministrator {
			t.Fatalf("found %+v", two)
		}
		token, err := f.Links.TakeInvitationToken(f.ctx, two[0].ID)
		noErr(t, err, "take token")
		if _, err := f.Links.FindInvitationByToken(f.ctx, token); err != nil {
			t.Fatal(err)
		}
	})
}

func testInvitationList(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	f.invite(t, "old@example.com", "user")
	f.advance(backend.InvitationLifetime)
	f.invite(t, "new@example.com", "user")
	deleted, _ := f.invite(t, "deleted@example.com", "user")
	noErr(t, f.Invitations.DeleteInvitation(f.ctx, deleted.ID), "delete")
	f.member(t, "Joined", "joined@example.com", "user")

	count := func(state backend.InvitationState, search string) []string {
		t.Helper()
		filter := backend.InvitationFilter{}
		if state != "" {
			filter.State = &state
		}
		if search != "" {
			filter.Search = &search
		}
		list, total, err := f.Invitations.FindInvitations(f.ctx, filter)
		noErr(t, err, "find invitations")
		if total != len(list) {
			t.Fatalf("total %d, listed %d", total, len(list))
		}
		var emails []string
		for _, inv := range list {
			emails = append(emails, inv.Email)
		}
		return emails
	}
	if got := count("", ""); len(got) != 2 || got[0] != "new@example.com" || got[1] != "old@example.com" {
		t.Fatalf("open: %v", got)
	}
	if got := count(backend.InvitationPending, ""); len(got) != 1 || got[0] != "new@example.com" {
		t.Fatalf("pending: %v", got)
	}
	if got := count(backend.InvitationExpired, ""); len(got) != 1 || got[0] != "old@example.com" {
		t.Fatalf("expired: %v", got)
	}
	if got := count(backend.InvitationDeleted, ""); len(got) != 1 {
		t.Fatalf("deleted: %v", got)
	}
	if got := count(backend.InvitationAccepted, ""); len(got) != 1 || got[0] != "joined@example.com" {
		t.Fatalf("accepted: %v", got)
	}
	if got := count("", "OLD@"); len(got) != 1 {
		t.Fatalf("search: %v", got)
	}
	bad := backend.InvitationState("lost")
	_, _, err := f.Invitations.FindInvitations(f.ctx, backend.InvitationFilter{State: &bad})
	wantCode(t, err, backend.EINVALID, "")
	_, _, err = f.Invitations.FindInvitations(f.ctx, backend.InvitationFilter{Sort: backend.SortOrder{Column: "token"}})
	wantCode(t, err, backend.EINVALID, "")
	_, err = f.Invitations.FindInvitationByID(f.ctx, "nope")
	wantCode(t, err, backend.ENOTFOUND, "invitation.not_found")
}
