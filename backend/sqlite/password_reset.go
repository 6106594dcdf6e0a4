package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
func voidPasswordResets(ctx context.Context, tx *Tx, userID string) error {
	rows, err := tx.QueryContext(ctx, `UPDATE password_resets SET voided_at = ?
		WHERE user_id = ? AND used_at IS NULL AND voided_at IS NULL RETURNING id`, formatTime(tx.now), userID)
	if err != nil {
		return fmt.Errorf("void password resets: %w", err)
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
		return err
	}
	for _, id := range ids {
		if err := cancelMail(ctx, tx, "password_reset_id", id); err != nil {
			return err
		}
	}
	return nil
}

// SendPasswordReset issues a new reset link, voids older ones and queues the email.
func (s *PasswordResetService) SendPasswordReset(ctx context.Context, userID string) (*backend.PasswordReset, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := findUserByID(ctx, tx, userID)
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
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, r.ID, r.UserID, hash, formatTime(r.CreatedAt), formatTime(r.ExpiresAt)); err != nil {
		return nil, fmt.Errorf("send password reset: %w", err)
	}
	org, err := organisationName(ctx, tx)
	if err != nil {
		return nil, err
	}
	mail := &backend.OutboxEntry{Kind: backend.MailPasswordReset, To: u.Email, PasswordResetID: r.ID, Data: map[string]string{
		backend.MailDataToken:        token,
		backend.MailDataRecipient:    u.Name,
		backend.MailDataExpiresAt:    formatTime(r.ExpiresAt),
		backend.MailDataOrganisation: org,
	}}
	if err := enqueueMail(ctx, tx, mail); err != nil {
		return nil, err
	}
	r.OutboxID = mail.ID
	if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET outbox_id = ? WHERE id = ?`, mail.ID, r.ID); err != nil {
		return nil, fmt.Errorf("send password reset: %w", err)
	}
	if err := writeAudit(ctx, tx, backend.AuditPasswordResetSent, userTarget(u), nil,
		map[string]any{"expiresAt": formatTime(r.ExpiresAt)}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("send password reset: %w", mapError(err))
	}
	return r, nil
}

// ResetPassword redeems a reset token once.
func (s *PasswordResetService) ResetPassword(ctx context.Context, p backend.ResetParams) error {
	if strings.TrimSpace(p.PasswordHash) == "" {
		return backend.MsgPasswordMissing.FieldError(backend.EINVALID, "passwordHash")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id, userID, expires string
	err = tx.QueryRowContext(ctx, `SELECT id, user_id, expires_at FROM password_resets
		WHERE token_hash = ? AND used_at IS NULL AND voided_at IS NULL`, hashToken(p.Token)).Scan(&id, &userID, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.MsgPasswordResetInvalid.Error(backend.ENOTFOUND)
	} else if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	exp, err := parseTime(expires)
	if err != nil {
		return err
	}
	u, err := findUserByID(ctx, tx, userID)
	if err != nil {
		return err
	}
	if !tx.now.Before(exp) || u.Status != backend.UserActive {
		return backend.MsgPasswordResetExpired.Error(backend.EFORBIDDEN)
	}
	now := formatTime(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE id = ?`, now, id); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, p.PasswordHash, now, u.ID); err != nil {
		return fmt.Errorf("reset password: %w", err)
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

// organisationName returns the organisation's name for emails ("" before setup).
func organisationName(ctx context.Context, q queryer) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM organisation WHERE id = 1`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("organisation name: %w", err)
	}
	return name, nil
}
