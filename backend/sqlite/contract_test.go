package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
	"roster/backend/storetest"
)

// TestContract runs the storage contract on a real SQLite file; every handle
// is its own *sqlite.DB on that file, as every server process would be.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() *storetest.Stores {
		path := filepath.Join(t.TempDir(), "roster.db")
		keys := backend.NewSessionOutboxKeys()
		return func() *storetest.Stores {
			db := sqlite.NewDB(path)
			db.Keys = keys
			if err := db.Open(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return &storetest.Stores{Storage: sqlite.NewStorage(db),
				SetNow: func(now time.Time) { db.Now = func() time.Time { return now } }}
		}
	})
}
