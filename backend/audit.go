package backend

import "time"

// AuditEntry records one administrative action: who did what to which target,
// when, and the target's state before and after (as JSON, secrets left out).
type AuditEntry struct {
	ID          int64
	At          time.Time
	ActorID     string
	ActorName   string
	Action      string
	TargetType  string
	TargetID    string
	TargetLabel string
	Before      string
	After       string
}

// Audit actions.
const (
	AuditOrganisationSetup = "organisation.setup"
)
