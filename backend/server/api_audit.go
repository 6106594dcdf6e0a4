package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	"roster/backend"
)

// auditEntryDTO is one administrative action. ActorClient is the program
// the actor acted through (the Roster-Client header of an admin API call),
// "" when none was named. Before and After are the target's state as JSON
// objects, null when there is none.
type auditEntryDTO struct {
	ID          int64           `json:"id"`
	At          string          `json:"at"`
	ActorID     string          `json:"actorId"`
	ActorName   string          `json:"actorName"`
	ActorClient string          `json:"actorClient"`
	Action      string          `json:"action"`
	TargetType  string          `json:"targetType"`
	TargetID    string          `json:"targetId"`
	TargetLabel string          `json:"targetLabel"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
}

// auditPageDTO is a page of the audit log, newest first, and how many
// entries match in all.
type auditPageDTO struct {
	Entries []auditEntryDTO `json:"entries"`
	Total   int             `json:"total"`
}

// rawJSON passes stored JSON through; nothing or anything else is null.
func rawJSON(s string) json.RawMessage {
	if s == "" || !json.Valid([]byte(s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

func (s *Server) apiFindAuditEntries(w http.ResponseWriter, r *http.Request) (int, any, error) {
	v, err := queryParams(r, "search", "action", "from", "to", "offset", "limit")
	if err != nil {
		return 0, nil, err
	}
	f, err := backend.ParseAuditFilter(v.Get("search"), v.Get("action"), v.Get("from"), v.Get("to"))
	if err != nil {
		return 0, nil, err
	}
	if f.Offset, f.Limit, err = page(v); err != nil {
		return 0, nil, err
	}
	if err := f.Validate(); err != nil {
		return 0, nil, err
	}
	list, total, err := s.svc.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		return 0, nil, fmt.Errorf("find audit entries: %w", err)
	}
	out := auditPageDTO{Entries: make([]auditEntryDTO, len(list)), Total: total}
	for i, e := range list {
		out.Entries[i] = auditEntryDTO{ID: e.ID, At: apiTime(e.At), ActorID: e.ActorID, ActorName: e.ActorName,
			ActorClient: e.ActorClient, Action: e.Action,
			TargetType: e.TargetType, TargetID: e.TargetID, TargetLabel: e.TargetLabel, Before: rawJSON(e.Before), After: rawJSON(e.After)}
	}
	return http.StatusOK, out, nil
}
