package sqlite

import "roster/backend/sqlstore"

// HashedLinkService implements backend.HashedLinkService: the same rules
// and audit entries as InvitationService and PasswordResetService, with the
// token's hash given instead of minted, and no email queued (package
// sqlstore has its rules).
type HashedLinkService struct{ *sqlstore.HashedLinkService }

// NewHashedLinkService returns the hashed link service of db.
func NewHashedLinkService(db *DB) *HashedLinkService {
	return &HashedLinkService{sqlstore.NewHashedLinkService(newStore(db))}
}
