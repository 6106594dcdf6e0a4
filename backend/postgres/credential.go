package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"roster/backend"
)

var _ backend.CredentialService = (*CredentialService)(nil)

// CredentialService implements backend.CredentialService over users.password_hash.
type CredentialService struct {
	db *DB
}

// NewCredentialService returns the credential service of db.
func NewCredentialService(db *DB) *CredentialService {
	return &CredentialService{db: db}
}

func errNoCredential() error {
	return backend.MsgCredentialNotFound.Error(backend.ENOTFOUND)
}

// findCredential reads the member of one current user row and their hash.
func findCredential(ctx context.Context, q queryer, where string, arg any) (*backend.Credential, error) {
	var id string
	var hash sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE `+where+` AND status <> 'removed'`, arg).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoCredential()
	} else if err != nil {
		return nil, fmt.Errorf("find credential: %w", mapError(err))
	}
	u, err := findUserByID(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("find credential: %w", err)
	}
	return &backend.Credential{User: u, PasswordHash: hash.String}, nil
}

// FindCredentialByEmail returns the current member with this address and their hash.
func (s *CredentialService) FindCredentialByEmail(ctx context.Context, email string) (*backend.Credential, error) {
	e, err := backend.ParseEmail(email)
	if err != nil {
		return nil, errNoCredential()
	}
	return findCredential(ctx, s.db.db, "email_key = $1", e.Key)
}

// FindCredentialByUserID returns a current member and their hash.
func (s *CredentialService) FindCredentialByUserID(ctx context.Context, userID string) (*backend.Credential, error) {
	return findCredential(ctx, s.db.db, "id = $1", userID)
}

// RehashPassword replaces the hash of an unchanged password; the statement
// compares and sets at once, so a password changed meanwhile stays.
func (s *CredentialService) RehashPassword(ctx context.Context, userID, oldHash, newHash string) error {
	if strings.TrimSpace(newHash) == "" {
		return errHashMissing()
	}
	if _, err := s.db.db.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`,
		newHash, userID, oldHash); err != nil {
		return fmt.Errorf("rehash password: %w", mapError(err))
	}
	return nil
}

func errHashMissing() error {
	return backend.MsgPasswordMissing.FieldError(backend.EINVALID, "passwordHash")
}

// ChangePassword sets an active member's new password hash and ends their
// other sessions.
func (s *CredentialService) ChangePassword(ctx context.Context, userID, newHash, keepSessionID string) error {
	if strings.TrimSpace(newHash) == "" {
		return errHashMissing()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := lockUser(ctx, tx, userID, "FOR NO KEY UPDATE")
	if err != nil {
		return err
	}
	if u.Status != backend.UserActive {
		return errInactive()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, newHash, tx.now, u.ID); err != nil {
		return fmt.Errorf("change password: %w", mapError(err))
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, u.ID, keepSessionID); err != nil {
		return fmt.Errorf("change password: %w", mapError(err))
	}
	if err := enqueuePasswordChanged(ctx, tx, u); err != nil {
		return err
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := writeAudit(ctx, tx, backend.AuditPasswordChanged, userTarget(u), nil, nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("change password: %w", mapError(err))
	}
	return nil
}
