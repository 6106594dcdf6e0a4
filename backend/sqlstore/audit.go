package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"roster/backend"
)

// AuditService implements backend.AuditService.
type AuditService struct {
	s *Store
}

var _ backend.AuditService = (*AuditService)(nil)

// NewAuditService returns the audit service of s.
func NewAuditService(s *Store) *AuditService {
	return &AuditService{s: s}
}

// AuditTarget names what an audit entry is about.
type AuditTarget struct {
	Type, ID, Label string
}

// AuditInsertSQL inserts one audit entry; AuditArgs gives its arguments.
const AuditInsertSQL = `INSERT INTO audit_log
	(uid, at, actor_id, actor_name, actor_client, action, target_type, target_id, target_label, before, after)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// AuditUIDs is what a transaction implements when the ids of the audit
// entries it writes are given (an operation replayed from another database
// writes the entries it wrote there); others get random ones.
type AuditUIDs interface {
	NextAuditUID() string
}

// auditUID returns the id of the next audit entry tx writes.
func auditUID(tx Tx) string {
	if u, ok := tx.(AuditUIDs); ok {
		return u.NextAuditUID()
	}
	return uuid.NewString()
}

// AuditArgs renders an audit entry's values, for AuditInsertSQL. before and
// after are marshalled to JSON; nil leaves the column NULL. Callers pass
// only fields that are safe to keep forever (never a token or a password).
func (d *Dialect) AuditArgs(ctx context.Context, tx Tx, action string, target AuditTarget, before, after any) ([]any, error) {
	actor := backend.ActorFromContext(ctx)
	b, err := jsonOrNull(before)
	if err != nil {
		return nil, err
	}
	a, err := jsonOrNull(after)
	if err != nil {
		return nil, err
	}
	return []any{auditUID(tx), d.Time(tx.Now()), NullString(actor.ID), actor.Name, NullString(actor.Client), action,
		target.Type, target.ID, target.Label, b, a}, nil
}

// WriteAudit records an action inside tx.
func (d *Dialect) WriteAudit(ctx context.Context, tx Tx, action string, target AuditTarget, before, after any) error {
	args, err := d.AuditArgs(ctx, tx, action, target, before, after)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, AuditInsertSQL, args...); err != nil {
		return d.wrap("write audit entry", err)
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
// ignores case (of ASCII letters).
// EINVALID (with a Key) for a filter that fails AuditFilter.Validate.
func (a *AuditService) FindAuditEntries(ctx context.Context, f backend.AuditFilter) ([]*backend.AuditEntry, int, error) {
	s := a.s
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.Search != nil {
		p := s.searchPattern(*f.Search, false)
		where = append(where, `(actor_name `+s.ILike+` ? ESCAPE '\' OR target_label `+s.ILike+` ? ESCAPE '\')`)
		args = append(args, p, p)
	}
	if f.Action != nil && *f.Action != "" {
		where, args = append(where, "action = ?"), append(args, *f.Action)
	}
	if f.Subject != nil {
		where, args = append(where, "(actor_id = ? OR target_id = ?)"), append(args, *f.Subject, *f.Subject)
	}
	if f.From != nil {
		where, args = append(where, "at >= ?"), append(args, s.Time(*f.From))
	}
	if f.To != nil {
		where, args = append(where, "at < ?"), append(args, s.Time(*f.To))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, s.wrap("find audit entries", err)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, ''), actor_name, COALESCE(actor_client, ''), action, target_type,
		target_id, target_label, COALESCE(before, ''), COALESCE(after, '') FROM audit_log WHERE `+cond+
		` ORDER BY at DESC, id DESC `+s.Limit(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, s.wrap("find audit entries", err)
	}
	defer rows.Close()
	entries := []*backend.AuditEntry{}
	for rows.Next() {
		var e backend.AuditEntry
		if err := rows.Scan(&e.ID, Time(&e.At), &e.ActorID, &e.ActorName, &e.ActorClient, &e.Action, &e.TargetType, &e.TargetID,
			&e.TargetLabel, &e.Before, &e.After); err != nil {
			return nil, 0, fmt.Errorf("find audit entries: %w", err)
		}
		entries = append(entries, &e)
	}
	return entries, total, rows.Err()
}
