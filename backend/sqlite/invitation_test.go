package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/backend"
)

func TestInvitationService_InviteUser(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		now := fixedClock(e.db)
		inv := e.invite(t, "  Grace.Hopper@Example.ORG ", "user")
		if inv.Email != "Grace.Hopper@example.org" || inv.RoleID != backend.RoleUser || inv.RoleName != "User" {
			t.Fatalf("invitation = %+v", inv)
		}
		if inv.State != backend.InvitationPending || inv.InvitedByName != "Ada Admin" || inv.InvitedByID != e.admin.ID {
			t.Fatalf("invitation = %+v", inv)
		}
		// The link expires 7 days after it was created.
		if !inv.CreatedAt.Equal(*now) || !inv.ExpiresAt.Equal(now.Add(7*24*time.Hour)) {
			t.Fatalf("created %v expires %v", inv.CreatedAt, inv.ExpiresAt)
		}
		// Its email is queued in the same transaction, with the link's token.
		state, data := e.mailOf(t, inv.OutboxID)
		if state != "queued" || data[backend.MailDataRole] != "User" || data[backend.MailDataInviter] != "Ada Admin" ||
			data[backend.MailDataOrganisation] != "Example Ltd" {
			t.Fatalf("mail %s %v", state, data)
		}
		got, err := e.invitations.FindInvitationByID(e.ctx, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Delivery != backend.DeliveryQueued || got.Email != inv.Email {
			t.Fatalf("found %+v", got)
		}
	})

	t.Run("TokenIs256RandomBitsAndOnlyItsHashIsStored", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "grace@example.org", "user")
		token := e.tokenOf(t, inv)
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 256 bits of base64url (%v)", token, err)
		}
		var stored []byte
		if err := e.raw.QueryRow(`SELECT token_hash FROM invitations WHERE id = ?`, inv.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256([]byte(token))
		if !bytes.Equal(stored, want[:]) {
			t.Fatal("the stored hash is not the SHA-256 of the token")
		}
		if n := e.count(t, `SELECT count(*) FROM invitations WHERE instr(CAST(token_hash AS TEXT), ?) > 0 OR instr(id, ?) > 0`, token, token); n != 0 {
			t.Fatal("the token itself is stored with the invitation")
		}
		other := e.invite(t, "linus@example.org", "user")
		if e.tokenOf(t, other) == token {
			t.Fatal("two invitations got the same token")
		}
	})

	for _, tt := range []struct {
		name, email, role, code, key, field string
	}{
		{"ErrEmailInvalid", "grace@localhost", "user", backend.EINVALID, "email.domain_dot", "email"},
		{"ErrEmailMissing", "   ", "user", backend.EINVALID, "email.missing", "email"},
		{"ErrEmailLineBreak", "grace@example.org\r\nBcc: all@example.org", "user", backend.EINVALID, "email.line_break", "email"},
		{"ErrEmailDisplayName", "Grace <grace@example.org>", "user", backend.EINVALID, "email.single", "email"},
		{"ErrRoleMissing", "grace@example.org", "", backend.EINVALID, "role.missing", "role"},
		{"ErrRoleUnknown", "grace@example.org", "Owner", backend.EINVALID, "role.unknown", "role"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: tt.email, Role: tt.role})
			assertKey(t, err, tt.code, tt.key)
			if f := backend.AsError(err).Field; f != tt.field {
				t.Fatalf("field = %q, want %q", f, tt.field)
			}
			if n := e.count(t, `SELECT count(*) FROM invitations`) + e.count(t, `SELECT count(*) FROM outbox`); n != 0 {
				t.Fatalf("a refused invitation left %d rows", n)
			}
		})
	}

	t.Run("RoleByNameIgnoringCase", func(t *testing.T) {
		e := newEnv(t)
		if inv := e.invite(t, "grace@example.org", " administrator "); inv.RoleID != backend.RoleAdministrator {
			t.Fatalf("role = %q", inv.RoleID)
		}
	})

	t.Run("UnknownRoleListsTheAllowedOnes", func(t *testing.T) {
		e := newEnv(t)
		if _, err := e.roles.CreateRole(e.ctx, backend.RoleParams{Name: "Support", Permissions: []backend.Permission{backend.PermChat}}); err != nil {
			t.Fatal(err)
		}
		_, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: "grace@example.org", Role: "Owner"})
		if msg := backend.ErrorMessage(err); !strings.Contains(msg, "User, Administrator, Support") {
			t.Fatalf("message %q does not list the roles", msg)
		}
	})

	t.Run("ErrAlreadyMember", func(t *testing.T) {
		e := newEnv(t)
		// Case-insensitive: the admin is ada@example.com.
		_, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: "ADA@Example.com", Role: "user"})
		assertKey(t, err, backend.ECONFLICT, "user.exists")
		if !strings.Contains(backend.ErrorMessage(err), "already a member") {
			t.Fatalf("message %q does not say so", backend.ErrorMessage(err))
		}
	})

	t.Run("ErrAlreadyInvited", func(t *testing.T) {
		e := newEnv(t)
		e.invite(t, "grace@example.org", "user")
		_, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: "GRACE@example.org", Role: "administrator"})
		assertKey(t, err, backend.ECONFLICT, "invitation.exists")
	})

	t.Run("ErrAlreadyInvitedExpired", func(t *testing.T) {
		e := newEnv(t)
		now := fixedClock(e.db)
		e.invite(t, "grace@example.org", "user")
		*now = now.Add(8 * 24 * time.Hour)
		_, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: "grace@example.org", Role: "user"})
		assertKey(t, err, backend.ECONFLICT, "invitation.exists_expired")
	})

	t.Run("InternationalisedDomainIsOneAddress", func(t *testing.T) {
		e := newEnv(t)
		e.invite(t, "info@bücher.example", "user")
		_, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: "INFO@xn--bcher-kva.example", Role: "user"})
		assertCode(t, err, backend.ECONFLICT)
	})
}

func TestInvitationService_InviteUser_Concurrent(t *testing.T) {
	e := newEnv(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: "same@example.org", Role: "user"})
		}()
	}
	close(start)
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch backend.ErrorCode(err) {
		case "":
			ok++
		case backend.ECONFLICT:
			conflicts++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || conflicts != n-1 {
		t.Fatalf("%d invitations and %d conflicts, want 1 and %d", ok, conflicts, n-1)
	}
	if got := e.count(t, `SELECT count(*) FROM invitations WHERE email_key = 'same@example.org'`); got != 1 {
		t.Fatalf("%d invitations stored", got)
	}
}

func TestInvitationService_Expiry(t *testing.T) {
	e := newEnv(t)
	now := fixedClock(e.db)
	inv := e.invite(t, "grace@example.org", "user")
	token := e.tokenOf(t, inv)

	*now = inv.CreatedAt.Add(7*24*time.Hour - time.Millisecond)
	got, err := e.invitations.FindInvitationByID(e.ctx, inv.ID)
	if err != nil || got.State != backend.InvitationPending {
		t.Fatalf("just before 7 days: %v %v", got.State, err)
	}

	*now = inv.CreatedAt.Add(7 * 24 * time.Hour)
	got, err = e.invitations.FindInvitationByID(e.ctx, inv.ID)
	if err != nil || got.State != backend.InvitationExpired {
		t.Fatalf("after 7 days: %v %v", got.State, err)
	}
	list, total, err := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{State: ptr(backend.InvitationExpired)})
	if err != nil || total != 1 || list[0].ID != inv.ID {
		t.Fatalf("expired list: %d %v", total, err)
	}
	if _, total, _ := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{State: ptr(backend.InvitationPending)}); total != 0 {
		t.Fatalf("an expired invitation is listed as pending")
	}
	// An expired invitation is never accepted.
	_, err = e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: token, Name: "Grace", PasswordHash: "h"})
	assertKey(t, err, backend.EFORBIDDEN, "invitation.expired")
	if n := e.count(t, `SELECT count(*) FROM users WHERE email_key = 'grace@example.org'`); n != 0 {
		t.Fatal("an expired invitation created a member")
	}
}

func TestInvitationService_DeleteInvitation(t *testing.T) {
	t.Run("LinkInvalidAtOnce", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "grace@example.org", "user")
		token := e.tokenOf(t, inv)
		if err := e.invitations.DeleteInvitation(e.ctx, inv.ID); err != nil {
			t.Fatal(err)
		}
		_, err := e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: token, Name: "Grace", PasswordHash: "h"})
		assertKey(t, err, backend.ENOTFOUND, "invitation.invalid_link")
		// Its queued email is cancelled and the token leaves the database.
		state, data := e.mailOf(t, inv.OutboxID)
		if state != "cancelled" || data != nil {
			t.Fatalf("mail %s %v", state, data)
		}
		got, err := e.invitations.FindInvitationByID(e.ctx, inv.ID)
		if err != nil || got.State != backend.InvitationDeleted || got.DeletedAt == nil {
			t.Fatalf("after delete: %+v %v", got, err)
		}
		if _, total, _ := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{}); total != 0 {
			t.Fatal("a deleted invitation is still listed")
		}
	})

	t.Run("InviteSameAddressAgain", func(t *testing.T) {
		e := newEnv(t)
		now := fixedClock(e.db)
		inv := e.invite(t, "grace@example.org", "user")
		*now = now.Add(8 * 24 * time.Hour) // expired, or not received
		if err := e.invitations.DeleteInvitation(e.ctx, inv.ID); err != nil {
			t.Fatal(err)
		}
		again := e.invite(t, "grace@example.org", "administrator")
		if again.ID == inv.ID || again.State != backend.InvitationPending || !again.ExpiresAt.Equal(now.Add(7*24*time.Hour)) {
			t.Fatalf("new invitation = %+v", again)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		e := newEnv(t)
		assertCode(t, e.invitations.DeleteInvitation(e.ctx, "nope"), backend.ENOTFOUND)
		inv := e.invite(t, "grace@example.org", "user")
		if err := e.invitations.DeleteInvitation(e.ctx, inv.ID); err != nil {
			t.Fatal(err)
		}
		assertKey(t, e.invitations.DeleteInvitation(e.ctx, inv.ID), backend.ENOTFOUND, "invitation.deleted")
	})
}

func TestInvitationService_ResendInvitation(t *testing.T) {
	e := newEnv(t)
	now := fixedClock(e.db)
	inv := e.invite(t, "grace@example.org", "user")
	oldToken := e.tokenOf(t, inv)
	*now = now.Add(10 * 24 * time.Hour) // expired
	resent, err := e.invitations.ResendInvitation(e.ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resent.State != backend.InvitationPending || !resent.ExpiresAt.Equal(now.Add(7*24*time.Hour)) || !resent.SentAt.Equal(*now) {
		t.Fatalf("resent = %+v", resent)
	}
	if resent.OutboxID == inv.OutboxID || resent.Delivery != backend.DeliveryQueued {
		t.Fatalf("no new email: %+v", resent)
	}
	if state, data := e.mailOf(t, inv.OutboxID); state != "cancelled" || data != nil {
		t.Fatalf("old mail %s %v", state, data)
	}
	newToken := e.tokenOf(t, resent)
	if newToken == oldToken {
		t.Fatal("the resent link has the old token")
	}
	_, err = e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: oldToken, Name: "Grace", PasswordHash: "h"})
	assertCode(t, err, backend.ENOTFOUND)
	e.join(t, resent, "Grace Hopper")
	_, err = e.invitations.ResendInvitation(e.ctx, inv.ID)
	assertKey(t, err, backend.ENOTFOUND, "invitation.accepted")
}

func TestInvitationService_AcceptInvitation(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		now := fixedClock(e.db)
		inv := e.invite(t, "Grace@example.org", "administrator")
		*now = now.Add(2 * 24 * time.Hour)
		u := e.join(t, inv, "  Grace Hopper ")
		if u.Name != "Grace Hopper" || u.Email != "Grace@example.org" || u.RoleID != backend.RoleAdministrator ||
			u.Status != backend.UserActive || !u.JoinedAt.Equal(*now) {
			t.Fatalf("user = %+v", u)
		}
		got, _ := e.invitations.FindInvitationByID(e.ctx, inv.ID)
		if got.State != backend.InvitationAccepted || got.UserID != u.ID {
			t.Fatalf("invitation = %+v", got)
		}
		// The link works once.
		_, err := e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: e.tokenOf(t, inv), Name: "x", PasswordHash: "h"})
		assertCode(t, err, backend.ENOTFOUND)
		// The new member is in the Users list; the invitation no longer is.
		page, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Search: ptr("grace")})
		if err != nil || page.Total != 1 || page.Entries[0].Kind != backend.EntryUser || page.Entries[0].ID != u.ID {
			t.Fatalf("directory: %+v %v", page, err)
		}
	})

	t.Run("ErrInvalidFields", func(t *testing.T) {
		e := newEnv(t)
		inv := e.invite(t, "grace@example.org", "user")
		token := e.tokenOf(t, inv)
		_, err := e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: token, Name: "Grace\nHopper", PasswordHash: "h"})
		assertKey(t, err, backend.EINVALID, "name.line_break")
		_, err = e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: token, Name: "Grace", PasswordHash: " "})
		assertKey(t, err, backend.EINVALID, "password.missing")
		_, err = e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: "forged", Name: "Grace", PasswordHash: "h"})
		assertCode(t, err, backend.ENOTFOUND)
	})
}

func TestInvitationService_InviteUsers(t *testing.T) {
	t.Run("AllInOneTransaction", func(t *testing.T) {
		e := newEnv(t)
		var calls [][2]int
		res, err := e.invitations.InviteUsers(e.ctx, []backend.InviteParams{
			{Email: "a@example.org", Role: "User"}, {Email: "b@example.org", Role: "administrator"}, {Email: "c@example.org", Role: "USER"},
		}, func(done, total int) { calls = append(calls, [2]int{done, total}) })
		if err != nil {
			t.Fatal(err)
		}
		if res.Invited != 3 || e.count(t, `SELECT count(*) FROM invitations WHERE email = 'b@example.org' AND role_id = ?`, backend.RoleAdministrator) != 1 {
			t.Fatalf("invited %+v", res.Invited)
		}
		if last := calls[len(calls)-1]; last != [2]int{3, 3} {
			t.Fatalf("progress ended at %v", last)
		}
		if n := e.count(t, `SELECT count(*) FROM outbox WHERE state = 'queued' AND kind = 'invitation'`); n != 3 {
			t.Fatalf("%d emails queued", n)
		}
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditInvitationsImported); n != 3 {
			t.Fatalf("%d audit entries", n)
		}
	})

	for _, tt := range []struct {
		name string
		rows []backend.InviteParams
		code string
		row  int
	}{
		{"ErrMemberInTheMiddle", []backend.InviteParams{{Email: "a@example.org", Role: "user"}, {Email: "ada@example.com", Role: "user"}, {Email: "c@example.org", Role: "user"}}, backend.ECONFLICT, 1},
		{"ErrDuplicateRow", []backend.InviteParams{{Email: "a@example.org", Role: "user"}, {Email: "A@example.org", Role: "user"}}, backend.ECONFLICT, 1},
		{"ErrUnknownRoleLast", []backend.InviteParams{{Email: "a@example.org", Role: "user"}, {Email: "b@example.org", Role: "owner"}}, backend.EINVALID, 1},
		{"ErrBadEmailFirst", []backend.InviteParams{{Email: "a@", Role: "user"}, {Email: "b@example.org", Role: "user"}}, backend.EINVALID, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.invitations.InviteUsers(e.ctx, tt.rows, nil)
			assertCode(t, err, tt.code)
			if index := backend.AsError(err).Args["index"]; index != tt.row {
				t.Fatalf("index = %v, want %d", index, tt.row)
			}
			// All or none.
			if n := e.count(t, `SELECT count(*) FROM invitations`) + e.count(t, `SELECT count(*) FROM outbox`); n != 0 {
				t.Fatalf("a refused import left %d rows", n)
			}
		})
	}
}

func TestInvitationService_FindInvitations(t *testing.T) {
	e := newEnv(t)
	now := fixedClock(e.db)
	for _, email := range []string{"carol@example.org", "alice@example.org", "bob@example.org"} {
		e.invite(t, email, "user")
		*now = now.Add(time.Minute)
	}
	list, total, err := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{})
	if err != nil || total != 3 {
		t.Fatalf("%d %v", total, err)
	}
	if list[0].Email != "bob@example.org" || list[2].Email != "carol@example.org" {
		t.Fatal("not newest first")
	}
	list, _, _ = e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{Sort: backend.SortOrder{Column: "email"}, Limit: 2})
	if len(list) != 2 || list[0].Email != "alice@example.org" || list[1].Email != "bob@example.org" {
		t.Fatalf("by email: %v, %v", list[0].Email, list[1].Email)
	}
	list, total, _ = e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{Search: ptr("ALI")})
	if total != 1 || list[0].Email != "alice@example.org" {
		t.Fatalf("search: %d", total)
	}
	_, _, err = e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{Sort: backend.SortOrder{Column: "token_hash"}})
	assertCode(t, err, backend.EINVALID)
}
