//go:build !sqlite_fts5 && !bindings

package sqlite

import (
	"fmt"
	"os"
	"testing"
)

// Roster's search index is an FTS5 table, and go-sqlite3 compiles FTS5 into
// SQLite only with the sqlite_fts5 build tag; without it no database opens
// ("no such module: fts5"). So a build without the tag stops at once and
// says what to run instead, before any test or the window starts. The
// bindings build opens no database and is left alone.
func init() {
	if testing.Testing() {
		fmt.Println("run: go test -tags sqlite_fts5 ./... (the search index needs SQLite's FTS5)")
	} else {
		fmt.Fprintln(os.Stderr, "roster: built without SQLite's FTS5, which the search index needs: build it with `make build` (scripts/build.sh app), which adds -tags sqlite_fts5")
	}
	os.Exit(2)
}
