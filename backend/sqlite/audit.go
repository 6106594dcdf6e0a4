package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"roster/backend"
)

// auditTarget names what an audit entry is about.
type auditTarget struct {
	Type, ID, Label string
}

// writeAudit records an action inside tx. before and after are marshalled to
// JSON; nil leaves the column NULL. Callers pass only fields that are safe to
// keep forever (never a token or a password).
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
	var actorID any
	if actor.ID != "" {
		actorID = actor.ID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_id, actor_name, action, target_type, target_id, target_label, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(tx.now), actorID, actor.Name, action, target.Type, target.ID, target.Label, b, a); err != nil {
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
