package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"roster/backend"
)

var _ backend.APITokenService = (*APITokenService)(nil)

// APITokenService implements backend.APITokenService.
type APITokenService struct {
	db *DB
}

// NewAPITokenService returns the API token service of db.
func NewAPITokenService(db *DB) *APITokenService {
	return &APITokenService{db: db}
}

const apiTokenColumns = `t.id, t.user_id, u.name, u.email, t.created_at, t.last_used_at, t.revoked_at`

const apiTokenFrom = ` FROM api_tokens t JOIN users u ON u.id = t.user_id`

func scanAPIToken(row interface{ Scan(...any) error }) (*backend.APIToken, error) {
	var t backend.APIToken
	if err := row.Scan(&t.ID, &t.UserID, &t.UserName, &t.UserEmail, timeCol{&t.CreatedAt}, nullTime{&t.LastUsedAt},
		nullTime{&t.RevokedAt}); err != nil {
		return nil, err
	}
	return &t, nil
}

// errNotAdmin refuses API tokens to anyone but an active Administrator.
func errNotAdmin(u *backend.User) error {
	return &backend.Error{Code: backend.EFORBIDDEN, Message: u.Name + " is not an active Administrator.",
		Key: "api_token.not_admin", Args: map[string]any{"name": u.Name}}
}

// CreateAPIToken issues a token for an active Administrator, holding their
// row so they cannot be demoted meanwhile.
func (s *APITokenService) CreateAPIToken(ctx context.Context, userID string) (*backend.APIToken, string, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	u, err := lockUser(ctx, tx, userID, "FOR SHARE")
	if err != nil {
		return nil, "", err
	}
	if !u.IsAdministrator() {
		return nil, "", errNotAdmin(u)
	}
	secret, _ := newToken()
	secret = backend.APITokenPrefix + secret
	t := &backend.APIToken{ID: newID(), UserID: u.ID, UserName: u.Name, UserEmail: u.Email, CreatedAt: tx.now}
	if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, token_hash, created_at) VALUES ($1, $2, $3, $4)`,
		t.ID, t.UserID, hashToken(secret), t.CreatedAt); err != nil {
		return nil, "", fmt.Errorf("create API token: %w", mapError(err))
	}
	if err := writeAudit(ctx, tx, backend.AuditAPITokenCreated, userTarget(u), nil, map[string]any{"tokenId": t.ID}); err != nil {
		return nil, "", err
	}
	if err := tx.Commit(); err != nil {
		return nil, "", fmt.Errorf("create API token: %w", mapError(err))
	}
	return t, secret, nil
}

// FindAPITokens returns tokens, newest first.
func (s *APITokenService) FindAPITokens(ctx context.Context, f backend.APITokenFilter) ([]*backend.APIToken, error) {
	var p params
	where := []string{"true"}
	if f.UserID != nil {
		where = append(where, "t.user_id = "+p.add(*f.UserID))
	}
	if !f.Revoked {
		where = append(where, "t.revoked_at IS NULL")
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+apiTokenColumns+apiTokenFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY t.created_at DESC, t.id DESC`, p...)
	if err != nil {
		return nil, fmt.Errorf("find API tokens: %w", err)
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
func (s *APITokenService) RevokeAPIToken(ctx context.Context, id string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var userID string
	err = tx.QueryRowContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING user_id`,
		tx.now, id).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return &backend.Error{Code: backend.ENOTFOUND, Message: "There is no active API token with this id.", Key: "api_token.not_found"}
	} else if err != nil {
		return fmt.Errorf("revoke API token: %w", mapError(err))
	}
	u, err := findUserByID(ctx, tx, userID)
	if err != nil {
		return err
	}
	if err := writeAudit(ctx, tx, backend.AuditAPITokenRevoked, userTarget(u), nil, map[string]any{"tokenId": id}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("revoke API token: %w", mapError(err))
	}
	return nil
}

// AuthenticateAPIToken returns the token of a secret and its Administrator.
func (s *APITokenService) AuthenticateAPIToken(ctx context.Context, secret string) (*backend.APIToken, *backend.User, error) {
	invalid := &backend.Error{Code: backend.ENOTFOUND, Message: "This API token is not valid.", Key: "api_token.invalid"}
	if !strings.HasPrefix(secret, backend.APITokenPrefix) {
		return nil, nil, invalid
	}
	t, err := scanAPIToken(s.db.db.QueryRowContext(ctx, `SELECT `+apiTokenColumns+apiTokenFrom+`
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, hashToken(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, invalid
	} else if err != nil {
		return nil, nil, fmt.Errorf("authenticate API token: %w", mapError(err))
	}
	u, err := findUserByID(ctx, s.db.db, t.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("authenticate API token: %w", err)
	}
	if !u.IsAdministrator() {
		return nil, nil, errNotAdmin(u)
	}
	now := s.db.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= sessionTouchInterval {
		if _, err := s.db.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, t.ID); err != nil {
			return nil, nil, fmt.Errorf("touch API token: %w", mapError(err))
		}
		t.LastUsedAt = &now
	}
	return t, u, nil
}
