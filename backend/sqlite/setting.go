package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"roster/backend"
)

var _ backend.SettingService = (*SettingService)(nil)

// execer is what updateSetting writes through: the database or a Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// SettingService implements backend.SettingService.
type SettingService struct {
	db *DB
}

// NewSettingService returns the setting service of db.
func NewSettingService(db *DB) *SettingService {
	return &SettingService{db: db}
}

// FindSetting decodes the value stored under key into v.
func (s *SettingService) FindSetting(ctx context.Context, key string, v any) error {
	return findSetting(ctx, s.db.db, key, v)
}

// UpdateSetting stores v under key.
func (s *SettingService) UpdateSetting(ctx context.Context, key string, v any) error {
	return updateSetting(ctx, s.db.db, key, v, s.db.Now())
}

// findSetting decodes the value stored under key into v, in or outside a
// transaction. ENOTFOUND when the key is not set.
func findSetting(ctx context.Context, q queryer, key string, v any) error {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.Errorf(backend.ENOTFOUND, "The setting %s is not set.", key)
	} else if err != nil {
		return fmt.Errorf("find setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return fmt.Errorf("find setting %s: %w", key, err)
	}
	return nil
}

// updateSetting stores v under key, in or outside a transaction.
func updateSetting(ctx context.Context, e execer, key string, v any, now time.Time) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("update setting %s: %w", key, err)
	}
	if _, err := e.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, string(raw), formatTime(now)); err != nil {
		return fmt.Errorf("update setting %s: %w", key, mapError(err))
	}
	return nil
}
