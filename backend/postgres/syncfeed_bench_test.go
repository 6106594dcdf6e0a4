package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
)

// syncFeedBenchChanges is the size of BenchmarkSyncFeed's feed.
const syncFeedBenchChanges = 20_000

// BenchmarkSyncFeed measures the change feed on PostgreSQL (run it with
// scripts/with-postgres.sh). Capture inserts 20,000 audit entries in one
// transaction, one statement, each recorded by the feed's trigger; Bare
// inserts them with the trigger disabled, beside it. Pull reads a feed of
// 100,000 changes (audit entries written in transactions of 1,000, as
// pushed batches are) in pages of 5,000 with SyncFeed.Pull. Each run of
// Capture and Bare starts from a new database; setup is not timed.
//
//	scripts/with-postgres.sh go test -tags sqlite_fts5 -run '^$' -bench BenchmarkSyncFeed -benchtime 3x ./backend/postgres/
func BenchmarkSyncFeed(b *testing.B) {
	for _, bench := range []struct {
		name    string
		trigger bool
	}{{"Capture", true}, {"Bare", false}} {
		b.Run(bench.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				raw := benchDB(b)
				if !bench.trigger {
					if _, err := raw.Exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_sync`); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				insertAudit(b, raw, syncFeedBenchChanges)
			}
			b.ReportMetric(float64(syncFeedBenchChanges*b.N)/b.Elapsed().Seconds(), "changes/s")
		})
	}
	b.Run("Pull", func(b *testing.B) {
		url := pgtest.NewDatabase(b)
		st := postgres.NewStorage(mustOpen(b, url))
		raw, err := sql.Open("pgx", url)
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		for range 100 {
			insertAudit(b, raw, 1000)
		}
		var n int
		for b.Loop() {
			n = 0
			for cursor, more := int64(0), true; more; {
				res, err := st.SyncFeed.Pull(context.Background(), "desk", cursor, 5000)
				if err != nil {
					b.Fatal(err)
				}
				n += len(res.Changes)
				cursor, more = res.Cursor, res.More
			}
		}
		b.ReportMetric(float64(n), "changes")
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
	})
}

// benchDB returns a connection to a new migrated database.
func benchDB(b *testing.B) *sql.DB {
	b.Helper()
	url := pgtest.NewDatabase(b)
	mustOpen(b, url)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	return raw
}

// insertAudit inserts n audit entries in one statement.
func insertAudit(b *testing.B, raw *sql.DB, n int) {
	b.Helper()
	if _, err := raw.Exec(`INSERT INTO audit_log (at, actor_name, action, target_type, target_id, target_label, before, after)
		SELECT now(), 'Ada Admin', 'user.role_changed', 'user', 'u' || g, 'Member ' || g, '{"role":"User"}', '{"role":"Support"}'
		FROM generate_series(1, $1::int) AS g`, n); err != nil {
		b.Fatal(err)
	}
}
