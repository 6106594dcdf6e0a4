package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

// lockedKeys is a keyring that holds the key but cannot be read now.
type lockedKeys struct{ sealing *backend.DataKey }

func (k lockedKeys) SealingKey() *backend.DataKey { return k.sealing }

func (k lockedKeys) OpeningKey(string) (*backend.DataKey, error) {
	return nil, &backend.Error{Code: backend.EUNAVAILABLE, Message: "The system keyring is locked.", Key: "keyring.locked"}
}

// rawData returns the data column of an outbox row as stored.
func rawData(tb testing.TB, db *sqlite.DB, id int64) []byte {
	tb.Helper()
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	var data []byte
	if err := raw.QueryRow(`SELECT data FROM outbox WHERE id = ?`, id).Scan(&data); err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestOutboxService_SealedData(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		s := sqlite.NewOutboxService(db)
		e := mustEnqueue(t, s, "a@example.com")[0]
		stored := rawData(t, db, e.ID)
		if len(stored) == 0 || bytes.Contains(stored, []byte("token-a@example.com")) || bytes.Contains(stored, []byte(backend.MailDataToken)) {
			t.Fatalf("data column holds %q, want it sealed", stored)
		}
		if got := mustFindEntry(t, s, e.ID); got.Data[backend.MailDataToken] != "token-a@example.com" {
			t.Fatalf("opened data = %v", got.Data)
		}
	})

	t.Run("ErrAltered", func(t *testing.T) {
		db := MustOpenDB(t)
		s := sqlite.NewOutboxService(db)
		e := mustEnqueue(t, s, "a@example.com")[0]
		stored := rawData(t, db, e.ID)
		stored[len(stored)-1] ^= 1
		raw, err := sql.Open("sqlite3", db.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`UPDATE outbox SET data = ? WHERE id = ?`, stored, e.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindOutboxEntryByID(ctx, e.ID)
		assertKey(t, err, backend.ECONFLICT, "outbox.data_lost")
	})

	// A key kept for the session only is gone after a restart: the email
	// fails with a message that says to send a new link, and is never sent.
	t.Run("ErrKeyLost", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "roster.db")
		first := sqlite.NewDB(path)
		if err := first.Open(); err != nil {
			t.Fatal(err)
		}
		entries := mustEnqueue(t, sqlite.NewOutboxService(first), "a@example.com", "b@example.com")
		sqlite.NewOutboxService(first).ClaimOutboxEntries(ctx, 1)
		sqlite.NewOutboxService(first).MarkOutboxFailed(ctx, entries[0].ID, backend.DeliveryFailure{Message: "550 no"})
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}

		db := sqlite.NewDB(path) // a new session key
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s := sqlite.NewOutboxService(db)
		claimed, err := s.ClaimOutboxEntries(ctx, 10)
		if err != nil || len(claimed) != 0 {
			t.Fatalf("claimed %v, %v; want nothing", claimed, err)
		}
		var state, lastError string
		raw, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if err := raw.QueryRow(`SELECT state, last_error FROM outbox WHERE id = ?`, entries[1].ID).Scan(&state, &lastError); err != nil {
			t.Fatal(err)
		}
		if state != string(backend.DeliveryFailed) || lastError == "" {
			t.Fatalf("entry with a lost key: %s %q, want failed with a message", state, lastError)
		}
		assertKey(t, s.RetryOutboxEntry(ctx, entries[0].ID), backend.ECONFLICT, "outbox.data_lost")
		assertKey(t, s.RetryOutboxEntry(ctx, entries[1].ID), backend.ECONFLICT, "outbox.data_lost")
	})

	// While the keyring is locked nothing is claimed, and nothing fails.
	t.Run("ErrKeyringLocked", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "roster.db")
		db := sqlite.NewDB(path)
		key := backend.NewDataKey(bytes.Repeat([]byte{7}, 32), false)
		db.Keys = lockedKeys{key}
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s := sqlite.NewOutboxService(db)
		mustEnqueue(t, s, "a@example.com")
		_, err := s.ClaimOutboxEntries(ctx, 10)
		assertCode(t, err, backend.EUNAVAILABLE)
		if st, _ := s.FindOutboxStats(ctx); st.Queued != 1 || st.Sending != 0 || st.Failed != 0 {
			t.Fatalf("stats = %+v, want the entry still queued", st)
		}
	})
}

// TestOutboxService_RetryConnectionFailures: new settings or a trusted
// certificate make due at once what failed to connect, not what the server
// refused.
func TestOutboxService_RetryConnectionFailures(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := fixedClock(db)
	s := sqlite.NewOutboxService(db)
	entries := mustEnqueue(t, s, "waiting@example.com", "failed@example.com", "refused@example.com", "sent@example.com")
	waiting, failed, refused, sent := entries[0], entries[1], entries[2], entries[3]
	s.ClaimOutboxEntries(ctx, 4)
	cert := backend.DeliveryFailure{Message: "The server's certificate is not trusted.", Category: "certificate"}
	later := now.Add(30 * time.Minute)
	if err := s.MarkOutboxRetry(ctx, waiting.ID, later, cert); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkOutboxFailed(ctx, failed.ID, cert); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkOutboxFailed(ctx, refused.ID, backend.DeliveryFailure{Message: "550 no such user"}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkOutboxSent(ctx, sent.ID); err != nil {
		t.Fatal(err)
	}

	*now = now.Add(time.Minute)
	n, err := s.RetryOutboxConnectionFailures(ctx)
	if err != nil || n != 2 {
		t.Fatalf("RetryOutboxConnectionFailures = %d, %v; want 2", n, err)
	}
	for _, tt := range []struct {
		e        *backend.OutboxEntry
		state    backend.DeliveryState
		attempts int
		due      time.Time
	}{
		{waiting, backend.DeliveryQueued, 1, *now},
		{failed, backend.DeliveryQueued, 0, *now},
		{refused, backend.DeliveryFailed, 1, *now},
		{sent, backend.DeliverySent, 1, *now},
	} {
		got := mustFindEntry(t, s, tt.e.ID)
		if got.State != tt.state || got.Attempts != tt.attempts || (tt.state == backend.DeliveryQueued && !got.NextAttemptAt.Equal(tt.due)) {
			t.Errorf("%s: %s, %d attempts, due %v; want %s, %d attempts, due %v", got.To, got.State, got.Attempts, got.NextAttemptAt, tt.state, tt.attempts, tt.due)
		}
	}
	if claimed, _ := s.ClaimOutboxEntries(ctx, 10); len(claimed) != 2 {
		t.Fatalf("claimed %d entries after the retry, want 2", len(claimed))
	}
	if n, err := s.RetryOutboxConnectionFailures(ctx); err != nil || n != 0 {
		t.Fatalf("a second RetryOutboxConnectionFailures = %d, %v; want 0 (the entries are being sent)", n, err)
	}
}

// TestOutboxService_SentDataIsErased: once an email is sent its data is
// overwritten, not left in a free page or in the write-ahead log, even in
// its sealed form.
func TestOutboxService_SentDataIsErased(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := sqlite.NewDB(filepath.Join(dir, "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	s := sqlite.NewOutboxService(db)
	var to []string
	for i := range 50 {
		to = append(to, fmt.Sprintf("erased%d@example.com", i))
	}
	entries := mustEnqueue(t, s, to...)
	var sealed [][]byte
	for _, e := range entries {
		sealed = append(sealed, rawData(t, db, e.ID))
	}
	s.ClaimOutboxEntries(ctx, len(entries))
	for _, e := range entries {
		if err := s.MarkOutboxSent(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		files, _ := filepath.Glob(filepath.Join(dir, "roster.db*"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for i, data := range sealed {
				if bytes.Contains(b, data[len(data)-16:]) {
					t.Fatalf("%s: %s still holds the data of entry %d", when, filepath.Base(f), entries[i].ID)
				}
			}
		}
	}
	if err := s.CompactOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	check("after CompactOutbox")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	check("after Close")
}
