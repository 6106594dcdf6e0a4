// Package servicetest lets tests that need a real service (mailpit, the
// Secret Service keyring) say so in one way: under scripts/with-services.sh
// (as make test runs them) a missing service fails the test; elsewhere, as
// in a plain go test, it skips it with the reason.
package servicetest

import (
	"os"
	"testing"
)

// Require skips the test because what is missing, or fails it under
// scripts/with-services.sh (ROSTER_REQUIRE_SERVICES=1).
func Require(tb testing.TB, what string) {
	tb.Helper()
	msg := what + " is not available; run the tests with scripts/with-services.sh (as make test does)"
	if os.Getenv("ROSTER_REQUIRE_SERVICES") == "1" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// RequireKeyring makes sure the test runs in scripts/with-services.sh's
// private D-Bus session, never against the user's own keyring.
func RequireKeyring(tb testing.TB) {
	tb.Helper()
	if os.Getenv("ROSTER_IN_SERVICES") != "1" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		Require(tb, "the private Secret Service keyring")
	}
}
