package sqlite

import (
	"context"
	"fmt"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

// dialect is SQLite's part of the services package sqlstore shares with
// package postgres. SQLite runs one writer at a time, so it takes no row
// locks: a rule checked in a write transaction still holds at its commit.
var dialect = &sqlstore.Dialect{
	Time:     func(t time.Time) any { return formatTime(t) },
	MapError: mapError,
	NoCase:   func(expr string) string { return expr + " COLLATE NOCASE" },
	Bytes:    func(expr string) string { return expr },
	NoLimit:  "LIMIT -1 ",
	ILike:    "LIKE",
	SortKey:  sortKey,
	// The invitations of a staged import are not shown until it is published.
	InvitationsShown: `(i.import_id IS NULL OR i.import_id NOT IN (` + stagedImports + `))`,
	// INDEXED BY: without statistics SQLite would rather read every queued
	// row through outbox_state and sort them, on every claim.
	OutboxDue: "outbox INDEXED BY outbox_due",
}

// newStore returns db as package sqlstore's services see it.
func newStore(db *DB) *sqlstore.Store {
	return &sqlstore.Store{
		DB: sqlstore.Pool{DB: &db.db},
		Begin: func(ctx context.Context) (sqlstore.Tx, error) {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return nil, err
			}
			return tx, nil
		},
		Snapshot: db.snapshot,
		Now:      func() time.Time { return db.Now() },
		Keys:     &db.Keys,
		Compact:  db.checkpoint,
		OpLog:    db.OpLog,
		Dialect:  dialect,
	}
}

// snapshot starts a read transaction on a connection of its own (BEGIN
// DEFERRED: the pool's transactions take the write lock, see Open), so
// that several statements read one state of the file while writers go on.
func (db *DB) snapshot(ctx context.Context) (sqlstore.Querier, func(), error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read snapshot: %w", mapError(err))
	}
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("read snapshot: %w", mapError(err))
	}
	return conn, func() {
		conn.ExecContext(context.Background(), `ROLLBACK`)
		conn.Close()
	}, nil
}

// Now returns the time the transaction started, as every row it writes carries it.
func (tx *Tx) Now() time.Time { return tx.now }

// writeAudit records an action inside tx.
func writeAudit(ctx context.Context, tx *Tx, action string, target auditTarget, before, after any) error {
	return dialect.WriteAudit(ctx, tx, action, sqlstore.AuditTarget(target), before, after)
}

// auditTarget names what an audit entry is about.
type auditTarget struct {
	Type, ID, Label string
}

// resolveRole finds a role by id or by name (case-insensitive), as
// invitations and import files name them. EINVALID (field "role") naming
// the allowed roles.
func resolveRole(ctx context.Context, q queryer, idOrName string) (*backend.Role, error) {
	return dialect.ResolveRole(ctx, q, idOrName)
}

// organisationName returns the organisation's name for emails ("" before setup).
func organisationName(ctx context.Context, q queryer) (string, error) {
	return dialect.OrganisationName(ctx, q)
}

// queryer is what both *sql.DB and *Tx offer.
type queryer = sqlstore.Querier

// memberExists is the conflict for an address of a current member.
func memberExists(email string) error { return sqlstore.MemberExists(email) }

// direction renders a sort direction.
func direction(desc bool) string { return sqlstore.Direction(desc) }

// limitClause renders LIMIT/OFFSET; a limit of 0 or less means no limit.
func limitClause(offset, limit int) string { return dialect.Limit(offset, limit) }

// newID returns a new time-ordered id (UUIDv7).
func newID() string { return sqlstore.NewID() }

// newToken returns a link token and its SHA-256, which is all that is stored.
func newToken() (token string, hash []byte) { return sqlstore.NewToken() }
