package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"roster/backend"
	"roster/backend/internal/outboxrows"
)

// enqueueMail stores an email to send inside tx (the transaction of the
// invitation or reset it belongs to) and fills e's ID, state and times.
func enqueueMail(ctx context.Context, tx *Tx, e *backend.OutboxEntry) error {
	data, err := sealMailData(tx, e.Data)
	if err != nil {
		return err
	}
	e.State, e.CreatedAt, e.UpdatedAt, e.NextAttemptAt = backend.DeliveryQueued, tx.now, tx.now, tx.now
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox
		(kind, recipient, invitation_id, password_reset_id, data, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Kind, e.To, nullString(e.InvitationID), nullString(e.PasswordResetID), data, e.State,
		formatTime(tx.now), formatTime(tx.now), formatTime(tx.now))
	if err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	if e.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	return nil
}

// sealMailData seals an entry's Data for the data column under the DB's
// sealing key (see backend.SealMailData).
func sealMailData(tx *Tx, data map[string]string) ([]byte, error) {
	return backend.SealMailData(tx.db.Keys, data)
}

// openMailData reads what sealMailData wrote. ECONFLICT (outbox.data_lost)
// when the key is lost or the data was altered; EUNAVAILABLE when the
// keyring cannot be read now.
func (db *DB) openMailData(sealed []byte) (map[string]string, error) {
	return backend.OpenMailData(db.Keys, sealed)
}

// cancelMail cancels the not-yet-sent emails of an invitation or a reset
// (column is "invitation_id" or "password_reset_id") and forgets their data,
// so their token leaves the database.
func cancelMail(ctx context.Context, tx *Tx, column, id string) error {
	if column != "invitation_id" && column != "password_reset_id" {
		return fmt.Errorf("cancel mail: bad column %q", column)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', data = NULL, updated_at = ?
		WHERE `+column+` = ? AND state IN ('queued', 'failed')`, formatTime(tx.now), id); err != nil {
		return fmt.Errorf("cancel mail: %w", err)
	}
	return nil
}

// nullString maps "" to NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Ensure the interface is implemented.
var _ backend.OutboxService = (*OutboxService)(nil)

// OutboxService implements backend.OutboxService: the durable mail queue.
// An entry goes queued → sending → sent, back to queued (retry), or failed;
// attempts counts the deliveries tried, whatever their outcome.
type OutboxService struct {
	db *DB
}

// NewOutboxService returns the outbox of db.
func NewOutboxService(db *DB) *OutboxService {
	return &OutboxService{db: db}
}

// outboxColumns is the column list of outboxrows.Scan.
const outboxColumns = outboxrows.Columns

// outboxTimes are this store's scanners of the outbox's time columns.
var outboxTimes = outboxrows.Times{
	Col:  func(t *time.Time) any { return timeCol{t} },
	Null: func(t **time.Time) any { return nullTime{t} },
}

// ClaimOutboxEntries moves up to limit due queued entries to "sending" in one
// statement and returns them, oldest due first. An entry whose Data can no
// longer be opened (its key was kept for an earlier session only) fails in
// the same transaction, with a message that says to send a new link, and is
// not returned. EUNAVAILABLE, and nothing claimed, when the keyring that
// holds the key cannot be read now.
func (s *OutboxService) ClaimOutboxEntries(ctx context.Context, limit int) ([]*backend.OutboxEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := formatTime(tx.now)
	// INDEXED BY: without statistics SQLite would rather read every queued
	// row through outbox_state and sort them, on every claim.
	rows, err := tx.QueryContext(ctx, `UPDATE outbox SET state = 'sending', updated_at = ?
		WHERE id IN (SELECT id FROM outbox INDEXED BY outbox_due WHERE state = 'queued' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?)
		RETURNING `+outboxColumns, now, now, limit)
	if err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", mapError(err))
	}
	entries, sealed, err := outboxrows.ScanAll(rows, outboxTimes)
	if err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", mapError(err))
	}
	entries, err = outboxrows.Sendable(s.db.Keys, entries, sealed, func(e *backend.OutboxEntry, lost error) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?,
				error_category = '', updated_at = ? WHERE id = ?`, backend.ErrorMessage(lost), now, e.ID); err != nil {
			return mapError(err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", mapError(err))
	}
	return entries, nil
}

// markSending updates an entry that is being sent; ECONFLICT when it is not
// (it was recovered, cancelled or marked already), so a late answer can
// never touch an entry that was marked sent.
func (s *OutboxService) markSending(ctx context.Context, what string, id int64, query string, args ...any) error {
	res, err := s.db.db.ExecContext(ctx, query, args...)
	return outboxrows.Marked(res, mapError(err), what, id)
}

// MarkOutboxSent records a delivered entry and clears its Data. The worker
// calls it for each message as soon as the server accepted it, so a crash
// can send again only the messages in flight.
func (s *OutboxService) MarkOutboxSent(ctx context.Context, id int64) error {
	now := formatTime(s.db.Now())
	return s.markSending(ctx, "mark outbox entry sent", id, `UPDATE outbox
		SET state = 'sent', data = NULL, attempts = attempts + 1, last_error = '', error_category = '', sent_at = ?,
			updated_at = ?
		WHERE id = ? AND state = 'sending'`, now, now, id)
}

// MarkOutboxRetry puts an entry being sent back in the queue, due at next.
func (s *OutboxService) MarkOutboxRetry(ctx context.Context, id int64, next time.Time, why backend.DeliveryFailure) error {
	return s.markSending(ctx, "mark outbox entry for retry", id, `UPDATE outbox
		SET state = 'queued', attempts = attempts + 1, next_attempt_at = ?, last_error = ?, error_category = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, formatTime(next), why.Message, why.Category, formatTime(s.db.Now()), id)
}

// MarkOutboxFailed gives up on an entry being sent; its Data stays for Retry.
func (s *OutboxService) MarkOutboxFailed(ctx context.Context, id int64, why backend.DeliveryFailure) error {
	return s.markSending(ctx, "mark outbox entry failed", id, `UPDATE outbox
		SET state = 'failed', attempts = attempts + 1, last_error = ?, error_category = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, why.Message, why.Category, formatTime(s.db.Now()), id)
}

// CompactOutbox empties the write-ahead log into the database file and
// truncates it, so the log keeps no older page versions (with the sealed
// data of emails sent since). The worker calls it when a run ends.
func (s *OutboxService) CompactOutbox(ctx context.Context) error {
	return s.db.checkpoint(ctx)
}

// NoteOutboxWaiting records on every queued entry why it is not being sent
// (email not set up, keyring locked), without counting an attempt, so the
// Invitations screen can say why.
func (s *OutboxService) NoteOutboxWaiting(ctx context.Context, reason string) error {
	if _, err := s.db.db.ExecContext(ctx, `UPDATE outbox SET last_error = ?, updated_at = ?
		WHERE state = 'queued' AND last_error <> ?`, reason, formatTime(s.db.Now()), reason); err != nil {
		return fmt.Errorf("note outbox waiting: %w", mapError(err))
	}
	return nil
}

// RetryOutboxEntry queues a failed entry again, due now, with a fresh count
// of attempts, and writes the audit entry. ENOTFOUND; ECONFLICT when it is
// not failed, or its link no longer works (the invitation was accepted,
// deleted or expired — Resend gives it a new one — or the reset was used,
// replaced or expired).
func (s *OutboxService) RetryOutboxEntry(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	e, err := findOutboxEntry(ctx, s.db, tx, id)
	if err != nil {
		return err
	}
	if e.State != backend.DeliveryFailed || e.Data == nil {
		return backend.MsgOutboxNotFailed.Error(backend.ECONFLICT, "state", string(e.State))
	}
	if err := checkLinkUsable(ctx, tx, e); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ?
		WHERE id = ?`, formatTime(tx.now), formatTime(tx.now), id); err != nil {
		return fmt.Errorf("retry outbox entry %d: %w", id, mapError(err))
	}
	target := auditTarget{Type: "outbox", ID: strconv.FormatInt(id, 10), Label: e.To}
	before := map[string]any{"state": e.State, "attempts": e.Attempts, "lastError": e.LastError}
	after := map[string]any{"state": backend.DeliveryQueued}
	if err := writeAudit(ctx, tx, backend.AuditMailRetried, target, before, after); err != nil {
		return err
	}
	return tx.Commit()
}

// RetryOutboxConnectionFailures makes the entries that wait, or failed,
// because the connection to the server failed due now: queued ones waiting
// for their backoff, and failed ones whose link still works (as Retry would
// check), with a fresh count of attempts. It says how many.
func (s *OutboxService) RetryOutboxConnectionFailures(ctx context.Context) (int, error) {
	now := formatTime(s.db.Now())
	res, err := s.db.db.ExecContext(ctx, `UPDATE outbox
		SET attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END, state = 'queued', next_attempt_at = ?,
			updated_at = ?
		WHERE error_category <> '' AND data IS NOT NULL AND (
			(state = 'queued' AND next_attempt_at > ?)
			OR (state = 'failed' AND (
				(invitation_id IS NULL AND password_reset_id IS NULL)
				OR EXISTS (SELECT 1 FROM invitations i WHERE i.id = outbox.invitation_id AND i.state = 'pending'
					AND i.expires_at > ? AND (i.outbox_id = outbox.id OR i.outbox_id IS NULL))
				OR EXISTS (SELECT 1 FROM password_resets r WHERE r.id = outbox.password_reset_id AND r.used_at IS NULL
					AND r.voided_at IS NULL AND r.expires_at > ? AND (r.outbox_id = outbox.id OR r.outbox_id IS NULL)))))`,
		now, now, now, now, now)
	if err != nil {
		return 0, fmt.Errorf("retry outbox connection failures: %w", mapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("retry outbox connection failures: %w", err)
	}
	return int(n), nil
}

// checkLinkUsable returns ECONFLICT when the invitation or reset of e can no
// longer be used, so retrying its email would send a dead link.
func checkLinkUsable(ctx context.Context, tx *Tx, e *backend.OutboxEntry) error {
	var query, id string
	var closed *backend.Message
	switch {
	case e.InvitationID != "":
		id, closed = e.InvitationID, backend.MsgOutboxInvitationClosed
		query = `SELECT EXISTS (SELECT 1 FROM invitations WHERE id = ? AND state = 'pending' AND expires_at > ? AND (outbox_id = ? OR outbox_id IS NULL))`
	case e.PasswordResetID != "":
		id, closed = e.PasswordResetID, backend.MsgOutboxResetClosed
		query = `SELECT EXISTS (SELECT 1 FROM password_resets WHERE id = ? AND used_at IS NULL AND voided_at IS NULL
			AND expires_at > ? AND (outbox_id = ? OR outbox_id IS NULL))`
	default:
		return nil
	}
	var ok bool
	if err := tx.QueryRowContext(ctx, query, id, formatTime(tx.now), e.ID).Scan(&ok); err != nil {
		return fmt.Errorf("retry outbox entry %d: %w", e.ID, err)
	}
	if !ok {
		return closed.Error(backend.ECONFLICT)
	}
	return nil
}

// RecoverOutbox returns entries left "sending" by a crash to the queue, due
// now. A crash after the server took a message but before it was marked sent
// can send that message again; nothing marked sent is ever sent again.
func (s *OutboxService) RecoverOutbox(ctx context.Context) (int, error) {
	now := formatTime(s.db.Now())
	res, err := s.db.db.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ?
		WHERE state = 'sending'`, now, now)
	if err != nil {
		return 0, fmt.Errorf("recover outbox: %w", mapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("recover outbox: %w", err)
	}
	return int(n), nil
}

// FindOutboxStats counts entries by state.
func (s *OutboxService) FindOutboxStats(ctx context.Context) (*backend.OutboxStats, error) {
	var st backend.OutboxStats
	rows, err := s.db.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", err)
	}
	if err := outboxrows.CountStates(rows, &st); err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", err)
	}
	var next sql.NullString
	if err := s.db.db.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'`).Scan(&next); err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", err)
	}
	if next.Valid {
		t, err := parseTime(next.String)
		if err != nil {
			return nil, fmt.Errorf("find outbox stats: %w", err)
		}
		st.NextAttemptAt = &t
	}
	return &st, nil
}

// FindOutboxEntryByID returns one entry. ENOTFOUND; ECONFLICT
// (outbox.data_lost); EUNAVAILABLE.
func (s *OutboxService) FindOutboxEntryByID(ctx context.Context, id int64) (*backend.OutboxEntry, error) {
	return findOutboxEntry(ctx, s.db, s.db.db, id)
}

// findOutboxEntry reads one entry, in or outside a transaction. ENOTFOUND;
// ECONFLICT (outbox.data_lost); EUNAVAILABLE.
func findOutboxEntry(ctx context.Context, db *DB, q queryer, id int64) (*backend.OutboxEntry, error) {
	e, sealed, err := outboxrows.Scan(q.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id), outboxTimes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.MsgOutboxNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, fmt.Errorf("find outbox entry %d: %w", id, err)
	}
	if err := outboxrows.Open(db.Keys, e, sealed); err != nil {
		return nil, err
	}
	return e, nil
}
