package postgres

import (
	"context"
	"fmt"

	"roster/backend"
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
