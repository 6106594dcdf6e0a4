package sqlite

import "roster/backend"

// NewStorage returns every directory service over db.
func NewStorage(db *DB) *backend.Storage {
	return &backend.Storage{
		Organisations: NewOrganisationService(db),
		Users:         NewUserService(db),
		Roles:         NewRoleService(db),
		Invitations:   NewInvitationService(db),
		Resets:        NewPasswordResetService(db),
		Audit:         NewAuditService(db),
		Links:         NewLinkService(db),
		Credentials:   NewCredentialService(db),
		Sessions:      NewSessionService(db),
		APITokens:     NewAPITokenService(db),
		RateLimits:    NewRateLimitService(db),
		HashedLinks:   NewHashedLinkService(db),
		Ping:          db.Ping,
	}
}
