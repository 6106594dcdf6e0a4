package postgres_test

import (
	"database/sql"
	"strings"
	"sync"
	"testing"

	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
)

// TestOpen checks that server processes starting at once on a new database
// apply each migration once, and record it.
func TestOpen(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Run("Concurrent", func(t *testing.T) {
		const n = 4
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db := postgres.NewDB(url)
				errs[i] = db.Open()
				if errs[i] == nil {
					db.Close()
				}
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("open %d: %v", i, err)
			}
		}
	})
	t.Run("Recorded", func(t *testing.T) {
		raw, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		rows, err := raw.Query(`SELECT name FROM schema_migrations ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
		want := []string{"migration/0001_directory.sql", "migration/0002_server.sql", "migration/0003_audit_client.sql",
			"migration/0004_outbox_worker.sql", "migration/0005_oidc.sql", "migration/0006_last_sign_in.sql",
			"migration/0007_sync_ids.sql", "migration/0008_sync_ops.sql", "migration/0009_sync_feed.sql",
			"migration/0010_sync_feed_once.sql"}
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Fatalf("recorded migrations %v", names)
		}
		// Opening again applies nothing and fails nothing.
		db := mustOpen(t, url)
		if err := db.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrNoServer", func(t *testing.T) {
		db := postgres.NewDB("postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
		err := db.Open()
		if err == nil {
			db.Close()
			t.Fatal("opened a database on a closed port")
		}
		if got := err.Error(); strings.Contains(got, "secret") {
			t.Fatalf("the error shows the password: %s", got)
		}
	})
}
