package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"roster/backend"
)

// CredentialService implements backend.CredentialService over users.password_hash.
type CredentialService struct {
	s *Store
}

var _ backend.CredentialService = (*CredentialService)(nil)

// NewCredentialService returns the credential service of s.
func NewCredentialService(s *Store) *CredentialService {
	return &CredentialService{s: s}
}

func errNoCredential() error {
	return backend.MsgCredentialNotFound.Error(backend.ENOTFOUND)
}

// findCredential reads the member of one current user row and their hash.
func (d *Dialect) findCredential(ctx context.Context, q Querier, where string, arg any) (*backend.Credential, error) {
	var id string
	var hash sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE `+where+` AND status <> 'removed'`, arg).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoCredential()
	} else if err != nil {
		return nil, d.wrap("find credential", err)
	}
	u, err := d.FindUserByID(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("find credential: %w", err)
	}
	return &backend.Credential{User: u, PasswordHash: hash.String}, nil
}

// FindCredentialByEmail returns the current member with this address and their hash.
func (cs *CredentialService) FindCredentialByEmail(ctx context.Context, email string) (*backend.Credential, error) {
	e, err := backend.ParseEmail(email)
	if err != nil {
		return nil, errNoCredential()
	}
	return cs.s.findCredential(ctx, cs.s.DB, "email_key = ?", e.Key)
}

// FindCredentialByUserID returns a current member and their hash.
func (cs *CredentialService) FindCredentialByUserID(ctx context.Context, userID string) (*backend.Credential, error) {
	return cs.s.findCredential(ctx, cs.s.DB, "id = ?", userID)
}

// RehashPassword replaces the hash of an unchanged password; the statement
// compares and sets at once, so a password changed meanwhile stays.
func (cs *CredentialService) RehashPassword(ctx context.Context, userID, oldHash, newHash string) error {
	if strings.TrimSpace(newHash) == "" {
		return errHashMissing()
	}
	if _, err := cs.s.DB.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`,
		newHash, userID, oldHash); err != nil {
		return cs.s.wrap("rehash password", err)
	}
	return nil
}

func errHashMissing() error {
	return backend.MsgPasswordMissing.FieldError(backend.EINVALID, "passwordHash")
}

// ChangePassword sets an active member's new password hash and ends their
// other sessions.
func (cs *CredentialService) ChangePassword(ctx context.Context, userID, newHash, keepSessionID string) error {
	s := cs.s
	if strings.TrimSpace(newHash) == "" {
		return errHashMissing()
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := s.lockUser(ctx, tx, userID, s.ForUpdate)
	if err != nil {
		return err
	}
	if u.Status != backend.UserActive {
		return errInactive()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
		newHash, s.Time(tx.Now()), u.ID); err != nil {
		return s.wrap("change password", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, u.ID, keepSessionID); err != nil {
		return s.wrap("change password", err)
	}
	if err := s.passwordChanged(ctx, tx, u); err != nil {
		return err
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := s.WriteAudit(ctx, tx, backend.AuditPasswordChanged, UserTarget(u), nil, nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("change password", err)
	}
	return nil
}

// passwordChanged queues, inside tx (the one that changed it), the notice
// that u's password was changed. It is written in the language of the
// context (the member's, as their browser asked for the page where they
// changed it); without one, in the language the worker sends in (on
// SQLite, the email settings'; where none are kept, English).
func (s *Store) passwordChanged(ctx context.Context, tx Tx, u *backend.User) error {
	org, err := s.OrganisationName(ctx, tx)
	if err != nil {
		return err
	}
	data := map[string]string{
		backend.MailDataRecipient:    u.Name,
		backend.MailDataOrganisation: org,
		backend.MailDataChangedAt:    FormatTime(tx.Now()),
	}
	if lang := backend.LanguageFromContext(ctx); lang != "" {
		data[backend.MailDataLanguage] = lang
	}
	return s.enqueue(ctx, tx, &backend.OutboxEntry{Kind: backend.MailPasswordChanged, To: u.Email, Data: data})
}
