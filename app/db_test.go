package app

import (
	"database/sql"
	"testing"

	"roster/backend/sqlite"
)

// rawQueryRow runs a query on the database file directly, for checks the API does not offer.
func rawQueryRow(t *testing.T, db *sqlite.DB, query string, args ...any) *sql.Row {
	t.Helper()
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw.QueryRow(query, args...)
}
