package app

import "time"

// formatTime renders a time for the frontend (RFC 3339, UTC, milliseconds).
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
