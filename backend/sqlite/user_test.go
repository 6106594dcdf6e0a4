package sqlite_test

import (
	"context"
	"testing"
	"time"

	"roster/backend"
)

// member invites email with role and accepts it, returning the new member.
func (e *env) member(t testing.TB, name, email, role string) *backend.User {
	t.Helper()
	return e.join(t, e.invite(t, email, role), name)
}

func TestUserService_LastAdministrator(t *testing.T) {
	e := newEnv(t)
	// Act as someone else than the only administrator, so the self rule is not what refuses.
	other := e.member(t, "Olga Other", "olga@example.org", "user")
	ctx := backend.NewContextWithActor(context.Background(), backend.Actor{ID: other.ID, Name: other.Name})

	t.Run("ErrDemote", func(t *testing.T) {
		_, err := e.users.ChangeUserRole(ctx, e.admin.ID, backend.RoleUser)
		assertKey(t, err, backend.EFORBIDDEN, "user.last_admin.demoted")
	})
	t.Run("ErrDeactivate", func(t *testing.T) {
		_, err := e.users.DeactivateUser(ctx, e.admin.ID)
		assertKey(t, err, backend.EFORBIDDEN, "user.last_admin.deactivated")
	})
	t.Run("ErrRemove", func(t *testing.T) {
		assertKey(t, e.users.RemoveUser(ctx, e.admin.ID), backend.EFORBIDDEN, "user.last_admin.removed")
	})
	t.Run("InactiveAdministratorsDoNotCount", func(t *testing.T) {
		second := e.member(t, "Sam Second", "sam@example.org", "administrator")
		if _, err := e.users.DeactivateUser(ctx, second.ID); err != nil {
			t.Fatal(err) // Ada is still active
		}
		_, err := e.users.DeactivateUser(ctx, e.admin.ID)
		assertCode(t, err, backend.EFORBIDDEN)
		if _, err := e.users.ActivateUser(ctx, second.ID); err != nil {
			t.Fatal(err)
		}
		// Now there are two: one may go.
		if _, err := e.users.ChangeUserRole(ctx, second.ID, backend.RoleUser); err != nil {
			t.Fatal(err)
		}
		_, err = e.users.ChangeUserRole(ctx, e.admin.ID, backend.RoleUser)
		assertCode(t, err, backend.EFORBIDDEN)
	})
	if n := e.count(t, `SELECT count(*) FROM users WHERE role_id = 'administrator' AND status = 'active'`); n != 1 {
		t.Fatalf("%d active administrators", n)
	}
	// The same rule tells the window whom it protects.
	t.Run("IsLastAdministrator", func(t *testing.T) {
		for _, tt := range []struct {
			u    *backend.User
			want bool
		}{{e.admin, true}, {other, false}} {
			u, err := e.users.FindUserByID(ctx, tt.u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if last, err := e.users.IsLastAdministrator(ctx, u); err != nil || last != tt.want {
				t.Fatalf("%s: last = %v (%v), want %v", u.Name, last, err, tt.want)
			}
		}
		third := e.member(t, "Tia Third", "tia@example.org", "administrator")
		if last, err := e.users.IsLastAdministrator(ctx, third); err != nil || last {
			t.Fatalf("with two: last = %v (%v)", last, err)
		}
	})
}

func TestUserService_Self(t *testing.T) {
	e := newEnv(t)
	e.member(t, "Sam Second", "sam@example.org", "administrator")
	_, err := e.users.ChangeUserRole(e.ctx, e.admin.ID, backend.RoleUser)
	assertKey(t, err, backend.EFORBIDDEN, "user.self.role")
	_, err = e.users.DeactivateUser(e.ctx, e.admin.ID)
	assertKey(t, err, backend.EFORBIDDEN, "user.self.deactivate")
	assertKey(t, e.users.RemoveUser(e.ctx, e.admin.ID), backend.EFORBIDDEN, "user.self.remove")
}

func TestUserService_ChangeUserRole(t *testing.T) {
	e := newEnv(t)
	u := e.member(t, "Grace Hopper", "grace@example.org", "user")
	got, err := e.users.ChangeUserRole(e.ctx, u.ID, backend.RoleAdministrator)
	if err != nil || got.RoleID != backend.RoleAdministrator || got.RoleName != "Administrator" {
		t.Fatalf("%+v %v", got, err)
	}
	page, _ := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{RoleID: ptr(backend.RoleAdministrator)})
	if page.Total != 2 {
		t.Fatalf("%d administrators listed", page.Total)
	}
	_, err = e.users.ChangeUserRole(e.ctx, u.ID, "no-such-role")
	assertCode(t, err, backend.ENOTFOUND)
	if f := backend.AsError(err).Field; f != "roleId" {
		t.Fatalf("field = %q", f)
	}
	entries, _, _ := e.audit.FindAuditEntries(e.ctx, backend.AuditFilter{Action: ptr(backend.AuditUserRoleChanged)})
	if len(entries) != 1 || entries[0].ActorName != "Ada Admin" || entries[0].TargetID != u.ID ||
		entries[0].Before != `{"email":"grace@example.org","name":"Grace Hopper","role":"User","status":"active"}` ||
		entries[0].After != `{"email":"grace@example.org","name":"Grace Hopper","role":"Administrator","status":"active"}` {
		t.Fatalf("audit = %+v", entries)
	}
}

func TestUserService_DeactivateActivate(t *testing.T) {
	e := newEnv(t)
	u := e.member(t, "Grace Hopper", "grace@example.org", "user")
	got, err := e.users.DeactivateUser(e.ctx, u.ID)
	if err != nil || got.Status != backend.UserInactive {
		t.Fatalf("%+v %v", got, err)
	}
	page, _ := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Status: ptr(backend.EntryInactive)})
	if page.Total != 1 || page.Entries[0].ID != u.ID {
		t.Fatalf("inactive list = %+v", page)
	}
	if got, err = e.users.ActivateUser(e.ctx, u.ID); err != nil || got.Status != backend.UserActive {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestUserService_RemoveUser(t *testing.T) {
	e := newEnv(t)
	u := e.member(t, "Grace Hopper", "grace@example.org", "user")
	reset, err := e.resets.SendPasswordReset(e.ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, resetData := e.mailOf(t, reset.OutboxID)

	if err := e.users.RemoveUser(e.ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	// Access is blocked at once: status and tombstone recorded.
	got, err := e.users.FindUserByID(e.ctx, u.ID)
	if err != nil || got.Status != backend.UserRemoved || got.RemovedAt == nil {
		t.Fatalf("%+v %v", got, err)
	}
	users, total, _ := e.users.FindUsers(e.ctx, backend.UserFilter{})
	if total != 1 || users[0].ID != e.admin.ID {
		t.Fatalf("a removed member is listed: %d", total)
	}
	if page, _ := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Search: ptr("grace")}); page.Total != 0 {
		t.Fatal("a removed member is in the Users list")
	}
	// Their reset link stops working.
	err = e.resets.ResetPassword(context.Background(), backend.ResetParams{Token: resetData[backend.MailDataToken], PasswordHash: "h"})
	assertCode(t, err, backend.ENOTFOUND)
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?`, backend.AuditUserRemoved, u.ID); n != 1 {
		t.Fatal("no audit entry for the removal")
	}
	assertCode(t, e.users.RemoveUser(e.ctx, u.ID), backend.ENOTFOUND)

	// The address may be invited again later, and joins as a new member.
	again := e.member(t, "Grace B. Hopper", "GRACE@example.org", "administrator")
	if again.ID == u.ID || again.RoleID != backend.RoleAdministrator {
		t.Fatalf("rejoined = %+v", again)
	}
}

func TestPasswordResetService(t *testing.T) {
	t.Run("NewTokenVoidsOlderAndIsSingleUse", func(t *testing.T) {
		e := newEnv(t)
		now := fixedClock(e.db)
		u := e.member(t, "Grace Hopper", "grace@example.org", "user")
		first, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !first.ExpiresAt.Equal(now.Add(24 * time.Hour)) {
			t.Fatalf("expires %v", first.ExpiresAt)
		}
		_, firstData := e.mailOf(t, first.OutboxID)
		second, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if state, data := e.mailOf(t, first.OutboxID); state != "cancelled" || data != nil {
			t.Fatalf("older mail %s %v", state, data)
		}
		_, data := e.mailOf(t, second.OutboxID)
		if data[backend.MailDataRecipient] != "Grace Hopper" {
			t.Fatalf("mail data %v", data)
		}
		err = e.resets.ResetPassword(context.Background(), backend.ResetParams{Token: firstData[backend.MailDataToken], PasswordHash: "h"})
		assertKey(t, err, backend.ENOTFOUND, "password_reset.invalid")
		token := data[backend.MailDataToken]
		if err := e.resets.ResetPassword(context.Background(), backend.ResetParams{Token: token, PasswordHash: "h2"}); err != nil {
			t.Fatal(err)
		}
		err = e.resets.ResetPassword(context.Background(), backend.ResetParams{Token: token, PasswordHash: "h3"})
		assertCode(t, err, backend.ENOTFOUND)
		if n := e.count(t, `SELECT count(*) FROM users WHERE id = ? AND password_hash = 'h2'`, u.ID); n != 1 {
			t.Fatal("the password was not set")
		}
	})

	t.Run("ErrExpired", func(t *testing.T) {
		e := newEnv(t)
		now := fixedClock(e.db)
		u := e.member(t, "Grace Hopper", "grace@example.org", "user")
		r, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, data := e.mailOf(t, r.OutboxID)
		*now = now.Add(24 * time.Hour)
		err = e.resets.ResetPassword(context.Background(), backend.ResetParams{Token: data[backend.MailDataToken], PasswordHash: "h"})
		assertKey(t, err, backend.EFORBIDDEN, "password_reset.expired")
	})

	t.Run("ErrInactive", func(t *testing.T) {
		e := newEnv(t)
		u := e.member(t, "Grace Hopper", "grace@example.org", "user")
		if _, err := e.users.DeactivateUser(e.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		assertKey(t, err, backend.EFORBIDDEN, "password_reset.inactive")
		_, err = e.resets.SendPasswordReset(e.ctx, "nobody")
		assertCode(t, err, backend.ENOTFOUND)
	})
}

func TestUserService_FindUsers(t *testing.T) {
	e := newEnv(t)
	for _, m := range [][2]string{{"Zoë Zander", "zoe@example.org"}, {"Ärger Anton", "anton@example.org"}, {"bert Brown", "bert@example.org"}} {
		e.member(t, m[0], m[1], "user")
	}
	users, total, err := e.users.FindUsers(e.ctx, backend.UserFilter{})
	if err != nil || total != 4 {
		t.Fatalf("%d %v", total, err)
	}
	// Names sort as people expect: accents and case come after the letters.
	want := []string{"Ada Admin", "Ärger Anton", "bert Brown", "Zoë Zander"}
	for i, u := range users {
		if u.Name != want[i] {
			t.Fatalf("order %d = %q, want %q", i, u.Name, want[i])
		}
	}
	users, total, _ = e.users.FindUsers(e.ctx, backend.UserFilter{Search: ptr("ZOE")})
	if total != 1 || users[0].Name != "Zoë Zander" {
		t.Fatalf("search by folded name: %d", total)
	}
	users, _, _ = e.users.FindUsers(e.ctx, backend.UserFilter{Sort: backend.SortOrder{Column: "email", Desc: true}, Limit: 1})
	if len(users) != 1 || users[0].Email != "zoe@example.org" {
		t.Fatalf("by email desc: %+v", users)
	}
}
