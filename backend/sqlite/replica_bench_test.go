package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

// syncBenchServer is a directory server's database with about 100,000
// changes to pull: SeedDemoData's 40,000 members and 40,000 invitations,
// and 20,000 audit entries, numbered by a first pull (not timed).
func syncBenchServer(b *testing.B) (*env, *feed, int) {
	b.Helper()
	db := MustOpenDB(b)
	if err := sqlite.SeedDemoData(context.Background(), db, 40000); err != nil {
		b.Fatal(err)
	}
	e := &env{db: db, raw: rawDB(b, db)}
	admin, err := sqlite.NewOrganisationService(db).FindCurrentAdmin(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	e.admin, e.ctx = admin, backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name})
	tx, err := e.raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i := range 20000 {
		if _, err := tx.Exec(`INSERT INTO audit_log (uid, at, actor_id, actor_name, actor_client, action, target_type, target_id,
			target_label, before, after) VALUES (?, ?, ?, 'Ada Admin', 'Roster on ada-laptop', 'user.role_changed', 'user', ?, ?, ?, ?)`,
			fmt.Sprintf("bench.%d.0", i), sqliteTime(at.Add(time.Duration(i)*time.Second)), admin.ID, fmt.Sprintf("u%d", i),
			fmt.Sprintf("Member %d <m%d@example.com>", i, i), `{"role":"User"}`, `{"role":"Support"}`); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	f := serveFeed(b, e)
	f.pull(b, 0, 1) // switches the feed on and numbers the rows
	var n int
	if err := e.raw.QueryRow(`SELECT count(*) FROM sync_changes`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return e, f, n
}

func sqliteTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// BenchmarkSyncPull pulls every change of a server with about 100,000
// (syncBenchServer) over loopback HTTP in pages of 5,000 and applies each
// page, with its cursor, to a new desktop database in a transaction of its
// own. BenchmarkSyncPullBare is the baseline.
func BenchmarkSyncPull(b *testing.B) {
	_, f, n := syncBenchServer(b)
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		replica := sqlite.NewDB(filepath.Join(dir, fmt.Sprintf("replica%d.db", i)))
		if err := replica.Open(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		f.syncInto(b, replica, backend.MaxPullLimit)
		b.StopTimer()
		if err := replica.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n), "changes")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
}

// BenchmarkSyncPullBare is BenchmarkSyncPull's baseline: the same rows
// read from the server's file with plain SELECTs and written into a new
// desktop database with plain prepared INSERTs (its Users list triggers
// included) in one transaction, the derived columns copied, not computed.
func BenchmarkSyncPullBare(b *testing.B) {
	srv, _, n := syncBenchServer(b)
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		replica := sqlite.NewDB(filepath.Join(dir, fmt.Sprintf("replica%d.db", i)))
		if err := replica.Open(); err != nil {
			b.Fatal(err)
		}
		replica.Close()
		raw, err := sql.Open("sqlite3", "file:"+replica.Path()+"?_foreign_keys=on&_synchronous=NORMAL")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		bareCopy(b, srv.raw, raw)
		b.StopTimer()
		raw.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n), "changes")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
}

// bareCopy copies the synced tables from one file to another, table by
// table, each through one SELECT and one prepared INSERT.
func bareCopy(b *testing.B, from, to *sql.DB) {
	b.Helper()
	tx, err := to.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, t := range []struct{ table, cols, conflict string }{
		{"roles", "id, name, name_key, built_in, created_at, updated_at", " ON CONFLICT DO NOTHING"},
		{"role_permissions", "role_id, permission", " ON CONFLICT DO NOTHING"},
		{"users", "id, name, email, email_key, sort_key, search_text, role_id, status, joined_at, removed_at, created_at, updated_at, last_sign_in_at", ""},
		{"invitations", "id, email, email_key, sort_key, search_text, role_id, role_name, invited_by_id, invited_by_name, token_hash, state, user_id, created_at, sent_at, expires_at, accepted_at, deleted_at, updated_at", ""},
		{"audit_log", "uid, at, actor_id, actor_name, actor_client, action, target_type, target_id, target_label, before, after", ""},
	} {
		rows, err := from.Query(`SELECT ` + t.cols + ` FROM ` + t.table)
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		marks := "?"
		for range len(cols) - 1 {
			marks += ", ?"
		}
		ins, err := tx.Prepare(`INSERT INTO ` + t.table + ` (` + t.cols + `) VALUES (` + marks + `)` + t.conflict)
		if err != nil {
			b.Fatal(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			if _, err := ins.Exec(vals...); err != nil {
				b.Fatalf("%s: %v", t.table, err)
			}
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		rows.Close()
		ins.Close()
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkUsersListDuringPull reads pages of the Users list (100 rows,
// the window's page, by name; then by join date, newest first) from a
// desktop's file again and again while a pull of about 100,000 changes
// (syncBenchServer) is applied to it, page by page, as the sync engine
// applies them: the window stays responsive when each read is fast. It
// reports the reads' median, 95th percentile and longest time; the
// baseline BenchmarkUsersListQuiet reads the same pages from the pulled
// file with nothing else running.
func BenchmarkUsersListDuringPull(b *testing.B) {
	_, f, _ := syncBenchServer(b)
	dir := b.TempDir()
	var reads []time.Duration
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		replica := sqlite.NewDB(filepath.Join(dir, fmt.Sprintf("replica%d.db", i)))
		if err := replica.Open(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		done := make(chan struct{})
		result := make(chan error, 1)
		go func() {
			var err error
			reads, err = readPagesUntil(replica, done)
			result <- err
		}()
		f.syncInto(b, replica, backend.MaxPullLimit)
		close(done)
		if err := <-result; err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		replica.Close()
		b.StartTimer()
	}
	reportReads(b, reads)
}

// BenchmarkUsersListQuiet is BenchmarkUsersListDuringPull's baseline: the
// same reads from the pulled file, with no pull running.
func BenchmarkUsersListQuiet(b *testing.B) {
	_, f, _ := syncBenchServer(b)
	replica := sqlite.NewDB(filepath.Join(b.TempDir(), "replica.db"))
	if err := replica.Open(); err != nil {
		b.Fatal(err)
	}
	defer replica.Close()
	f.syncInto(b, replica, backend.MaxPullLimit)
	var reads []time.Duration
	for b.Loop() {
		done := make(chan struct{})
		time.AfterFunc(5*time.Second, func() { close(done) })
		var err error
		if reads, err = readPagesUntil(replica, done); err != nil {
			b.Fatal(err)
		}
	}
	reportReads(b, reads)
}

// readPagesUntil reads Users list pages from db, alternating two sorts,
// until done is closed, and returns each read's time.
func readPagesUntil(db *sqlite.DB, done <-chan struct{}) ([]time.Duration, error) {
	dir := sqlite.NewDirectoryService(db)
	sorts := []backend.SortOrder{{}, {Column: "joinedAt", Desc: true}}
	var reads []time.Duration
	for n := 0; ; n++ {
		select {
		case <-done:
			return reads, nil
		default:
		}
		start := time.Now()
		if _, err := dir.FindDirectory(context.Background(), backend.DirectoryFilter{Sort: sorts[n%2], Limit: 100}); err != nil {
			return nil, err
		}
		reads = append(reads, time.Since(start))
	}
}

// reportReads reports the median, 95th and 99th percentiles and longest of reads.
func reportReads(b *testing.B, reads []time.Duration) {
	if len(reads) == 0 {
		b.Fatal("no page was read")
	}
	slices.Sort(reads)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(float64(len(reads)), "reads")
	b.ReportMetric(ms(reads[len(reads)/2]), "p50-ms")
	b.ReportMetric(ms(reads[len(reads)*95/100]), "p95-ms")
	b.ReportMetric(ms(reads[len(reads)*99/100]), "p99-ms")
	b.ReportMetric(ms(reads[len(reads)-1]), "max-ms")
}
