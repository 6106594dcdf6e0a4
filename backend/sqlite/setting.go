package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"roster/backend"
)

var _ backend.SettingService = (*SettingService)(nil)

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
	var raw string
	err := s.db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
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

// UpdateSetting stores v under key.
func (s *SettingService) UpdateSetting(ctx context.Context, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("update setting %s: %w", key, err)
	}
	if _, err := s.db.db.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, string(raw), formatTime(s.db.Now())); err != nil {
		return fmt.Errorf("update setting %s: %w", key, mapError(err))
	}
	return nil
}
