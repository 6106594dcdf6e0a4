package app

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// addMember invites email with role and accepts the invitation as name; it
// returns the new member's id.
func addMember(t *testing.T, a *App, db *sqlite.DB, name, email, role string) string {
	t.Helper()
	inv, err := a.Invitations.InviteUser(InviteParams{Email: email, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	mail, err := sqlite.NewOutboxService(db).FindOutboxEntryByID(context.Background(), inv.OutboxID)
	if err != nil {
		t.Fatal(err)
	}
	u, err := sqlite.NewInvitationService(db).AcceptInvitation(context.Background(),
		backend.AcceptParams{Token: mail.Data[backend.MailDataToken], Name: name, PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// recordBulk collects the bulk progress events of a.
func recordBulk(a *App) *[]BulkProgress {
	var got []BulkProgress
	a.Bulk.emit = func(name string, payload any) {
		if name == EventBulkProgress {
			got = append(got, payload.(BulkProgress))
		}
	}
	return &got
}

// failureKeys lists the failures of res as "label key".
func failureKeys(res BulkResultDTO) []string {
	var out []string
	for _, f := range res.Failed {
		out = append(out, f.Label+" "+f.Error.Key)
	}
	return out
}

func TestBulk_Users(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a, db, _ := testApp(t)
		state, _ := a.System.GetState()
		grace := addMember(t, a, db, "Grace Hopper", "grace@example.org", "administrator")
		alan := addMember(t, a, db, "Alan Turing", "alan@example.org", "administrator")
		events := recordBulk(a)

		// Ada is the administrator at the keyboard: her own role cannot change.
		res, err := a.Bulk.ChangeUsersRole(BulkRoleParams{IDs: []string{grace, state.Admin.ID, alan, grace}, RoleID: backend.RoleUser})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 3 || res.Done != 2 || res.Canceled {
			t.Fatalf("result = %+v", res)
		}
		if got := failureKeys(res); !slices.Equal(got, []string{"ada@example.com user.self.role"}) {
			t.Fatalf("failures = %q", got)
		}
		if f := res.Failed[0]; f.ID != state.Admin.ID || f.Error.Code != backend.EFORBIDDEN || f.Error.Message == "" {
			t.Fatalf("failure = %+v", f)
		}
		for _, id := range []string{grace, alan} {
			if u, _ := a.Users.FindUserByID(id); u.RoleID != backend.RoleUser {
				t.Fatalf("%s kept role %s", u.Email, u.RoleID)
			}
		}
		// Progress: a first event, the last one final and complete.
		last := (*events)[len(*events)-1]
		if len(*events) < 2 || (*events)[0].Final || !last.Final || last.Done != 3 || last.Total != 3 || last.Failed != 1 ||
			last.Action != BulkChangeRole {
			t.Fatalf("events = %+v", *events)
		}
		// Each change is audited as the single one is.
		var n int
		if err := rawQueryRow(t, db, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditUserRoleChanged).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Fatalf("%d role changes audited, want 2", n)
		}

		res, err = a.Bulk.DeactivateUsers(BulkParams{IDs: []string{grace}})
		if err != nil || res.Done != 1 || len(res.Failed) != 0 {
			t.Fatalf("deactivate: %+v, %v", res, err)
		}
		if u, _ := a.Users.FindUserByID(grace); u.Status != backend.UserInactive {
			t.Fatalf("grace is %s", u.Status)
		}
		res, err = a.Bulk.RemoveUsers(BulkParams{IDs: []string{grace, alan, "no-such-user"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := failureKeys(res); res.Done != 2 || !slices.Equal(got, []string{" user.not_found"}) {
			t.Fatalf("remove: %+v", res)
		}
		// Removed already: reported, not done twice.
		res, _ = a.Bulk.RemoveUsers(BulkParams{IDs: []string{alan}})
		if res.Done != 0 || len(res.Failed) != 1 || res.Failed[0].Label != "alan@example.org" ||
			res.Failed[0].Error.Code != backend.ENOTFOUND {
			t.Fatalf("removing again: %+v", res)
		}
	})

	t.Run("ErrLastAdmin", func(t *testing.T) {
		a, db, _ := testApp(t)
		grace := addMember(t, a, db, "Grace Hopper", "grace@example.org", "administrator")
		alan := addMember(t, a, db, "Alan Turing", "alan@example.org", "administrator")
		// Ada is no longer an Administrator (another administrator demoted her):
		// Grace and Alan are the only ones left.
		raw, err := sql.Open("sqlite3", db.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`UPDATE users SET role_id = ? WHERE email = 'ada@example.com'`, backend.RoleUser); err != nil {
			t.Fatal(err)
		}
		// The first goes; the second is then the last active Administrator.
		res, err := a.Bulk.RemoveUsers(BulkParams{IDs: []string{grace, alan}})
		if err != nil {
			t.Fatal(err)
		}
		if got := failureKeys(res); res.Done != 1 || !slices.Equal(got, []string{"alan@example.org user.last_admin.removed"}) {
			t.Fatalf("result = %+v", res)
		}
		if res.Failed[0].Error.Code != backend.EFORBIDDEN || res.Failed[0].Error.Args["name"] != "Alan Turing" {
			t.Fatalf("failure = %+v", res.Failed[0])
		}
		for _, do := range []func() (BulkResultDTO, error){
			func() (BulkResultDTO, error) { return a.Bulk.DeactivateUsers(BulkParams{IDs: []string{alan}}) },
			func() (BulkResultDTO, error) {
				return a.Bulk.ChangeUsersRole(BulkRoleParams{IDs: []string{alan}, RoleID: backend.RoleUser})
			},
		} {
			if res, err := do(); err != nil || res.Done != 0 || len(res.Failed) != 1 || res.Failed[0].Error.Code != backend.EFORBIDDEN {
				t.Fatalf("the last Administrator: %+v, %v", res, err)
			}
		}
	})

	t.Run("ErrUnknownRole", func(t *testing.T) {
		a, db, _ := testApp(t)
		grace := addMember(t, a, db, "Grace Hopper", "grace@example.org", "user")
		_, err := a.Bulk.ChangeUsersRole(BulkRoleParams{IDs: []string{grace}, RoleID: "no-such-role"})
		if e := backend.AsError(err); e == nil || e.Code != backend.ENOTFOUND || e.Field != "roleId" {
			t.Fatalf("unknown role: %v", err)
		}
	})

	t.Run("ErrTooMany", func(t *testing.T) {
		a, _, _ := testApp(t)
		ids := make([]string, MaxBulkItems+1)
		_, err := a.Bulk.RemoveUsers(BulkParams{IDs: ids})
		if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Key != "bulk.too_many" {
			t.Fatalf("too many: %v", err)
		}
	})

	t.Run("Canceled", func(t *testing.T) {
		a, db, _ := testApp(t)
		ids := []string{
			addMember(t, a, db, "Grace Hopper", "grace@example.org", "user"),
			addMember(t, a, db, "Alan Turing", "alan@example.org", "user"),
			addMember(t, a, db, "Edsger Dijkstra", "edsger@example.org", "user"),
		}
		// The administrator stops the action as soon as it starts.
		a.Bulk.emit = func(_ string, payload any) {
			if !payload.(BulkProgress).Final {
				a.Bulk.CancelBulk()
			}
		}
		res, err := a.Bulk.DeactivateUsers(BulkParams{IDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Canceled || res.Done != 0 || len(res.Failed) != 0 || res.Total != 3 {
			t.Fatalf("result = %+v", res)
		}
		for _, id := range ids {
			if u, _ := a.Users.FindUserByID(id); u.Status != backend.UserActive {
				t.Fatalf("a row after the cancel was done: %s", u.Status)
			}
		}
	})
}

func TestBulk_Invitations(t *testing.T) {
	a, db, _ := testApp(t)
	var ids []string
	for _, email := range []string{"grace@example.org", "alan@example.org", "edsger@example.org"} {
		inv, err := a.Invitations.InviteUser(InviteParams{Email: email, Role: "user"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inv.ID)
	}
	// Edsger registered meanwhile: his invitation cannot be resent.
	mail, err := a.Invitations.FindInvitationByID(ids[2])
	if err != nil {
		t.Fatal(err)
	}
	entry, err := sqlite.NewOutboxService(db).FindOutboxEntryByID(context.Background(), mail.OutboxID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewInvitationService(db).AcceptInvitation(context.Background(),
		backend.AcceptParams{Token: entry.Data[backend.MailDataToken], Name: "Edsger", PasswordHash: "h"}); err != nil {
		t.Fatal(err)
	}
	events := recordBulk(a)
	res, err := a.Bulk.ResendInvitations(BulkParams{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	if res.Done != 2 || len(res.Failed) != 1 || res.Failed[0].Label != "edsger@example.org" || res.Failed[0].Error.Key == "" {
		t.Fatalf("resend: %+v", res)
	}
	if last := (*events)[len(*events)-1]; !last.Final || last.Action != BulkResend || last.Done != 3 {
		t.Fatalf("events = %+v", *events)
	}
	res, err = a.Bulk.DeleteInvitations(BulkParams{IDs: ids[:2]})
	if err != nil || res.Done != 2 || len(res.Failed) != 0 {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	for _, id := range ids[:2] {
		if inv, _ := a.Invitations.FindInvitationByID(id); inv.State != backend.InvitationDeleted {
			t.Fatalf("%s is %s", inv.Email, inv.State)
		}
	}
	var n int
	if err := rawQueryRow(t, db, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditInvitationDeleted).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d deletions audited, want 2", n)
	}
}

func TestBulk_IDsMatching(t *testing.T) {
	a, db, _ := testApp(t)
	state, _ := a.System.GetState()
	grace := addMember(t, a, db, "Grace Hopper", "grace@example.org", "user")
	addMember(t, a, db, "Alan Turing", "alan@example.com", "user")
	inv, err := a.Invitations.InviteUser(InviteParams{Email: "gretel@example.org", Role: "user"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Invitations.InviteUser(InviteParams{Email: "hansel@example.com", Role: "user"}); err != nil {
		t.Fatal(err)
	}

	// Members only, matching the search, in the list's order.
	got, err := a.Bulk.UserIDsMatching(DirectoryParams{Search: "example.org"})
	if err != nil || got.Capped || !slices.Equal(got.IDs, []string{grace}) {
		t.Fatalf("search: %+v, %v", got, err)
	}
	got, err = a.Bulk.UserIDsMatching(DirectoryParams{RoleID: backend.RoleAdministrator})
	if err != nil || !slices.Equal(got.IDs, []string{state.Admin.ID}) {
		t.Fatalf("role filter: %+v, %v", got, err)
	}
	got, err = a.Bulk.UserIDsMatching(DirectoryParams{Status: "pending"})
	if err != nil || len(got.IDs) != 0 {
		t.Fatalf("pending: %+v, %v", got, err)
	}
	got, err = a.Bulk.UserIDsMatching(DirectoryParams{})
	if err != nil || len(got.IDs) != 3 {
		t.Fatalf("all: %+v, %v", got, err)
	}
	if _, err := a.Bulk.UserIDsMatching(DirectoryParams{Status: "asleep"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("unknown status: %v", err)
	}

	ids, err := a.Bulk.InvitationIDsMatching(InvitationsParams{Search: "example.org"})
	if err != nil || !slices.Equal(ids.IDs, []string{inv.ID}) {
		t.Fatalf("invitations: %+v, %v", ids, err)
	}
	ids, err = a.Bulk.InvitationIDsMatching(InvitationsParams{State: "expired"})
	if err != nil || len(ids.IDs) != 0 {
		t.Fatalf("expired: %+v, %v", ids, err)
	}
}

func TestBulk_IDsMatchingCapped(t *testing.T) {
	db := sqlite.NewDB(t.TempDir() + "/roster.db")
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := sqlite.SeedDemoData(ctx, db, MaxBulkItems+5); err != nil {
		t.Fatal(err)
	}
	a := New(Deps{Organisations: sqlite.NewOrganisationService(db), Directory: sqlite.NewDirectoryService(db),
		Invitations: sqlite.NewInvitationService(db)})
	got, err := a.Bulk.UserIDsMatching(DirectoryParams{})
	if err != nil || !got.Capped || len(got.IDs) != MaxBulkItems {
		t.Fatalf("capped: %d ids, capped %v, %v", len(got.IDs), got.Capped, err)
	}
}
