package postgres

import "roster/backend/sqlstore"

// sortKey is sqlstore.SortKey of s, whole: byte-compared (bytea, or text
// with COLLATE "C"), it orders the lists.
func sortKey(s string) []byte { return sqlstore.SortKey(s, 0) }
