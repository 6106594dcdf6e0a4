package sqlite

import "roster/backend/sqlstore"

// OrganisationService implements backend.OrganisationService (package
// sqlstore has its rules).
type OrganisationService struct{ *sqlstore.OrganisationService }

// NewOrganisationService returns the organisation service of db.
func NewOrganisationService(db *DB) *OrganisationService {
	return &OrganisationService{sqlstore.NewOrganisationService(newStore(db))}
}
