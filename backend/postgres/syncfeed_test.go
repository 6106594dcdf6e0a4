package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"roster/backend"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
)

// setupOrg sets up the organisation on st and returns a context acting as
// its administrator.
func setupOrg(t *testing.T, st *backend.Storage) context.Context {
	t.Helper()
	_, admin, err := st.Organisations.SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name})
}

// pullAll reads the feed from cursor to its end and adds the entities it
// names to seen; it returns the last cursor.
func pullAll(t *testing.T, feed backend.SyncFeedService, cursor int64, seen map[string]bool) int64 {
	t.Helper()
	for {
		res, err := feed.Pull(context.Background(), "desk", cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Changes {
			seen[c.Entity+" "+c.ID] = true
		}
		cursor = res.Cursor
		if !res.More {
			return cursor
		}
	}
}

// TestSyncFeedSeed: the migration that starts the feed numbers the rows
// that exist then, so a first pull returns them.
func TestSyncFeedSeed(t *testing.T) {
	url := pgtest.NewDatabase(t)
	st := postgres.NewStorage(mustOpen(t, url))
	ctx := setupOrg(t, st)
	for i := range 3 {
		if _, err := st.Invitations.InviteUser(ctx, backend.InviteParams{Email: fmt.Sprintf("p%d@example.com", i), Role: "user"}); err != nil {
			t.Fatal(err)
		}
	}
	// Undo the migration, as if these rows had been made before it.
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP TABLE sync_changes; DROP TABLE sync_feed; DROP FUNCTION sync_capture CASCADE;
		DELETE FROM schema_migrations WHERE name = 'migration/0009_sync_feed.sql'`); err != nil {
		t.Fatal(err)
	}
	st = postgres.NewStorage(mustOpen(t, url))
	seen := map[string]bool{}
	pullAll(t, st.SyncFeed, 0, seen)
	var want int
	if err := raw.QueryRow(`SELECT (SELECT count(*) FROM roles) + (SELECT count(*) FROM users) +
		(SELECT count(*) FROM invitations) + (SELECT count(*) FROM audit_log)`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	// Two roles, the administrator, three invitations and their audit
	// entries, the setup's.
	if len(seen) != want || want != 2+1+3+4 {
		t.Fatalf("pulled %d entities of %d", len(seen), want)
	}
}

// TestSyncFeedCommitOrder: while several handles write at once, a desktop
// pulling again and again misses nothing, as numbers are taken in commit
// order.
func TestSyncFeedCommitOrder(t *testing.T) {
	url := pgtest.NewDatabase(t)
	first := postgres.NewStorage(mustOpen(t, url))
	ctx := setupOrg(t, first)
	const writers, each = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		st := postgres.NewStorage(mustOpen(t, url))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := st.Invitations.InviteUser(ctx, backend.InviteParams{Email: fmt.Sprintf("w%d.%d@example.com", w, i), Role: "user"}); err != nil {
					errs <- err
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]bool{}
	var cursor int64
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		cursor = pullAll(t, first.SyncFeed, cursor, seen)
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all := map[string]bool{}
	pullAll(t, first.SyncFeed, 0, all)
	for k := range all {
		if !seen[k] {
			t.Errorf("the pulls after each other missed %s", k)
		}
	}
	if len(all) != 2+1+1+writers*each*2 {
		t.Fatalf("%d entities", len(all))
	}
}
