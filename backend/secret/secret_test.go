package secret_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"roster/backend"
	"roster/backend/internal/servicetest"
	"roster/backend/secret"
)

// TestKeyring_RoundTrip uses the real Secret Service of scripts/with-services.sh's
// private D-Bus session (never the user's keyring).
func TestKeyring_RoundTrip(t *testing.T) {
	servicetest.RequireKeyring(t)
	k := secret.New(fmt.Sprintf("Roster-test-%d", time.Now().UnixNano()))
	const key = backend.SecretSMTPPassword
	t.Cleanup(func() { k.DeleteSecret(key) })

	if _, err := k.GetSecret(key); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("GetSecret before SetSecret = %v, want not found", err)
	}
	for _, value := range []string{"first pässword", "second: \x01 with odd bytes"} {
		if err := k.SetSecret(key, value); err != nil {
			t.Fatal(err)
		}
		got, err := k.GetSecret(key)
		if err != nil || got != value {
			t.Fatalf("GetSecret = %q, %v; want %q", got, err, value)
		}
	}
	if err := k.DeleteSecret(key); err != nil {
		t.Fatal(err)
	}
	if _, err := k.GetSecret(key); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("GetSecret after DeleteSecret = %v, want not found", err)
	}
	if err := k.DeleteSecret(key); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
}

// childResult is what TestKeyringChild prints.
type childResult struct {
	Code, Key, Message, Err string
}

// runChild runs TestKeyringChild in a new process with env, optionally
// wrapped in another command (dbus-run-session), and returns its result.
func runChild(t *testing.T, env []string, wrap ...string) childResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append(wrap, os.Args[0], "-test.run=^TestKeyringChild$")
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(env, "ROSTER_KEYRING_CHILD=1")
	// A daemon the child started may hold its output open after the child
	// is killed; give up on it rather than wait for ever.
	cmd.WaitDelay = 5 * time.Second
	out, _ := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "RESULT "); ok {
			var r childResult
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				t.Fatal(err)
			}
			return r
		}
	}
	t.Fatalf("the child printed no result:\n%s", out)
	return childResult{}
}

// TestKeyringChild stores a secret in whatever keyring its environment
// offers and prints the outcome; it runs only as runChild's process.
func TestKeyringChild(t *testing.T) {
	if os.Getenv("ROSTER_KEYRING_CHILD") != "1" {
		t.Skip("runs only as a child process of TestKeyring_Unavailable")
	}
	k := secret.New("Roster-test-child")
	k.Timeout = 15 * time.Second
	err := k.SetSecret(backend.SecretSMTPPassword, "child-secret")
	r := childResult{Code: backend.ErrorCode(err), Message: backend.ErrorMessage(err)}
	if e := backend.AsError(err); e != nil {
		r.Key = e.Key
	}
	if err != nil {
		r.Err = err.Error()
	}
	b, _ := json.Marshal(r)
	fmt.Println("RESULT " + string(b))
}

// environ returns the environment without the D-Bus session and with extra.
func environ(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") &&
			!strings.HasPrefix(kv, "XDG_DATA_HOME=") && !strings.HasPrefix(kv, "GNOME_KEYRING_CONTROL=") && !strings.HasPrefix(kv, "DISPLAY=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// noServicesConfig is a D-Bus session bus that can start no services, so
// no Secret Service either.
const noServicesConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// TestKeyring_Unavailable runs the keyring code where it cannot work and
// checks that each cause gets its own clear message.
func TestKeyring_Unavailable(t *testing.T) {
	t.Run("NoSession", func(t *testing.T) {
		empty := t.TempDir() // no dbus-launch on PATH, no runtime dir with a bus
		r := runChild(t, environ("PATH="+empty, "XDG_RUNTIME_DIR="+empty))
		if r.Code != backend.EUNAVAILABLE || r.Key != secret.KeyNoSession || !strings.Contains(r.Message, "no D-Bus session") {
			t.Fatalf("result = %+v", r)
		}
	})

	t.Run("BusGone", func(t *testing.T) {
		r := runChild(t, environ("DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus")))
		if r.Code != backend.EUNAVAILABLE || r.Key != secret.KeyNoSession {
			t.Fatalf("result = %+v", r)
		}
	})

	t.Run("NoSecretService", func(t *testing.T) {
		runSession, err := exec.LookPath("dbus-run-session")
		if err != nil {
			servicetest.Require(t, "dbus-run-session")
		}
		conf := filepath.Join(t.TempDir(), "session.conf")
		if err := os.WriteFile(conf, []byte(fmt.Sprintf(noServicesConfig, t.TempDir())), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runChild(t, environ(), runSession, "--config-file="+conf, "--")
		if r.Code != backend.EUNAVAILABLE || r.Key != secret.KeyNoService || !strings.Contains(r.Message, "No keyring service") {
			t.Fatalf("result = %+v", r)
		}
	})

	t.Run("Locked", func(t *testing.T) {
		runSession, err1 := exec.LookPath("dbus-run-session")
		daemon, err2 := exec.LookPath("gnome-keyring-daemon")
		if err1 != nil || err2 != nil {
			servicetest.Require(t, "dbus-run-session and gnome-keyring-daemon")
		}
		// A keyring daemon whose login keyring nobody unlocked, and no
		// display to show the unlock prompt on.
		data := t.TempDir()
		script := fmt.Sprintf(`%s --start --components=secrets >/dev/null 2>&1; exec "$@"`, daemon)
		// A runtime dir of its own: without one the daemon's control socket
		// falls back to a shared place where another run's unlocked daemon
		// may answer (seen as a 10-minute hang on a busy machine).
		r := runChild(t, environ("XDG_DATA_HOME="+data, "XDG_RUNTIME_DIR="+t.TempDir()), runSession, "--", "sh", "-c", script, "sh")
		if r.Code != backend.EUNAVAILABLE || r.Key != secret.KeyLocked || !strings.Contains(r.Message, "locked") {
			t.Fatalf("result = %+v", r)
		}
	})
}

func TestMapError(t *testing.T) {
	for _, tt := range []struct {
		err  error
		code string
		key  string
	}{
		{errors.New(`exec: "dbus-launch": executable file not found in $PATH`), backend.EUNAVAILABLE, secret.KeyNoSession},
		{errors.New("dial unix /run/user/1000/bus: connect: no such file or directory"), backend.EUNAVAILABLE, secret.KeyNoSession},
		{errors.New("The name org.freedesktop.secrets was not provided by any .service files"), backend.EUNAVAILABLE, secret.KeyNoService},
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), backend.EUNAVAILABLE, secret.KeyLocked},
		{errors.New("something else"), backend.EUNAVAILABLE, secret.KeyUnavailable},
		{keyring.ErrSetDataTooBig, backend.EINVALID, "keyring.too_big"},
	} {
		err := secret.MapError(tt.err)
		e := backend.AsError(err)
		if e == nil || e.Code != tt.code || e.Key != tt.key {
			t.Errorf("MapError(%q) = %v, want %s %s", tt.err, err, tt.code, tt.key)
		}
	}
	if err := secret.MapError(keyring.ErrNotFound); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("MapError(ErrNotFound) = %v", err)
	}
}
