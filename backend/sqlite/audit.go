package sqlite

import "roster/backend/sqlstore"

// AuditService implements backend.AuditService (package sqlstore has its rules).
type AuditService struct{ *sqlstore.AuditService }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService {
	return &AuditService{sqlstore.NewAuditService(newStore(db))}
}
