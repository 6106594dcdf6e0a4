package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

// MustOpenDB opens a new database file in a temp dir and closes it at the end of the test.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// fixedClock returns a clock that tests can move, starting an hour after the
// real time (so after anything the test set up before), to the millisecond.
func fixedClock(db *sqlite.DB) *time.Time {
	now := time.Now().UTC().Add(time.Hour).Truncate(time.Millisecond)
	db.Now = func() time.Time { return now }
	return &now
}

// mustSetup completes the first-run setup with an administrator.
func mustSetup(tb testing.TB, db *sqlite.DB) *backend.User {
	tb.Helper()
	_, admin, err := sqlite.NewOrganisationService(db).SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com",
	})
	if err != nil {
		tb.Fatal(err)
	}
	return admin
}

func assertCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := backend.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestDB_Open(t *testing.T) {
	t.Run("CreatesDirectoryAndReopens", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nested", "dir", "roster.db")
		db := sqlite.NewDB(path)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		mustSetup(t, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		// A second open applies nothing twice and keeps the data.
		db = sqlite.NewDB(path)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		org, err := sqlite.NewOrganisationService(db).FindOrganisation(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if org.Name != "Example Ltd" {
			t.Fatalf("organisation name = %q", org.Name)
		}
	})

	t.Run("NotADatabase", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "roster.db")
		if err := os.WriteFile(path, []byte("email,role\nada@example.com,User\n"+string(make([]byte, 4096))), 0o600); err != nil {
			t.Fatal(err)
		}
		err := sqlite.NewDB(path).Open()
		assertCode(t, err, backend.EINVALID)
	})
}

func TestOrganisationService_SetupOrganisation(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		now := fixedClock(db)
		s := sqlite.NewOrganisationService(db)
		if _, err := s.FindOrganisation(ctx); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("before setup: %v, want not found", err)
		}
		org, admin, err := s.SetupOrganisation(ctx, backend.SetupParams{
			OrganisationName: "  Example Ltd ", AdminName: " Ada Admin", AdminEmail: "Ada@Example.COM ",
		})
		if err != nil {
			t.Fatal(err)
		}
		if org.Name != "Example Ltd" || admin.Name != "Ada Admin" || admin.Email != "Ada@example.com" {
			t.Fatalf("got %+v %+v", org, admin)
		}
		if admin.RoleID != backend.RoleAdministrator || admin.RoleName != "Administrator" || admin.Status != backend.UserActive {
			t.Fatalf("admin = %+v", admin)
		}
		if !admin.JoinedAt.Equal(*now) {
			t.Fatalf("joined at %v, want %v", admin.JoinedAt, *now)
		}
		cur, err := s.FindCurrentAdmin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cur.ID != admin.ID || cur.Email != admin.Email {
			t.Fatalf("current admin = %+v, want %+v", cur, admin)
		}
	})

	t.Run("ErrAlreadySetUp", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSetup(t, db)
		_, _, err := sqlite.NewOrganisationService(db).SetupOrganisation(ctx, backend.SetupParams{
			OrganisationName: "Other", AdminName: "Bob", AdminEmail: "bob@example.com",
		})
		assertCode(t, err, backend.ECONFLICT)
	})

	for _, tt := range []struct {
		name, field string
		params      backend.SetupParams
	}{
		{"ErrOrganisationNameRequired", "organisationName", backend.SetupParams{AdminName: "Ada", AdminEmail: "ada@example.com"}},
		{"ErrAdminNameRequired", "adminName", backend.SetupParams{OrganisationName: "Org", AdminName: "  ", AdminEmail: "ada@example.com"}},
		{"ErrAdminNameLineBreak", "adminName", backend.SetupParams{OrganisationName: "Org", AdminName: "Ada\nBcc: x", AdminEmail: "ada@example.com"}},
		{"ErrAdminEmailInvalid", "adminEmail", backend.SetupParams{OrganisationName: "Org", AdminName: "Ada", AdminEmail: "ada@localhost"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			s := sqlite.NewOrganisationService(db)
			_, _, err := s.SetupOrganisation(ctx, tt.params)
			assertCode(t, err, backend.EINVALID)
			if e := backend.AsError(err); e.Field != tt.field {
				t.Fatalf("field = %q, want %q", e.Field, tt.field)
			}
			if _, err := s.FindOrganisation(ctx); backend.ErrorCode(err) != backend.ENOTFOUND {
				t.Fatalf("a refused setup left an organisation behind: %v", err)
			}
		})
	}
}

func TestSettingService(t *testing.T) {
	ctx := context.Background()
	s := sqlite.NewSettingService(MustOpenDB(t))
	var p backend.Preferences
	assertCode(t, s.FindSetting(ctx, backend.SettingPreferences, &p), backend.ENOTFOUND)
	for _, lang := range []string{"de", "en"} {
		if err := s.UpdateSetting(ctx, backend.SettingPreferences, backend.Preferences{Language: lang}); err != nil {
			t.Fatal(err)
		}
		if err := s.FindSetting(ctx, backend.SettingPreferences, &p); err != nil {
			t.Fatal(err)
		}
		if p.Language != lang {
			t.Fatalf("language = %q, want %q", p.Language, lang)
		}
	}
}

// TestDB_Busy holds the write lock from another connection: a write that
// cannot get it in time is a coded "busy", not an internal error.
func TestDB_Busy(t *testing.T) {
	t.Run("ErrBusy", func(t *testing.T) {
		e := newEnv(t)
		e.db.Close()
		db := sqlite.NewDB(e.db.Path())
		db.BusyTimeout = 50 * time.Millisecond
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := e.raw.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(context.Background(), `ROLLBACK`)
		_, err = sqlite.NewInvitationService(db).InviteUser(e.ctx, backend.InviteParams{Email: "bo@example.com", Role: "user"})
		assertKey(t, err, backend.EUNAVAILABLE, "busy")
	})
	t.Run("ErrBusyInProcess", func(t *testing.T) {
		db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
		db.BusyTimeout = 50 * time.Millisecond
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tx, err := db.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		outbox := sqlite.NewOutboxService(db)
		_, err = outbox.ClaimOutboxEntries(context.Background(), 1)
		assertKey(t, err, backend.EUNAVAILABLE, "busy")
		tx.Rollback()
		// Once it ends, the next writer gets in.
		if _, err := outbox.ClaimOutboxEntries(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
	})
}
