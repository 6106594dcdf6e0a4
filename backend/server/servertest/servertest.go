// Package servertest holds what the tests of the directory server
// (backend/server) and of its command (cmd/roster-server) share.
package servertest

import (
	"bytes"
	"context"
	"database/sql"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" database/sql driver
)

// SyncBuffer collects output written from other goroutines, such as a
// server's log.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// HoldWriteLock takes the write lock of the SQLite database at path through
// a connection of its own, as another process's long write would, and
// returns the function that lets it go (again: nothing). It is let go when
// the test ends at the latest.
func HoldWriteLock(tb testing.TB, path string) (release func()) {
	tb.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=1000")
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	conn, err := raw.Conn(ctx)
	if err != nil {
		raw.Close()
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		conn.Close()
		raw.Close()
		tb.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
				tb.Error(err)
			}
			conn.Close()
			raw.Close()
		})
	}
	tb.Cleanup(release)
	return release
}
