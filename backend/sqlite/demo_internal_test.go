package sqlite

import (
	"context"
	"testing"
)

// TestSeedDemoData checks that the demo rows, copied in bulk, are listed,
// counted, indexed for search and linked to their emails as rows stored one
// by one are.
func TestSeedDemoData(t *testing.T) {
	db := openInternalDB(t)
	if err := SeedDemoData(context.Background(), db, 500); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM users`); n != 501 {
		t.Errorf("%d users, want 500 and the administrator", n)
	}
	listed := count(`SELECT count(*) FROM users WHERE status <> 'removed'`) +
		count(`SELECT count(*) FROM invitations WHERE state = 'pending'`)
	if n := count(`SELECT count(*) FROM directory`); n != listed || listed != 501+400 {
		t.Errorf("%d list rows, want %d (501 members, 400 open invitations)", n, listed)
	}
	if n := count(`SELECT coalesce(sum(n), 0) FROM directory_counts`); n != listed {
		t.Errorf("counters sum to %d, want %d", n, listed)
	}
	if n := count(`SELECT count(*) FROM invitations i JOIN outbox o ON o.id = i.outbox_id AND o.invitation_id = i.id`); n != 500 {
		t.Errorf("%d invitations linked to their email, want 500", n)
	}
	for _, index := range []string{"directory_fts", "directory_words"} {
		if _, err := db.db.Exec(`INSERT INTO ` + index + ` (` + index + `) VALUES ('integrity-check')`); err != nil {
			t.Errorf("%s: %v", index, err)
		}
	}
	// Found by a search, as the Users list searches.
	if n := count(`SELECT count(*) FROM directory_fts WHERE directory_fts MATCH '"invited42@"'`); n != 1 {
		t.Errorf("search for invited42@ found %d rows, want 1", n)
	}
}
