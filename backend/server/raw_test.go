package server_test

import (
	"database/sql"

	_ "github.com/mattn/go-sqlite3"
)

// sqliteRaw opens the test database directly, to change it behind the
// services' back.
func sqliteRaw(e *env) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", e.db.Path())
	if err == nil {
		e.t.Cleanup(func() { db.Close() })
	}
	return db, err
}
