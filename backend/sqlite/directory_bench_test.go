package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// benchDB is one database with 100,000 members and 100,000 invitations,
// built once per benchmark run (it takes about half a minute), or the one
// ROSTER_BENCH_DB names: a database SeedDemoData filled with 100,000 before,
// for short runs while changing the list's queries.
var benchDB = struct {
	once sync.Once
	path string
	dir  string // the temporary directory of a database seeded here, removed at the end
	err  error
}{}

// TestMain removes the database the benchmarks seeded (about 350 MB) once
// every benchmark has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB.dir != "" {
		os.RemoveAll(benchDB.dir)
	}
	os.Exit(code)
}

func openBenchDB(b *testing.B) (*sqlite.DB, *sql.DB) {
	b.Helper()
	benchDB.once.Do(func() {
		if p := os.Getenv("ROSTER_BENCH_DB"); p != "" {
			benchDB.path = p
			return
		}
		dir, err := os.MkdirTemp("", "roster-bench-")
		if err != nil {
			benchDB.err = err
			return
		}
		benchDB.dir = dir
		benchDB.path = filepath.Join(dir, "roster.db")
		db := sqlite.NewDB(benchDB.path)
		if benchDB.err = db.Open(); benchDB.err != nil {
			return
		}
		defer db.Close()
		benchDB.err = sqlite.SeedDemoData(context.Background(), db, 100_000)
	})
	if benchDB.err != nil {
		b.Fatal(benchDB.err)
	}
	db := sqlite.NewDB(benchDB.path)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+benchDB.path+"?_journal_mode=WAL&_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close(); raw.Close() })
	return db, raw
}

// The searches of the issue: a term matching many rows, few rows and none.
var benchSearches = []struct{ name, term string }{
	{"Many", "example"}, {"Many", "müller"}, {"Few", "12345"}, {"Few", "mueller.9999"}, {"None", "zzzq"},
	// Thousands of matches that are not all whole words, or are part of a
	// longer word: the cases the word index cannot answer alone.
	{"Thousands", "hoffmann"}, {"Thousands", "ers."}, {"Thousands", "sch"},
}

// BenchmarkFindDirectory is a page of 50 rows of the Users list over
// 100,000 members and 100,000 invitations, with its total.
func BenchmarkFindDirectory(b *testing.B) {
	db, _ := openBenchDB(b)
	s := sqlite.NewDirectoryService(db)
	ctx := context.Background()
	cases := []struct {
		name   string
		filter backend.DirectoryFilter
	}{
		{"NoSearch/ByName", backend.DirectoryFilter{Limit: 50}},
		{"NoSearch/ByJoinedAtDesc", backend.DirectoryFilter{Limit: 50, Sort: backend.SortOrder{Column: "joinedAt", Desc: true}}},
		{"NoSearch/ByRole", backend.DirectoryFilter{Limit: 50, Sort: backend.SortOrder{Column: "role"}}},
		{"NoSearch/RoleFilter", backend.DirectoryFilter{Limit: 50, RoleID: ptr(backend.RoleAdministrator)}},
		{"NoSearch/Offset50000", backend.DirectoryFilter{Limit: 50, Offset: 50000}},
	}
	for _, s := range benchSearches {
		cases = append(cases, struct {
			name   string
			filter backend.DirectoryFilter
		}{fmt.Sprintf("Search%s/%s", s.name, s.term), backend.DirectoryFilter{Limit: 50, Search: ptr(s.term)}})
	}
	// Short terms match word starts through the word index: one that matches
	// nothing, one letter that starts a word of every row, two that start a
	// surname of one row in 26.
	for _, s := range []struct{ name, term string }{{"ShortRare", "zq"}, {"ShortMany", "e"}, {"ShortMany", "ko"}} {
		cases = append(cases, struct {
			name   string
			filter backend.DirectoryFilter
		}{fmt.Sprintf("Search%s/%s", s.name, s.term), backend.DirectoryFilter{Limit: 50, Search: ptr(s.term)}})
	}
	for _, tt := range cases {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				page, err := s.FindDirectory(ctx, tt.filter)
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Entries) == 0 && page.Total > 0 {
					b.Fatal("no rows on a page of a non-empty result")
				}
			}
		})
	}
	// A desktop that syncs also reads the page's sync marks: a look at
	// the pending operations and conflicts, and while there are any one
	// more query, for the page's ids.
	b.Run("NoSearch/ByName/Syncing", func(b *testing.B) {
		db.OpLog.SetClient("c-bench")
		defer db.OpLog.SetClient("")
		for b.Loop() {
			if _, err := s.FindDirectory(ctx, backend.DirectoryFilter{Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("NoSearch/ByName/SyncingPending", func(b *testing.B) {
		db.OpLog.SetClient("c-bench")
		defer db.OpLog.SetClient("")
		_, raw := openBenchDB(b)
		if _, err := raw.Exec(`INSERT INTO sync_ops (kind, at, data, undo, created_at)
			SELECT 'user.deactivate', '2026-01-01T00:00:00.000Z', json_object('id', ref_id), '[]', '2026-01-01T00:00:00.000Z'
			FROM directory ORDER BY id DESC LIMIT 10000`); err != nil {
			b.Fatal(err)
		}
		defer raw.Exec(`DELETE FROM sync_ops`)
		for b.Loop() {
			if _, err := s.FindDirectory(ctx, backend.DirectoryFilter{Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRawDirectoryPage is the baseline: the bare SELECT ... LIMIT 50 on
// the same table, without a total, and the naive LIKE search with its count.
func BenchmarkRawDirectoryPage(b *testing.B) {
	_, raw := openBenchDB(b)
	scan := func(b *testing.B, query string, args ...any) {
		rows, err := raw.Query(query, args...)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var kind, id, name, email string
			if err := rows.Scan(&kind, &id, &name, &email); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
	}
	b.Run("SelectLimit50", func(b *testing.B) {
		for b.Loop() {
			scan(b, `SELECT kind, ref_id, name, email FROM directory ORDER BY sort_key LIMIT 50`)
		}
	})
	for _, s := range benchSearches {
		b.Run(fmt.Sprintf("NaiveLike%s/%s", s.name, s.term), func(b *testing.B) {
			pattern := "%" + strings.ReplaceAll(s.term, "ü", "u") + "%"
			for b.Loop() {
				var n int
				if err := raw.QueryRow(`SELECT count(*) FROM directory WHERE search_text LIKE ?`, pattern).Scan(&n); err != nil {
					b.Fatal(err)
				}
				scan(b, `SELECT kind, ref_id, name, email FROM directory WHERE search_text LIKE ? ORDER BY sort_key LIMIT 50`, pattern)
			}
		})
	}
}

// BenchmarkOpenNewDB opens a new file and applies every migration.
func BenchmarkOpenNewDB(b *testing.B) {
	dir := b.TempDir()
	i := 0
	b.Run("Roster", func(b *testing.B) {
		for b.Loop() {
			i++
			db := sqlite.NewDB(filepath.Join(dir, fmt.Sprintf("r%d.db", i)))
			if err := db.Open(); err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
	// Baseline: open a new file in WAL mode and create one table.
	b.Run("RawOneTable", func(b *testing.B) {
		for b.Loop() {
			i++
			raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, fmt.Sprintf("b%d.db", i))+"?_journal_mode=WAL")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := raw.Exec(`CREATE TABLE t (id TEXT PRIMARY KEY, name TEXT)`); err != nil {
				b.Fatal(err)
			}
			raw.Close()
		}
	})
}

// BenchmarkInviteUsers stores 100,000 valid invitations in one transaction,
// beside bare prepared-insert loops of the same rows.
func BenchmarkInviteUsers(b *testing.B) {
	params := benchInviteParams(100_000, func(i int) string { return fmt.Sprintf("person.%d@example.org", i) })
	newEnvB := func(b *testing.B) *env {
		b.StopTimer()
		defer b.StartTimer()
		return newEnv(b)
	}
	b.Run("Roster", func(b *testing.B) {
		for b.Loop() {
			e := newEnvB(b)
			if _, err := e.invitations.InviteUsers(e.ctx, params, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	rows := newBareInvitations(params)
	b.Run("BareInvitations", func(b *testing.B) {
		for b.Loop() {
			insertBareInvitations(b, newEnvB(b), rows, false)
		}
	})
	b.Run("BareInvitationsAndOutbox", func(b *testing.B) {
		for b.Loop() {
			insertBareInvitations(b, newEnvB(b), rows, true)
		}
	})
}

// benchInviteParams are the rows of a benchmark's bulk invitation: n of
// them (ROSTER_BENCH_ROWS, if set, instead), each tenth an Administrator,
// with the address email(i).
func benchInviteParams(n int, email func(i int) string) []backend.InviteParams {
	if v := os.Getenv("ROSTER_BENCH_ROWS"); v != "" {
		fmt.Sscan(v, &n)
	}
	params := make([]backend.InviteParams, n)
	for i := range params {
		role := "User"
		if i%10 == 0 {
			role = "administrator"
		}
		params[i] = backend.InviteParams{Email: email(i), Role: role}
	}
	return params
}

// bareInvitation is an invitation row as InviteUsers stores it, for the
// bare loops that are the baselines of the import benchmarks.
type bareInvitation struct {
	id, email, search string
	sortKey, hash     []byte
}

// newBareInvitations computes the rows of params (ids, keys, hashes and
// sort keys) before the clock starts.
func newBareInvitations(params []backend.InviteParams) []bareInvitation {
	rows := make([]bareInvitation, len(params))
	for i, p := range params {
		_, hash := sqlite.NewToken()
		rows[i] = bareInvitation{fmt.Sprintf("01%06x-0000-7000-8000-000000000000", i), p.Email, sqlite.SearchText("", p.Email),
			sqlite.SortKey(p.Email), hash}
	}
	return rows
}

// insertBareInvitations inserts what InviteUsers stores, byte for byte, by
// a bare prepared loop in one transaction: the invitation rows (the Users
// list and its search index follow through the schema's triggers), and
// with withOutbox their outbox entries too.
func insertBareInvitations(b *testing.B, e *env, rows []bareInvitation, withOutbox bool) {
	tx, err := e.raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id, role_name,
		invited_by_name, token_hash, state, created_at, sent_at, expires_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'user', 'User', 'Ada Admin', ?, 'pending', '2026-01-01T00:00:00.000Z',
		'2026-01-01T00:00:00.000Z', '2026-01-08T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`)
	if err != nil {
		b.Fatal(err)
	}
	out, err := tx.Prepare(`INSERT INTO outbox (kind, recipient, invitation_id, data, state, next_attempt_at, created_at, updated_at)
		VALUES ('invitation', ?, ?, '{}', 'queued', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		if _, err := ins.Exec(r.id, r.email, r.email, r.sortKey, r.search, r.hash); err != nil {
			b.Fatal(err)
		}
		if withOutbox {
			if _, err := out.Exec(r.email, r.id); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
