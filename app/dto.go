package app

import "time"

// formatTime renders a time for the frontend (RFC 3339, UTC, milliseconds).
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// BulkAction names what a bulk action does, in its progress events.
type BulkAction string

// The bulk actions.
const (
	BulkChangeRole BulkAction = "changeRole"
	BulkDeactivate BulkAction = "deactivate"
	BulkRemove     BulkAction = "remove"
	BulkResend     BulkAction = "resend"
	BulkDelete     BulkAction = "delete"
)

// BulkParams are the ids of the rows to act on (at most MaxBulkItems).
type BulkParams struct {
	IDs []string `json:"ids"`
}

// BulkRoleParams are the members to give a role, and the role's id.
type BulkRoleParams struct {
	IDs    []string `json:"ids"`
	RoleID string   `json:"roleId"`
}

// BulkMatchDTO are the ids of the rows that match a list's filter. Capped
// says more match than the MaxBulkItems returned.
type BulkMatchDTO struct {
	IDs    []string `json:"ids"`
	Capped bool     `json:"capped"`
}

// BulkFailureDTO is a row a bulk action could not do, and why.
type BulkFailureDTO struct {
	ID string `json:"id"`
	// Label is the row's email address, or "" when the row is gone.
	Label string   `json:"label"`
	Error ErrorDTO `json:"error"`
}

// BulkResultDTO says what a bulk action did: Total distinct rows, Done of
// them without error, the Failed ones with their errors, and whether
// CancelBulk stopped it (then the rest were not tried).
type BulkResultDTO struct {
	Total    int              `json:"total"`
	Done     int              `json:"done"`
	Failed   []BulkFailureDTO `json:"failed"`
	Canceled bool             `json:"canceled"`
}
