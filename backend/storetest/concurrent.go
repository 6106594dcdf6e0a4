package storetest

import (
	"fmt"
	"strings"
	"testing"

	"roster/backend"
)

func testLastAdmin(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	ada := f.admin
	t.Run("ErrLastAdmin", func(t *testing.T) {
		_, err := f.Users.ChangeUserRole(f.sys, ada.ID, backend.RoleUser)
		wantCode(t, err, backend.EFORBIDDEN, "user.last_admin.demoted")
		_, err = f.Users.DeactivateUser(f.sys, ada.ID)
		wantCode(t, err, backend.EFORBIDDEN, "user.last_admin.deactivated")
		wantCode(t, f.Users.RemoveUser(f.sys, ada.ID), backend.EFORBIDDEN, "user.last_admin.removed")
	})
	t.Run("ErrSelf", func(t *testing.T) {
		_, err := f.Users.ChangeUserRole(f.ctx, ada.ID, backend.RoleUser)
		wantCode(t, err, backend.EFORBIDDEN, "user.self.role")
		wantCode(t, f.Users.RemoveUser(f.ctx, ada.ID), backend.EFORBIDDEN, "user.self.remove")
	})
	t.Run("ErrUnknownRole", func(t *testing.T) {
		_, err := f.Users.ChangeUserRole(f.ctx, ada.ID, "pilot")
		wantCode(t, err, backend.ENOTFOUND, "role.not_found")
		if e := backend.AsError(err); e.Field != "roleId" {
			t.Fatalf("field %q", e.Field)
		}
	})
	t.Run("OK", func(t *testing.T) {
		bob := f.member(t, "Bob Boss", "bob@example.com", backend.RoleAdministrator)
		demoted, err := f.Users.ChangeUserRole(f.sys, ada.ID, backend.RoleUser)
		noErr(t, err, "demote with another Administrator")
		if demoted.RoleID != backend.RoleUser || demoted.IsAdministrator() {
			t.Fatalf("demoted %+v", demoted)
		}
		_, err = f.Users.ChangeUserRole(f.sys, bob.ID, backend.RoleUser)
		wantCode(t, err, backend.EFORBIDDEN, "user.last_admin.demoted")
		// An inactive Administrator does not count.
		_, err = f.Users.ChangeUserRole(f.sys, ada.ID, backend.RoleAdministrator)
		noErr(t, err, "promote")
		_, err = f.Users.DeactivateUser(f.sys, ada.ID)
		noErr(t, err, "deactivate")
		wantCode(t, f.Users.RemoveUser(f.sys, bob.ID), backend.EFORBIDDEN, "user.last_admin.removed")
		_, err = f.Users.ActivateUser(f.sys, ada.ID)
		noErr(t, err, "activate")
		noErr(t, f.Users.RemoveUser(f.sys, bob.ID), "remove")
		wantCode(t, f.Users.RemoveUser(f.sys, bob.ID), backend.ENOTFOUND, "user.not_found")
		_, err = f.Users.ChangeUserRole(f.sys, bob.ID, backend.RoleUser)
		wantCode(t, err, backend.EFORBIDDEN, "user.removed")
	})
}

// activeAdmins counts the active Administrators.
func activeAdmins(t *testing.T, f *fixture) int {
	t.Helper()
	role, status := backend.RoleAdministrator, backend.UserActive
	_, n, err := f.Users.FindUsers(f.ctx, backend.UserFilter{RoleID: &role, Status: &status})
	noErr(t, err, "count administrators")
	return n
}

// testConcurrentDemotions has two processes each take one of the last two
// active Administrators away at the same moment: exactly one may succeed.
func testConcurrentDemotions(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	type change func(f *fixture, id string) error
	demote := func(f *fixture, id string) error {
		_, err := f.Users.ChangeUserRole(f.sys, id, backend.RoleUser)
		return err
	}
	deactivate := func(f *fixture, id string) error {
		_, err := f.Users.DeactivateUser(f.sys, id)
		return err
	}
	remove := func(f *fixture, id string) error { return f.Users.RemoveUser(f.sys, id) }
	pairs := [][2]change{{demote, demote}, {deactivate, demote}, {remove, deactivate}, {remove, remove}, {demote, remove}}
	survivor := a.admin.ID
	for round := range 3 * len(pairs) {
		pair := pairs[round%len(pairs)]
		other := a.member(t, "Admin", fmt.Sprintf("admin%d@example.com", round), backend.RoleAdministrator)
		if n := activeAdmins(t, a); n != 2 {
			t.Fatalf("round %d starts with %d active Administrators", round, n)
		}
		errs := together(
			func() error { return pair[0](a, survivor) },
			func() error { return pair[1](b, other.ID) },
		)
		got := outcomes(errs)
		if got[""] != 1 || got[backend.EFORBIDDEN] != 1 {
			t.Fatalf("round %d: want one success and one refusal:%s", round, describe(errs))
		}
		for _, err := range errs {
			if err != nil && !strings.HasPrefix(backend.AsError(err).Key, "user.last_admin.") {
				t.Fatalf("round %d: refused with %v", round, err)
			}
		}
		if n := activeAdmins(t, a); n != 1 {
			t.Fatalf("round %d leaves %d active Administrators", round, n)
		}
		if errs[0] == nil {
			survivor = other.ID
		}
	}
}

// testConcurrentInvites has two processes invite one address many times at
// once: one invitation is made, every other attempt is a conflict.
func testConcurrentInvites(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	for round := range 3 {
		email := fmt.Sprintf("wanted%d@example.com", round)
		var fns []func() error
		for i := range 8 {
			f := []*fixture{a, b}[i%2]
			fns = append(fns, func() error {
				_, err := f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: email, Role: "user"})
				return err
			})
		}
		errs := together(fns...)
		if got := outcomes(errs); got[""] != 1 || got[backend.ECONFLICT] != 7 {
			t.Fatalf("round %d: want one invitation and 7 conflicts:%s", round, describe(errs))
		}
		for _, err := range errs {
			if err != nil {
				wantCode(t, err, backend.ECONFLICT, "invitation.exists")
			}
		}
		search := email
		_, n, err := a.Invitations.FindInvitations(a.ctx, backend.InvitationFilter{Search: &search})
		noErr(t, err, "find invitations")
		if n != 1 {
			t.Fatalf("round %d: %d open invitations for %s", round, n, email)
		}
	}
}

// testConcurrentAccepts has two processes register with one link at once:
// one member is made.
func testConcurrentAccepts(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	_, token := a.invite(t, "dave@example.com", "user")
	var fns []func() error
	for i := range 6 {
		f := []*fixture{a, b}[i%2]
		fns = append(fns, func() error {
			_, err := f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: fmt.Sprintf("Dave %d", i), PasswordHash: hashOf("d")})
			return err
		})
	}
	errs := together(fns...)
	if got := outcomes(errs); got[""] != 1 || got[backend.ENOTFOUND] != 5 {
		t.Fatalf("want one member and 5 refusals:%s", describe(errs))
	}
	search := "dave@"
	if _, n, err := a.Users.FindUsers(a.ctx, backend.UserFilter{Search: &search}); err != nil || n != 1 {
		t.Fatalf("%d members for one link (%v)", n, err)
	}
}

// testConcurrentResets redeems one reset link at once in two processes, and
// issues several resets for one member at once: one link works.
func testConcurrentResets(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	bob := a.member(t, "Bob Builder", "bob@example.com", "user")
	_, token := a.resetToken(t, bob.ID)
	var fns []func() error
	for i := range 6 {
		f := []*fixture{a, b}[i%2]
		fns = append(fns, func() error {
			return f.Resets.ResetPassword(f.sys, backend.ResetParams{Token: token, PasswordHash: hashOf(fmt.Sprint(i))})
		})
	}
	errs := together(fns...)
	if got := outcomes(errs); got[""] != 1 || got[backend.ENOTFOUND] != 5 {
		t.Fatalf("want one reset and 5 refusals:%s", describe(errs))
	}
	for i, err := range errs {
		if err == nil {
			cred, _ := a.Credentials.FindCredentialByUserID(a.ctx, bob.ID)
			if cred.PasswordHash != hashOf(fmt.Sprint(i)) {
				t.Fatalf("hash %q is not the one that succeeded (%d)", cred.PasswordHash, i)
			}
		}
	}

	t.Run("NewestWins", func(t *testing.T) {
		ids := make([]string, 6)
		fns = nil
		for i := range ids {
			f := []*fixture{a, b}[i%2]
			fns = append(fns, func() error {
				r, err := f.Resets.SendPasswordReset(f.ctx, bob.ID)
				if err == nil {
					ids[i] = r.ID
				}
				return err
			})
		}
		if errs := together(fns...); outcomes(errs)[""] != len(ids) {
			t.Fatalf("errors:%s", describe(errs))
		}
		still := 0
		for _, id := range ids {
			if _, err := a.Links.TakePasswordResetToken(a.ctx, id); err == nil {
				still++
			} else {
				wantCode(t, err, backend.ENOTFOUND, "link.not_pending")
			}
		}
		if still != 1 {
			t.Fatalf("%d of %d resets issued at once are still open, want 1", still, len(ids))
		}
	})
}

// testInviteWhileAccepting registers an invitee in one process while both
// invite the same address again: the registration succeeds and every new
// invitation is refused, whichever comes first.
func testInviteWhileAccepting(t *testing.T, open func() *Stores) {
	a := setUp(t, open)
	b := a.on(open)
	for round := range 20 {
		email := fmt.Sprintf("race%d@example.com", round)
		_, token := a.invite(t, email, "user")
		fns := []func() error{func() error {
			_, err := a.Invitations.AcceptInvitation(a.sys, backend.AcceptParams{Token: token, Name: "Racer", PasswordHash: hashOf("r")})
			return err
		}}
		for i := range 6 {
			f := []*fixture{b, a}[i%2]
			fns = append(fns, func() error {
				_, err := f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: email, Role: "user"})
				return err
			})
		}
		errs := together(fns...)
		if errs[0] != nil || outcomes(errs)[backend.ECONFLICT] != 6 {
			t.Fatalf("round %d: want the registration and 6 conflicts:%s", round, describe(errs))
		}
	}
}
