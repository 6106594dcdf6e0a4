package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"roster/backend"
)

// LinkService implements backend.LinkService.
type LinkService struct {
	s *Store
}

var _ backend.LinkService = (*LinkService)(nil)

// NewLinkService returns the link service of s.
func NewLinkService(s *Store) *LinkService {
	return &LinkService{s: s}
}

// FindInvitationByToken returns the open invitation of a link token.
func (ls *LinkService) FindInvitationByToken(ctx context.Context, token string) (*backend.Invitation, error) {
	s := ls.s
	var id string
	err := s.DB.QueryRowContext(ctx, `SELECT id FROM invitations WHERE token_hash = ? AND state = 'pending'`,
		HashToken(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvalidInvitationLink()
	} else if err != nil {
		return nil, s.wrap("find invitation by token", err)
	}
	return s.findInvitationByID(ctx, s.DB, id, s.Now())
}

// FindPasswordResetByToken returns the usable reset of a link token, with
// the same answers as PasswordResetService.ResetPassword gives.
func (ls *LinkService) FindPasswordResetByToken(ctx context.Context, token string) (*backend.PasswordReset, error) {
	s := ls.s
	var r backend.PasswordReset
	var outboxID sql.NullInt64
	err := s.DB.QueryRowContext(ctx, `SELECT id, user_id, created_at, expires_at, outbox_id FROM password_resets
		WHERE token_hash = ? AND used_at IS NULL AND voided_at IS NULL`, HashToken(token)).
		Scan(&r.ID, &r.UserID, Time(&r.CreatedAt), Time(&r.ExpiresAt), &outboxID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errResetInvalid()
	} else if err != nil {
		return nil, s.wrap("find password reset by token", err)
	}
	r.OutboxID = outboxID.Int64
	u, err := s.FindUserByID(ctx, s.DB, r.UserID)
	if err != nil {
		return nil, fmt.Errorf("find password reset by token: %w", err)
	}
	if !s.Now().Before(r.ExpiresAt) || u.Status != backend.UserActive {
		return nil, errResetExpired()
	}
	return &r, nil
}

// TakeInvitationToken returns the token of an open invitation's unsent email
// and cancels that email.
func (ls *LinkService) TakeInvitationToken(ctx context.Context, invitationID string) (string, error) {
	return ls.takeToken(ctx, "invitation_id", invitationID, `SELECT o.data FROM invitations i JOIN outbox o ON o.id = i.outbox_id
		WHERE i.id = ? AND i.state = 'pending' AND o.state IN ('queued', 'failed') AND o.data IS NOT NULL`)
}

// TakePasswordResetToken returns the token of an open reset's unsent email
// and cancels that email.
func (ls *LinkService) TakePasswordResetToken(ctx context.Context, resetID string) (string, error) {
	return ls.takeToken(ctx, "password_reset_id", resetID, `SELECT o.data FROM password_resets r JOIN outbox o ON o.id = r.outbox_id
		WHERE r.id = ? AND r.used_at IS NULL AND r.voided_at IS NULL AND o.state IN ('queued', 'failed') AND o.data IS NOT NULL`)
}

// takeToken reads and cancels an email, its row locked where writers run at
// once, so that one caller takes a token once (or a mail worker sends it,
// not both).
func (ls *LinkService) takeToken(ctx context.Context, column, id, query string) (string, error) {
	s := ls.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if s.ForKeyUpdate != "" {
		query += s.ForKeyUpdate + " OF o"
	}
	var sealed []byte
	err = tx.QueryRowContext(ctx, query, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", backend.MsgLinkNotPending.Error(backend.ENOTFOUND)
	} else if err != nil {
		return "", s.wrap("take link token", err)
	}
	data, err := s.openMail(sealed)
	if err != nil {
		return "", err
	}
	token := data[backend.MailDataToken]
	if token == "" {
		return "", fmt.Errorf("take link token: the email of %s has no token", id)
	}
	if err := s.CancelMail(ctx, tx, column, id); err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", s.wrap("take link token", err)
	}
	return token, nil
}
