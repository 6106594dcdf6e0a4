package backend

import "context"

// Storage is every service of the directory over one handle on a database,
// as one server process has them: what the directory server uses, and what
// the storage contract suite (backend/storetest) checks. sqlite.NewStorage
// and postgres.NewStorage build it.
type Storage struct {
	Organisations OrganisationService
	Users         UserService
	Roles         RoleService
	Invitations   InvitationService
	Resets        PasswordResetService
	Audit         AuditService
	Links         LinkService
	Credentials   CredentialService
	Sessions      SessionService
	APITokens     APITokenService
	RateLimits    RateLimitService
	HashedLinks   HashedLinkService
	// OIDCClients and OIDC are the OpenID Connect provider's clients and
	// protocol state; the server has no provider without them.
	OIDCClients OIDCClientService
	OIDC        OIDCStore
	// SyncPush applies the operations desktops push.
	SyncPush SyncPushService
	// SyncFeed is the change feed desktops pull.
	SyncFeed SyncFeedService
	// Ping reports whether the database answers, for readiness probes.
	Ping func(ctx context.Context) error
}
