// Package sqlstore holds the storage services that package sqlite and
// package postgres share: the Go around the SQL, written once over
// database/sql. Each store supplies a Store: its pool, its transactions, a
// Dialect with the few SQL fragments and conversions that differ, and its
// outbox. What only one store has (SQLite's staged imports, search index,
// directory and demo data; PostgreSQL's advisory locks) stays there.
//
// Statements are written with ? placeholders; a store whose driver wants
// others ($1, $2, … for PostgreSQL) hands in a pool and transactions that
// rewrite them (see Rebind).
package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"roster/backend"
)

// Querier is what both a pool and a transaction offer.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a write transaction of a store. Now is the time it started: every
// row it writes carries it.
type Tx interface {
	Querier
	Now() time.Time
	Commit() error
	Rollback() error
}

// Pool runs statements on a store's connection pool, which its Open sets
// after the services were made; Rebind, if set, rewrites each statement's
// placeholders first.
type Pool struct {
	DB     **sql.DB
	Rebind func(query string) string
}

func (p Pool) query(q string) string {
	if p.Rebind == nil {
		return q
	}
	return p.Rebind(q)
}

// ExecContext implements Querier.
func (p Pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return (*p.DB).ExecContext(ctx, p.query(query), args...)
}

// QueryContext implements Querier.
func (p Pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return (*p.DB).QueryContext(ctx, p.query(query), args...)
}

// QueryRowContext implements Querier.
func (p Pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return (*p.DB).QueryRowContext(ctx, p.query(query), args...)
}

// Dialect is what differs between the stores' SQL and values.
type Dialect struct {
	// Time renders a time as the store keeps it, for a statement's arguments.
	Time func(time.Time) any
	// MapError turns driver errors into backend's coded errors (busy,
	// conflict, in use); others pass through.
	MapError func(error) error
	// NoCase renders an ORDER BY term that sorts text ignoring case, and
	// Bytes one that sorts it by its bytes.
	NoCase, Bytes func(expr string) string
	// NoLimit is the LIMIT clause that means none, before OFFSET.
	NoLimit string
	// NullsFirst and NullsLast say where NULLs sort, after ASC or DESC;
	// empty where the database's default is SQLite's.
	NullsFirst, NullsLast string
	// ILike is the LIKE operator that ignores (ASCII) case.
	ILike string

	// ForUpdate, ForShare and ForKeyUpdate are row lock clauses (FOR NO KEY
	// UPDATE, FOR SHARE, FOR UPDATE); empty in a store with one writer at a
	// time, where the statements that only lock are skipped.
	ForUpdate, ForShare, ForKeyUpdate string

	// SortKey is the store's form of a name for sorting (SortKey, cut
	// to the length the store keeps).
	SortKey func(name string) []byte

	// InvitationsShown, if set, is the condition on invitations i that
	// FindInvitations lists (SQLite hides those of a staged import).
	InvitationsShown string

	// LockEmails, if set, locks addresses (their Email.Key) until tx ends,
	// so that two transactions cannot both find one free.
	LockEmails func(ctx context.Context, tx Tx, keys ...string) error
	// HashTaken, if set, reports whether err is the unique index of table's
	// token_hash refusing a row.
	HashTaken func(err error, table string) bool

	// OutboxDue is the FROM term that reads the outbox's due queued
	// entries (SQLite names the index to use).
	OutboxDue string
	// OutboxLease, if set, is how long a claimed entry belongs to the
	// worker that claimed it (claimed_until), where the workers of several
	// processes share the outbox; SkipLocked is the lock clause of a claim
	// that skips the rows another worker is claiming. Without a lease one
	// process sends, and every entry left "sending" is its own.
	OutboxLease time.Duration
	SkipLocked  string
	// NextOutboxID, if set, reserves the id of an email about to be
	// queued; otherwise the database numbers the row as it is inserted.
	NextOutboxID func(ctx context.Context, q Querier) (int64, error)
}

// Store is one database as the shared services see it.
type Store struct {
	// DB runs statements outside a transaction.
	DB Querier
	// Begin starts a write transaction.
	Begin func(ctx context.Context) (Tx, error)
	// Snapshot starts a read-only transaction: its statements all see the
	// database as it was at its first one. end ends it.
	Snapshot func(ctx context.Context) (q Querier, end func(), err error)
	// Now is the store's clock.
	Now backend.Clock
	// Keys seal the outbox's data; the store may replace them while open.
	Keys *backend.OutboxKeys
	// Compact, if set, lets the store reclaim what the outbox's sent
	// entries left behind (CompactOutbox).
	Compact func(ctx context.Context) error
	// OpLog, if set, records every change the services make as an
	// operation for sync (oplog.go) while it has a client id; nil records
	// none.
	OpLog *OpLog
	*Dialect
}

// now is the clock's time as stored: UTC, to the millisecond.
func (s *Store) now() time.Time {
	return s.Now().UTC().Truncate(time.Millisecond)
}

// wrap adds context to err after mapping it.
func (d *Dialect) wrap(what string, err error) error {
	return fmt.Errorf("%s: %w", what, d.MapError(err))
}

// lock runs a statement that only locks rows (its WHERE clause names them),
// with the given lock clause; it does nothing where there are no row locks.
func (d *Dialect) lock(ctx context.Context, tx Tx, what, query, clause string, args ...any) error {
	if clause == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, query+clause, args...); err != nil {
		return d.wrap(what, err)
	}
	return nil
}

// Limit renders LIMIT/OFFSET; a limit of 0 or less means no limit.
func (d *Dialect) Limit(offset, limit int) string {
	if offset < 0 {
		offset = 0
	}
	if limit <= 0 {
		return d.NoLimit + "OFFSET " + strconv.Itoa(offset)
	}
	return fmt.Sprintf("LIMIT %d OFFSET %d", limit, offset)
}

// searchPattern is the LIKE pattern of a search term, folded (for the
// search_text columns) or not.
func (d *Dialect) searchPattern(term string, fold bool) string {
	if fold {
		term = FoldText(term)
	}
	return LikePattern(term)
}

// Direction renders a sort direction.
func Direction(desc bool) string {
	if desc {
		return " DESC"
	}
	return ""
}

// Rebind rewrites the ? placeholders of query as $1, $2, … (outside quoted
// strings and identifiers).
func Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// NewID returns a new time-ordered id (UUIDv7): unique across installations,
// so rows can be synced, and in insertion order, so B-tree inserts append.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// NewToken returns a link token of 256 random bits, URL-safe, and its
// SHA-256, which is all that is stored.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the SHA-256 of a token as presented in a link.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NullString maps "" to NULL.
func NullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TimeFormat is how a store that keeps times as text writes them: UTC,
// fixed width, so text order is time order.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// FormatTime renders t in TimeFormat.
func FormatTime(t time.Time) string {
	return t.UTC().Format(TimeFormat)
}

// ParseTime reads a time in TimeFormat.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// nullTime scans a stored time that may be NULL: a time.Time, or text in
// TimeFormat. Times come out in UTC.
type nullTime struct{ t **time.Time }

// NullTime returns the scanner of a time that may be NULL into *t.
func NullTime(t **time.Time) sql.Scanner { return nullTime{t} }

// Scan implements sql.Scanner.
func (n nullTime) Scan(v any) error {
	var t time.Time
	switch v := v.(type) {
	case nil:
		*n.t = nil
		return nil
	case time.Time:
		t = v.UTC()
	case string:
		p, err := ParseTime(v)
		if err != nil {
			return err
		}
		t = p
	case []byte:
		p, err := ParseTime(string(v))
		if err != nil {
			return err
		}
		t = p
	default:
		return fmt.Errorf("stored time has type %T", v)
	}
	*n.t = &t
	return nil
}

// timeCol scans a stored, non-NULL time.
type timeCol struct{ t *time.Time }

// Time returns the scanner of a non-NULL time into *t.
func Time(t *time.Time) sql.Scanner { return timeCol{t} }

// Scan implements sql.Scanner.
func (c timeCol) Scan(v any) error {
	var tp *time.Time
	if err := (nullTime{&tp}).Scan(v); err != nil {
		return err
	}
	if tp == nil {
		return errors.New("stored time is NULL")
	}
	*c.t = *tp
	return nil
}

// scanner is a row to scan, of a query or of a result set.
type scanner interface{ Scan(...any) error }
