package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"roster/backend"
	"roster/backend/sqlstore"
)

var _ backend.ConflictService = (*ConflictService)(nil)

// ConflictService implements backend.ConflictService: the Conflicts
// screen of a desktop with sync.
type ConflictService struct{ *sqlstore.ConflictService }

// NewConflictService returns the conflict service of db.
func NewConflictService(db *DB) *ConflictService {
	return &ConflictService{sqlstore.NewConflictService(newStore(db))}
}

// syncMarks returns the marks of the list rows ids (members' and
// invitations' ids) that have one, in one query: in conflict when an
// unresolved conflict of this desktop names the row (its change, or the
// server's rows it answered), waiting when a pending operation does. A
// desktop without sync (and the server) has none, and pays nothing.
func (db *DB) syncMarks(ctx context.Context, ids []string) (map[string]backend.SyncMark, error) {
	client := db.OpLog.Client()
	if client == "" || len(ids) == 0 {
		return nil, nil
	}
	// Most of the time nothing waits and nothing is in conflict: one
	// look at both tables says so, cheaper than the marks' query.
	var any bool
	if err := db.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sync_ops)
		OR EXISTS (SELECT 1 FROM sync_conflicts WHERE client_id = ? AND resolved_at IS NULL)`, client).Scan(&any); err != nil {
		return nil, fmt.Errorf("find sync marks: %w", mapError(err))
	}
	if !any {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("find sync marks: %w", err)
	}
	// Unresolved conflicts are few: their rows are read once. A pending
	// operation is found by its row through the index sync_ops_ref.
	rows, err := db.db.QueryContext(ctx, `WITH
		open (data, server) AS (SELECT data, server FROM sync_conflicts WHERE client_id = ? AND resolved_at IS NULL),
		named (id) AS (
			SELECT json_extract(data, '$.id') FROM open
			UNION SELECT json_extract(data, '$.userId') FROM open
			UNION SELECT json_extract(s.value, '$.id') FROM open, json_each(COALESCE(open.server, '[]')) s),
		conflicted (id) AS (SELECT id FROM named WHERE id IS NOT NULL)
		SELECT p.value, p.value IN conflicted FROM json_each(?) p
		WHERE p.value IN conflicted OR EXISTS (SELECT 1 FROM sync_ops o WHERE json_extract(o.data, '$.id') = p.value)`,
		client, string(list))
	if err != nil {
		return nil, fmt.Errorf("find sync marks: %w", mapError(err))
	}
	defer rows.Close()
	marks := map[string]backend.SyncMark{}
	for rows.Next() {
		var id string
		var conflict bool
		if err := rows.Scan(&id, &conflict); err != nil {
			return nil, fmt.Errorf("find sync marks: %w", err)
		}
		marks[id] = backend.SyncMarkWaiting
		if conflict {
			marks[id] = backend.SyncMarkConflict
		}
	}
	return marks, rows.Err()
}
