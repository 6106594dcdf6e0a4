package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"roster/backend"
)

var _ backend.HashedLinkService = (*HashedLinkService)(nil)

// HashedLinkService implements backend.HashedLinkService: the same rules
// and audit entries as InvitationService and PasswordResetService, with the
// token's hash given instead of minted, and no email queued. It takes the
// same locks as they do (see lock.go).
type HashedLinkService struct {
	db *DB
}

// NewHashedLinkService returns the hashed link service of db.
func NewHashedLinkService(db *DB) *HashedLinkService {
	return &HashedLinkService{db: db}
}

// errHashUsed is the conflict for a token hash that a link had before.
func errHashUsed() error {
	return backend.MsgLinkHashUsed.FieldError(backend.ECONFLICT, "tokenHash")
}

// checkHashUnused refuses a token hash that a link of table ever had, so
// that no new link can bring back a deleted, used or replaced one. Two
// transactions with one new hash both pass it; the unique index on
// token_hash then refuses the second (isHashTaken).
func checkHashUnused(ctx context.Context, tx *Tx, table string, hash []byte) error {
	if table != "invitations" && table != "password_resets" {
		return fmt.Errorf("check token hash: bad table %q", table)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE token_hash = $1`, hash).Scan(&n); err != nil {
		return fmt.Errorf("check token hash: %w", mapError(err))
	}
	if n > 0 {
		return errHashUsed()
	}
	return nil
}

// isHashTaken reports whether err is the unique index on table's
// token_hash refusing a row: another transaction stored the hash after
// checkHashUnused looked.
func isHashTaken(err error, table string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation && pe.ConstraintName == table+"_token_hash_key"
}

// InviteUserWithTokenHash stores an invitation with the given link hash.
// It locks the address first, as InviteUser does.
func (s *HashedLinkService) InviteUserWithTokenHash(ctx context.Context, p backend.InviteParams, hash []byte) (*backend.Invitation, error) {
	email, err := backend.ParseEmail(p.Email)
	if err != nil {
		return nil, err
	}
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	role, err := resolveRole(ctx, tx, p.Role)
	if err != nil {
		return nil, err
	}
	if err := lockEmails(ctx, tx, email.Key); err != nil {
		return nil, err
	}
	if err := checkEmailFree(ctx, tx, email); err != nil {
		return nil, err
	}
	if err := checkHashUnused(ctx, tx, "invitations", hash); err != nil {
		return nil, err
	}
	actor := backend.ActorFromContext(ctx)
	inv := &backend.Invitation{
		ID: newID(), Email: email.Address, RoleID: role.ID, RoleName: role.Name,
		InvitedByID: actor.ID, InvitedByName: actor.Name, State: backend.InvitationPending,
		CreatedAt: tx.now, SentAt: tx.now, ExpiresAt: tx.now.Add(backend.InvitationLifetime),
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id,
		role_name, invited_by_id, invited_by_name, token_hash, state, created_at, sent_at, expires_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11, $12, $11)`,
		inv.ID, inv.Email, email.Key, sortKey(inv.Email), searchText("", inv.Email), inv.RoleID, inv.RoleName,
		nullString(inv.InvitedByID), inv.InvitedByName, hash, tx.now, inv.ExpiresAt); err != nil {
		if isHashTaken(err, "invitations") {
			return nil, errHashUsed()
		}
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return nil, invitationExists(inv.Email, false)
		}
		return nil, fmt.Errorf("invite user: %w", mapError(err))
	}
	if err := writeAudit(ctx, tx, backend.AuditInvitationCreated, invitationTarget(inv), nil, invitationState(inv)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("invite user: %w", mapError(err))
	}
	return inv, nil
}

// ResendInvitationWithTokenHash gives an open invitation the link of the
// given hash, valid 7 days from now. It locks the address, then the
// invitation, as ResendInvitation and AcceptInvitation do.
func (s *HashedLinkService) ResendInvitationWithTokenHash(ctx context.Context, id string, hash []byte) (*backend.Invitation, error) {
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	found, err := findInvitationByID(ctx, tx, id, tx.now)
	if err != nil {
		return nil, err
	}
	email, err := backend.ParseEmail(found.Email)
	if err != nil {
		return nil, err
	}
	if err := lockEmails(ctx, tx, email.Key); err != nil {
		return nil, err
	}
	before, err := findOpenInvitation(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	var members int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_key = $1 AND status <> 'removed'`, email.Key).Scan(&members); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", mapError(err))
	}
	if members > 0 {
		return nil, memberExists(email.Address)
	}
	if err := checkHashUnused(ctx, tx, "invitations", hash); err != nil {
		return nil, err
	}
	// An email the server queued for the old link (an invitation of the
	// command line) must not go out with it.
	if err := cancelMail(ctx, tx, "invitation_id", id); err != nil {
		return nil, err
	}
	expires := tx.now.Add(backend.InvitationLifetime)
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = $1, outbox_id = NULL, sent_at = $2, expires_at = $3,
		updated_at = $2 WHERE id = $4`, hash, tx.now, expires, id); err != nil {
		if isHashTaken(err, "invitations") {
			return nil, errHashUsed()
		}
		return nil, fmt.Errorf("resend invitation: %w", mapError(err))
	}
	after, err := findInvitationByID(ctx, tx, id, tx.now)
	if err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, tx, backend.AuditInvitationResent, invitationTarget(after), invitationState(before), invitationState(after)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", mapError(err))
	}
	return after, nil
}

// SendPasswordResetWithTokenHash issues the reset link of the given hash
// and voids the member's older ones. It locks the member's row, as
// SendPasswordReset does, so of two resets at once the second voids the
// first.
func (s *HashedLinkService) SendPasswordResetWithTokenHash(ctx context.Context, userID string, hash []byte) (*backend.PasswordReset, error) {
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
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
	if err := checkHashUnused(ctx, tx, "password_resets", hash); err != nil {
		return nil, err
	}
	if err := voidPasswordResets(ctx, tx, u.ID); err != nil {
		return nil, err
	}
	r := &backend.PasswordReset{ID: newID(), UserID: u.ID, CreatedAt: tx.now, ExpiresAt: tx.now.Add(backend.PasswordResetLifetime)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, r.ID, r.UserID, hash, r.CreatedAt, r.ExpiresAt); err != nil {
		if isHashTaken(err, "password_resets") {
			return nil, errHashUsed()
		}
		return nil, fmt.Errorf("send password reset: %w", mapError(err))
	}
	if err := writeAudit(ctx, tx, backend.AuditPasswordResetSent, userTarget(u), nil,
		map[string]any{"expiresAt": r.ExpiresAt.UTC().Format("2006-01-02T15:04:05.000Z")}); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("send password reset: %w", mapError(err))
	}
	return r, nil
}
