package sqlite

import (
	"roster/backend"
	"roster/backend/sqlstore"
)

// The services below are package sqlstore's, on this package's DB; each
// has a constructor of its own, as the desktop wires them one by one.

var (
	_ backend.RoleService          = (*RoleService)(nil)
	_ backend.UserService          = (*UserService)(nil)
	_ backend.CredentialService    = (*CredentialService)(nil)
	_ backend.SessionService       = (*SessionService)(nil)
	_ backend.APITokenService      = (*APITokenService)(nil)
	_ backend.AuditService         = (*AuditService)(nil)
	_ backend.OrganisationService  = (*OrganisationService)(nil)
	_ backend.LinkService          = (*LinkService)(nil)
	_ backend.PasswordResetService = (*PasswordResetService)(nil)
	_ backend.HashedLinkService    = (*HashedLinkService)(nil)
	_ backend.RateLimitService     = (*RateLimitService)(nil)
)

// RoleService implements backend.RoleService.
type RoleService struct{ *sqlstore.RoleService }

// NewRoleService returns the role service of db.
func NewRoleService(db *DB) *RoleService {
	return &RoleService{sqlstore.NewRoleService(newStore(db))}
}

// UserService implements backend.UserService.
type UserService struct{ *sqlstore.UserService }

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService {
	return &UserService{sqlstore.NewUserService(newStore(db))}
}

// CredentialService implements backend.CredentialService over users.password_hash.
type CredentialService struct{ *sqlstore.CredentialService }

// NewCredentialService returns the credential service of db.
func NewCredentialService(db *DB) *CredentialService {
	return &CredentialService{sqlstore.NewCredentialService(newStore(db))}
}

// SessionService implements backend.SessionService. Sessions live in the
// database only, so every process on it sees each one begin and end.
type SessionService struct{ *sqlstore.SessionService }

// NewSessionService returns the session service of db.
func NewSessionService(db *DB) *SessionService {
	return &SessionService{sqlstore.NewSessionService(newStore(db))}
}

// APITokenService implements backend.APITokenService.
type APITokenService struct{ *sqlstore.APITokenService }

// NewAPITokenService returns the API token service of db.
func NewAPITokenService(db *DB) *APITokenService {
	return &APITokenService{sqlstore.NewAPITokenService(newStore(db))}
}

// AuditService implements backend.AuditService.
type AuditService struct{ *sqlstore.AuditService }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService {
	return &AuditService{sqlstore.NewAuditService(newStore(db))}
}

// OrganisationService implements backend.OrganisationService.
type OrganisationService struct{ *sqlstore.OrganisationService }

// NewOrganisationService returns the organisation service of db.
func NewOrganisationService(db *DB) *OrganisationService {
	return &OrganisationService{sqlstore.NewOrganisationService(newStore(db))}
}

// LinkService implements backend.LinkService.
type LinkService struct{ *sqlstore.LinkService }

// NewLinkService returns the link service of db.
func NewLinkService(db *DB) *LinkService {
	return &LinkService{sqlstore.NewLinkService(newStore(db))}
}

// PasswordResetService implements backend.PasswordResetService.
type PasswordResetService struct{ *sqlstore.PasswordResetService }

// NewPasswordResetService returns the password reset service of db.
func NewPasswordResetService(db *DB) *PasswordResetService {
	return &PasswordResetService{sqlstore.NewPasswordResetService(newStore(db))}
}

// HashedLinkService implements backend.HashedLinkService: the same rules,
// locks and audit entries as InvitationService and PasswordResetService,
// with the token's hash given instead of minted, and no email queued.
type HashedLinkService struct{ *sqlstore.HashedLinkService }

// NewHashedLinkService returns the hashed link service of db.
func NewHashedLinkService(db *DB) *HashedLinkService {
	return &HashedLinkService{sqlstore.NewHashedLinkService(newStore(db))}
}

// RateLimitService implements backend.RateLimitService.
type RateLimitService struct{ *sqlstore.RateLimitService }

// NewRateLimitService returns the rate limit service of db.
func NewRateLimitService(db *DB) *RateLimitService {
	return &RateLimitService{sqlstore.NewRateLimitService(newStore(db))}
}
