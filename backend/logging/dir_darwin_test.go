package logging_test

import (
	"path/filepath"
	"testing"

	"roster/backend/logging"
)

func TestDefaultDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir, err := logging.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "Library", "Logs", "Roster"); dir != want {
		t.Fatalf("DefaultDir = %q, want %q", dir, want)
	}
}
