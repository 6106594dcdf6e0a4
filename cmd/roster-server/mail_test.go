package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

func TestOutboxKeyFile(t *testing.T) {
	t.Run("OKCreated", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "outbox.key")
		k, created, err := loadOutboxKey(path)
		if err != nil || !created {
			t.Fatalf("loadOutboxKey = %v, created %v", err, created)
		}
		info, err := os.Stat(path)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode %v, %v", info.Mode(), err)
		}
		again, created, err := loadOutboxKey(path)
		if err != nil || created || again.SealingKey().ID != k.SealingKey().ID {
			t.Fatalf("read again: %v, created %v, same key %v", err, created, again.SealingKey().ID == k.SealingKey().ID)
		}
	})
	t.Run("OKFormats", func(t *testing.T) {
		secret := bytes.Repeat([]byte{0x20, 0x0a, 0xfe, 0x41}, 8) // white space at both ends when raw
		want := backend.NewDataKey(secret, false).ID
		for name, content := range map[string][]byte{
			"raw":    secret,
			"hex":    []byte(fmt.Sprintf("%x\n", secret)),
			"base64": []byte(base64.StdEncoding.EncodeToString(secret) + "\r\n"),
		} {
			path := filepath.Join(t.TempDir(), "key")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			k, _, err := loadOutboxKey(path)
			if err != nil || k.SealingKey().ID != want {
				t.Fatalf("%s: %v", name, err)
			}
		}
	})
	t.Run("ErrReadableByOthers", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "key")
		os.WriteFile(path, []byte(strings.Repeat("ab", 32)), 0o640)
		if _, _, err := loadOutboxKey(path); err == nil || !strings.Contains(err.Error(), "can be read by others") {
			t.Fatalf("loadOutboxKey = %v", err)
		}
	})
	t.Run("ErrLength", func(t *testing.T) {
		for _, content := range []string{"", "abcd\n", strings.Repeat("ab", 31), strings.Repeat("x", 33)} {
			path := filepath.Join(t.TempDir(), "key")
			os.WriteFile(path, []byte(content), 0o600)
			if _, _, err := loadOutboxKey(path); err == nil || !strings.Contains(err.Error(), "32 bytes") {
				t.Fatalf("key %q: %v", content, err)
			}
		}
	})
	t.Run("ErrNoDirectory", func(t *testing.T) {
		if _, _, err := loadOutboxKey(filepath.Join(t.TempDir(), "missing", "key")); err == nil {
			t.Fatal("a key file in a missing directory was taken")
		}
	})
}

func TestServeMailFlags(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "roster.db")
	key := filepath.Join(dir, "outbox.key")
	pwFile := filepath.Join(dir, "smtp-password")
	os.WriteFile(pwFile, []byte("file-secret\n"), 0o600)
	serve := []string{"serve", "--db", db, "--base-url", base}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"NoHost", nil, []string{"--smtp-from", "id@example.com"}, "need --smtp-host"},
		{"PasswordNoHost", map[string]string{passwordEnv: "x"}, nil, passwordEnv + " is set but --smtp-host is not"},
		{"NoFrom", nil, []string{"--smtp-host", "smtp.example.com", "--outbox-key-file", key}, "--smtp-from is required"},
		{"BadFrom", nil, []string{"--smtp-host", "smtp.example.com", "--smtp-from", "not an address", "--outbox-key-file", key}, "--smtp-from:"},
		{"BadPort", nil, []string{"--smtp-host", "smtp.example.com", "--smtp-port", "x", "--smtp-from", "id@example.com"}, "--smtp-port"},
		{"NoneRemote", nil, []string{"--smtp-host", "smtp.example.com", "--smtp-security", "none", "--smtp-from", "id@example.com"},
			"--smtp-security: An unencrypted connection is only allowed"},
		{"BadSecurity", nil, []string{"--smtp-host", "smtp.example.com", "--smtp-security", "ssl", "--smtp-from", "id@example.com"}, "--smtp-security"},
		{"UserNoPassword", nil, []string{"--smtp-host", "smtp.example.com", "--smtp-from", "id@example.com", "--smtp-username", "u",
			"--outbox-key-file", key}, "go together"},
		{"BothPasswords", map[string]string{passwordEnv: "env-secret"}, []string{"--smtp-host", "smtp.example.com",
			"--smtp-from", "id@example.com", "--smtp-username", "u", "--smtp-password-file", pwFile}, "not both"},
		{"MissingPasswordFile", nil, []string{"--smtp-host", "smtp.example.com", "--smtp-from", "id@example.com",
			"--smtp-username", "u", "--smtp-password-file", filepath.Join(dir, "none")}, "--smtp-password-file"},
		{"NoKeyFile", map[string]string{"ROSTER_SERVER_SMTP_HOST": "smtp.example.com", "ROSTER_SERVER_SMTP_FROM": "id@example.com"},
			nil, "--outbox-key-file is required"},
	} {
		t.Run("Err"+tt.name, func(t *testing.T) {
			r := runCLI(t, tt.env, append(serve, tt.args...)...)
			r.expect(t, exitUsage, tt.want)
			for _, secret := range []string{"file-secret", "env-secret"} {
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Fatalf("the output shows the SMTP password: %s", r.stderr)
				}
			}
		})
	}
	t.Run("Help", func(t *testing.T) {
		runCLI(t, nil, "serve", "--help").expect(t, exitOK, "--smtp-password-file", "ROSTER_SERVER_SMTP_PASSWORD_FILE",
			passwordEnv, "--outbox-key-file", "ROSTER_SERVER_OUTBOX_KEY_FILE", "--smtp-security")
	})
}

// mailpitAPI returns the HTTP API and SMTP address of the mailpit that
// scripts/with-services.sh started.
func mailpitAPI(t *testing.T) (api, smtpHost, smtpPort string) {
	t.Helper()
	smtp, api := os.Getenv("ROSTER_TEST_SMTP"), os.Getenv("ROSTER_TEST_MAILPIT")
	if smtp == "" || api == "" {
		// As backend/internal/servicetest (which cmd/ cannot import): under
		// scripts/with-services.sh a missing mailpit fails the test.
		const why = "mailpit (ROSTER_TEST_SMTP, ROSTER_TEST_MAILPIT) is not available; run the tests with scripts/with-services.sh (as make test does)"
		if os.Getenv("ROSTER_REQUIRE_SERVICES") == "1" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	host, port, err := net.SplitHostPort(smtp)
	if err != nil {
		t.Fatal(err)
	}
	return api, host, port
}

// mailpitMessage is what the test reads of a message mailpit received.
type mailpitMessage struct {
	ID      string
	Subject string
	Text    string
	HTML    string
	Headers map[string][]string
}

// waitForMail waits until mailpit has one message to addr and returns it.
func waitForMail(t *testing.T, api, addr string) *mailpitMessage {
	t.Helper()
	get := func(path string, v any) {
		t.Helper()
		res, err := http.Get(api + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, v) != nil {
			t.Fatalf("GET %s: %s %s", path, res.Status, body)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var found struct{ Messages []struct{ ID string } }
		get("/api/v1/search?query="+url.QueryEscape("to:"+addr), &found)
		if len(found.Messages) > 1 {
			t.Fatalf("%d messages to %s, want 1", len(found.Messages), addr)
		}
		if len(found.Messages) == 1 {
			var m mailpitMessage
			get("/api/v1/message/"+found.Messages[0].ID, &m)
			return &m
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s in mailpit", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Passwords the members choose: long enough and not common.
const (
	pw1 = "violet tractor mumbles softly"
	pw2 = "seven quiet herons fold maps"
)

var resetLink = regexp.MustCompile(`https://id\.example\.com(/reset/[A-Za-z0-9_-]{43})`)
var inviteLink = regexp.MustCompile(`https://id\.example\.com(/invite/[A-Za-z0-9_-]{43})`)

// TestServeSendsPasswordChanged: serve with SMTP settings from flags and
// the environment sends the password-changed notice through mailpit after
// a reset on /reset/{token}: in the member's language, else the
// organisation's, else English; the SMTP password is in no log line and
// not in the database.
func TestServeSendsPasswordChanged(t *testing.T) {
	api, host, port := mailpitAPI(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "roster.db")
	keyFile := filepath.Join(dir, "outbox.key")
	stamp := time.Now().UnixNano()
	addrOf := func(name string) string { return fmt.Sprintf("%s-%d@example.com", name, stamp) }
	secret := fmt.Sprintf("smtp-Secret-%d", stamp)

	r := runCLI(t, nil, "init", "--db", db, "--base-url", base, "--organisation", "Example Ltd",
		"--admin-email", addrOf("ada"), "--admin-name", "Ada Admin")
	r.expect(t, exitOK)
	adaReset := resetLink.FindStringSubmatch(r.stdout)[1]

	env := map[string]string{
		"ROSTER_SERVER_SMTP_HOST": host, "ROSTER_SERVER_SMTP_PORT": port, "ROSTER_SERVER_SMTP_SECURITY": "none",
		"ROSTER_SERVER_SMTP_USERNAME": "roster", passwordEnv: secret,
		"ROSTER_SERVER_OUTBOX_KEY_FILE": keyFile,
	}
	var addr string
	var stop func() int
	var runs []*syncBuffer
	// start runs serve until stop; logs joins the logs of every run.
	start := func() {
		var logs *syncBuffer
		addr, logs, stop = serveWithEnv(t, env, "--db", db, "--base-url", base,
			"--smtp-from", "id@example.com", "--smtp-from-name", "Example Ltd", "--log-level", "debug")
		runs = append(runs, logs)
	}
	logs := func() string {
		var all strings.Builder
		for _, r := range runs {
			all.WriteString(r.String())
		}
		return all.String()
	}
	start()

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path, lang string, form url.Values) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %s\n%s", path, res.Status, body)
		}
	}
	// member registers through an invitation and resets their password.
	member := func(name, lang string) {
		t.Helper()
		r := runCLI(t, nil, "invite", "--db", db, "--base-url", base, "--email", addrOf(name), "--role", "user")
		r.expect(t, exitOK)
		post(inviteLink.FindStringSubmatch(r.stdout)[1], lang, url.Values{"name": {name}, "password": {pw1}, "repeat": {pw1}})
		r = runCLI(t, nil, "reset", "--db", db, "--base-url", base, "--email", addrOf(name))
		r.expect(t, exitOK)
		post(resetLink.FindStringSubmatch(r.stdout)[1], lang, url.Values{"password": {pw2}, "repeat": {pw2}})
	}

	t.Run("English", func(t *testing.T) {
		post(adaReset, "en-GB,en;q=0.8", url.Values{"password": {pw1}, "repeat": {pw1}})
		m := waitForMail(t, api, addrOf("ada"))
		if m.Subject != "Your password for Example Ltd was changed" || !strings.Contains(m.Text, "Hello Ada Admin") ||
			!strings.Contains(m.HTML, `<html lang="en">`) || !strings.Contains(m.Text, "(UTC)") {
			t.Fatalf("mail %q:\n%s", m.Subject, m.Text)
		}
	})
	t.Run("German", func(t *testing.T) {
		member("Hans", "de-DE,de;q=0.9,en;q=0.5")
		m := waitForMail(t, api, addrOf("Hans"))
		if m.Subject != "Ihr Passwort für Example Ltd wurde geändert" || !strings.Contains(m.Text, "Guten Tag Hans") ||
			!strings.Contains(m.HTML, `<html lang="de">`) {
			t.Fatalf("mail %q:\n%s", m.Subject, m.Text)
		}
	})
	t.Run("NoLanguage", func(t *testing.T) {
		member("Noor", "")
		if m := waitForMail(t, api, addrOf("Noor")); m.Subject != "Your password for Example Ltd was changed" {
			t.Fatalf("without the member's or the organisation's language: %q", m.Subject)
		}
	})
	t.Run("OrganisationLanguage", func(t *testing.T) {
		// The operator saves the organisation's email settings (as a
		// desktop would) and restarts serve, which keeps its key file.
		if code := stop(); code != exitOK {
			t.Fatalf("serve ended with %d", code)
		}
		store := sqlite.NewDB(db)
		if err := store.Open(); err != nil {
			t.Fatal(err)
		}
		settings := backend.DefaultEmailSettings()
		settings.Host, settings.FromAddress, settings.PlatformURL, settings.Language = "smtp.example.com", "id@example.com", base, "de"
		err := sqlite.NewEmailSettingStore(store).UpdateEmailSettings(context.Background(), &settings, false)
		store.Close()
		if err != nil {
			t.Fatal(err)
		}
		start()
		member("Greta", "")
		if m := waitForMail(t, api, addrOf("Greta")); m.Subject != "Ihr Passwort für Example Ltd wurde geändert" {
			t.Fatalf("with the organisation's language German: %q", m.Subject)
		}
	})

	if code := stop(); code != exitOK {
		t.Fatalf("serve ended with %d", code)
	}
	if !strings.Contains(logs(), `"msg":"mail: sending through the SMTP server"`) {
		t.Fatalf("serve did not say it sends mail:\n%s", logs())
	}
	for i, line := range strings.Split(logs(), "\n") {
		if strings.Contains(line, secret) {
			t.Fatalf("log line %d has the SMTP password: %s", i+1, line)
		}
	}
	for _, f := range []string{db, db + "-wal", keyFile} {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(secret)) {
			t.Fatalf("%s holds the SMTP password", f)
		}
	}
	if info, err := os.Stat(keyFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("outbox key file: %v, %v", info, err)
	}
}
