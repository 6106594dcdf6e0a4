// Package sqlite stores Roster's data in one SQLite file and enforces the rules
// that need a transaction. It owns the schema (migration/*.sql).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"roster/backend"
	"roster/backend/sqlstore"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// busyTimeout is how long a write waits for another one to finish.
const busyTimeout = 5 * time.Second

// DB is an open Roster database.
type DB struct {
	db   *sql.DB
	path string

	// Now returns the current time; tests replace it to move the clock.
	Now backend.Clock

	// Keys seal the outbox's data. NewDB sets a key kept for this session
	// only; Roster replaces it with the keyring's (secret.OutboxKeys)
	// before the first email is queued.
	Keys backend.OutboxKeys

	// BusyTimeout is how long a write waits for the write lock before it
	// fails as busy; zero means busyTimeout. Set it before Open.
	BusyTimeout time.Duration

	// OpLog records the services' changes as operations for sync while it
	// has a client id (a desktop connected to a directory server); every
	// service of this DB shares it.
	OpLog *sqlstore.OpLog

	// writer is held by the write transaction of this process that is open;
	// BeginTx queues for it (see there).
	writer chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// NewDB returns a DB for the file at path; call Open before use.
func NewDB(path string) *DB {
	return &DB{path: path, Now: time.Now, Keys: backend.NewSessionOutboxKeys(), OpLog: sqlstore.NewOpLog(""),
		writer: make(chan struct{}, 1)}
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Open creates the file's directory if needed, opens the database with its
// pragmas on every pooled connection and applies pending migrations.
func (db *DB) Open() error {
	if db.path == "" {
		return errors.New("open database: no path")
	}
	if err := os.MkdirAll(filepath.Dir(db.path), 0o700); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	// _txlock=immediate: a write transaction takes the write lock when it
	// begins, so two writers queue on busy_timeout instead of one failing
	// with SQLITE_BUSY when it upgrades its read lock.
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	// Every write transaction is short (an import is stored in chunks of
	// well under a second), so a writer that cannot get the lock in 5 s
	// reports a busy database instead of waiting on.
	q.Set("_busy_timeout", strconv.Itoa(int(db.busyTimeout()/time.Millisecond)))
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	// Deleted content (the outbox's data once sent) is overwritten with
	// zeros instead of lingering in free pages.
	q.Set("_secure_delete", "on")
	// A page cache of up to 32 MiB per connection (SQLite's default is
	// 2 MiB): a search matching thousands of rows rereads the same index and
	// table pages (BENCHMARKS.md, "Many-match searches": "sch" 5.7 → 2.9–3.9 ms).
	q.Set("_cache_size", "-32768")
	dsn := "file:" + (&url.URL{Path: db.path}).EscapedPath() + "?" + q.Encode()
	sqldb, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	db.db = sqldb
	if err := db.migrate(context.Background()); err != nil {
		db.db.Close()
		var se sqlite3.Error
		if errors.As(err, &se) && (se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt) {
			return backend.Errorf(backend.EINVALID, "%s is not a Roster database, or it is damaged.", db.path)
		}
		return fmt.Errorf("open database %s: %w", db.path, err)
	}
	if err := db.recoverImports(context.Background()); err != nil {
		db.db.Close()
		return fmt.Errorf("open database %s: %w", db.path, err)
	}
	return nil
}

// Close empties the write-ahead log into the database file and closes it.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	// A second Close does nothing and returns the first one's answer.
	db.closeOnce.Do(func() {
		if err := db.checkpoint(context.Background()); err != nil {
			db.db.Close()
			db.closeErr = err
			return
		}
		db.closeErr = db.db.Close()
	})
	return db.closeErr
}

// checkpoint copies the write-ahead log into the database file and truncates
// it, so the log keeps no older versions of pages (with data since cleared).
// Readers in progress can keep frames in use; the next checkpoint gets them.
func (db *DB) checkpoint(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint: %w", mapError(err))
	}
	return nil
}

// migrate applies the embedded migrations that are not recorded yet, each in
// its own transaction, in file name order.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) WITHOUT ROWID`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	return sqlstore.Migrate(ctx, db.db, migrationFS, recordMigration, formatTime(db.Now()))
}

// recordMigration records an applied migration.
const recordMigration = `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`

// applyMigration applies one migration in its own transaction and records it.
func (db *DB) applyMigration(ctx context.Context, name string) error {
	return sqlstore.ApplyMigration(ctx, db.db, migrationFS, name, recordMigration, formatTime(db.Now()))
}

func (db *DB) busyTimeout() time.Duration {
	if db.BusyTimeout > 0 {
		return db.BusyTimeout
	}
	return busyTimeout
}

// Tx is a transaction that knows the time it started, so every row it writes
// carries the same timestamp.
type Tx struct {
	*sql.Tx
	db   *DB
	now  time.Time
	done bool
}

// BeginTx starts a write transaction. It waits up to the busy timeout for
// the write lock, then fails with EUNAVAILABLE ("busy").
//
// The writers of this process queue for db.writer first, first come first
// served. SQLite's busy handler only polls, with sleeps of up to 100 ms, so
// a writer that begins again right after it commits (an import storing
// chunk after chunk) would keep the lock while the others sleep: a setting
// saved during an import waited 2.8 s. busy_timeout still governs writers
// of other processes.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	wait := time.NewTimer(db.busyTimeout())
	defer wait.Stop()
	select {
	case db.writer <- struct{}{}:
	case <-wait.C:
		return nil, fmt.Errorf("begin transaction: %w", errBusy())
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		<-db.writer
		return nil, fmt.Errorf("begin transaction: %w", mapError(err))
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Millisecond)}, nil
}

// Commit commits the transaction and lets the next writer in.
func (tx *Tx) Commit() error {
	err := tx.Tx.Commit()
	tx.release()
	return err
}

// Rollback aborts the transaction, if it is still open, and lets the next writer in.
func (tx *Tx) Rollback() error {
	err := tx.Tx.Rollback()
	tx.release()
	return err
}

func (tx *Tx) release() {
	if !tx.done {
		tx.done = true
		<-tx.db.writer
	}
}

// formatTime renders t as stored.
func formatTime(t time.Time) string {
	return sqlstore.FormatTime(t)
}

// parseTime reads a stored time.
func parseTime(s string) (time.Time, error) {
	return sqlstore.ParseTime(s)
}

// nullTime is a stored time that may be NULL.
type nullTime struct{ t **time.Time }

// Scan implements sql.Scanner.
func (n nullTime) Scan(v any) error {
	return sqlstore.NullTime(n.t).Scan(v)
}

// timeCol scans a stored, non-NULL time.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(v any) error {
	return sqlstore.Time(c.t).Scan(v)
}

// errBusy is the error of a write that could not get the database in time.
func errBusy() error {
	return backend.MsgBusy.Error(backend.EUNAVAILABLE)
}

// mapError turns driver errors that mean something to the administrator into
// coded errors: a busy database and constraint violations. Other errors pass
// through unchanged (and become EINTERNAL at the edge).
func mapError(err error) error {
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return errBusy()
	case sqlite3.ErrConstraint:
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return backend.MsgConflict.Error(backend.ECONFLICT)
		case sqlite3.ErrConstraintForeignKey:
			return backend.MsgInUse.Error(backend.ECONFLICT)
		}
	}
	return err
}
