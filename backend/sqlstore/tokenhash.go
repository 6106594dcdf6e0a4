package sqlstore

import (
	"context"
	"fmt"

	"roster/backend"
)

// HashedLinkService implements backend.HashedLinkService: the same rules,
// locks and audit entries as InvitationService and PasswordResetService,
// with the token's hash given instead of minted, and no email queued.
type HashedLinkService struct {
	s *Store
}

var _ backend.HashedLinkService = (*HashedLinkService)(nil)

// NewHashedLinkService returns the hashed link service of s.
func NewHashedLinkService(s *Store) *HashedLinkService {
	return &HashedLinkService{s: s}
}

// errHashUsed is the conflict for a token hash that a link had before.
func errHashUsed() error {
	return backend.MsgLinkHashUsed.FieldError(backend.ECONFLICT, "tokenHash")
}

// checkHashUnused refuses a token hash that a link of table ever had, so
// that no new link can bring back a deleted, used or replaced one. Where
// two transactions with one new hash can both pass it, the unique index on
// token_hash then refuses the second (HashTaken).
func (d *Dialect) checkHashUnused(ctx context.Context, tx Tx, table string, hash []byte) error {
	if table != "invitations" && table != "password_resets" {
		return fmt.Errorf("check token hash: bad table %q", table)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE token_hash = ?`, hash).Scan(&n); err != nil {
		return d.wrap("check token hash", err)
	}
	if n > 0 {
		return errHashUsed()
	}
	return nil
}

// hashTaken runs the store's HashTaken, if it has one.
func (d *Dialect) hashTaken(err error, table string) bool {
	return d.HashTaken != nil && d.HashTaken(err, table)
}

// InviteUserWithTokenHash stores an invitation with the given link hash.
func (hs *HashedLinkService) InviteUserWithTokenHash(ctx context.Context, p backend.InviteParams, hash []byte) (*backend.Invitation, error) {
	email, err := backend.ParseEmail(p.Email)
	if err != nil {
		return nil, err
	}
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
	return hs.s.inviteUser(ctx, email, p.Role, hash, "")
}

// insertInvitation stores an invitation with the link of hash, without an
// email, once no invitation ever had hash.
func (d *Dialect) insertInvitation(ctx context.Context, tx Tx, inv *backend.Invitation, key string, hash []byte) error {
	if err := d.checkHashUnused(ctx, tx, "invitations", hash); err != nil {
		return err
	}
	now := d.Time(tx.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id,
		role_name, invited_by_id, invited_by_name, token_hash, state, created_at, sent_at, expires_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
		inv.ID, inv.Email, key, d.SortKey(inv.Email), SearchText("", inv.Email), inv.RoleID, inv.RoleName,
		NullString(inv.InvitedByID), inv.InvitedByName, hash, now, now, d.Time(inv.ExpiresAt), now); err != nil {
		if d.hashTaken(err, "invitations") {
			return errHashUsed()
		}
		if backend.ErrorCode(d.MapError(err)) == backend.ECONFLICT {
			return InvitationExists(inv.Email, false)
		}
		return d.wrap("invite user", err)
	}
	return nil
}

// ResendInvitationWithTokenHash gives an open invitation the link of the
// given hash, valid 7 days from now.
func (hs *HashedLinkService) ResendInvitationWithTokenHash(ctx context.Context, id string, hash []byte) (*backend.Invitation, error) {
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
	return hs.s.resendInvitation(ctx, backend.OpResendInvitation, id, hash, "")
}

// SendPasswordResetWithTokenHash issues the reset link of the given hash
// and voids the member's older ones.
func (hs *HashedLinkService) SendPasswordResetWithTokenHash(ctx context.Context, userID string, hash []byte) (*backend.PasswordReset, error) {
	if err := backend.CheckTokenHash(hash); err != nil {
		return nil, err
	}
	return hs.s.sendPasswordReset(ctx, userID, hash, "")
}
