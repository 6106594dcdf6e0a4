//go:build unix && !darwin

package logging_test

import (
	"path/filepath"
	"testing"

	"roster/backend/logging"
)

func TestDefaultDir(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir, err := logging.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "Roster", "logs"); dir != want {
		t.Fatalf("DefaultDir = %q, want %q", dir, want)
	}
}
