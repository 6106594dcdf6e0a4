package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"roster/backend"
)

var _ backend.LinkService = (*LinkService)(nil)

// LinkService implements backend.LinkService.
type LinkService struct {
	db *DB
}

// NewLinkService returns the link service of db.
func NewLinkService(db *DB) *LinkService {
	return &LinkService{db: db}
}

// FindInvitationByToken returns the open invitation of a link token.
func (s *LinkService) FindInvitationByToken(ctx context.Context, token string) (*backend.Invitation, error) {
	var id string
	err := s.db.db.QueryRowContext(ctx, `SELECT id FROM invitations WHERE token_hash = $1 AND state = 'pending'`,
		hashToken(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvalidInvitationLink()
	} else if err != nil {
		return nil, fmt.Errorf("find invitation by token: %w", mapError(err))
	}
	return findInvitationByID(ctx, s.db.db, id, s.db.Now())
}

// FindPasswordResetByToken returns the usable reset of a link token, with
// the same answers as PasswordResetService.ResetPassword gives.
func (s *LinkService) FindPasswordResetByToken(ctx context.Context, token string) (*backend.PasswordReset, error) {
	var r backend.PasswordReset
	var outboxID sql.NullInt64
	err := s.db.db.QueryRowContext(ctx, `SELECT id, user_id, created_at, expires_at, outbox_id FROM password_resets
		WHERE token_hash = $1 AND used_at IS NULL AND voided_at IS NULL`, hashToken(token)).
		Scan(&r.ID, &r.UserID, timeCol{&r.CreatedAt}, timeCol{&r.ExpiresAt}, &outboxID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errResetInvalid()
	} else if err != nil {
		return nil, fmt.Errorf("find password reset by token: %w", mapError(err))
	}
	r.OutboxID = outboxID.Int64
	u, err := findUserByID(ctx, s.db.db, r.UserID)
	if err != nil {
		return nil, fmt.Errorf("find password reset by token: %w", err)
	}
	if !s.db.Now().Before(r.ExpiresAt) || u.Status != backend.UserActive {
		return nil, errResetExpired()
	}
	return &r, nil
}

// TakeInvitationToken returns the token of an open invitation's unsent email
// and cancels that email.
func (s *LinkService) TakeInvitationToken(ctx context.Context, invitationID string) (string, error) {
	return s.takeToken(ctx, "invitation_id", invitationID, `SELECT o.data FROM invitations i JOIN outbox o ON o.id = i.outbox_id
		WHERE i.id = $1 AND i.state = 'pending' AND o.state IN ('queued', 'failed') AND o.data IS NOT NULL FOR UPDATE OF o`)
}

// TakePasswordResetToken returns the token of an open reset's unsent email
// and cancels that email.
func (s *LinkService) TakePasswordResetToken(ctx context.Context, resetID string) (string, error) {
	return s.takeToken(ctx, "password_reset_id", resetID, `SELECT o.data FROM password_resets r JOIN outbox o ON o.id = r.outbox_id
		WHERE r.id = $1 AND r.used_at IS NULL AND r.voided_at IS NULL AND o.state IN ('queued', 'failed') AND o.data IS NOT NULL FOR UPDATE OF o`)
}

// takeToken reads and cancels an email, its row locked so that one caller
// takes a token once (or a mail worker sends it, not both).
func (s *LinkService) takeToken(ctx context.Context, column, id, query string) (string, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var sealed []byte
	err = tx.QueryRowContext(ctx, query, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &backend.Error{Code: backend.ENOTFOUND, Message: "This link has been sent or closed already; issue a new one.",
			Key: "link.not_pending"}
	} else if err != nil {
		return "", fmt.Errorf("take link token: %w", mapError(err))
	}
	data, err := s.db.openMailData(sealed)
	if err != nil {
		return "", err
	}
	token := data[backend.MailDataToken]
	if token == "" {
		return "", fmt.Errorf("take link token: the email of %s has no token", id)
	}
	if err := cancelMail(ctx, tx, column, id); err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("take link token: %w", mapError(err))
	}
	return token, nil
}
