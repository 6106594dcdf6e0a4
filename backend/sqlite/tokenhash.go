package sqlite

import (
	"context"
	"fmt"

	"roster/backend"
)

var _ backend.HashedLinkService = (*HashedLinkService)(nil)

// HashedLinkService implements backend.HashedLinkService: the same rules
// and audit entries as InvitationService and PasswordResetService, with the
// token's hash given instead of minted, and no email queued.
type HashedLinkService struct {
	db *DB
}

// NewHashedLinkService returns the hashed link service of db.
func NewHashedLinkService(db *DB) *HashedLinkService {
	return &HashedLinkService{db: db}
}

// checkHashUnused refuses a token hash that a link of table ever had, so
// that no new link can bring back a deleted, used or replaced one.
func checkHashUnused(ctx context.Context, tx *Tx, table string, hash []byte) error {
	if table != "invitations" && table != "password_resets" {
		return fmt.Errorf("check token hash: bad table %q", table)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE token_hash = ?`, hash).Scan(&n); err != nil {
		return fmt.Errorf("check token hash: %w", err)
	}
	if n > 0 {
		return (&backend.Error{Code: backend.ECONFLICT, Message: "This token hash was used for another link. Mint a new token.",
			Key: "link.hash_used"}).WithField("tokenHash")
	}
	return nil
}

// InviteUserWithTokenHash stores an invitation with the given link hash.
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
	now := formatTime(tx.now)
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id,
		role_name, invited_by_id, invited_by_name, token_hash, state, created_at, sent_at, expires_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
		inv.ID, inv.Email, email.Key, sortKey(inv.Email), searchText("", inv.Email), inv.RoleID, inv.RoleName,
		nullString(inv.InvitedByID), inv.InvitedByName, hash, now, now, formatTime(inv.ExpiresAt), now); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return nil, invitationExists(inv.Email, false)
		}
		return nil, fmt.Errorf("invite user: %w", err)
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
// given hash, valid 7 days from now.
func (s *HashedLinkService) ResendInvitationWithTokenHash(ctx context.Context, id string, hash []byte) (*backend.Invitation, error) {
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := findOpenInvitation(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	email, err := backend.ParseEmail(before.Email)
	if err != nil {
		return nil, err
	}
	var members int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_key = ? AND status <> 'removed'`, email.Key).Scan(&members); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
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
	now := formatTime(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ?, outbox_id = NULL, sent_at = ?, expires_at = ?,
		updated_at = ? WHERE id = ?`, hash, now, formatTime(expires), now, id); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
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
// and voids the member's older ones.
func (s *HashedLinkService) SendPasswordResetWithTokenHash(ctx context.Context, userID string, hash []byte) (*backend.PasswordReset, error) {
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
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
		return nil, &backend.Error{Code: backend.EFORBIDDEN, Message: u.Name + " is inactive. Activate them before sending a password reset.",
			Key: "password_reset.inactive", Args: map[string]any{"name": u.Name}}
	}
	if err := checkHashUnused(ctx, tx, "password_resets", hash); err != nil {
		return nil, err
	}
	if err := voidPasswordResets(ctx, tx, u.ID); err != nil {
		return nil, err
	}
	r := &backend.PasswordReset{ID: newID(), UserID: u.ID, CreatedAt: tx.now, ExpiresAt: tx.now.Add(backend.PasswordResetLifetime)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, r.ID, r.UserID, hash, formatTime(r.CreatedAt), formatTime(r.ExpiresAt)); err != nil {
		return nil, fmt.Errorf("send password reset: %w", mapError(err))
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
