package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"roster/backend"
)

// PasswordResetService implements backend.PasswordResetService.
type PasswordResetService struct {
	s *Store
}

var _ backend.PasswordResetService = (*PasswordResetService)(nil)

// NewPasswordResetService returns the password reset service of s.
func NewPasswordResetService(s *Store) *PasswordResetService {
	return &PasswordResetService{s: s}
}

// voidPasswordResets voids a member's open resets and cancels their emails.
// Where writers run at once, the caller holds the member's row lock.
func (s *Store) voidPasswordResets(ctx context.Context, tx Tx, userID string) error {
	rows, err := tx.QueryContext(ctx, `UPDATE password_resets SET voided_at = ?
		WHERE user_id = ? AND used_at IS NULL AND voided_at IS NULL RETURNING id`, s.Time(tx.Now()), userID)
	if err != nil {
		return s.wrap("void password resets", err)
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
		return s.MapError(err)
	}
	for _, id := range ids {
		if err := s.CancelMail(ctx, tx, "password_reset_id", id); err != nil {
			return err
		}
	}
	return nil
}

// SendPasswordReset issues a new reset link, voids older ones and queues the
// email. Where writers run at once, it locks the member's row, so of two
// resets at once the second voids the first.
func (rs *PasswordResetService) SendPasswordReset(ctx context.Context, userID string) (*backend.PasswordReset, error) {
	token, hash := NewToken()
	return rs.s.sendPasswordReset(ctx, userID, hash, token)
}

// sendPasswordReset issues the reset link of hash and voids the member's
// older ones (OpSendPasswordReset). With the link's token, it queues the
// email with it; without one (a hash given by the caller) it queues none.
func (s *Store) sendPasswordReset(ctx context.Context, userID string, hash []byte, token string) (*backend.PasswordReset, error) {
	d := &backend.PasswordResetOp{ID: NewID(), UserID: userID, TokenHash: hash}
	return recordOp(ctx, s, "send password reset", backend.OpSendPasswordReset, d, func(tx Tx) (*backend.PasswordReset, error) {
		r, u, err := s.applySendPasswordReset(ctx, tx, d)
		if err != nil || token == "" {
			return r, err
		}
		org, err := s.OrganisationName(ctx, tx)
		if err != nil {
			return nil, err
		}
		mail := &backend.OutboxEntry{Kind: backend.MailPasswordReset, To: u.Email, PasswordResetID: r.ID, Data: map[string]string{
			backend.MailDataToken:        token,
			backend.MailDataRecipient:    u.Name,
			backend.MailDataExpiresAt:    FormatTime(r.ExpiresAt),
			backend.MailDataOrganisation: org,
		}}
		if lang := backend.LanguageFromContext(ctx); lang != "" {
			mail.Data[backend.MailDataLanguage] = lang
		}
		if err := s.queueMail(ctx, tx, mail, "password_resets", r.ID); err != nil {
			return nil, err
		}
		r.OutboxID = mail.ID
		return r, nil
	})
}

// applySendPasswordReset applies OpSendPasswordReset: it issues reset d.ID
// of member d.UserID with the link of d.TokenHash, valid from tx's time,
// and voids the member's older ones. It returns the reset and the member.
// ENOTFOUND for an unknown member; EFORBIDDEN for a removed or inactive
// one; ECONFLICT when a reset ever had the hash.
func (s *Store) applySendPasswordReset(ctx context.Context, tx Tx, d *backend.PasswordResetOp) (*backend.PasswordReset, *backend.User, error) {
	if err := backend.CheckTokenHash(d.TokenHash); err != nil {
		return nil, nil, err
	}
	u, err := s.lockUser(ctx, tx, d.UserID, s.ForUpdate)
	if err != nil {
		return nil, nil, err
	}
	switch u.Status {
	case backend.UserRemoved:
		return nil, nil, errUserRemoved(u)
	case backend.UserInactive:
		return nil, nil, backend.MsgPasswordResetInactive.Error(backend.EFORBIDDEN, "name", u.Name)
	}
	if err := s.checkHashUnused(ctx, tx, "password_resets", d.TokenHash); err != nil {
		return nil, nil, err
	}
	if err := s.voidPasswordResets(ctx, tx, u.ID); err != nil {
		return nil, nil, err
	}
	now := tx.Now()
	r := &backend.PasswordReset{ID: d.ID, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(backend.PasswordResetLifetime)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, r.ID, r.UserID, d.TokenHash, s.Time(r.CreatedAt), s.Time(r.ExpiresAt)); err != nil {
		if s.hashTaken(err, "password_resets") {
			return nil, nil, errHashUsed()
		}
		return nil, nil, s.wrap("send password reset", err)
	}
	if err := s.WriteAudit(ctx, tx, backend.AuditPasswordResetSent, UserTarget(u), nil,
		map[string]any{"expiresAt": FormatTime(r.ExpiresAt)}); err != nil {
		return nil, nil, err
	}
	return r, u, nil
}

func errResetInvalid() error {
	return backend.MsgPasswordResetInvalid.Error(backend.ENOTFOUND)
}

func errResetExpired() error {
	return backend.MsgPasswordResetExpired.Error(backend.EFORBIDDEN)
}

// ResetPassword redeems a reset token once. Where writers run at once, it
// locks the member, then the reset (the order SendPasswordReset and
// RemoveUser take them in), so a link used twice at once works once, and
// one voided meanwhile not at all.
func (rs *PasswordResetService) ResetPassword(ctx context.Context, p backend.ResetParams) error {
	s := rs.s
	if strings.TrimSpace(p.PasswordHash) == "" {
		return errHashMissing()
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const open = `FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND voided_at IS NULL`
	hash := HashToken(p.Token)
	var id, userID string
	var expires time.Time
	err = tx.QueryRowContext(ctx, `SELECT id, user_id, expires_at `+open, hash).Scan(&id, &userID, Time(&expires))
	if errors.Is(err, sql.ErrNoRows) {
		return errResetInvalid()
	} else if err != nil {
		return s.wrap("reset password", err)
	}
	u, err := s.lockUser(ctx, tx, userID, s.ForUpdate)
	if err != nil {
		return err
	}
	if s.ForUpdate != "" {
		// Again under the lock: it may have been used or voided meanwhile.
		err = tx.QueryRowContext(ctx, `SELECT id, expires_at `+open+s.ForUpdate, hash).Scan(&id, Time(&expires))
		if errors.Is(err, sql.ErrNoRows) {
			return errResetInvalid()
		} else if err != nil {
			return s.wrap("reset password", err)
		}
	}
	if !tx.Now().Before(expires) || u.Status != backend.UserActive {
		return errResetExpired()
	}
	now := s.Time(tx.Now())
	// The trigger password_resets_end_sessions ends the member's sessions.
	if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = ? WHERE id = ?`, now, id); err != nil {
		return s.wrap("reset password", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, p.PasswordHash, now, u.ID); err != nil {
		return s.wrap("reset password", err)
	}
	if err := s.passwordChanged(ctx, tx, u); err != nil {
		return err
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := s.WriteAudit(ctx, tx, backend.AuditPasswordResetUsed, UserTarget(u), nil, nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("reset password", err)
	}
	return nil
}
