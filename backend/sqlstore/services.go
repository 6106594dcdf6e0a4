package sqlstore

import (
	"context"

	"roster/backend"
)

// Services are the services of one store that this package implements for
// both (invitations each store has its own way).
type Services struct {
	Organisations *OrganisationService
	Users         *UserService
	Roles         *RoleService
	Resets        *PasswordResetService
	Audit         *AuditService
	Links         *LinkService
	Credentials   *CredentialService
	Sessions      *SessionService
	APITokens     *APITokenService
	HashedLinks   *HashedLinkService
	RateLimits    *RateLimitService
	OIDC          *OIDCService
	// Sync is the store itself, which applies pushed operations (Push).
	Sync *Store
	// SyncFeed is the change feed desktops pull (Pull).
	SyncFeed *SyncFeed
}

// NewServices returns the services of s.
func NewServices(s *Store) *Services {
	return &Services{
		Organisations: NewOrganisationService(s),
		Users:         NewUserService(s),
		Roles:         NewRoleService(s),
		Resets:        NewPasswordResetService(s),
		Audit:         NewAuditService(s),
		Links:         NewLinkService(s),
		Credentials:   NewCredentialService(s),
		Sessions:      NewSessionService(s),
		APITokens:     NewAPITokenService(s),
		HashedLinks:   NewHashedLinkService(s),
		RateLimits:    NewRateLimitService(s),
		OIDC:          NewOIDCService(s),
		Sync:          s,
		SyncFeed:      NewSyncFeed(s),
	}
}

// Storage returns the services as the directory server and the storage
// contract suite use them, with the store's own invitation service and its
// readiness probe.
func (s *Services) Storage(inv backend.InvitationService, ping func(context.Context) error) *backend.Storage {
	return &backend.Storage{
		Organisations: s.Organisations,
		Users:         s.Users,
		Roles:         s.Roles,
		Invitations:   inv,
		Resets:        s.Resets,
		Audit:         s.Audit,
		Links:         s.Links,
		Credentials:   s.Credentials,
		Sessions:      s.Sessions,
		APITokens:     s.APITokens,
		RateLimits:    s.RateLimits,
		HashedLinks:   s.HashedLinks,
		OIDCClients:   s.OIDC,
		OIDC:          s.OIDC,
		SyncPush:      s.Sync,
		SyncFeed:      s.SyncFeed,
		Ping:          ping,
	}
}
