package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/importer"
	"roster/backend/sqlite"
)

// sqliteEnv is the import service over a real SQLite file with an
// organisation, its administrator (ada@example.com), a custom role and one
// pending invitation (invited@example.com).
type sqliteEnv struct {
	ctx         context.Context
	db          *sqlite.DB
	roles       *sqlite.RoleService
	directory   *sqlite.DirectoryService
	invitations *sqlite.InvitationService
}

func newSQLiteEnv(t *testing.T) *sqliteEnv {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, admin, err := sqlite.NewOrganisationService(db).SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	env := &sqliteEnv{
		ctx:         backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name}),
		db:          db,
		roles:       sqlite.NewRoleService(db),
		directory:   sqlite.NewDirectoryService(db),
		invitations: sqlite.NewInvitationService(db),
	}
	if _, err := env.roles.CreateRole(env.ctx, backend.RoleParams{Name: "Sales, EU", Permissions: []backend.Permission{backend.PermChat}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.invitations.InviteUser(env.ctx, backend.InviteParams{Email: "invited@example.com", Role: backend.RoleUser}); err != nil {
		t.Fatal(err)
	}
	return env
}

// pending returns the addresses with pending invitations, sorted.
func (env *sqliteEnv) pending(t *testing.T) []string {
	t.Helper()
	invs, _, err := env.invitations.FindInvitations(env.ctx, backend.InvitationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, inv := range invs {
		out = append(out, inv.Email+" "+inv.RoleName)
	}
	sort.Strings(out)
	return out
}

const integrationCSV = "email;role\r\n" +
	"Ada@Example.com;User\r\n" + // row 2: the administrator
	"invited@example.com;User\r\n" + // row 3: invited already
	"jane@example.com;user\r\n" + // row 4
	"bob@example.com;Sales, EU\r\n" + // row 5
	"\r\n" +
	"JANE@example.com;Administrator\r\n" + // row 7: duplicate of 4
	"carol@example.com;Manager\r\n" + // row 8: unknown role
	"dave@example.com;administrator\r\n" // row 9

func rowKeys(t *testing.T, svc *importer.Service, ctx context.Context, id string) map[int][]string {
	t.Helper()
	rows, _, err := svc.FindImportRows(ctx, id, importer.RowFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][]string{}
	for _, r := range rows {
		var keys []string
		for _, e := range r.Issues {
			keys = append(keys, e.Key)
		}
		out[r.Number] = keys
	}
	return out
}

func TestService_SQLite(t *testing.T) {
	env := newSQLiteEnv(t)
	svc := importer.NewService(env.roles, env.directory, env.invitations)
	p, err := svc.PreviewImport(env.ctx, importer.Source{Name: "people.csv", Data: []byte(integrationCSV)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Roles, []string{"User", "Administrator", "Sales, EU"}) {
		t.Errorf("roles = %v", p.Roles)
	}
	got := rowKeys(t, svc, env.ctx, p.ID)
	want := map[int][]string{
		2: {"import.row.member"},
		3: {"import.row.invited"},
		4: nil,
		5: nil,
		7: {"import.row.duplicate"},
		8: {"import.row.role_unknown"},
		9: nil,
	}
	for row, keys := range want {
		if !slices.Equal(got[row], keys) {
			t.Errorf("row %d issues = %v, want %v", row, got[row], keys)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rows %v", got)
	}

	res, err := svc.SendImport(env.ctx, p.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 3 || res.Skipped != 4 {
		t.Errorf("result = %+v", res)
	}
	wantPending := []string{"bob@example.com Sales, EU", "dave@example.com Administrator", "invited@example.com User", "jane@example.com User"}
	if p := env.pending(t); !slices.Equal(p, wantPending) {
		t.Errorf("pending = %q\nwant      %q", p, wantPending)
	}
	// The invitations' emails are queued.
	stats, err := sqlite.NewOutboxService(env.db).FindOutboxStats(env.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Queued != 4 {
		t.Errorf("%d emails queued, want 4 (3 imported, 1 before)", stats.Queued)
	}

	// A corrected row goes on its own; the sent ones are not sent twice.
	if _, err := svc.UpdateImportRow(env.ctx, p.ID, importer.RowUpdate{Row: 8, Email: "carol@example.com", Role: "Sales, EU"}); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.SendImport(env.ctx, p.ID, nil); err != nil || res.Sent != 1 {
		t.Fatalf("second send: %+v, %v", res, err)
	}
	if n := len(env.pending(t)); n != 5 {
		t.Errorf("%d pending, want 5", n)
	}
}

// TestService_SQLiteAllOrNothing has another administrator invite one of
// the file's addresses between the import's last check and its
// transaction: the transaction fails on that row, and none of the rows
// before it stay stored.
func TestService_SQLiteAllOrNothing(t *testing.T) {
	env := newSQLiteEnv(t)
	racing := &racingInviter{InvitationService: env.invitations, env: env, email: "late@example.com"}
	svc := importer.NewService(env.roles, env.directory, racing)
	csv := "email,role\nfirst@example.com,User\nsecond@example.com,User\nlate@example.com,User\nlast@example.com,User\n"
	p, err := svc.PreviewImport(env.ctx, importer.Source{Name: "p.csv", Data: []byte(csv)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := env.pending(t)

	_, err = svc.SendImport(env.ctx, p.ID, nil)
	e := backend.AsError(err)
	if e == nil || e.Code != backend.ECONFLICT || e.Key != "import.send_row_failed" || e.Args["row"] != 4 || !strings.Contains(e.Message, "row 4") {
		t.Fatalf("error = %v (%+v)", err, e)
	}
	// Only the other administrator's invitation is new: the import's
	// rows before the failing one were rolled back.
	after := env.pending(t)
	if want := append(slices.Clone(before), "late@example.com User"); !slices.Equal(after, sortStrings(want)) {
		t.Errorf("pending after the failure = %q, want %q", after, sortStrings(want))
	}
	got := rowKeys(t, svc, env.ctx, p.ID)
	if got[2] != nil || !slices.Equal(got[4], []string{"import.row.invited"}) {
		t.Errorf("rows after the failure: %v", got)
	}

	// Sent again, the three remaining rows go.
	racing.email = ""
	res, err := svc.SendImport(env.ctx, p.ID, nil)
	if err != nil || res.Sent != 3 || res.Skipped != 1 {
		t.Fatalf("retry: %+v, %v", res, err)
	}
	if n := len(env.pending(t)); n != len(before)+4 {
		t.Errorf("%d pending, want %d", n, len(before)+4)
	}
}

// racingInviter invites email itself just before the import's transaction.
type racingInviter struct {
	*sqlite.InvitationService
	env   *sqliteEnv
	email string
}

func (r *racingInviter) InviteUsers(ctx context.Context, params []backend.InviteParams, progress backend.Progress) (*backend.BulkInviteResult, error) {
	if r.email != "" {
		if _, err := r.InviteUser(r.env.ctx, backend.InviteParams{Email: r.email, Role: backend.RoleUser}); err != nil {
			return nil, err
		}
	}
	return r.InvitationService.InviteUsers(ctx, params, progress)
}

func sortStrings(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// BenchmarkPreviewCSVSQLite is a preview of the 100,000-row benchmark file
// (see bench_test.go) against a real SQLite directory holding 20,000
// members, rather than fakes.
func BenchmarkPreviewCSVSQLite(b *testing.B) {
	path := filepath.Join(b.TempDir(), "people.csv")
	var sb strings.Builder
	sb.WriteString("email,role\n")
	for i := range 100_000 {
		sb.WriteString("person" + strconv.Itoa(i) + "@example.com,User\n")
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	db := sqlite.NewDB(filepath.Join(b.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := sqlite.SeedDemoData(context.Background(), db, 20_000); err != nil {
		b.Fatal(err)
	}
	svc := importer.NewService(sqlite.NewRoleService(db), sqlite.NewDirectoryService(db), sqlite.NewInvitationService(db))
	ctx := context.Background()
	for b.Loop() {
		p, err := svc.PreviewImport(ctx, importer.Source{Path: path}, nil)
		if err != nil {
			b.Fatal(err)
		}
		svc.DiscardImport(ctx, p.ID)
	}
}
