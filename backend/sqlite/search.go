package sqlite

import (
	"strings"

	"roster/backend/sqlstore"
)

// maxSortKey bounds a sort key. A collation key takes about five bytes a
// character (the letters, then the accents, then the case), so a 254-character
// address had a key of 1,274 bytes, which spilled into overflow pages in the
// four list indexes that order by it and made storing long addresses twice
// as slow (BENCHMARKS.md). 128 bytes hold the letters of the first 60-odd
// characters: keys of shorter names are whole, and rows whose long names
// agree that far keep the list's order by id among themselves.
const maxSortKey = 128

// sortKey is sqlstore.SortKey of s, at most maxSortKey bytes long:
// byte-compared in SQLite, it orders the lists.
func sortKey(s string) []byte { return sqlstore.SortKey(s, maxSortKey) }

// ftsPhrase quotes a folded term as one FTS5 phrase (trigram substring match).
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}
