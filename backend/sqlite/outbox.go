package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"roster/backend"
)

// enqueueMail stores an email to send inside tx (the transaction of the
// invitation or reset it belongs to) and fills e's ID, state and times.
func enqueueMail(ctx context.Context, tx *Tx, e *backend.OutboxEntry) error {
	data, err := marshalMailData(e.Data)
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

// marshalMailData renders an entry's Data for the data column.
func marshalMailData(data map[string]string) (string, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return "", fmt.Errorf("mail data: %w", err)
	}
	return string(b), nil
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
