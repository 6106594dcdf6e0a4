package sqlite_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"roster/backend"
)

func TestAuditService(t *testing.T) {
	e := newEnv(t)
	now := fixedClock(e.db)
	step := func() { *now = now.Add(time.Minute) }

	inv := e.invite(t, "grace@example.org", "user")
	step()
	u := e.join(t, inv, "Grace Hopper")
	step()
	if _, err := e.users.ChangeUserRole(e.ctx, u.ID, backend.RoleAdministrator); err != nil {
		t.Fatal(err)
	}
	step()
	if _, err := e.resets.SendPasswordReset(e.ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	step()
	if _, err := e.users.DeactivateUser(e.ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	step()
	if err := e.users.RemoveUser(e.ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	step()
	other := e.invite(t, "linus@example.org", "user")
	step()
	if _, err := e.invitations.ResendInvitation(e.ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	step()
	if err := e.invitations.DeleteInvitation(e.ctx, other.ID); err != nil {
		t.Fatal(err)
	}

	// Every change wrote an entry, newest first.
	entries, total, err := e.audit.FindAuditEntries(e.ctx, backend.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range entries {
		actions = append(actions, a.Action)
	}
	want := []string{backend.AuditInvitationDeleted, backend.AuditInvitationResent, backend.AuditInvitationCreated,
		backend.AuditUserRemoved, backend.AuditUserDeactivated, backend.AuditPasswordResetSent, backend.AuditUserRoleChanged,
		backend.AuditUserJoined, backend.AuditInvitationCreated, backend.AuditOrganisationSetup}
	if total != len(want) || !slices.Equal(actions, want) {
		t.Fatalf("actions = %v (%d), want %v", actions, total, want)
	}
	// Who, what, when, target, before/after; no token anywhere.
	joined := entries[7]
	if joined.ActorName != "Grace Hopper" || joined.TargetID != u.ID || joined.Before != "" || !strings.Contains(joined.After, `"role":"User"`) {
		t.Fatalf("joined entry = %+v", joined)
	}
	if removed := entries[3]; removed.ActorID != e.admin.ID || removed.ActorName != "Ada Admin" || !strings.Contains(removed.Before, `"status":"inactive"`) ||
		!strings.Contains(removed.After, `"status":"removed"`) || removed.At.IsZero() {
		t.Fatalf("removed entry = %+v", removed)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE before LIKE '%token%' OR after LIKE '%token%'`); n != 0 {
		t.Fatal("an audit entry mentions a token")
	}

	// Filters and paging.
	page, total, _ := e.audit.FindAuditEntries(e.ctx, backend.AuditFilter{Search: ptr("linus"), Limit: 2})
	if total != 3 || len(page) != 2 || page[0].Action != backend.AuditInvitationDeleted {
		t.Fatalf("search: %d %d", total, len(page))
	}
	_, total, _ = e.audit.FindAuditEntries(e.ctx, backend.AuditFilter{Action: ptr(backend.AuditInvitationCreated)})
	if total != 2 {
		t.Fatalf("by action: %d", total)
	}
	from := entries[5].At
	_, total, _ = e.audit.FindAuditEntries(e.ctx, backend.AuditFilter{From: &from, To: &entries[1].At})
	if total != 4 {
		t.Fatalf("by time: %d", total)
	}
}
