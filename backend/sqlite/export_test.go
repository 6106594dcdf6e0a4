package sqlite

import (
	"context"

	"roster/backend"
	"roster/backend/sqlstore"
)

// Exported for the black-box tests and benchmarks of this package.
var (
	SortKey    = sortKey
	SearchText = sqlstore.SearchText
	NewToken   = newToken
)

// EnqueueOutboxEntry queues an email that belongs to no invitation or reset,
// for the tests; it fills e's ID, state and times.
func (s *OutboxService) EnqueueOutboxEntry(ctx context.Context, e *backend.OutboxEntry) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := enqueueMail(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit()
}

// SetImportHook sets the hook that runs after each transaction of an import.
func SetImportHook(s *InvitationService, f func(importID int64, published bool) error) {
	s.stageHook = f
}

// SetImportTxRows sets how many rows an import stores per transaction at most.
func SetImportTxRows(n int) { importTxRows, importBatchRows, importChunk = n, n, n }

// SetSearchLimits lowers how many matches a search sorts from its index
// (few) and how far it counts them exactly (exact), so that small tests
// reach every way of searching; the returned func restores them.
func SetSearchLimits(few, exact int) (restore func()) {
	oldFew, oldExact := ftsProbeLimit, maxExactCount
	ftsProbeLimit, maxExactCount = few, exact
	return func() { ftsProbeLimit, maxExactCount = oldFew, oldExact }
}
