//go:build linux || freebsd || openbsd || netbsd || dragonfly

package secret

import (
	"os"
	"path/filepath"
	"testing"

	"roster/backend"
)

// TestCheckSession checks that the session bus is looked for where the D-Bus
// library looks: DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus.
func TestCheckSession(t *testing.T) {
	t.Run("OKAddress", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
		t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
		if err := checkSession(); err != nil {
			t.Fatalf("checkSession() = %v, want nil", err)
		}
	})
	t.Run("OKRuntimeDir", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "bus"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		t.Setenv("XDG_RUNTIME_DIR", dir)
		if err := checkSession(); err != nil {
			t.Fatalf("checkSession() = %v, want nil with %s/bus", err, dir)
		}
	})
	t.Run("ErrNoBus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
		if err := checkSession(); backend.ErrorCode(err) != backend.EUNAVAILABLE {
			t.Fatalf("checkSession() = %v, want %s", err, backend.EUNAVAILABLE)
		}
	})
}
