package backend

import (
	"context"
	"time"
)

// AuditEntry records one administrative action: who did what to which target,
// when, and the target's state before and after (as JSON, secrets left out).
type AuditEntry struct {
	ID        int64
	At        time.Time
	ActorID   string
	ActorName string
	// ActorClient is the program the actor acted through (Actor.Client),
	// such as the Roster desktop that called the admin API; "" for actions
	// taken in the desktop itself.
	ActorClient string
	Action      string
	TargetType  string
	TargetID    string
	TargetLabel string
	Before      string
	After       string
}

// Audit actions.
const (
	AuditOrganisationSetup   = "organisation.setup"
	AuditUserRoleChanged     = "user.role_changed"
	AuditUserDeactivated     = "user.deactivated"
	AuditUserActivated       = "user.activated"
	AuditUserRemoved         = "user.removed"
	AuditUserJoined          = "user.joined"
	AuditPasswordResetSent   = "user.password_reset_sent"
	AuditPasswordResetUsed   = "user.password_reset_used"
	AuditInvitationCreated   = "invitation.created"
	AuditInvitationsImported = "invitation.imported"
	AuditInvitationDeleted   = "invitation.deleted"
	AuditInvitationResent    = "invitation.resent"
	// AuditInvitationLinkCopied: a new link was issued to be copied and
	// handed over by the administrator, without an email.
	AuditInvitationLinkCopied = "invitation.link_copied"
	AuditRoleCreated          = "role.created"
	AuditRoleUpdated          = "role.updated"
	AuditRoleDeleted          = "role.deleted"
	AuditEmailSettingsSaved   = "settings.email_saved"
	AuditMailRetried          = "mail.retried"
	AuditDemoSeeded           = "demo.seeded"
)

// AuditFilter selects audit entries; nil fields do not filter. Entries come
// newest first.
type AuditFilter struct {
	// Search matches a part of the actor's name or the target's label.
	Search *string
	Action *string
	// Subject selects the entries about one user or invitation: those it
	// acted in (as the actor) or that it was the target of.
	Subject *string
	From    *time.Time // inclusive
	To      *time.Time // exclusive
	Offset  int
	Limit   int
}

// ParseAuditFilter is the filter of the audit log's parameters as a window
// or a query string gives them: empty strings do not filter; from and to
// are RFC 3339 times. Offset and Limit are the caller's to set. EINVALID
// (field "from" or "to", audit.bad_time) for a time that is not one.
func ParseAuditFilter(search, action, from, to string) (AuditFilter, error) {
	var f AuditFilter
	if search != "" {
		f.Search = &search
	}
	if action != "" {
		f.Action = &action
	}
	for _, t := range []struct {
		value, field string
		dst          **time.Time
	}{{from, "from", &f.From}, {to, "to", &f.To}} {
		if t.value == "" {
			continue
		}
		at, err := time.Parse(time.RFC3339, t.value)
		if err != nil {
			return f, MsgAuditBadTime.FieldError(EINVALID, t.field, "value", t.value)
		}
		*t.dst = &at
	}
	return f, nil
}

// AuditService reads the audit log. Entries are written by the services that
// act, inside the same transaction as the change.
type AuditService interface {
	FindAuditEntries(ctx context.Context, filter AuditFilter) ([]*AuditEntry, int, error)
}
