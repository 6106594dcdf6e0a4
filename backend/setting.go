package backend

import "context"

// SettingService keeps non-secret settings and preferences as JSON values
// under well-known keys. Secrets never go here; they live in the OS keyring.
type SettingService interface {
	// FindSetting decodes the value stored under key into v. ENOTFOUND when
	// nothing is stored.
	FindSetting(ctx context.Context, key string, v any) error

	// UpdateSetting stores v under key.
	UpdateSetting(ctx context.Context, key string, v any) error
}

// Setting keys.
const (
	SettingPreferences = "preferences"
)

// Preferences are the administrator's choices for the window.
type Preferences struct {
	// Language is "en", "de" or "" to follow the operating system.
	Language string `json:"language"`
}
