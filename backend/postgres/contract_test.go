package postgres_test

import (
	"testing"
	"time"

	"roster/backend"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
	"roster/backend/storetest"
)

// TestContract runs the storage contract on a real PostgreSQL database of
// its own per test; every handle is its own *postgres.DB (its own pool), as
// every server process would be.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() *storetest.Stores {
		url := pgtest.NewDatabase(t)
		keys := backend.NewSessionOutboxKeys()
		return func() *storetest.Stores {
			db := mustOpen(t, url)
			db.Keys = keys
			return stores(db)
		}
	})
}

// mustOpen opens the database at url, closed when t ends.
func mustOpen(t testing.TB, url string) *postgres.DB {
	t.Helper()
	db := postgres.NewDB(url)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func stores(db *postgres.DB) *storetest.Stores {
	return &storetest.Stores{Storage: postgres.NewStorage(db),
		SetNow: func(now time.Time) { db.Now = func() time.Time { return now } }}
}
