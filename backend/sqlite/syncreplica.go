package sqlite

import (
	"context"

	"roster/backend"
	"roster/backend/sqlstore"
)

// SyncReplica is a desktop's database as its sync engine
// (backend/syncer) uses it: the operations its services recorded, and the
// replica of the server's rows with its cursor.
type SyncReplica struct {
	db    *DB
	store *sqlstore.Store
}

// NewSyncReplica returns the sync replica of db.
func NewSyncReplica(db *DB) *SyncReplica {
	return &SyncReplica{db: db, store: newStore(db)}
}

// Begin starts a write transaction.
func (r *SyncReplica) Begin(ctx context.Context) (sqlstore.Tx, error) {
	return r.store.Begin(ctx)
}

// PendingOps returns up to limit of the operations not yet acknowledged, oldest first.
func (r *SyncReplica) PendingOps(ctx context.Context, limit int) ([]backend.Op, error) {
	return r.store.PendingOps(ctx, limit)
}

// CountPendingOps counts the operations not yet acknowledged.
func (r *SyncReplica) CountPendingOps(ctx context.Context) (int, error) {
	var n int
	if err := r.db.db.QueryRowContext(ctx, `SELECT count(*) FROM sync_ops`).Scan(&n); err != nil {
		return 0, mapError(err)
	}
	return n, nil
}

// AckOps forgets the operations up to upto and releases their email.
func (r *SyncReplica) AckOps(ctx context.Context, tx sqlstore.Tx, upto int64) error {
	return r.store.AckOps(ctx, tx, upto)
}

// RecordConflicts keeps the server's refusals of this desktop's operations.
func (r *SyncReplica) RecordConflicts(ctx context.Context, tx sqlstore.Tx, conflicts []*backend.Conflict) error {
	return r.store.RecordConflicts(ctx, tx, r.db.OpLog.Client(), conflicts)
}

// UndoPending takes the pending operations' effects out of the rows.
func (r *SyncReplica) UndoPending(ctx context.Context, tx sqlstore.Tx) error {
	return r.store.UndoPending(ctx, tx)
}

// ReplayPending applies the pending operations again.
func (r *SyncReplica) ReplayPending(ctx context.Context, tx sqlstore.Tx) error {
	return r.store.ReplayPending(ctx, tx)
}

// ApplyChanges writes the server's rows and tombstones.
func (r *SyncReplica) ApplyChanges(ctx context.Context, tx sqlstore.Tx, changes []backend.Change) error {
	return r.db.ApplyChanges(ctx, tx, changes)
}

// SyncCursor is where the next pull starts.
func (r *SyncReplica) SyncCursor(ctx context.Context) (int64, error) {
	return r.db.SyncCursor(ctx)
}

// SetSyncCursor moves the cursor inside tx.
func (r *SyncReplica) SetSyncCursor(ctx context.Context, tx sqlstore.Tx, cursor int64) error {
	return r.db.SetSyncCursor(ctx, tx, cursor)
}

// AdoptOrganisation makes this desktop, not yet set up, a replica of the
// server's organisation (id, name), acting as administrator adminID, whose
// row the first pull brought. ECONFLICT when the desktop has an
// organisation already; ENOTFOUND when the administrator is not here.
func (r *SyncReplica) AdoptOrganisation(ctx context.Context, tx sqlstore.Tx, id, name, adminID string) error {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM organisation)`).Scan(&exists); err != nil {
		return mapError(err)
	}
	if exists {
		return backend.MsgOrganisationExists.Error(backend.ECONFLICT)
	}
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND status = 'active')`,
		adminID).Scan(&exists); err != nil {
		return mapError(err)
	}
	if !exists {
		return backend.MsgUserNotFound.Error(backend.ENOTFOUND)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO organisation (id, uid, name, admin_user_id, created_at) VALUES (1, ?, ?, ?, ?)`,
		id, name, adminID, formatTime(tx.Now())); err != nil {
		return mapError(err)
	}
	return nil
}
