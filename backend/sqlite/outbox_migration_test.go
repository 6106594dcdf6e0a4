package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"roster/backend"
)

// migration0006 is the migration that lets the outbox hold password_changed.
const migration0006 = "migration/0006_outbox_password_changed.sql"

// openBefore opens a new database with every migration before the named one
// applied, and not that one or any later one.
func openBefore(tb testing.TB, before string) *DB {
	tb.Helper()
	db := NewDB(filepath.Join(tb.TempDir(), "roster.db"))
	raw, err := sql.Open("sqlite3", "file:"+db.path+"?_foreign_keys=on&_txlock=immediate&_busy_timeout=5000&_journal_mode=WAL")
	if err != nil {
		tb.Fatal(err)
	}
	db.db = raw
	tb.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) WITHOUT ROWID`); err != nil {
		tb.Fatal(err)
	}
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(names)
	for _, name := range names {
		if name >= before {
			break
		}
		if err := db.applyMigration(ctx, name); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
	}
	return db
}

// outboxRows renders every outbox row, every column, as text.
func outboxRows(tb testing.TB, db *DB) []string {
	tb.Helper()
	rows, err := db.db.Query(`SELECT id, kind, recipient, invitation_id, password_reset_id, hex(data), state, attempts,
		next_attempt_at, last_error, created_at, updated_at, sent_at, error_category FROM outbox ORDER BY id`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := make([]any, 14)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%v", vals))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// schemaOf lists the indexes and triggers on a table by name.
func schemaOf(tb testing.TB, db *DB, table string) []string {
	tb.Helper()
	rows, err := db.db.Query(`SELECT type || ' ' || name FROM sqlite_master
		WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY 1`, table)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// checkIntegrity fails the test on a foreign key violation or damage.
func checkIntegrity(tb testing.TB, db *DB) {
	tb.Helper()
	rows, err := db.db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		tb.Fatal(err)
	}
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fk int
		rows.Scan(&table, &rowid, &parent, &fk)
		rows.Close()
		tb.Fatalf("foreign key violation: %s row %v refers to a missing %s", table, rowid, parent)
	}
	rows.Close()
	var ok string
	if err := db.db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		tb.Fatalf("integrity_check = %q, %v", ok, err)
	}
}

func TestMigrationOutboxPasswordChanged(t *testing.T) {
	ctx := backend.NewContextWithActor(context.Background(), backend.Actor{Name: "Ada Admin"})
	t.Run("OK", func(t *testing.T) {
		db := openBefore(t, migration0006)
		// Today's services write audit_log.actor_client, which 0008 adds,
		// read users.last_sign_in_at, which 0011 adds, and write the uids
		// 0012 adds: the columns are there for the seeding only and go
		// before migrating.
		if _, err := db.db.Exec(`ALTER TABLE audit_log ADD COLUMN actor_client TEXT`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`ALTER TABLE users ADD COLUMN last_sign_in_at TEXT`); err != nil {
			t.Fatal(err)
		}
		for _, add := range []string{`ALTER TABLE audit_log ADD COLUMN uid TEXT`, `ALTER TABLE organisation ADD COLUMN uid TEXT`} {
			if _, err := db.db.Exec(add); err != nil {
				t.Fatal(err)
			}
		}
		// An outbox as a desktop has it: invitations queued, sent and
		// cancelled, a reset, each sealed.
		_, admin, err := NewOrganisationService(db).SetupOrganisation(ctx, backend.SetupParams{
			OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		invitations := NewInvitationService(db)
		var last *backend.Invitation
		for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
			if last, err = invitations.InviteUser(ctx, backend.InviteParams{Email: email, Role: "user"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := invitations.DeleteInvitation(ctx, last.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := NewPasswordResetService(db).SendPasswordReset(ctx, admin.ID); err != nil {
			t.Fatal(err)
		}
		outbox := NewOutboxService(db)
		claimed, err := outbox.ClaimOutboxEntries(ctx, 1)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v, %v", claimed, err)
		}
		if err := outbox.MarkOutboxSent(ctx, claimed[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`ALTER TABLE audit_log DROP COLUMN actor_client`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`ALTER TABLE users DROP COLUMN last_sign_in_at`); err != nil {
			t.Fatal(err)
		}
		for _, drop := range []string{`ALTER TABLE audit_log DROP COLUMN uid`, `ALTER TABLE organisation DROP COLUMN uid`} {
			if _, err := db.db.Exec(drop); err != nil {
				t.Fatal(err)
			}
		}
		before, indexes := outboxRows(t, db), schemaOf(t, db, "outbox")
		if len(before) != 4 {
			t.Fatalf("%d outbox rows before the migration", len(before))
		}
		_, err = db.db.Exec(`INSERT INTO outbox (kind, recipient, state, next_attempt_at, created_at, updated_at)
			VALUES ('password_changed', 'a@example.com', 'queued', '', '', '')`)
		if err == nil {
			t.Fatal("the outbox took password_changed before the migration: the test proves nothing")
		}

		if err := db.migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if after := outboxRows(t, db); !slices.Equal(after, before) {
			t.Fatalf("rows changed:\nbefore %v\nafter  %v", before, after)
		}
		if got := schemaOf(t, db, "outbox"); !slices.Equal(got, indexes) {
			t.Fatalf("indexes and triggers on outbox: %v, before %v", got, indexes)
		}
		checkIntegrity(t, db)
		// The rows kept their sealed data, and the queue works on.
		entries, err := outbox.ClaimOutboxEntries(ctx, 10)
		if err != nil || len(entries) != 2 || entries[0].Data[backend.MailDataToken] == "" {
			t.Fatalf("claim after the migration: %v, %v", entries, err)
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		e := &backend.OutboxEntry{Kind: backend.MailPasswordChanged, To: "ada@example.com",
			Data: map[string]string{backend.MailDataRecipient: "Ada Admin"}}
		if err := enqueueMail(ctx, tx, e); err != nil {
			t.Fatalf("queue password_changed: %v", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, recipient, state, next_attempt_at, created_at, updated_at)
			VALUES ('newsletter', 'a@example.com', 'queued', '', '', '')`); err == nil {
			t.Fatal("the outbox took a kind that does not exist")
		}
	})
	t.Run("ErrDanglingReference", func(t *testing.T) {
		// A row whose reset is missing fails the whole migration, which
		// leaves the old table as it was.
		db := openBefore(t, migration0006)
		if _, err := db.db.Exec(`PRAGMA foreign_keys = off`); err != nil {
			t.Fatal(err)
		}
		db.db.SetMaxOpenConns(1)
		if _, err := db.db.Exec(`INSERT INTO outbox (kind, recipient, password_reset_id, state, next_attempt_at, created_at, updated_at)
			VALUES ('password_reset', 'a@example.com', 'gone', 'sent', '', '', '')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`PRAGMA foreign_keys = on`); err != nil {
			t.Fatal(err)
		}
		if err := db.migrate(context.Background()); err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Fatalf("migrate = %v, want a foreign key failure", err)
		}
		if rows := outboxRows(t, db); len(rows) != 1 {
			t.Fatalf("%d rows after the failed migration", len(rows))
		}
		var n int
		db.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'outbox_new'`).Scan(&n)
		if n != 0 {
			t.Fatal("the failed migration left outbox_new behind")
		}
	})
}

// TestMigrationsKeepOutboxIndexes: rebuilding the outbox (0006) drops every
// index and trigger on it; each one any migration defines must exist again
// afterwards. A later migration that adds one before 0006 in file order
// must be followed by 0006 creating it again.
func TestMigrationsKeepOutboxIndexes(t *testing.T) {
	db := openInternalDB(t)
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	defined := regexp.MustCompile(`(?is)CREATE\s+(?:UNIQUE\s+)?(INDEX|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+(?:[^;]*?\s)?ON\s+outbox\b`)
	want := map[string]bool{}
	for _, name := range names {
		body, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range defined.FindAllStringSubmatch(string(body), -1) {
			want[strings.ToLower(m[1])+" "+m[2]] = true
		}
	}
	if !want["index outbox_due"] {
		t.Fatalf("the pattern finds no outbox_due in the migrations: %v", want)
	}
	have := schemaOf(t, db, "outbox")
	for w := range want {
		if !slices.Contains(have, w) {
			t.Errorf("%s is defined by a migration but missing on the outbox (have %v)", w, have)
		}
	}
}
