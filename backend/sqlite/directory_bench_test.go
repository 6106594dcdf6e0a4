package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// benchDB is one database with 100,000 members and 100,000 invitations,
// built once per benchmark run (it takes a few seconds).
var benchDB = struct {
	once sync.Once
	path string
	err  error
}{}

func openBenchDB(b *testing.B) *sqlite.DB {
	b.Helper()
	benchDB.once.Do(func() {
		dir, err := os.MkdirTemp("", "roster-bench-")
		if err != nil {
			benchDB.err = err
			return
		}
		benchDB.path = filepath.Join(dir, "roster.db")
		db := sqlite.NewDB(benchDB.path)
		if benchDB.err = db.Open(); benchDB.err != nil {
			return
		}
		defer db.Close()
		benchDB.err = sqlite.SeedDemoData(context.Background(), db, 100_000)
	})
	if benchDB.err != nil {
		b.Fatal(benchDB.err)
	}
	db := sqlite.NewDB(benchDB.path)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkFindDirectory(b *testing.B) {
	db := openBenchDB(b)
	s := sqlite.NewDirectoryService(db)
	ctx := context.Background()
	str := func(s string) *string { return &s }
	for _, tt := range []struct {
		name   string
		filter backend.DirectoryFilter
	}{
		{"NoSearch/ByName", backend.DirectoryFilter{Limit: 50}},
		{"NoSearch/ByJoinedDesc", backend.DirectoryFilter{Limit: 50, Sort: backend.SortOrder{Column: "joinedAt", Desc: true}}},
		{"NoSearch/ByRole", backend.DirectoryFilter{Limit: 50, Sort: backend.SortOrder{Column: "role"}}},
		{"NoSearch/Offset50000", backend.DirectoryFilter{Limit: 50, Offset: 50000}},
		{"SearchMany/example", backend.DirectoryFilter{Limit: 50, Search: str("example")}},
		{"SearchMany/müller", backend.DirectoryFilter{Limit: 50, Search: str("müller")}},
		{"SearchFew/12345", backend.DirectoryFilter{Limit: 50, Search: str("12345")}},
		{"SearchFew/mueller.9999", backend.DirectoryFilter{Limit: 50, Search: str("mueller.9999")}},
		{"SearchNone/zzzq", backend.DirectoryFilter{Limit: 50, Search: str("zzzq")}},
		{"SearchShort/ab", backend.DirectoryFilter{Limit: 50, Search: str("ab")}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				page, err := s.FindDirectory(ctx, tt.filter)
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Entries) == 0 && page.Total > 0 {
					b.Fatal("no rows on a page of a non-empty result")
				}
			}
		})
	}
}
