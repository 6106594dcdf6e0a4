// Package outboxrows holds what the SQLite and PostgreSQL outboxes
// (backend/sqlite, backend/postgres) do alike with the rows of their outbox
// table, whatever SQL dialect wrote them: reading an entry, opening its
// sealed data, keeping the claimed entries that can be sent, checking a
// mark and counting by state.
package outboxrows

import (
	"database/sql"
	"fmt"
	"sort"
	"time"

	"roster/backend"
)

// Columns is the column list Scan reads.
const Columns = `id, kind, recipient, invitation_id, password_reset_id, data, state, attempts,
	next_attempt_at, last_error, created_at, updated_at, sent_at`

// Times are a store's scanners of its time columns.
type Times struct {
	// Col scans a time that is never NULL into t.
	Col func(t *time.Time) any
	// Null scans a time that may be NULL into t.
	Null func(t **time.Time) any
}

// Scan reads one row of Columns; it returns the sealed Data for Open.
func Scan(row interface{ Scan(...any) error }, tt Times) (*backend.OutboxEntry, []byte, error) {
	var e backend.OutboxEntry
	var invitationID, resetID sql.NullString
	var sealed []byte
	if err := row.Scan(&e.ID, &e.Kind, &e.To, &invitationID, &resetID, &sealed, &e.State, &e.Attempts,
		tt.Col(&e.NextAttemptAt), &e.LastError, tt.Col(&e.CreatedAt), tt.Col(&e.UpdatedAt), tt.Null(&e.SentAt)); err != nil {
		return nil, nil, err
	}
	e.InvitationID, e.PasswordResetID = invitationID.String, resetID.String
	return &e, sealed, nil
}

// ScanAll reads the rows of Columns and closes them.
func ScanAll(rows *sql.Rows, tt Times) ([]*backend.OutboxEntry, [][]byte, error) {
	defer rows.Close()
	var entries []*backend.OutboxEntry
	var sealed [][]byte
	for rows.Next() {
		e, data, err := Scan(rows, tt)
		if err != nil {
			return nil, nil, err
		}
		entries, sealed = append(entries, e), append(sealed, data)
	}
	return entries, sealed, rows.Err()
}

// Open fills e's Data from its sealed form (nil: none) with keys.
// ECONFLICT (outbox.data_lost); EUNAVAILABLE.
func Open(keys backend.OutboxKeys, e *backend.OutboxEntry, sealed []byte) error {
	if sealed == nil {
		return nil
	}
	data, err := backend.OpenMailData(keys, sealed)
	if err != nil {
		return err
	}
	e.Data = data
	return nil
}

// Sendable opens the data of claimed entries and returns those that can be
// sent, oldest due first (then by id). An entry whose data is lost (it was
// sealed under a key that is gone) is never sent, as its link would be a
// broken one: fail gets it, with the error to record, and it is left out.
// Any other error (EUNAVAILABLE: the key cannot be read now) stops it.
func Sendable(keys backend.OutboxKeys, entries []*backend.OutboxEntry, sealed [][]byte,
	fail func(e *backend.OutboxEntry, err error) error) ([]*backend.OutboxEntry, error) {
	var out []*backend.OutboxEntry
	for i, e := range entries {
		err := Open(keys, e, sealed[i])
		if backend.ErrorCode(err) == backend.ECONFLICT {
			if err := fail(e, err); err != nil {
				return nil, err
			}
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	// RETURNING gives no order; the queue's order is due time, then id.
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.NextAttemptAt.Equal(b.NextAttemptAt) {
			return a.NextAttemptAt.Before(b.NextAttemptAt)
		}
		return a.ID < b.ID
	})
	return out, nil
}

// Marked checks the outcome of an update of an entry that is being sent
// (err already mapped by the store): ECONFLICT when it changed no row, as
// the entry is not being sent (it was recovered, cancelled or marked
// already), so a late answer never touches an entry that was marked sent.
func Marked(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	} else if n == 0 {
		return backend.Errorf(backend.ECONFLICT, "Outbox entry %d is not being sent.", id)
	}
	return nil
}

// CountStates reads rows of (state, count) into st, and closes them.
func CountStates(rows *sql.Rows, st *backend.OutboxStats) error {
	defer rows.Close()
	for rows.Next() {
		var state backend.DeliveryState
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return err
		}
		switch state {
		case backend.DeliveryQueued:
			st.Queued = n
		case backend.DeliverySending:
			st.Sending = n
		case backend.DeliverySent:
			st.Sent = n
		case backend.DeliveryFailed:
			st.Failed = n
		}
	}
	return rows.Err()
}
