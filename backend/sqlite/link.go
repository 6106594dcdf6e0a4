package sqlite

import "roster/backend/sqlstore"

// LinkService implements backend.LinkService (package sqlstore has its rules).
type LinkService struct{ *sqlstore.LinkService }

// NewLinkService returns the link service of db.
func NewLinkService(db *DB) *LinkService {
	return &LinkService{sqlstore.NewLinkService(newStore(db))}
}
