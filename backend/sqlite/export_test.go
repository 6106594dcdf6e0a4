package sqlite

// Exported for the black-box tests and benchmarks of this package.
var (
	SortKey    = sortKey
	SearchText = searchText
	NewToken   = newToken
)

// SetImportHook sets the hook that runs after each transaction of an import.
func SetImportHook(s *InvitationService, f func(importID int64, published bool) error) {
	s.stageHook = f
}

// SetImportTxRows sets how many rows an import stores per transaction at most.
func SetImportTxRows(n int) { importTxRows, importBatchRows, importChunk = n, n, n }
