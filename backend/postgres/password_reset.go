package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"roster/backend"
)

var _ backend.PasswordResetService = (*PasswordResetService)(nil)

// PasswordResetService implements backend.PasswordResetService.
type PasswordResetService struct {
	db *DB
}

// NewPasswordResetService returns the password reset service of db.
func NewPasswordResetService(db *DB) *PasswordResetService {
	return &PasswordResetService{db: db}
}

// voidPasswordResets voids a member's open resets and cancels their emails.
// The caller holds the member's row lock.
func voidPasswordResets(ctx context.Context, tx *Tx, userID string) error {
	rows, err := tx.QueryContext(ctx, `UPDATE password_resets SET voided_at = $1
		WHERE user_id = $2 AND used_at IS NULL AND voided_at IS NULL RETURNING id`, tx.now, userID)
	if err != nil {
		return fmt.Errorf("void password resets: %w", mapError(err))
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapError(err)
	}
	for _, id := range ids {
		if err := cancelMail(ctx, tx, "password_reset_id", id); err != nil {
			return err
		}
	}
	return nil
}

// SendPasswordReset issues a new reset link, voids older ones and queues the
// email. It locks the member's row, so of two resets at once the second
// voids the first.
func (s *PasswordResetService) SendPasswordReset(ctx context.Context, userID string) (*backend.PasswordReset, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := lockUser(ctx, tx, userID, "FOR NO KEY UPDATE")
	if err != nil {
		return nil, err
	}
	switch u.Status {
	case backend.UserRemoved:
		return nil, errUserRemoved(u)
	case backend.UserInactive:
		return nil, backend.MsgPasswordResetInactive.Error(backend.EFORBIDDEN, "name", u.Name)
	}
	if err := voidPasswordResets(ctx, tx, u.ID); err != nil {
		return nil, err
	}
	token, hash := newToken()
	r := &backend.PasswordReset{ID: newID(), UserID: u.ID, CreatedAt: tx.now, ExpiresAt: tx.now.Add(backend.PasswordResetLifetime)}
	if r.OutboxID, err = nextOutboxID(ctx, tx); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (id, user_id, token_hash, outbox_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, r.UserID, hash, r.OutboxID, r.CreatedAt, r.ExpiresAt); err != nil {
		return nil, fmt.Errorf("send password reset: %w", mapError(err))
	}
	org, err := organisationName(ctx, tx)
	if err != nil {
		return nil, err
	}
	expires := r.ExpiresAt.UTC().Format("2006-01-02T15:04:05.000Z")
	mail := &backend.OutboxEntry{ID: r.OutboxID, Kind: backend.MailPasswordReset, To: u.Email, PasswordResetID: r.ID,
		Data: map[string]string{
			backend.MailDataToken:        token,
			backend.MailDataRecipient:    u.Name,
			backend.MailDataExpiresAt:    expires,
			backend.MailDataOrganisation: org,
		}}
	if err := enqueueMail(ctx, tx, mail); err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, tx, backend.AuditPasswordResetSent, userTarget(u), nil,
		map[string]any{"expiresAt": expires}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("send password reset: %w", mapError(err))
	}
	return r, nil
}

func errResetInvalid() error {
	return backend.MsgPasswordResetInvalid.Error(backend.ENOTFOUND)
}

func errResetExpired() error {
	return backend.MsgPasswordResetExpired.Error(backend.EFORBIDDEN)
}

// ResetPassword redeems a reset token once. It locks the member, then the
// reset (the order SendPasswordReset and RemoveUser take them in), so a
// link used twice at once works once, and one voided meanwhile not at all.
func (s *PasswordResetService) ResetPassword(ctx context.Context, p backend.ResetParams) error {
	if strings.TrimSpace(p.PasswordHash) == "" {
		return backend.MsgPasswordMissing.FieldError(backend.EINVALID, "passwordHash")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	hash := hashToken(p.Token)
	var userID string
	err = tx.QueryRowContext(ctx, `SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND voided_at IS NULL`,
		hash).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return errResetInvalid()
	} else if err != nil {
		return fmt.Errorf("reset password: %w", mapError(err))
	}
	u, err := lockUser(ctx, tx, userID, "FOR NO KEY UPDATE")
	if err != nil {
		return err
	}
	var id string
	var expires time.Time
	err = tx.QueryRowContext(ctx, `SELECT id, expires_at FROM password_resets
		WHERE token_hash = $1 AND used_at IS NULL AND voided_at IS NULL FOR NO KEY UPDATE`, hash).Scan(&id, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return errResetInvalid()
	} else if err != nil {
		return fmt.Errorf("reset password: %w", mapError(err))
	}
	if !tx.now.Before(expires) || u.Status != backend.UserActive {
		return errResetExpired()
	}
	// The trigger password_resets_end_sessions ends the member's sessions.
	if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE id = $2`, tx.now, id); err != nil {
		return fmt.Errorf("reset password: %w", mapError(err))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, p.PasswordHash, tx.now, u.ID); err != nil {
		return fmt.Errorf("reset password: %w", mapError(err))
	}
	if err := enqueuePasswordChanged(ctx, tx, u); err != nil {
		return err
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := writeAudit(ctx, tx, backend.AuditPasswordResetUsed, userTarget(u), nil, nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reset password: %w", mapError(err))
	}
	return nil
}
