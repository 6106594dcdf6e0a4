package sqlstore

// Services are the services of one store that this package implements for
// both (invitations and rate limits each store has its own way).
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
	}
}
