package sqlite_test

import (
	"slices"
	"testing"

	"roster/backend"
)

func TestRoleService(t *testing.T) {
	t.Run("BuiltInRolesOfTheGuide", func(t *testing.T) {
		e := newEnv(t)
		roles, err := e.roles.FindRoles(e.ctx)
		if err != nil || len(roles) != 2 {
			t.Fatalf("%d roles, %v", len(roles), err)
		}
		user, admin := roles[0], roles[1]
		// User: can chat, use skills, and create their own.
		if user.ID != backend.RoleUser || user.Name != "User" || !user.BuiltIn ||
			!slices.Equal(user.Permissions, []backend.Permission{backend.PermChat, backend.PermUseSkills, backend.PermCreateSkills}) {
			t.Fatalf("User = %+v", user)
		}
		// Administrator: additionally manage users, change settings, configure models.
		if admin.ID != backend.RoleAdministrator || !admin.BuiltIn || !slices.Equal(admin.Permissions, backend.AllPermissions) {
			t.Fatalf("Administrator = %+v", admin)
		}
		if admin.UserCount != 1 {
			t.Fatalf("Administrator has %d members", admin.UserCount)
		}
	})

	t.Run("Custom", func(t *testing.T) {
		e := newEnv(t)
		support, err := e.roles.CreateRole(e.ctx, backend.RoleParams{Name: " Support ",
			Permissions: []backend.Permission{backend.PermUseSkills, backend.PermChat, backend.PermChat}})
		if err != nil {
			t.Fatal(err)
		}
		if support.Name != "Support" || support.BuiltIn || !slices.Equal(support.Permissions, []backend.Permission{backend.PermChat, backend.PermUseSkills}) {
			t.Fatalf("created %+v", support)
		}
		_, err = e.roles.CreateRole(e.ctx, backend.RoleParams{Name: "SUPPORT", Permissions: []backend.Permission{backend.PermChat}})
		assertKey(t, err, backend.ECONFLICT, "role.exists")
		_, err = e.roles.CreateRole(e.ctx, backend.RoleParams{Name: "Empty"})
		assertKey(t, err, backend.EINVALID, "role.no_permissions")
		_, err = e.roles.CreateRole(e.ctx, backend.RoleParams{Name: "Odd", Permissions: []backend.Permission{"fly"}})
		assertKey(t, err, backend.EINVALID, "role.unknown_permission")
		_, err = e.roles.CreateRole(e.ctx, backend.RoleParams{Name: "Two\nLines", Permissions: []backend.Permission{backend.PermChat}})
		assertKey(t, err, backend.EINVALID, "name.line_break")

		// Invitations and the Users list follow a rename.
		inv := e.invite(t, "grace@example.org", "support")
		renamed, err := e.roles.UpdateRole(e.ctx, support.ID, backend.RoleParams{Name: "Helpdesk",
			Permissions: []backend.Permission{backend.PermChat}})
		if err != nil || renamed.Name != "Helpdesk" || renamed.InvitationCount != 1 {
			t.Fatalf("%+v %v", renamed, err)
		}
		got, _ := e.invitations.FindInvitationByID(e.ctx, inv.ID)
		page, _ := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Search: ptr("grace")})
		if got.RoleName != "Helpdesk" || page.Entries[0].RoleName != "Helpdesk" {
			t.Fatalf("after rename: invitation %q, list %q", got.RoleName, page.Entries[0].RoleName)
		}

		// A role in use cannot be deleted.
		assertKey(t, e.roles.DeleteRole(e.ctx, support.ID), backend.ECONFLICT, "role.in_use")
		u := e.join(t, inv, "Grace Hopper")
		assertKey(t, e.roles.DeleteRole(e.ctx, support.ID), backend.ECONFLICT, "role.in_use")
		if err := e.users.RemoveUser(e.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		// Only a removed member's tombstone has it now: it may go.
		if err := e.roles.DeleteRole(e.ctx, support.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.roles.FindRoleByID(e.ctx, support.ID)
		assertCode(t, err, backend.ENOTFOUND)
		got, _ = e.invitations.FindInvitationByID(e.ctx, inv.ID)
		if got.RoleName != "Helpdesk" {
			t.Fatalf("an accepted invitation lost its role's name: %q", got.RoleName)
		}
		for _, action := range []string{backend.AuditRoleCreated, backend.AuditRoleUpdated, backend.AuditRoleDeleted} {
			if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?`, action, support.ID); n != 1 {
				t.Fatalf("%d %s entries", n, action)
			}
		}
	})

	t.Run("ErrBuiltIn", func(t *testing.T) {
		e := newEnv(t)
		for _, id := range []string{backend.RoleUser, backend.RoleAdministrator} {
			_, err := e.roles.UpdateRole(e.ctx, id, backend.RoleParams{Name: "X", Permissions: []backend.Permission{backend.PermChat}})
			assertKey(t, err, backend.EFORBIDDEN, "role.built_in")
			assertKey(t, e.roles.DeleteRole(e.ctx, id), backend.EFORBIDDEN, "role.built_in")
		}
	})
}
