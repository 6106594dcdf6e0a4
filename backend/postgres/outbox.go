package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"roster/backend"
	"roster/backend/internal/outboxrows"
	"roster/backend/sqlstore"
)

// nextOutboxID reserves the id of an email about to be queued, so that the
// invitation or reset it belongs to can point at it when it is written.
// The sequence hands out each id once, whoever else writes at the time.
func nextOutboxID(ctx context.Context, tx *Tx) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('outbox', 'id'))`).Scan(&id); err != nil {
		return 0, fmt.Errorf("enqueue mail: %w", mapError(err))
	}
	return id, nil
}

// enqueueMail stores an email to send inside tx (the transaction of the
// invitation or reset it belongs to) and fills e's ID, state and times. A
// zero e.ID is taken from the sequence.
func enqueueMail(ctx context.Context, tx *Tx, e *backend.OutboxEntry) error {
	data, err := sealMailData(tx, e.Data)
	if err != nil {
		return err
	}
	if e.ID == 0 {
		if e.ID, err = nextOutboxID(ctx, tx); err != nil {
			return err
		}
	}
	e.State, e.CreatedAt, e.UpdatedAt, e.NextAttemptAt = backend.DeliveryQueued, tx.now, tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox
		(id, kind, recipient, invitation_id, password_reset_id, data, state, next_attempt_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)`,
		e.ID, string(e.Kind), e.To, nullString(e.InvitationID), nullString(e.PasswordResetID), data, string(e.State),
		tx.now); err != nil {
		return fmt.Errorf("enqueue mail: %w", mapError(err))
	}
	return nil
}

// sealMailData seals an entry's Data for the data column under the DB's
// sealing key (see backend.SealMailData), as package sqlite does.
func sealMailData(tx *Tx, data map[string]string) ([]byte, error) {
	return backend.SealMailData(tx.db.Keys, data)
}

// openMailData reads what sealMailData wrote. ECONFLICT (outbox.data_lost)
// when the key is lost or the data was altered; EUNAVAILABLE when the key
// cannot be read now.
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
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', data = NULL, updated_at = $1
		WHERE `+column+` = $2 AND state IN ('queued', 'failed')`, tx.now, id); err != nil {
		return fmt.Errorf("cancel mail: %w", mapError(err))
	}
	return nil
}

// Ensure the interface is implemented.
var _ backend.OutboxService = (*OutboxService)(nil)

// OutboxLease is how long a claimed entry belongs to the worker that claimed
// it. A worker marks each entry within seconds of sending it; an entry still
// "sending" after its lease belongs to a process that stopped without
// marking it, and goes back to the queue. It is far longer than a batch
// takes to send (each SMTP step has a deadline of 30 s).
const OutboxLease = 15 * time.Minute

// OutboxService implements backend.OutboxService on PostgreSQL: the durable
// mail queue that the workers of several server processes share. An entry
// goes queued → sending → sent, back to queued (retry), or failed; attempts
// counts the deliveries tried, whatever their outcome. Claims skip the rows
// another worker is claiming (FOR UPDATE SKIP LOCKED), so no two workers
// hold one entry.
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
	Null: func(t **time.Time) any { return sqlstore.NullTime(t) },
}

// requeueExpired returns the entries whose lease ended while "sending" to
// the queue, due now, and says how many.
func requeueExpired(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, now time.Time) (int, error) {
	res, err := q.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = $1, claimed_until = NULL,
		updated_at = $1 WHERE state = 'sending' AND claimed_until <= $1`, now)
	if err != nil {
		return 0, mapError(err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ClaimOutboxEntries moves up to limit due queued entries to "sending", held
// for OutboxLease, and returns them, oldest due first. Rows another worker
// is claiming at the same moment are skipped, not waited for, so two
// workers never claim one entry. An entry whose Data can no longer be
// opened (sealed under another key) fails in the same transaction and is
// not returned. EUNAVAILABLE, and nothing claimed, when the key cannot be
// read now.
func (s *OutboxService) ClaimOutboxEntries(ctx context.Context, limit int) ([]*backend.OutboxEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requeueExpired(ctx, tx, tx.now); err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `UPDATE outbox SET state = 'sending', claimed_until = $2, updated_at = $1
		WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= $1
			ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING `+outboxColumns, tx.now, tx.now.Add(OutboxLease), limit)
	if err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", mapError(err))
	}
	entries, sealed, err := outboxrows.ScanAll(rows, outboxTimes)
	if err != nil {
		return nil, fmt.Errorf("claim outbox entries: %w", mapError(err))
	}
	entries, err = outboxrows.Sendable(s.db.Keys, entries, sealed, func(e *backend.OutboxEntry, lost error) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $1,
				error_category = '', claimed_until = NULL, updated_at = $2 WHERE id = $3`,
			backend.ErrorMessage(lost), tx.now, e.ID); err != nil {
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
// calls it for each message as soon as the server accepted it, so a stop
// can send again only the messages in flight.
func (s *OutboxService) MarkOutboxSent(ctx context.Context, id int64) error {
	return s.markSending(ctx, "mark outbox entry sent", id, `UPDATE outbox
		SET state = 'sent', data = NULL, attempts = attempts + 1, last_error = '', error_category = '', sent_at = $1,
			claimed_until = NULL, updated_at = $1
		WHERE id = $2 AND state = 'sending'`, s.db.now(), id)
}

// MarkOutboxRetry puts an entry being sent back in the queue, due at next.
func (s *OutboxService) MarkOutboxRetry(ctx context.Context, id int64, next time.Time, why backend.DeliveryFailure) error {
	return s.markSending(ctx, "mark outbox entry for retry", id, `UPDATE outbox
		SET state = 'queued', attempts = attempts + 1, next_attempt_at = $1, last_error = $2, error_category = $3,
			claimed_until = NULL, updated_at = $4
		WHERE id = $5 AND state = 'sending'`, next.UTC(), why.Message, why.Category, s.db.now(), id)
}

// MarkOutboxFailed gives up on an entry being sent; its Data stays for Retry.
func (s *OutboxService) MarkOutboxFailed(ctx context.Context, id int64, why backend.DeliveryFailure) error {
	return s.markSending(ctx, "mark outbox entry failed", id, `UPDATE outbox
		SET state = 'failed', attempts = attempts + 1, last_error = $1, error_category = $2, claimed_until = NULL,
			updated_at = $3
		WHERE id = $4 AND state = 'sending'`, why.Message, why.Category, s.db.now(), id)
}

// CompactOutbox does nothing: PostgreSQL's write-ahead log is the server's
// to recycle, and VACUUM reclaims the rows whose data was cleared.
func (s *OutboxService) CompactOutbox(ctx context.Context) error {
	return nil
}

// NoteOutboxWaiting records on every queued entry why it is not being sent,
// without counting an attempt.
func (s *OutboxService) NoteOutboxWaiting(ctx context.Context, reason string) error {
	if _, err := s.db.db.ExecContext(ctx, `UPDATE outbox SET last_error = $1, updated_at = $2
		WHERE state = 'queued' AND last_error <> $1`, reason, s.db.now()); err != nil {
		return fmt.Errorf("note outbox waiting: %w", mapError(err))
	}
	return nil
}

// RetryOutboxEntry queues a failed entry again, due now, with a fresh count
// of attempts, and writes the audit entry. ENOTFOUND; ECONFLICT when it is
// not failed, or its link no longer works.
func (s *OutboxService) RetryOutboxEntry(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e, err := findOutboxEntry(ctx, s.db, tx, id, " FOR UPDATE")
	if err != nil {
		return err
	}
	if e.State != backend.DeliveryFailed || e.Data == nil {
		return backend.MsgOutboxNotFailed.Error(backend.ECONFLICT, "state", string(e.State))
	}
	if err := checkLinkUsable(ctx, tx, e); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = $1, updated_at = $1
		WHERE id = $2`, tx.now, id); err != nil {
		return fmt.Errorf("retry outbox entry %d: %w", id, mapError(err))
	}
	target := sqlstore.AuditTarget{Type: "outbox", ID: strconv.FormatInt(id, 10), Label: e.To}
	before := map[string]any{"state": e.State, "attempts": e.Attempts, "lastError": e.LastError}
	after := map[string]any{"state": backend.DeliveryQueued}
	if err := dialect.WriteAudit(ctx, storeTx{tx}, backend.AuditMailRetried, target, before, after); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("retry outbox entry %d: %w", id, mapError(err))
	}
	return nil
}

// usableLink is the condition that an entry's invitation or reset, if it
// has one, still works and still names this entry as its email.
const usableLink = `((invitation_id IS NULL AND password_reset_id IS NULL)
	OR EXISTS (SELECT 1 FROM invitations i WHERE i.id = outbox.invitation_id AND i.state = 'pending'
		AND i.expires_at > $1 AND (i.outbox_id = outbox.id OR i.outbox_id IS NULL))
	OR EXISTS (SELECT 1 FROM password_resets r WHERE r.id = outbox.password_reset_id AND r.used_at IS NULL
		AND r.voided_at IS NULL AND r.expires_at > $1 AND (r.outbox_id = outbox.id OR r.outbox_id IS NULL)))`

// checkLinkUsable returns ECONFLICT when the invitation or reset of e can no
// longer be used, so retrying its email would send a dead link.
func checkLinkUsable(ctx context.Context, tx *Tx, e *backend.OutboxEntry) error {
	var ok bool
	if err := tx.QueryRowContext(ctx, `SELECT `+usableLink+` FROM outbox WHERE id = $2`, tx.now, e.ID).Scan(&ok); err != nil {
		return fmt.Errorf("retry outbox entry %d: %w", e.ID, mapError(err))
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
// because the connection to the server failed due now, and says how many.
func (s *OutboxService) RetryOutboxConnectionFailures(ctx context.Context) (int, error) {
	res, err := s.db.db.ExecContext(ctx, `UPDATE outbox
		SET attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END, state = 'queued', next_attempt_at = $1,
			updated_at = $1
		WHERE error_category <> '' AND data IS NOT NULL AND (
			(state = 'queued' AND next_attempt_at > $1) OR (state = 'failed' AND `+usableLink+`))`, s.db.now())
	if err != nil {
		return 0, fmt.Errorf("retry outbox connection failures: %w", mapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("retry outbox connection failures: %w", err)
	}
	return int(n), nil
}

// RecoverOutbox returns to the queue the entries left "sending" by a
// process that stopped, once their lease has ended, and says how many.
// Entries that another running process is sending keep their lease, so a
// process that starts never sends them a second time. ClaimOutboxEntries
// does the same on every claim, so a stopped process's entries are sent by
// the others even if it never comes back.
func (s *OutboxService) RecoverOutbox(ctx context.Context) (int, error) {
	n, err := requeueExpired(ctx, s.db.db, s.db.now())
	if err != nil {
		return 0, fmt.Errorf("recover outbox: %w", err)
	}
	return n, nil
}

// FindOutboxStats counts entries by state.
func (s *OutboxService) FindOutboxStats(ctx context.Context) (*backend.OutboxStats, error) {
	var st backend.OutboxStats
	rows, err := s.db.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", mapError(err))
	}
	if err := outboxrows.CountStates(rows, &st); err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", err)
	}
	if err := s.db.db.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'`).
		Scan(sqlstore.NullTime(&st.NextAttemptAt)); err != nil {
		return nil, fmt.Errorf("find outbox stats: %w", err)
	}
	return &st, nil
}

// FindOutboxEntryByID returns one entry. ENOTFOUND; ECONFLICT
// (outbox.data_lost); EUNAVAILABLE.
func (s *OutboxService) FindOutboxEntryByID(ctx context.Context, id int64) (*backend.OutboxEntry, error) {
	return findOutboxEntry(ctx, s.db, s.db.db, id, "")
}

// findOutboxEntry reads one entry, in or outside a transaction, with an
// optional row lock clause. ENOTFOUND; ECONFLICT (outbox.data_lost);
// EUNAVAILABLE.
func findOutboxEntry(ctx context.Context, db *DB, q sqlstore.Querier, id int64, lock string) (*backend.OutboxEntry, error) {
	e, sealed, err := outboxrows.Scan(q.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = $1`+lock, id), outboxTimes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.MsgOutboxNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, fmt.Errorf("find outbox entry %d: %w", id, mapError(err))
	}
	if err := outboxrows.Open(db.Keys, e, sealed); err != nil {
		return nil, err
	}
	return e, nil
}
