// Package postgres stores the directory server's data in PostgreSQL, for
// when one machine is not enough: several roster-server processes share one
// database. It implements the same backend services, rules, codes and keys
// as package sqlite. Where SQLite's rules hold because only one writer runs
// at a time, this package takes row or advisory locks instead (see lock.go),
// since here two processes write at once. It owns its schema
// (migration/*.sql).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"roster/backend"
	"roster/backend/sqlstore"
)

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is an open Roster database on a PostgreSQL server.
type DB struct {
	db  *sql.DB
	url string

	// Now returns the current time; tests replace it to move the clock.
	// Every rule that compares times uses it, never the server's now().
	Now backend.Clock

	// Keys seal the outbox's data. NewDB sets a key kept for this process
	// only; the server replaces it with a shared key before mail is sent.
	Keys backend.OutboxKeys

	// MaxConns bounds the connections this DB opens; NewDB sets
	// DefaultMaxConns. Requests beyond it wait for a free connection.
	MaxConns int
}

// NewDB returns a DB for a PostgreSQL connection URL
// (postgres://user:password@host:port/dbname?sslmode=...); call Open before use.
func NewDB(url string) *DB {
	return &DB{url: url, Now: time.Now, Keys: backend.NewSessionOutboxKeys(), MaxConns: DefaultMaxConns}
}

// DefaultMaxConns is how many connections a DB opens at most, unless told
// otherwise: four server processes fit in PostgreSQL's default of 100.
const DefaultMaxConns = 20

// Redacted returns the connection URL without its password, for logs.
func (db *DB) Redacted() string {
	u, err := url.Parse(db.url)
	if err != nil {
		return "(a PostgreSQL URL that does not parse)"
	}
	return u.Redacted()
}

// Open connects, checks that the server answers and applies pending migrations.
func (db *DB) Open() error {
	if db.url == "" {
		return errors.New("open database: no PostgreSQL URL")
	}
	sqldb, err := sql.Open("pgx", db.url)
	if err != nil {
		return fmt.Errorf("open database %s: %w", db.Redacted(), err)
	}
	// A process keeps to MaxConns connections, so that several server
	// processes stay within the server's max_connections (100 by default).
	sqldb.SetMaxOpenConns(db.MaxConns)
	sqldb.SetMaxIdleConns(db.MaxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db.db = sqldb
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return fmt.Errorf("open database %s: %w", db.Redacted(), err)
	}
	return nil
}

// Close closes the connections.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	return db.db.Close()
}

// Ping checks that the database answers a query, for readiness probes.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// migrationLock is the key of the session advisory lock that migrate holds,
// so that server processes starting at once apply each migration once.
const migrationLock = 0x526f737465724d67 // "RosterMg"

// migrate applies the embedded migrations that are not recorded yet, each in
// its own transaction, in file name order, while holding migrationLock.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	return sqlstore.Migrate(ctx, conn, migrationFS, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
		db.Now().UTC())
}

// Tx is a transaction that knows the time it started, so every row it writes
// carries the same timestamp.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// BeginTx starts a transaction (READ COMMITTED unless opts say otherwise).
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", mapError(err))
	}
	return &Tx{Tx: tx, db: db, now: db.now()}, nil
}

// now is the clock's time as stored: UTC, to the millisecond like SQLite's.
func (db *DB) now() time.Time {
	return db.Now().UTC().Truncate(time.Millisecond)
}

// timeCol scans a non-NULL TIMESTAMPTZ, in UTC.
type timeCol struct{ t *time.Time }

// Scan implements sql.Scanner.
func (c timeCol) Scan(v any) error {
	return sqlstore.Time(c.t).Scan(v)
}

// PostgreSQL's error codes (SQLSTATE) that mapError knows.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgLockNotAvailable     = "55P03"
)

// mapError turns driver errors that mean something to the administrator into
// the same coded errors as package sqlite: constraint violations, and a
// transaction the server gave up because of another one. Other errors pass
// through unchanged (and become EINTERNAL at the edge).
func mapError(err error) error {
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case pgSerializationFailure, pgDeadlockDetected, pgLockNotAvailable:
		return backend.MsgBusy.Error(backend.EUNAVAILABLE)
	case pgUniqueViolation:
		return backend.MsgConflict.Error(backend.ECONFLICT)
	case pgForeignKeyViolation:
		return backend.MsgInUse.Error(backend.ECONFLICT)
	}
	return err
}

// nullString maps "" to NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
