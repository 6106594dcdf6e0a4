package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"roster/backend"
	"roster/backend/sqlite"
)

// testApp is the application over a real database file, set up with Ada Admin.
func testApp(t *testing.T) (*App, *sqlite.DB, *bytes.Buffer) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var logs bytes.Buffer
	log := logrus.New()
	log.SetOutput(&logs)
	log.SetFormatter(&logrus.JSONFormatter{})
	a := New(Deps{
		Log: log, DBPath: db.Path(),
		Organisations: sqlite.NewOrganisationService(db), Settings: sqlite.NewSettingService(db),
		Users: sqlite.NewUserService(db), Directory: sqlite.NewDirectoryService(db),
		Invitations: sqlite.NewInvitationService(db), PasswordResets: sqlite.NewPasswordResetService(db),
		Roles: sqlite.NewRoleService(db), Audit: sqlite.NewAuditService(db),
	})
	if _, err := a.System.CompleteSetup(SetupParams{OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"}); err != nil {
		t.Fatal(err)
	}
	return a, db, &logs
}

// fileDialogs answer save dialogs with a fixed path.
type fileDialogs struct{ path string }

func (d fileDialogs) SaveFile(runtime.SaveDialogOptions) (string, error) { return d.path, nil }
func (d fileDialogs) OpenFile(runtime.OpenDialogOptions) (string, error) { return d.path, nil }

func withDialogs(t *testing.T, d Dialogs) {
	old := scriptedDialogs
	scriptedDialogs = func() Dialogs { return d }
	t.Cleanup(func() { scriptedDialogs = old })
}

func TestFormatError(t *testing.T) {
	a, _, logs := testApp(t)
	_, err := a.Invitations.InviteUser(InviteParams{Email: "ada@example.com", Role: "user"})
	got := a.FormatError(err).(ErrorDTO)
	if got.Code != backend.ECONFLICT || got.Field != "email" || got.Key != "user.exists" || got.Message != "ada@example.com is already a member." {
		t.Fatalf("coded error = %+v", got)
	}
	got = a.FormatError(errors.New("disk I/O error at /secret/place")).(ErrorDTO)
	if got.Code != backend.EINTERNAL || strings.Contains(got.Message, "/secret/place") {
		t.Fatalf("internal error reached the window as %+v", got)
	}
	if !strings.Contains(logs.String(), "disk I/O error at /secret/place") {
		t.Fatal("an internal error was not logged in full")
	}
}

func TestUsers_Flags(t *testing.T) {
	a, _, _ := testApp(t)
	state, _ := a.System.GetState()
	ada, err := a.Users.FindUserByID(state.Admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !ada.IsSelf || !ada.IsLastAdmin || ada.RoleName != "Administrator" {
		t.Fatalf("ada = %+v", ada)
	}
	_, err = a.Users.ChangeUserRole(ada.ID, ChangeRoleParams{RoleID: backend.RoleUser})
	if backend.ErrorCode(err) != backend.EFORBIDDEN {
		t.Fatalf("demoting the only administrator: %v", err)
	}
}

func TestUsers_FindDirectory(t *testing.T) {
	a, _, _ := testApp(t)
	if _, err := a.Invitations.InviteUser(InviteParams{Email: "grace@example.org", Role: "administrator"}); err != nil {
		t.Fatal(err)
	}
	page, err := a.Users.FindDirectory(DirectoryParams{Sort: "email", Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 || len(page.Entries) != 2 {
		t.Fatalf("page = %+v", page)
	}
	inv := page.Entries[0]
	if inv.Kind != backend.EntryInvitation || inv.Email != "grace@example.org" || inv.Status != backend.EntryPending ||
		inv.RoleName != "Administrator" || inv.JoinedAt == "" || inv.ExpiresAt == "" {
		t.Fatalf("invitation row = %+v", inv)
	}
	if _, err := a.Users.FindDirectory(DirectoryParams{Status: "asleep"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("unknown status: %v", err)
	}
}

func TestUsers_ExportUsers(t *testing.T) {
	a, db, _ := testApp(t)
	inv, err := a.Invitations.InviteUser(InviteParams{Email: "mallory@example.org", Role: "user"})
	if err != nil {
		t.Fatal(err)
	}
	// A member whose name is a formula: the export must not let a spreadsheet run it.
	mail, err := sqlite.NewOutboxService(db).FindOutboxEntryByID(context.Background(), inv.OutboxID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewInvitationService(db).AcceptInvitation(context.Background(),
		backend.AcceptParams{Token: mail.Data[backend.MailDataToken], Name: `=HYPERLINK("http://evil.example","x")`, PasswordHash: "h"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "users")
	withDialogs(t, fileDialogs{path})
	got, err := a.Users.ExportUsers(UsersExportParams{ExportParams: ExportParams{Format: "csv"}})
	if err != nil {
		t.Fatal(err)
	}
	if got != path+".csv" {
		t.Fatalf("saved to %q, want the .csv extension added", got)
	}
	b, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Sorted by name: punctuation sorts before letters.
	if len(rows) != 3 || rows[0][0] != "name" || rows[1][0] != `'=HYPERLINK("http://evil.example","x")` || rows[2][0] != "Ada Admin" {
		t.Fatalf("rows = %q", rows)
	}

	// Cancelled: nothing written.
	withDialogs(t, fileDialogs{""})
	if got, err := a.Users.ExportUsers(UsersExportParams{ExportParams: ExportParams{Format: "xlsx"}}); got != "" || err != nil {
		t.Fatalf("cancelled export: %q %v", got, err)
	}
	// A directory that cannot be written: a clear message, no half file.
	withDialogs(t, fileDialogs{filepath.Join(t.TempDir(), "missing", "users.xlsx")})
	_, err = a.Users.ExportUsers(UsersExportParams{ExportParams: ExportParams{Format: "xlsx"}})
	if backend.ErrorCode(err) != backend.EUNAVAILABLE || !strings.Contains(backend.ErrorMessage(err), "no such file or directory") {
		t.Fatalf("unwritable: %v", err)
	}
	_, err = a.Users.ExportUsers(UsersExportParams{ExportParams: ExportParams{Format: "pdf"}})
	if backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("pdf: %v", err)
	}
}

func TestAudit_ExportAuditLog(t *testing.T) {
	a, _, _ := testApp(t)
	if _, err := a.Roles.CreateRole(RoleParams{Name: "Support", Permissions: []backend.Permission{backend.PermChat}}); err != nil {
		t.Fatal(err)
	}
	page, err := a.Audit.FindAuditEntries(AuditParams{Action: backend.AuditRoleCreated})
	if err != nil || page.Total != 1 || page.Entries[0].ActorName != "Ada Admin" || page.Entries[0].TargetLabel != "Support" {
		t.Fatalf("audit page = %+v %v", page, err)
	}
	if page.Entries[0].ActorClient != "" {
		t.Fatalf("a change in the desktop names a client: %+v", page.Entries[0])
	}
	// An entry written through a client (as the admin API writes them).
	via := backend.NewContextWithActor(context.Background(), backend.Actor{Name: "Ada Admin", Client: "Ada's laptop"})
	if _, err := a.deps.Roles.CreateRole(via, backend.RoleParams{Name: "Remote", Permissions: []backend.Permission{backend.PermChat}}); err != nil {
		t.Fatal(err)
	}
	page, err = a.Audit.FindAuditEntries(AuditParams{Search: "Remote"})
	if err != nil || page.Total != 1 || page.Entries[0].ActorClient != "Ada's laptop" {
		t.Fatalf("audit page = %+v %v", page, err)
	}
	path := filepath.Join(t.TempDir(), "audit.xlsx")
	withDialogs(t, fileDialogs{path})
	if got, err := a.Audit.ExportAuditLog(AuditExportParams{ExportParams: ExportParams{Format: "xlsx"}}); err != nil || got != path {
		t.Fatalf("export: %q %v", got, err)
	}
	if _, err := a.Audit.FindAuditEntries(AuditParams{From: "yesterday"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("bad time: %v", err)
	}
}

func TestScreens(t *testing.T) {
	for args, want := range map[string]string{
		"--db /x.db --open invite-multiple": "invite-multiple",
		"--open=USERS":                      "users",
		"--open billing":                    "",
		"--colour blue --open users":        "",
		"":                                  "",
	} {
		if got := screenFromArgs(strings.Fields(args)); got != want {
			t.Errorf("screenFromArgs(%q) = %q, want %q", args, got, want)
		}
	}
	a := New(Deps{StartScreen: "invitations"})
	if s, _ := a.System.TakeStartScreen(); s != "invitations" {
		t.Fatalf("first take = %q", s)
	}
	if s, _ := a.System.TakeStartScreen(); s != "" {
		t.Fatalf("second take = %q, want nothing (a reload must not reopen it)", s)
	}
}

func TestSystemLocale(t *testing.T) {
	for env, want := range map[string]string{
		"en_GB.UTF-8": "en-GB",
		"de_AT.UTF-8": "de-AT",
		"de_DE@euro":  "de-DE",
		"C.UTF-8":     "",
		"POSIX":       "",
		"":            "",
		"sr_RS@latin": "sr-RS",
	} {
		got := SystemLocale(func(k string) string {
			if k == "LANG" {
				return env
			}
			return ""
		})
		if got != want {
			t.Errorf("LANG=%q gives %q, want %q", env, got, want)
		}
	}
}
