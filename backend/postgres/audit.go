package postgres

import (
	"context"
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

// writeAudit records an action inside tx. before and after are marshalled
// to JSON; nil leaves the column NULL. Callers pass only fields that are
// safe to keep forever (never a token or a password).
func writeAudit(ctx context.Context, tx *Tx, action string, target auditTarget, before, after any) error {
	actor := backend.ActorFromContext(ctx)
	b, err := jsonOrNull(before)
	if err != nil {
		return err
	}
	a, err := jsonOrNull(after)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_id, actor_name, actor_client, action, target_type, target_id, target_label, before, after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		tx.now, nullString(actor.ID), actor.Name, nullString(actor.Client), action, target.Type, target.ID, target.Label, b, a); err != nil {
		return fmt.Errorf("write audit entry: %w", mapError(err))
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

// FindAuditEntries returns a page of audit entries, newest first. Search
// ignores case, as SQLite's LIKE does.
func (s *AuditService) FindAuditEntries(ctx context.Context, f backend.AuditFilter) ([]*backend.AuditEntry, int, error) {
	var p params
	where := []string{"true"}
	if f.Search != nil && strings.TrimSpace(*f.Search) != "" {
		pat := p.add(likePattern(strings.TrimSpace(*f.Search)))
		where = append(where, `(actor_name ILIKE `+pat+` ESCAPE '\' OR target_label ILIKE `+pat+` ESCAPE '\')`)
	}
	if f.Action != nil && *f.Action != "" {
		where = append(where, "action = "+p.add(*f.Action))
	}
	if f.From != nil {
		where = append(where, "at >= "+p.add(f.From.UTC()))
	}
	if f.To != nil {
		where = append(where, "at < "+p.add(f.To.UTC()))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+cond, p...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find audit entries: %w", err)
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, ''), actor_name, COALESCE(actor_client, ''), action, target_type,
		target_id, target_label, COALESCE(before, ''), COALESCE(after, '') FROM audit_log WHERE `+cond+
		` ORDER BY at DESC, id DESC `+limitClause(f.Offset, f.Limit), p...)
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
