package backend

import (
	"context"
	"time"
)

// APITokenPrefix starts every API token, so that secret scanners and people
// can tell one when they see it.
const APITokenPrefix = "roster_"

// Audit actions of API tokens.
const (
	AuditAPITokenCreated = "api_token.created"
	AuditAPITokenRevoked = "api_token.revoked"
)

// APIToken lets an Administrator's programs use the directory server's admin
// API as that Administrator. Only the SHA-256 of the token is stored; the
// token itself is shown once, when it is created.
type APIToken struct {
	ID         string
	UserID     string
	UserName   string
	UserEmail  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// APITokenFilter selects API tokens; nil fields do not filter. Revoked tokens
// are left out unless Revoked is set.
type APITokenFilter struct {
	UserID  *string
	Revoked bool
}

// APITokenService issues and checks the admin API's bearer tokens.
type APITokenService interface {
	// CreateAPIToken issues a token for an active Administrator and returns
	// it with its secret, which is returned only here. ENOTFOUND; EFORBIDDEN
	// ("api_token.not_admin") for anyone else.
	CreateAPIToken(ctx context.Context, userID string) (*APIToken, string, error)

	// FindAPITokens returns tokens, newest first.
	FindAPITokens(ctx context.Context, filter APITokenFilter) ([]*APIToken, error)

	// RevokeAPIToken makes a token unusable at once. ENOTFOUND (also when
	// revoked already).
	RevokeAPIToken(ctx context.Context, id string) error

	// AuthenticateAPIToken returns the token of a secret and its
	// Administrator, and notes the use. ENOTFOUND ("api_token.invalid") for an
	// unknown or revoked token; EFORBIDDEN ("api_token.not_admin") when its
	// owner is no longer an active Administrator.
	AuthenticateAPIToken(ctx context.Context, secret string) (*APIToken, *User, error)
}
