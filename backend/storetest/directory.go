package storetest

import (
	"context"
	"testing"
	"time"

	"roster/backend"
)

func testOrganisation(t *testing.T, open func() *Stores) {
	s := open()
	s.SetNow(start)
	ctx := t.Context()
	noErr(t, s.Ping(ctx), "ready")
	_, err := s.Organisations.FindOrganisation(ctx)
	wantCode(t, err, backend.ENOTFOUND, "")

	t.Run("ErrInvalid", func(t *testing.T) {
		_, _, err := s.Organisations.SetupOrganisation(ctx, backend.SetupParams{OrganisationName: "Acme", AdminName: "Ada", AdminEmail: "not an address"})
		wantCode(t, err, backend.EINVALID, "")
		if e := backend.AsError(err); e.Field != "adminEmail" {
			t.Fatalf("field = %q, want adminEmail", e.Field)
		}
	})
	t.Run("OK", func(t *testing.T) {
		o, admin, err := s.Organisations.SetupOrganisation(ctx, backend.SetupParams{OrganisationName: " Acme ", AdminName: "Ada Admin", AdminEmail: "Ada@Example.com"})
		noErr(t, err, "setup")
		if o.Name != "Acme" || !o.CreatedAt.Equal(start) || !admin.IsAdministrator() || admin.Email != "Ada@example.com" {
			t.Fatalf("organisation %+v, admin %+v", o, admin)
		}
		cur, err := s.Organisations.FindCurrentAdmin(ctx)
		noErr(t, err, "current admin")
		if cur.ID != admin.ID || !cur.JoinedAt.Equal(start) {
			t.Fatalf("current admin %+v, want %+v", cur, admin)
		}
		found, err := open().Organisations.FindOrganisation(ctx)
		noErr(t, err, "find organisation on another handle")
		if found.Name != "Acme" {
			t.Fatalf("organisation %+v", found)
		}
	})
	t.Run("ErrSetUpAlready", func(t *testing.T) {
		_, _, err := s.Organisations.SetupOrganisation(ctx, backend.SetupParams{OrganisationName: "Other", AdminName: "Bea", AdminEmail: "bea@example.com"})
		wantCode(t, err, backend.ECONFLICT, "organisation.exists")
	})
}

func testRoles(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	roles, err := f.Roles.FindRoles(f.ctx)
	noErr(t, err, "find roles")
	if len(roles) != 2 || roles[0].ID != backend.RoleUser || roles[1].ID != backend.RoleAdministrator || roles[1].UserCount != 1 {
		t.Fatalf("roles %+v", roles)
	}
	if len(roles[1].Permissions) != len(backend.AllPermissions) {
		t.Fatalf("administrator permissions %v", roles[1].Permissions)
	}
	editors, err := f.Roles.CreateRole(f.ctx, backend.RoleParams{Name: "Editors", Permissions: []backend.Permission{backend.PermCreateSkills, backend.PermChat}})
	noErr(t, err, "create role")
	if editors.BuiltIn || len(editors.Permissions) != 2 || editors.Permissions[0] != backend.PermChat {
		t.Fatalf("role %+v", editors)
	}

	t.Run("ErrExists", func(t *testing.T) {
		_, err := f.Roles.CreateRole(f.ctx, backend.RoleParams{Name: "EDITORS", Permissions: []backend.Permission{backend.PermChat}})
		wantCode(t, err, backend.ECONFLICT, "role.exists")
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.Roles.CreateRole(f.ctx, backend.RoleParams{Name: "Empty"})
		wantCode(t, err, backend.EINVALID, "role.no_permissions")
		_, err = f.Roles.CreateRole(f.ctx, backend.RoleParams{Name: "Odd", Permissions: []backend.Permission{"fly"}})
		wantCode(t, err, backend.EINVALID, "role.unknown_permission")
	})
	t.Run("ErrBuiltIn", func(t *testing.T) {
		_, err := f.Roles.UpdateRole(f.ctx, backend.RoleUser, backend.RoleParams{Name: "People", Permissions: []backend.Permission{backend.PermChat}})
		wantCode(t, err, backend.EFORBIDDEN, "role.built_in")
		wantCode(t, f.Roles.DeleteRole(f.ctx, backend.RoleAdministrator), backend.EFORBIDDEN, "role.built_in")
	})
	t.Run("RenameReachesInvitations", func(t *testing.T) {
		inv, _ := f.invite(t, "ed@example.com", "editors")
		if _, err := f.Roles.UpdateRole(f.ctx, editors.ID, backend.RoleParams{Name: "Writers", Permissions: []backend.Permission{backend.PermChat}}); err != nil {
			t.Fatal(err)
		}
		got, err := f.Invitations.FindInvitationByID(f.ctx, inv.ID)
		noErr(t, err, "find invitation")
		if got.RoleName != "Writers" {
			t.Fatalf("invitation's role name %q, want Writers", got.RoleName)
		}
		wantCode(t, f.Roles.DeleteRole(f.ctx, editors.ID), backend.ECONFLICT, "role.in_use")
		noErr(t, f.Invitations.DeleteInvitation(f.ctx, inv.ID), "delete invitation")
		noErr(t, f.Roles.DeleteRole(f.ctx, editors.ID), "delete role")
		_, err = f.Roles.FindRoleByID(f.ctx, editors.ID)
		wantCode(t, err, backend.ENOTFOUND, "role.not_found")
	})
}

func testFindUsers(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	jorg := f.member(t, "Jörg Müller", "joerg@example.com", "user")
	zoe := f.member(t, "Zoë Zeller", "zoe@example.com", "user")
	gone := f.member(t, "Gone Member", "gone@example.com", "user")
	noErr(t, f.Users.RemoveUser(f.ctx, gone.ID), "remove")
	_, err := f.Users.DeactivateUser(f.ctx, zoe.ID)
	noErr(t, err, "deactivate")

	find := func(filter backend.UserFilter) ([]string, int) {
		t.Helper()
		list, total, err := f.Users.FindUsers(f.ctx, filter)
		noErr(t, err, "find users")
		var names []string
		for _, u := range list {
			names = append(names, u.Name)
		}
		return names, total
	}
	str := func(s string) *string { return &s }
	if names, total := find(backend.UserFilter{}); total != 3 || len(names) != 3 || names[0] != "Ada Admin" || names[1] != "Jörg Müller" || names[2] != "Zoë Zeller" {
		t.Fatalf("all users %v (%d)", names, total)
	}
	if names, total := find(backend.UserFilter{Search: str("MULLER")}); total != 1 || names[0] != jorg.Name {
		t.Fatalf("search MULLER: %v", names)
	}
	if names, _ := find(backend.UserFilter{Search: str("jorg")}); len(names) != 1 {
		t.Fatalf("search jorg: %v", names)
	}
	if names, _ := find(backend.UserFilter{Search: str("%")}); len(names) != 0 {
		t.Fatalf("search %%: %v", names)
	}
	inactive := backend.UserInactive
	if names, _ := find(backend.UserFilter{Status: &inactive}); len(names) != 1 || names[0] != zoe.Name {
		t.Fatalf("inactive: %v", names)
	}
	admins := backend.RoleAdministrator
	if names, _ := find(backend.UserFilter{RoleID: &admins}); len(names) != 1 || names[0] != "Ada Admin" {
		t.Fatalf("administrators: %v", names)
	}
	if names, total := find(backend.UserFilter{Sort: backend.SortOrder{Column: "email", Desc: true}, Offset: 1, Limit: 1}); total != 3 || len(names) != 1 || names[0] != jorg.Name {
		t.Fatalf("page 2 by email desc: %v (%d)", names, total)
	}
	removed, err := f.Users.FindUserByID(f.ctx, gone.ID)
	noErr(t, err, "find removed")
	if removed.Status != backend.UserRemoved || removed.RemovedAt == nil {
		t.Fatalf("removed user %+v", removed)
	}
	_, _, err = f.Users.FindUsers(f.ctx, backend.UserFilter{Sort: backend.SortOrder{Column: "password"}})
	wantCode(t, err, backend.EINVALID, "")
	_, err = f.Users.FindUserByID(f.ctx, "no-such-user")
	wantCode(t, err, backend.ENOTFOUND, "user.not_found")
}

func testAudit(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	f.advance(time.Minute)
	bob := f.member(t, "Bob Builder", "bob@example.com", "user")
	entries, total, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{})
	noErr(t, err, "find audit")
	if total != 3 || len(entries) != 3 {
		t.Fatalf("%d entries: %+v", total, entries)
	}
	// Newest first: the join, the invitation, the setup.
	if entries[0].Action != backend.AuditUserJoined || entries[0].ActorID != bob.ID || entries[0].TargetID != bob.ID ||
		entries[1].Action != backend.AuditInvitationCreated || entries[1].ActorName != "Ada Admin" ||
		entries[2].Action != backend.AuditOrganisationSetup || entries[2].Before != "" || entries[2].After == "" {
		t.Fatalf("entries %+v %+v %+v", entries[0], entries[1], entries[2])
	}
	search := "ADA ADMIN"
	if _, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Search: &search}); err != nil || n != 2 {
		t.Fatalf("search %q: %d, %v", search, n, err)
	}
	action := backend.AuditInvitationCreated
	if list, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Action: &action}); err != nil || n != 1 || list[0].TargetLabel != "bob@example.com" {
		t.Fatalf("action filter: %d, %v", n, err)
	}
	from := start.Add(time.Minute)
	to := from.Add(time.Millisecond)
	if _, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{From: &from, To: &to}); err != nil || n != 2 {
		t.Fatalf("time filter: %d, %v", n, err)
	}
	// A user's own history: what they did and what was done to them.
	if list, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Subject: &bob.ID}); err != nil || n != 1 ||
		list[0].Action != backend.AuditUserJoined {
		t.Fatalf("bob's history: %d, %v", n, err)
	}
	if list, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Subject: &f.admin.ID}); err != nil || n != 2 ||
		list[0].Action != backend.AuditInvitationCreated {
		t.Fatalf("ada's history: %d, %v", n, err)
	}
	if list, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Offset: 2, Limit: 5}); err != nil || n != 3 || len(list) != 1 {
		t.Fatalf("page: %d, %v", n, err)
	}
}

func testAuditClient(t *testing.T, open func() *Stores) {
	f := setUp(t, open)
	via := backend.NewContextWithActor(context.Background(),
		backend.Actor{ID: f.admin.ID, Name: f.admin.Name, Client: "Ada's laptop"})
	_, err := f.Invitations.InviteUser(via, backend.InviteParams{Email: "bob@example.com", Role: "user"})
	noErr(t, err, "invite via a client")
	_, err = f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: "cy@example.com", Role: "user"})
	noErr(t, err, "invite without a client")
	action := backend.AuditInvitationCreated
	list, n, err := f.Audit.FindAuditEntries(f.ctx, backend.AuditFilter{Action: &action})
	noErr(t, err, "find audit")
	if n != 2 || len(list) != 2 {
		t.Fatalf("%d entries: %+v", n, list)
	}
	clients := map[string]string{}
	for _, e := range list {
		clients[e.TargetLabel] = e.ActorClient
	}
	if clients["bob@example.com"] != "Ada's laptop" || clients["cy@example.com"] != "" {
		t.Fatalf("actor clients %q", clients)
	}
}
