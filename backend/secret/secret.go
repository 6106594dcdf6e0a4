// Package secret keeps Roster's secrets (the SMTP password) in the operating
// system's keyring: the Secret Service over D-Bus on Linux (GNOME Keyring,
// KWallet, KeePassXC), the Keychain on macOS, the Credential Manager on
// Windows. Failures become one clear EUNAVAILABLE message per cause; no
// error it returns contains a secret.
package secret

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"roster/backend"
)

// ServiceName is the keyring service Roster's secrets are filed under.
const ServiceName = "Roster"

// DefaultTimeout bounds one keyring call. The keyring may show an unlock
// prompt, so it is generous.
const DefaultTimeout = 2 * time.Minute

// Ensure the interface is implemented.
var _ backend.SecretStore = (*Keyring)(nil)

// Keyring implements backend.SecretStore with the OS keyring.
type Keyring struct {
	// Service is the keyring service name: ServiceName, or a test's own.
	Service string
	// Timeout bounds each call; a call that takes longer (an unanswered
	// unlock prompt, a hung keyring daemon) returns EUNAVAILABLE.
	Timeout time.Duration
}

// New returns the keyring store for service.
func New(service string) *Keyring {
	return &Keyring{Service: service, Timeout: DefaultTimeout}
}

// GetSecret returns the secret stored under key. ENOTFOUND; EUNAVAILABLE.
func (k *Keyring) GetSecret(key string) (string, error) {
	var v string
	err := k.call(func() (err error) {
		v, err = keyring.Get(k.Service, key)
		return err
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return "", &backend.Error{Code: backend.ENOTFOUND, Message: "No password is saved in the keyring.", Key: "keyring.not_found"}
	} else if err != nil {
		return "", err
	}
	return v, nil
}

// SetSecret stores value under key, replacing an older value. EUNAVAILABLE.
func (k *Keyring) SetSecret(key, value string) error {
	return k.call(func() error { return keyring.Set(k.Service, key, value) })
}

// DeleteSecret removes key; a missing key is not an error. EUNAVAILABLE.
func (k *Keyring) DeleteSecret(key string) error {
	err := k.call(func() error { return keyring.Delete(k.Service, key) })
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// call runs fn with the timeout and maps its error.
func (k *Keyring) call(fn func() error) error {
	if err := checkSession(); err != nil {
		return err
	}
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return MapError(err)
	case <-time.After(timeout):
		// The call goes on in the background; its result is dropped.
		return unavailable(KeyTimeout, "The keyring did not answer. It may be waiting for you to unlock it; try again.")
	}
}

// Keys of the EUNAVAILABLE errors, one per cause.
const (
	KeyNoSession   = "keyring.no_session"
	KeyNoService   = "keyring.no_service"
	KeyLocked      = "keyring.locked"
	KeyTimeout     = "keyring.timeout"
	KeyUnavailable = "keyring.unavailable"
)

func unavailable(key, message string) *backend.Error {
	return &backend.Error{Code: backend.EUNAVAILABLE, Message: message, Key: key}
}

func noSession() *backend.Error {
	return unavailable(KeyNoSession, "Roster cannot reach the system keyring: there is no D-Bus session. Start Roster from your desktop session, or keep the password for this session only.")
}

// MapError turns a go-keyring error into a coded one: ErrNotFound passes
// through; the causes a keyring cannot be used each get one clear
// EUNAVAILABLE message. The keyring's own text (which never holds a secret)
// stays in the error chain for the log; the administrator sees the message.
func MapError(err error) error {
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return err
	}
	return fmt.Errorf("%w (%v)", mapCause(err), err)
}

func mapCause(err error) *backend.Error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "dbus-launch"),
		strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS"),
		strings.Contains(msg, "couldn't determine address of session bus"),
		strings.HasPrefix(msg, "dial unix"),
		strings.Contains(msg, "connect: no such file or directory"),
		strings.Contains(msg, "connect: connection refused"):
		return noSession()
	case strings.Contains(msg, "org.freedesktop.secrets was not provided"),
		strings.Contains(msg, "ServiceUnknown"),
		strings.Contains(msg, "The name is not activatable"):
		return unavailable(KeyNoService, "No keyring service is running (the Secret Service, provided by GNOME Keyring, KWallet or KeePassXC). Install or start one, or keep the password for this session only.")
	case strings.Contains(msg, "failed to unlock"),
		strings.Contains(msg, "locked"),
		strings.Contains(msg, "IsLocked"):
		return unavailable(KeyLocked, "The system keyring is locked. Unlock it (for example by signing in to your desktop again) and try again, or keep the password for this session only.")
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return &backend.Error{Code: backend.EINVALID, Message: "The password is too long for the system keyring.", Key: "keyring.too_big", Field: "password"}
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return unavailable(KeyUnavailable, "This system has no keyring Roster can use. Keep the password for this session only.")
	}
	return unavailable(KeyUnavailable, "The system keyring cannot be used right now. Try again, or keep the password for this session only.")
}
