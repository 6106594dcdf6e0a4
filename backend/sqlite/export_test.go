package sqlite

// Exported for the black-box tests and benchmarks of this package.
var (
	SortKey    = sortKey
	SearchText = searchText
	NewToken   = newToken
)
