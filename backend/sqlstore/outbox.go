package sqlstore

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

// Enqueue stores an email to send inside tx (the transaction of the
// invitation or reset it belongs to), its data sealed with keys, and fills
// e's ID, state and times. A zero e.ID is the next of the outbox's ids.
func (d *Dialect) Enqueue(ctx context.Context, tx Tx, keys backend.OutboxKeys, e *backend.OutboxEntry) error {
	data, err := backend.SealMailData(keys, e.Data)
	if err != nil {
		return err
	}
	if e.ID == 0 && d.NextOutboxID != nil {
		if e.ID, err = d.NextOutboxID(ctx, tx); err != nil {
			return err
		}
	}
	var id any // NULL: the database numbers the row
	if e.ID != 0 {
		id = e.ID
	}
	now := tx.Now()
	e.State, e.CreatedAt, e.UpdatedAt, e.NextAttemptAt = backend.DeliveryQueued, now, now, now
	t := d.Time(now)
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox
		(id, kind, recipient, invitation_id, password_reset_id, data, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, string(e.Kind), e.To, NullString(e.InvitationID), NullString(e.PasswordResetID), data, string(e.State),
		t, t, t)
	if err != nil {
		return d.wrap("enqueue mail", err)
	}
	if e.ID == 0 {
		if e.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("enqueue mail: %w", err)
		}
	}
	return nil
}

// CancelMail cancels the not-yet-sent emails of an invitation or a reset
// (column is "invitation_id" or "password_reset_id") and forgets their
// data, so their token leaves the database.
func (d *Dialect) CancelMail(ctx context.Context, tx Tx, column, id string) error {
	if column != "invitation_id" && column != "password_reset_id" {
		return fmt.Errorf("cancel mail: bad column %q", column)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', data = NULL, updated_at = ?
		WHERE `+column+` = ? AND state IN ('queued', 'failed')`, d.Time(tx.Now()), id); err != nil {
		return d.wrap("cancel mail", err)
	}
	return nil
}

// enqueue stores an email to send inside tx (see Dialect.Enqueue).
func (s *Store) enqueue(ctx context.Context, tx Tx, e *backend.OutboxEntry) error {
	return s.Enqueue(ctx, tx, *s.Keys, e)
}

// openMail reads an email's sealed data column. ECONFLICT
// (outbox.data_lost) when the key is lost or the data was altered;
// EUNAVAILABLE when the key cannot be read now.
func (s *Store) openMail(sealed []byte) (map[string]string, error) {
	return backend.OpenMailData(*s.Keys, sealed)
}

// outboxTimes are the scanners of the outbox's time columns, whichever way
// the store keeps them.
var outboxTimes = outboxrows.Times{
	Col:  func(t *time.Time) any { return Time(t) },
	Null: func(t **time.Time) any { return NullTime(t) },
}

// OutboxService implements backend.OutboxService: the durable mail queue.
// An entry goes queued → sending → sent, back to queued (retry), or failed;
// attempts counts the deliveries tried, whatever their outcome. Where the
// dialect has an OutboxLease, several processes' workers share the queue: a
// claim holds its entries for the lease and skips the rows another worker
// is claiming (SkipLocked), and an entry still "sending" after its lease
// goes back to the queue.
type OutboxService struct {
	s *Store
	// The statements that depend on the lease, built once.
	claim, requeue, release string
}

var _ backend.OutboxService = (*OutboxService)(nil)

// NewOutboxService returns the outbox of s.
func NewOutboxService(s *Store) *OutboxService {
	o := &OutboxService{s: s}
	lease := ""
	o.requeue = `UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ?`
	if s.OutboxLease > 0 {
		lease = ", claimed_until = ?"
		o.release = ", claimed_until = NULL"
		o.requeue += o.release + ` WHERE state = 'sending' AND claimed_until <= ?`
	} else {
		o.requeue += ` WHERE state = 'sending'`
	}
	o.claim = `UPDATE outbox SET state = 'sending', updated_at = ?` + lease + `
		WHERE id IN (SELECT id FROM ` + s.OutboxDue + ` WHERE state = 'queued' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?` + s.SkipLocked + `)
		RETURNING ` + outboxrows.Columns
	return o
}

// requeueExpired returns to the queue, due at now, the entries left
// "sending" whose lease has ended (without a lease: all of them), and says
// how many.
func (o *OutboxService) requeueExpired(ctx context.Context, q Querier, now time.Time) (int, error) {
	t := o.s.Time(now)
	args := []any{t, t}
	if o.s.OutboxLease > 0 {
		args = append(args, t)
	}
	res, err := q.ExecContext(ctx, o.requeue, args...)
	if err != nil {
		return 0, o.s.MapError(err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ClaimOutboxEntries moves up to limit due queued entries to "sending" in
// one statement and returns them, oldest due first; with a lease, it first
// returns the entries whose lease ended to the queue. An entry whose Data
// can no longer be opened (sealed under a key that is gone) fails in the
// same transaction, with a message that says to send a new link, and is not
// returned. EUNAVAILABLE, and nothing claimed, when the key cannot be read
// now.
func (o *OutboxService) ClaimOutboxEntries(ctx context.Context, limit int) ([]*backend.OutboxEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	s := o.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := s.Time(tx.Now())
	args := []any{now}
	if s.OutboxLease > 0 {
		if _, err := o.requeueExpired(ctx, tx, tx.Now()); err != nil {
			return nil, fmt.Errorf("claim outbox entries: %w", err)
		}
		args = append(args, s.Time(tx.Now().Add(s.OutboxLease)))
	}
	rows, err := tx.QueryContext(ctx, o.claim, append(args, now, limit)...)
	if err != nil {
		return nil, s.wrap("claim outbox entries", err)
	}
	entries, sealed, err := outboxrows.ScanAll(rows, outboxTimes)
	if err != nil {
		return nil, s.wrap("claim outbox entries", err)
	}
	entries, err = outboxrows.Sendable(*s.Keys, entries, sealed, func(e *backend.OutboxEntry, lost error) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?,
				error_category = ''`+o.release+`, updated_at = ? WHERE id = ?`, backend.ErrorMessage(lost), now, e.ID); err != nil {
			return s.MapError(err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, s.wrap("claim outbox entries", err)
	}
	return entries, nil
}

// markSending updates an entry that is being sent; ECONFLICT when it is not
// (it was recovered, cancelled or marked already), so a late answer can
// never touch an entry that was marked sent.
func (o *OutboxService) markSending(ctx context.Context, what string, id int64, query string, args ...any) error {
	res, err := o.s.DB.ExecContext(ctx, query, args...)
	return outboxrows.Marked(res, o.s.MapError(err), what, id)
}

// MarkOutboxSent records a delivered entry and clears its Data. The worker
// calls it for each message as soon as the server accepted it, so a stop
// can send again only the messages in flight.
func (o *OutboxService) MarkOutboxSent(ctx context.Context, id int64) error {
	now := o.s.Time(o.s.now())
	return o.markSending(ctx, "mark outbox entry sent", id, `UPDATE outbox
		SET state = 'sent', data = NULL, attempts = attempts + 1, last_error = '', error_category = '', sent_at = ?`+
		o.release+`, updated_at = ?
		WHERE id = ? AND state = 'sending'`, now, now, id)
}

// MarkOutboxRetry puts an entry being sent back in the queue, due at next.
func (o *OutboxService) MarkOutboxRetry(ctx context.Context, id int64, next time.Time, why backend.DeliveryFailure) error {
	return o.markSending(ctx, "mark outbox entry for retry", id, `UPDATE outbox
		SET state = 'queued', attempts = attempts + 1, next_attempt_at = ?, last_error = ?, error_category = ?`+
		o.release+`, updated_at = ?
		WHERE id = ? AND state = 'sending'`, o.s.Time(next), why.Message, why.Category, o.s.Time(o.s.now()), id)
}

// MarkOutboxFailed gives up on an entry being sent; its Data stays for Retry.
func (o *OutboxService) MarkOutboxFailed(ctx context.Context, id int64, why backend.DeliveryFailure) error {
	return o.markSending(ctx, "mark outbox entry failed", id, `UPDATE outbox
		SET state = 'failed', attempts = attempts + 1, last_error = ?, error_category = ?`+o.release+`, updated_at = ?
		WHERE id = ? AND state = 'sending'`, why.Message, why.Category, o.s.Time(o.s.now()), id)
}

// CompactOutbox runs the store's Compact, if it has one. The worker calls
// it when a run ends.
func (o *OutboxService) CompactOutbox(ctx context.Context) error {
	if o.s.Compact == nil {
		return nil
	}
	return o.s.Compact(ctx)
}

// NoteOutboxWaiting records on every queued entry why it is not being sent
// (email not set up, keyring locked), without counting an attempt, so the
// Invitations screen can say why.
func (o *OutboxService) NoteOutboxWaiting(ctx context.Context, reason string) error {
	if _, err := o.s.DB.ExecContext(ctx, `UPDATE outbox SET last_error = ?, updated_at = ?
		WHERE state = 'queued' AND last_error <> ?`, reason, o.s.Time(o.s.now()), reason); err != nil {
		return o.s.wrap("note outbox waiting", err)
	}
	return nil
}

// RetryOutboxEntry queues a failed entry again, due now, with a fresh count
// of attempts, and writes the audit entry. ENOTFOUND; ECONFLICT when it is
// not failed, or its link no longer works (the invitation was accepted,
// deleted or expired — Resend gives it a new one — or the reset was used,
// replaced or expired).
func (o *OutboxService) RetryOutboxEntry(ctx context.Context, id int64) error {
	s := o.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e, err := o.findOutboxEntry(ctx, tx, id, s.ForKeyUpdate)
	if err != nil {
		return err
	}
	if e.State != backend.DeliveryFailed || e.Data == nil {
		return backend.MsgOutboxNotFailed.Error(backend.ECONFLICT, "state", string(e.State))
	}
	if err := o.checkLinkUsable(ctx, tx, e); err != nil {
		return err
	}
	now := s.Time(tx.Now())
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ?
		WHERE id = ?`, now, now, id); err != nil {
		return s.wrap("retry outbox entry "+strconv.FormatInt(id, 10), err)
	}
	target := AuditTarget{Type: "outbox", ID: strconv.FormatInt(id, 10), Label: e.To}
	before := map[string]any{"state": e.State, "attempts": e.Attempts, "lastError": e.LastError}
	after := map[string]any{"state": backend.DeliveryQueued}
	if err := s.WriteAudit(ctx, tx, backend.AuditMailRetried, target, before, after); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("retry outbox entry "+strconv.FormatInt(id, 10), err)
	}
	return nil
}

// usableLink is the condition that an entry's invitation or reset, if it
// has one, still works (at the time given twice) and still names this
// entry as its email.
const usableLink = `((invitation_id IS NULL AND password_reset_id IS NULL)
	OR EXISTS (SELECT 1 FROM invitations i WHERE i.id = outbox.invitation_id AND i.state = 'pending'
		AND i.expires_at > ? AND (i.outbox_id = outbox.id OR i.outbox_id IS NULL))
	OR EXISTS (SELECT 1 FROM password_resets r WHERE r.id = outbox.password_reset_id AND r.used_at IS NULL
		AND r.voided_at IS NULL AND r.expires_at > ? AND (r.outbox_id = outbox.id OR r.outbox_id IS NULL)))`

// checkLinkUsable returns ECONFLICT when the invitation or reset of e can no
// longer be used, so retrying its email would send a dead link.
func (o *OutboxService) checkLinkUsable(ctx context.Context, tx Tx, e *backend.OutboxEntry) error {
	now := o.s.Time(tx.Now())
	var ok bool
	if err := tx.QueryRowContext(ctx, `SELECT `+usableLink+` FROM outbox WHERE id = ?`, now, now, e.ID).Scan(&ok); err != nil {
		return o.s.wrap("retry outbox entry "+strconv.FormatInt(e.ID, 10), err)
	}
	switch {
	case ok:
		return nil
	case e.InvitationID != "":
		return backend.MsgOutboxInvitationClosed.Error(backend.ECONFLICT)
	default:
		return backend.MsgOutboxResetClosed.Error(backend.ECONFLICT)
	}
}

// RetryOutboxConnectionFailures makes the entries that wait, or failed,
// because the connection to the server failed due now: queued ones waiting
// for their backoff, and failed ones whose link still works (as Retry would
// check), with a fresh count of attempts. It says how many.
func (o *OutboxService) RetryOutboxConnectionFailures(ctx context.Context) (int, error) {
	now := o.s.Time(o.s.now())
	res, err := o.s.DB.ExecContext(ctx, `UPDATE outbox
		SET attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END, state = 'queued', next_attempt_at = ?,
			updated_at = ?
		WHERE error_category <> '' AND data IS NOT NULL AND (
			(state = 'queued' AND next_attempt_at > ?) OR (state = 'failed' AND `+usableLink+`))`,
		now, now, now, now, now)
	if err != nil {
		return 0, o.s.wrap("retry outbox connection failures", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("retry outbox connection failures: %w", err)
	}
	return int(n), nil
}

// RecoverOutbox returns to the queue, due now, the entries left "sending"
// by a process that stopped, and says how many. With a lease, only those
// whose lease has ended: entries that another running process is sending
// keep theirs, so a process that starts never sends them a second time
// (ClaimOutboxEntries does the same on every claim, so a stopped process's
// entries are sent by the others even if it never comes back). Without
// one, all of them: one process sends, and it is starting. A stop after
// the server took a message but before it was marked sent can send that
// message again; nothing marked sent is ever sent again.
func (o *OutboxService) RecoverOutbox(ctx context.Context) (int, error) {
	n, err := o.requeueExpired(ctx, o.s.DB, o.s.now())
	if err != nil {
		return 0, fmt.Errorf("recover outbox: %w", err)
	}
	return n, nil
}

// FindOutboxStats counts entries by state.
func (o *OutboxService) FindOutboxStats(ctx context.Context) (*backend.OutboxStats, error) {
	var st backend.OutboxStats
	rows, err := o.s.DB.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, o.s.wrap("find outbox stats", err)
	}
	if err := outboxrows.CountStates(rows, &st); err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", err)
	}
	if err := o.s.DB.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'`).
		Scan(NullTime(&st.NextAttemptAt)); err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", err)
	}
	return &st, nil
}

// FindOutboxEntryByID returns one entry. ENOTFOUND; ECONFLICT
// (outbox.data_lost); EUNAVAILABLE.
func (o *OutboxService) FindOutboxEntryByID(ctx context.Context, id int64) (*backend.OutboxEntry, error) {
	return o.findOutboxEntry(ctx, o.s.DB, id, "")
}

// findOutboxEntry reads one entry, in or outside a transaction, with an
// optional row lock clause. ENOTFOUND; ECONFLICT (outbox.data_lost);
// EUNAVAILABLE.
func (o *OutboxService) findOutboxEntry(ctx context.Context, q Querier, id int64, lock string) (*backend.OutboxEntry, error) {
	e, sealed, err := outboxrows.Scan(q.QueryRowContext(ctx, `SELECT `+outboxrows.Columns+` FROM outbox WHERE id = ?`+lock, id), outboxTimes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.MsgOutboxNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, o.s.wrap("find outbox entry "+strconv.FormatInt(id, 10), err)
	}
	if err := outboxrows.Open(*o.s.Keys, e, sealed); err != nil {
		return nil, err
	}
	return e, nil
}
