//go:build linux || freebsd || openbsd || netbsd || dragonfly

package secret

import (
	"os"
	"path/filepath"
	"strconv"
)

// checkSession refuses early when there is no D-Bus session bus to talk to,
// instead of letting the D-Bus library start a stray bus with dbus-launch.
// These are the systems where go-keyring uses the Secret Service.
func checkSession() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if _, err := os.Stat(sessionBusPath()); err == nil {
		return nil
	}
	return noSession()
}

// sessionBusPath is where the D-Bus library looks for the session bus when
// DBUS_SESSION_BUS_ADDRESS is not set: $XDG_RUNTIME_DIR/bus, or
// /run/user/UID/bus without XDG_RUNTIME_DIR.
func sessionBusPath() string {
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	}
	return filepath.Join(dir, "bus")
}
