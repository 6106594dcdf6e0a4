package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

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
		DELETE FROM schema_migrations WHERE name IN ('migration/0009_sync_feed.sql', 'migration/0010_sync_feed_once.sql')`); err != nil {
		t.Fatal(err)
	}
	st = postgres.NewStorage(mustOpen(t, url))
	seen := map[string]bool{}
	end := pullAll(t, st.SyncFeed, 0, seen)
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
	// These numbers were given before the feed took its counter once per
	// transaction (migration 0010): a cursor among them stays valid, every
	// change since comes after it.
	if _, err := st.Invitations.InviteUser(ctx, backend.InviteParams{Email: "late@example.com", Role: "user"}); err != nil {
		t.Fatal(err)
	}
	for cursor, n := range map[int64]int{end: 2, end - 3: 5} {
		if got := len(pulledFrom(t, st.SyncFeed, cursor)); got != n {
			t.Fatalf("from %d of %d: %d entities", cursor, end, got)
		}
	}
}

// pulledFrom returns the entities the feed names after cursor.
func pulledFrom(t *testing.T, feed backend.SyncFeedService, cursor int64) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	pullAll(t, feed, cursor, seen)
	return seen
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

// execer runs a statement: a *sql.Conn or a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// addRoles inserts a custom role of each id, with one permission.
func addRoles(t *testing.T, q execer, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if _, err := q.ExecContext(context.Background(), `INSERT INTO roles (id, name, name_key, created_at, updated_at)
			VALUES ($1, $1, $1, now(), now())`, id); err != nil {
			t.Fatal(err)
		}
		if _, err := q.ExecContext(context.Background(), `INSERT INTO role_permissions (role_id, permission)
			VALUES ($1, 'chat')`, id); err != nil {
			t.Fatal(err)
		}
	}
}

// roleSeqs returns the feed's number of each role.
func roleSeqs(t *testing.T, raw *sql.DB, ids ...string) []int64 {
	t.Helper()
	seqs := make([]int64, len(ids))
	for i, id := range ids {
		if err := raw.QueryRow(`SELECT seq FROM sync_changes WHERE entity = 'role' AND entity_id = $1`, id).Scan(&seqs[i]); err != nil {
			t.Fatalf("role %s: %v", id, err)
		}
	}
	return seqs
}

// TestSyncFeedOnce: a transaction takes the feed's counter once, however
// many changes it records, and numbers them in order; the numbers of
// transactions that write at once follow their commit order.
func TestSyncFeedOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	mustOpen(t, url)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		ids := []string{"once1", "once2", "once3", "once4", "once5"}
		addRoles(t, tx, ids...)
		var updates int64
		if err := tx.QueryRow(`SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'sync_feed'`).Scan(&updates); err != nil {
			t.Fatal(err)
		}
		if updates != 1 {
			t.Fatalf("10 changes updated the counter %d times", updates)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		// Each role's permission is its latest change: 2, 4, … of the
		// transaction's ten.
		seqs := roleSeqs(t, raw, ids...)
		for i := 1; i < len(seqs); i++ {
			if seqs[i] != seqs[i-1]+2 {
				t.Fatalf("numbers %v", seqs)
			}
		}
	})
	t.Run("CommitOrder", func(t *testing.T) {
		// first records a change and holds the counter; second waits for it
		// at its first change; first records more and commits.
		first, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer first.Rollback()
		addRoles(t, first, "order1")
		conn, err := raw.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var pid int
		if err := conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		second := make(chan error, 1)
		go func() {
			_, err := conn.ExecContext(ctx, `INSERT INTO roles (id, name, name_key, created_at, updated_at)
				VALUES ('order2', 'order2', 'order2', now(), now())`)
			second <- err
		}()
		for waiting := false; !waiting; {
			if err := raw.QueryRow(`SELECT COALESCE(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = $1`,
				pid).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-second:
				t.Fatalf("the second transaction did not wait for the first: %v", err)
			default:
			}
		}
		addRoles(t, first, "order3", "order4")
		if err := first.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-second; err != nil {
			t.Fatal(err)
		}
		seqs := roleSeqs(t, raw, "order1", "order3", "order4", "order2")
		if !slices.IsSorted(seqs) || seqs[0] == seqs[1] || seqs[1] == seqs[2] || seqs[2] == seqs[3] {
			t.Fatalf("numbers %v", seqs)
		}
	})
	t.Run("Savepoint", func(t *testing.T) {
		// The first change is rolled back with its savepoint: the next one
		// takes the counter again.
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec(`SAVEPOINT a`); err != nil {
			t.Fatal(err)
		}
		addRoles(t, tx, "undone")
		if _, err := tx.Exec(`ROLLBACK TO SAVEPOINT a`); err != nil {
			t.Fatal(err)
		}
		addRoles(t, tx, "kept")
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		var counter int64
		if err := raw.QueryRow(`SELECT seq FROM sync_feed WHERE id = 1`).Scan(&counter); err != nil {
			t.Fatal(err)
		}
		if seqs := roleSeqs(t, raw, "kept", "order2"); seqs[0]>>20 != counter || seqs[0] <= seqs[1] {
			t.Fatalf("numbers %v, counter %d", seqs, counter)
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		addRoles(t, tx, "many1")
		// As if the transaction had recorded 2^20 changes.
		if _, err := tx.Exec(`SELECT set_config('roster.sync_seq', (seq * 1048576 + 1048575)::TEXT, true)
			FROM sync_feed WHERE id = 1`); err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec(`INSERT INTO roles (id, name, name_key, created_at, updated_at) VALUES ('many2', 'many2', 'many2', now(), now())`)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "54000" {
			t.Fatalf("got %v", err)
		}
	})
}
