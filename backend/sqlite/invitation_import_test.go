package sqlite_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// importRows returns n rows to import, a0@example.org, a1@…
func importRows(n int) []backend.InviteParams {
	rows := make([]backend.InviteParams, n)
	for i := range rows {
		rows[i] = backend.InviteParams{Email: fmt.Sprintf("a%d@example.org", i), Role: "user"}
	}
	return rows
}

// listTotal is the Users list's total, from the counters, and the number of
// its rows a search for "example.org" finds (all but Ada Admin's).
func (e *env) listTotal(t testing.TB) (counted, searched int) {
	t.Helper()
	page, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	found, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Limit: 100, Search: ptr("example.org")})
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Entries) != found.Total {
		t.Fatalf("search found %d rows, total %d", len(found.Entries), found.Total)
	}
	return page.Total, found.Total
}

// assertNothingStaged checks that a database holds no trace of an import
// but the rows of want invitations: no staged rows, no held emails, the list
// and its counters and search index agree.
func assertNothingStaged(t *testing.T, db *sqlite.DB, wantInvitations int) {
	t.Helper()
	e := &env{db: db, raw: rawOf(t, db), directory: sqlite.NewDirectoryService(db)}
	e.ctx = t.Context()
	for query, want := range map[string]int{
		`SELECT count(*) FROM imports`:                                              0,
		`SELECT count(*) FROM invitations`:                                          wantInvitations,
		`SELECT count(*) FROM outbox`:                                               wantInvitations,
		`SELECT count(*) FROM directory WHERE kind = 'invitation'`:                  wantInvitations,
		`SELECT count(*) FROM outbox WHERE next_attempt_at >= '9999'`:               0,
		`SELECT COALESCE(sum(n), 0) FROM directory_counts WHERE status = 'pending'`: wantInvitations,
	} {
		if n := e.count(t, query); n != want {
			t.Fatalf("%s = %d, want %d", query, n, want)
		}
	}
	for _, index := range []string{"directory_fts", "directory_words"} {
		if _, err := e.raw.Exec(`INSERT INTO ` + index + ` (` + index + `) VALUES ('integrity-check')`); err != nil {
			t.Fatalf("search index %s: %v", index, err)
		}
	}
	if counted, searched := e.listTotal(t); counted != wantInvitations+1 || searched != wantInvitations {
		t.Fatalf("list total %d, search %d, want %d", counted, searched, wantInvitations+1)
	}
}

func TestInvitationService_InviteUsersStaged(t *testing.T) {
	sqlite.SetImportTxRows(2)
	t.Cleanup(func() { sqlite.SetImportTxRows(4096) })

	t.Run("OtherWritesBetweenChunks", func(t *testing.T) {
		e := newEnv(t)
		rows := importRows(7)
		checked := false
		_, err := e.invitations.InviteUsers(e.ctx, rows, func(done, total int) {
			if checked || done == 0 || done == total {
				return
			}
			checked = true
			// The import holds no lock between its transactions: this invitation is stored now.
			e.invite(t, "single@example.org", "user")
			// An address it has staged is reserved.
			_, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: rows[0].Email, Role: "user"})
			assertKey(t, err, backend.ECONFLICT, "invitation.exists")
			// Nothing of it is visible yet: not listed, not counted, not found, no email to send.
			if counted, searched := e.listTotal(t); counted != 2 || searched != 1 {
				t.Fatalf("while staged: list total %d, search %d", counted, searched)
			}
			if _, n, err := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{}); err != nil || n != 1 {
				t.Fatalf("while staged: %d invitations, %v", n, err)
			}
			mail, err := sqlite.NewOutboxService(e.db).ClaimOutboxEntries(e.ctx, 100)
			if err != nil || len(mail) != 1 || mail[0].To != "single@example.org" {
				t.Fatalf("while staged: claimed %d emails, %v", len(mail), err)
			}
			if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditInvitationsImported); n != 0 {
				t.Fatalf("while staged: %d audit entries", n)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if !checked {
			t.Fatal("the import was stored in one transaction")
		}
		if counted, searched := e.listTotal(t); counted != 9 || searched != 8 {
			t.Fatalf("list total %d, search %d", counted, searched)
		}
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditInvitationsImported); n != 7 {
			t.Fatalf("%d audit entries", n)
		}
		if n := e.count(t, `SELECT count(*) FROM outbox WHERE state = 'queued' AND next_attempt_at < '9999'`); n != 7 {
			t.Fatalf("%d emails released", n)
		}
		if n := e.count(t, `SELECT count(*) FROM imports`); n != 0 {
			t.Fatalf("%d imports left", n)
		}
	})

	t.Run("ErrRowInvitedMeanwhile", func(t *testing.T) {
		e := newEnv(t)
		rows := importRows(7)
		_, err := e.invitations.InviteUsers(e.ctx, rows, func(done, total int) {
			if done == 2 {
				e.invite(t, rows[5].Email, "user")
			}
		})
		assertKey(t, err, backend.ECONFLICT, "invitation.exists")
		if index := backend.AsError(err).Args["index"]; index != 5 {
			t.Fatalf("index = %v, want 5", index)
		}
		// All or none: only the other invitation is left.
		assertNothingStaged(t, e.db, 1)
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditInvitationsImported); n != 0 {
			t.Fatalf("%d audit entries", n)
		}
	})

	// crashCopy imports 7 rows and returns a copy of the database as it was
	// committed after the first staging transaction, or after the
	// publication: what a crash at that moment would leave.
	crashCopy := func(t *testing.T, e *env, published bool) string {
		path := filepath.Join(t.TempDir(), "crashed.db")
		copied := false
		sqlite.SetImportHook(e.invitations, func(_ int64, p bool) error {
			if p == published && !copied {
				copied = true
				if _, err := e.raw.Exec(`VACUUM INTO ?`, path); err != nil {
					return err
				}
			}
			return nil
		})
		if _, err := e.invitations.InviteUsers(e.ctx, importRows(7), nil); err != nil {
			t.Fatal(err)
		}
		return path
	}

	t.Run("CrashBeforePublicationRemovedAtOpen", func(t *testing.T) {
		e := newEnv(t)
		path := crashCopy(t, e, false)
		raw := openRaw(t, path)
		var staged int
		if err := raw.QueryRow(`SELECT count(*) FROM invitations i JOIN imports m ON m.id = i.import_id AND m.state = 'staged'`).Scan(&staged); err != nil || staged != 2 {
			t.Fatalf("the copy has %d staged invitations (%v)", staged, err)
		}
		raw.Close()
		db := sqlite.NewDB(path)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		assertNothingStaged(t, db, 0)
	})

	t.Run("CrashAfterPublicationCompletedAtOpen", func(t *testing.T) {
		e := newEnv(t)
		path := crashCopy(t, e, true)
		raw := openRaw(t, path)
		var held int
		if err := raw.QueryRow(`SELECT count(*) FROM outbox WHERE next_attempt_at >= '9999'`).Scan(&held); err != nil || held != 7 {
			t.Fatalf("the copy has %d held emails (%v)", held, err)
		}
		raw.Close()
		db := sqlite.NewDB(path)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		assertNothingStaged(t, db, 7)
		e2 := &env{raw: rawOf(t, db)}
		if n := e2.count(t, `SELECT count(*) FROM audit_log WHERE action = ?`, backend.AuditInvitationsImported); n != 7 {
			t.Fatalf("%d audit entries", n)
		}
	})
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func rawOf(t *testing.T, db *sqlite.DB) *sql.DB { return openRaw(t, db.Path()) }
