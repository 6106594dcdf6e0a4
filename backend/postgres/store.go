package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"roster/backend/sqlstore"
)

// dialect is PostgreSQL's part of the services package sqlstore shares with
// package sqlite. Several processes write at once here, so the rules that
// check and then write take row and advisory locks (see lock.go); text
// sorts by its bytes (COLLATE "C"), as in SQLite, whatever the database's
// locale.
var dialect = &sqlstore.Dialect{
	Time:       func(t time.Time) any { return t.UTC() },
	MapError:   mapError,
	NoCase:     func(expr string) string { return "lower(" + expr + `) COLLATE "C"` },
	Bytes:      func(expr string) string { return expr + ` COLLATE "C"` },
	NullsFirst: " NULLS FIRST",
	NullsLast:  " NULLS LAST",
	// SQLite's LIKE ignores the case of ASCII letters.
	ILike:        "ILIKE",
	ForUpdate:    " FOR NO KEY UPDATE",
	ForShare:     " FOR SHARE",
	ForKeyUpdate: " FOR UPDATE",
	SortKey:      sortKey,
	LockEmails: func(ctx context.Context, tx sqlstore.Tx, keys ...string) error {
		return lockEmails(ctx, tx.(storeTx).Tx, keys...)
	},
	HashTaken:    isHashTaken,
	OutboxDue:    "outbox",
	OutboxLease:  OutboxLease,
	SkipLocked:   " FOR UPDATE SKIP LOCKED",
	NextOutboxID: nextOutboxID,
}

// newStore returns db as package sqlstore's services see it.
func newStore(db *DB) *sqlstore.Store {
	return &sqlstore.Store{
		DB: sqlstore.Pool{DB: &db.db, Rebind: sqlstore.Rebind},
		Begin: func(ctx context.Context) (sqlstore.Tx, error) {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return nil, err
			}
			return storeTx{tx}, nil
		},
		Snapshot: func(ctx context.Context) (sqlstore.Querier, func(), error) {
			tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
			if err != nil {
				return nil, nil, err
			}
			return storeTx{tx}, func() { tx.Rollback() }, nil
		},
		Now:     func() time.Time { return db.Now() },
		Keys:    &db.Keys,
		Dialect: dialect,
	}
}

// storeTx is a transaction as package sqlstore uses it: its statements'
// ? placeholders are rewritten.
type storeTx struct{ *Tx }

func (tx storeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(ctx, sqlstore.Rebind(query), args...)
}

func (tx storeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(ctx, sqlstore.Rebind(query), args...)
}

func (tx storeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(ctx, sqlstore.Rebind(query), args...)
}

// PrepareContext prepares query with its placeholders rewritten, as the
// others run it (sqlstore reuses a batch's statements).
func (tx storeTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.Tx.PrepareContext(ctx, sqlstore.Rebind(query))
}

// Now returns the time the transaction started.
func (tx storeTx) Now() time.Time { return tx.now }

// isHashTaken reports whether err is the unique index on table's
// token_hash refusing a row: another transaction stored the hash after
// sqlstore checked that no link had it.
func isHashTaken(err error, table string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation && pe.ConstraintName == table+"_token_hash_key"
}
