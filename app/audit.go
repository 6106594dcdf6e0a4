package app

import (
	"roster/backend"
)

// Audit is the facade of the Audit log section.
type Audit struct {
	app *App
}

// AuditParams filters and pages the audit log. Empty strings do not filter;
// from and to are RFC 3339 times (from inclusive, to exclusive).
type AuditParams struct {
	Search string `json:"search"`
	Action string `json:"action"`
	// Subject is the id of a user or invitation: only the entries it acted
	// in or that are about it.
	Subject string `json:"subject"`
	From    string `json:"from"`
	To      string `json:"to"`
	Offset  int    `json:"offset"`
	Limit   int    `json:"limit"`
}

// AuditEntryDTO is one administrative action.
type AuditEntryDTO struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	ActorName string `json:"actorName"`
	// ActorClient is the program the administrator acted through, such as
	// another Roster desktop via the directory server ("" when none).
	ActorClient string `json:"actorClient"`
	Action      string `json:"action"`
	TargetType  string `json:"targetType"`
	TargetID    string `json:"targetId"`
	TargetLabel string `json:"targetLabel"`
	// Before and After are the target's state as JSON ("" when none).
	Before string `json:"before"`
	After  string `json:"after"`
}

// AuditPageDTO is a page of the audit log, newest first.
type AuditPageDTO struct {
	Entries []AuditEntryDTO `json:"entries"`
	Total   int             `json:"total"`
}

// AuditExportParams exports the audit log as currently filtered.
type AuditExportParams struct {
	ExportParams
	AuditParams
}

// auditFilter converts and validates the log's parameters (search text,
// times), so that storage gets only bounded, clean values.
func auditFilter(p AuditParams) (backend.AuditFilter, error) {
	f, err := backend.ParseAuditFilter(p.Search, p.Action, p.From, p.To)
	if err != nil {
		return f, err
	}
	if p.Subject != "" {
		f.Subject = &p.Subject
	}
	f.Offset, f.Limit = p.Offset, p.Limit
	return f, f.Validate()
}

func auditEntryDTO(e *backend.AuditEntry) AuditEntryDTO {
	return AuditEntryDTO{ID: e.ID, At: formatTime(e.At), ActorName: e.ActorName, ActorClient: e.ActorClient, Action: e.Action,
		TargetType: e.TargetType, TargetID: e.TargetID, TargetLabel: e.TargetLabel, Before: e.Before, After: e.After}
}

// FindAuditEntries returns a page of the audit log. Errors: invalid (bad
// time, a search too long or with control characters).
func (s *Audit) FindAuditEntries(p AuditParams) (AuditPageDTO, error) {
	if p.Limit <= 0 || p.Limit > 500 {
		p.Limit = 100
	}
	f, err := auditFilter(p)
	if err != nil {
		return AuditPageDTO{}, err
	}
	list, total, err := s.app.deps.Audit.FindAuditEntries(s.app.callContext(), f)
	if err != nil {
		return AuditPageDTO{}, err
	}
	out := AuditPageDTO{Entries: make([]AuditEntryDTO, len(list)), Total: total}
	for i, e := range list {
		out.Entries[i] = auditEntryDTO(e)
	}
	return out, nil
}

// ExportAuditLog saves the audit log, as filtered, as CSV or XLSX through
// the save dialog. It returns the path, or "" when cancelled.
func (s *Audit) ExportAuditLog(p AuditExportParams) (string, error) {
	ctx := s.app.callContext()
	f, err := auditFilter(p.AuditParams)
	if err != nil {
		return "", err
	}
	list := pages(func(offset, limit int) ([]*backend.AuditEntry, error) {
		f.Offset, f.Limit = offset, limit
		l, _, err := s.app.deps.Audit.FindAuditEntries(ctx, f)
		return l, err
	})
	header := []string{"time", "administrator", "action", "target type", "target", "before", "after"}
	return s.app.exportTable(p.ExportParams, "audit-log", "Audit log", header, rowsOf(list, func(e *backend.AuditEntry) []string {
		return []string{formatTime(e.At), e.ActorName, e.Action, e.TargetType, e.TargetLabel, e.Before, e.After}
	}))
}
