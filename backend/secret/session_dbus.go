//go:build linux || freebsd || openbsd || netbsd || dragonfly

package secret

import (
	"fmt"
	"os"
)

// checkSession refuses early when there is no D-Bus session bus to talk to,
// instead of letting the D-Bus library start a stray bus with dbus-launch.
// These are the systems where go-keyring uses the Secret Service.
func checkSession() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		return nil
	}
	return noSession()
}
