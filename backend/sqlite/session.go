package sqlite

import "roster/backend/sqlstore"

// SessionService implements backend.SessionService (package sqlstore has its rules).
type SessionService struct{ *sqlstore.SessionService }

// NewSessionService returns the session service of db.
func NewSessionService(db *DB) *SessionService {
	return &SessionService{sqlstore.NewSessionService(newStore(db))}
}
