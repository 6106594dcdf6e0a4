//go:build !darwin

package logging

import (
	"os"
	"path/filepath"
)

// DefaultDir returns where Roster keeps its logs: the user cache
// directory's Roster/logs (~/.cache/Roster/logs, %LocalAppData%\Roster\logs).
// See dir_darwin.go for macOS.
func DefaultDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "Roster", "logs"), nil
}
