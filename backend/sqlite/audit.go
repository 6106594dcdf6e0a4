package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"roster/backend"
)

var _ backend.AuditService = (*AuditService)(nil)

// AuditService implements backend.AuditService.
type AuditService struct {
	db *DB
}

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService {
	return &AuditService{db: db}
}

// auditTarget names what an audit entry is about.
type auditTarget struct {
	Type, ID, Label string
}

const auditInsertSQL = `INSERT INTO audit_log
	(at, actor_id, actor_name, actor_client, action, target_type, target_id, target_label, before, after)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// auditArgs renders an audit entry's values. before and after are
// marshalled to JSON; nil leaves the column NULL. Callers pass only fields
// that are safe to keep forever (never a token or a password).
func auditArgs(ctx context.Context, tx *Tx, action string, target auditTarget, before, after any) ([]any, error) {
	actor := backend.ActorFromContext(ctx)
	b, err := jsonOrNull(before)
	if err != nil {
		return nil, err
	}
	a, err := jsonOrNull(after)
	if err != nil {
		return nil, err
	}
	return []any{formatTime(tx.now), nullString(actor.ID), actor.Name, nullString(actor.Client), action, target.Type, target.ID, target.Label, b, a}, nil
}

// writeAudit records an action inside tx.
func writeAudit(ctx context.Context, tx *Tx, action string, target auditTarget, before, after any) error {
	args, err := auditArgs(ctx, tx, action, target, before, after)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, auditInsertSQL, args...); err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// execAudit records an action with a prepared auditInsertSQL, for bulk work.
func execAudit(ctx context.Context, tx *Tx, stmt *sql.Stmt, action string, target auditTarget, before, after any) error {
	args, err := auditArgs(ctx, tx, action, target, before, after)
	if err != nil {
		return err
	}
	if _, err := stmt.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

func jsonOrNull(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit value: %w", err)
	}
	return string(b), nil
}

// FindAuditEntries returns a page of audit entries, newest first.
// EINVALID (with a Key) for a filter that fails AuditFilter.Validate.
func (s *AuditService) FindAuditEntries(ctx context.Context, f backend.AuditFilter) ([]*backend.AuditEntry, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.Search != nil {
		p := likePattern(*f.Search)
		where, args = append(where, `(actor_name LIKE ? ESCAPE '\' OR target_label LIKE ? ESCAPE '\')`), append(args, p, p)
	}
	if f.Action != nil && *f.Action != "" {
		where, args = append(where, "action = ?"), append(args, *f.Action)
	}
	if f.From != nil {
		where, args = append(where, "at >= ?"), append(args, formatTime(*f.From))
	}
	if f.To != nil {
		where, args = append(where, "at < ?"), append(args, formatTime(*f.To))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find audit entries: %w", err)
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, ''), actor_name, COALESCE(actor_client, ''), action, target_type,
		target_id, target_label, COALESCE(before, ''), COALESCE(after, '') FROM audit_log WHERE `+cond+
		` ORDER BY at DESC, id DESC `+limitClause(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit entries: %w", err)
	}
	defer rows.Close()
	entries := []*backend.AuditEntry{}
	for rows.Next() {
		var e backend.AuditEntry
		if err := rows.Scan(&e.ID, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.ActorClient, &e.Action, &e.TargetType, &e.TargetID,
			&e.TargetLabel, &e.Before, &e.After); err != nil {
			return nil, 0, fmt.Errorf("find audit entries: %w", err)
		}
		entries = append(entries, &e)
	}
	return entries, total, rows.Err()
}
