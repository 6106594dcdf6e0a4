package sqlite

import (
	"context"

	"roster/backend"
)

// EmailSettingStore keeps the email settings as JSON in the settings table
// (key backend.SettingEmail, like any SettingService value) and writes the
// audit entry of a change in the same transaction. The password is never
// part of what it stores.
type EmailSettingStore struct {
	db *DB
}

// NewEmailSettingStore returns the email setting store of db.
func NewEmailSettingStore(db *DB) *EmailSettingStore {
	return &EmailSettingStore{db: db}
}

// FindEmailSettings returns the saved settings. ENOTFOUND before the first save.
func (s *EmailSettingStore) FindEmailSettings(ctx context.Context) (*backend.EmailSettings, error) {
	return findEmailSettings(ctx, s.db.db)
}

func findEmailSettings(ctx context.Context, q queryer) (*backend.EmailSettings, error) {
	var es backend.EmailSettings
	if err := findSetting(ctx, q, backend.SettingEmail, &es); backend.ErrorCode(err) == backend.ENOTFOUND {
		return nil, backend.MsgEmailNotConfigured.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, err
	}
	return &es, nil
}

// UpdateEmailSettings stores es, already validated, and records the change
// in the audit log; passwordChanged is noted there (the password is not).
func (s *EmailSettingStore) UpdateEmailSettings(ctx context.Context, es *backend.EmailSettings, passwordChanged bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	before, err := findEmailSettings(ctx, tx)
	if err != nil && backend.ErrorCode(err) != backend.ENOTFOUND {
		return err
	}
	if err := updateSetting(ctx, tx, backend.SettingEmail, es, tx.now); err != nil {
		return err
	}
	after := map[string]any{"settings": es, "passwordChanged": passwordChanged}
	var b any
	if before != nil {
		b = map[string]any{"settings": before}
	}
	target := auditTarget{Type: "settings", ID: backend.SettingEmail, Label: "Email"}
	if err := writeAudit(ctx, tx, backend.AuditEmailSettingsSaved, target, b, after); err != nil {
		return err
	}
	return tx.Commit()
}
