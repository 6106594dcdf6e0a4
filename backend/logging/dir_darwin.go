package logging

import (
	"os"
	"path/filepath"
)

// DefaultDir returns where Roster keeps its logs on macOS:
// ~/Library/Logs/Roster, where Console.app looks. See dir_other.go.
func DefaultDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Library", "Logs", "Roster"), nil
}
