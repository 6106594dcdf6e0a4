package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"roster/backend"
)

// APITokenService implements backend.APITokenService.
type APITokenService struct {
	s *Store
}

var _ backend.APITokenService = (*APITokenService)(nil)

// NewAPITokenService returns the API token service of s.
func NewAPITokenService(s *Store) *APITokenService {
	return &APITokenService{s: s}
}

const apiTokenColumns = `t.id, t.user_id, u.name, u.email, t.created_at, t.last_used_at, t.revoked_at`

const apiTokenFrom = ` FROM api_tokens t JOIN users u ON u.id = t.user_id`

func scanAPIToken(row scanner) (*backend.APIToken, error) {
	var t backend.APIToken
	if err := row.Scan(&t.ID, &t.UserID, &t.UserName, &t.UserEmail, Time(&t.CreatedAt), NullTime(&t.LastUsedAt),
		NullTime(&t.RevokedAt)); err != nil {
		return nil, err
	}
	return &t, nil
}

// errNotAdmin refuses API tokens to anyone but an active Administrator.
func errNotAdmin(u *backend.User) error {
	return backend.MsgApiTokenNotAdmin.Error(backend.EFORBIDDEN, "name", u.Name)
}

// CreateAPIToken issues a token for an active Administrator, holding their
// row (where writers run at once) so they cannot be demoted meanwhile.
func (ts *APITokenService) CreateAPIToken(ctx context.Context, userID string) (*backend.APIToken, string, error) {
	s := ts.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	u, err := s.lockUser(ctx, tx, userID, s.ForShare)
	if err != nil {
		return nil, "", err
	}
	if !u.IsAdministrator() {
		return nil, "", errNotAdmin(u)
	}
	secret, _ := NewToken()
	secret = backend.APITokenPrefix + secret
	t := &backend.APIToken{ID: NewID(), UserID: u.ID, UserName: u.Name, UserEmail: u.Email, CreatedAt: tx.Now()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, token_hash, created_at) VALUES (?, ?, ?, ?)`,
		t.ID, t.UserID, HashToken(secret), s.Time(t.CreatedAt)); err != nil {
		return nil, "", s.wrap("create API token", err)
	}
	if err := s.WriteAudit(ctx, tx, backend.AuditAPITokenCreated, UserTarget(u), nil, map[string]any{"tokenId": t.ID}); err != nil {
		return nil, "", err
	}
	if err := tx.Commit(); err != nil {
		return nil, "", s.wrap("create API token", err)
	}
	return t, secret, nil
}

// FindAPITokens returns tokens, newest first.
func (ts *APITokenService) FindAPITokens(ctx context.Context, f backend.APITokenFilter) ([]*backend.APIToken, error) {
	s := ts.s
	where, args := []string{"1 = 1"}, []any{}
	if f.UserID != nil {
		where, args = append(where, "t.user_id = ?"), append(args, *f.UserID)
	}
	if !f.Revoked {
		where = append(where, "t.revoked_at IS NULL")
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+apiTokenColumns+apiTokenFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY t.created_at DESC, t.id DESC`, args...)
	if err != nil {
		return nil, s.wrap("find API tokens", err)
	}
	defer rows.Close()
	list := []*backend.APIToken{}
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("find API tokens: %w", err)
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

// RevokeAPIToken makes a token unusable at once; one statement decides, so
// of two revocations at once one finds it revoked already.
func (ts *APITokenService) RevokeAPIToken(ctx context.Context, id string) error {
	s := ts.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var userID string
	err = tx.QueryRowContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING user_id`,
		s.Time(tx.Now()), id).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.MsgApiTokenNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return s.wrap("revoke API token", err)
	}
	u, err := s.FindUserByID(ctx, tx, userID)
	if err != nil {
		return err
	}
	if err := s.WriteAudit(ctx, tx, backend.AuditAPITokenRevoked, UserTarget(u), nil, map[string]any{"tokenId": id}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("revoke API token", err)
	}
	return nil
}

// AuthenticateAPIToken returns the token of a secret and its Administrator.
func (ts *APITokenService) AuthenticateAPIToken(ctx context.Context, secret string) (*backend.APIToken, *backend.User, error) {
	s := ts.s
	invalid := backend.MsgApiTokenInvalid.Error(backend.ENOTFOUND)
	if !strings.HasPrefix(secret, backend.APITokenPrefix) {
		return nil, nil, invalid
	}
	t, err := scanAPIToken(s.DB.QueryRowContext(ctx, `SELECT `+apiTokenColumns+apiTokenFrom+`
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`, HashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, invalid
	} else if err != nil {
		return nil, nil, s.wrap("authenticate API token", err)
	}
	u, err := s.FindUserByID(ctx, s.DB, t.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate API token: %w", err)
	}
	if !u.IsAdministrator() {
		return nil, nil, errNotAdmin(u)
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= sessionTouchInterval {
		if _, err := s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, s.Time(now), t.ID); err != nil {
			return nil, nil, s.wrap("touch API token", err)
		}
		t.LastUsedAt = &now
	}
	return t, u, nil
}
