//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package secret

// checkSession has nothing to check here: the macOS Keychain and the
// Windows Credential Manager need no session bus. See session_dbus.go.
func checkSession() error { return nil }
