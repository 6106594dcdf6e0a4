package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
)

// TestServePostgresMail: two serve processes on one PostgreSQL, with the
// same outbox key file, share the outbox: the messages queued before they
// start reach mailpit once each, whichever worker claims them, and the
// password-changed notice of a reset through one of them is sent.
func TestServePostgresMail(t *testing.T) {
	api, host, port := mailpitAPI(t)
	pg := pgtest.NewDatabase(t)
	keyFile := filepath.Join(t.TempDir(), "outbox.key")
	stamp := time.Now().UnixNano()
	addrOf := func(name string) string { return fmt.Sprintf("%s-%d@example.com", name, stamp) }

	r := runCLI(t, nil, "init", "--postgres", pg, "--base-url", base, "--organisation", "Example Ltd",
		"--admin-email", addrOf("ada"), "--admin-name", "Ada Admin")
	r.expect(t, exitOK)
	adaReset := resetLink.FindStringSubmatch(r.stdout)[1]

	// Invitations queued (as the admin API's would be) before the servers
	// start, sealed under the key file's key.
	const n = 24
	keys, _, err := loadOutboxKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.NewDB(pg)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Keys = keys
	ctx := backend.NewContextWithActor(context.Background(), cliActor)
	for i := range n {
		if _, err := postgres.NewInvitationService(db).InviteUser(ctx, backend.InviteParams{
			Email: addrOf(fmt.Sprintf("guest%02d", i)), Role: "User"}); err != nil {
			t.Fatal(err)
		}
	}

	env := map[string]string{
		"ROSTER_SERVER_POSTGRES": pg, "ROSTER_SERVER_BASE_URL": base,
		"ROSTER_SERVER_SMTP_HOST": host, "ROSTER_SERVER_SMTP_PORT": port, "ROSTER_SERVER_SMTP_SECURITY": "none",
		"ROSTER_SERVER_SMTP_FROM": "id@example.com", "ROSTER_SERVER_OUTBOX_KEY_FILE": keyFile,
	}
	addrA, _, stopA := serveWithEnv(t, env)
	_, _, stopB := serveWithEnv(t, env)

	t.Run("OnceEach", func(t *testing.T) {
		for i := range n {
			m := waitForMail(t, api, addrOf(fmt.Sprintf("guest%02d", i)))
			if !strings.Contains(m.Text, "https://id.example.com/invite/") {
				t.Fatalf("invitation %d:\n%s", i, m.Text)
			}
		}
	})
	t.Run("PasswordChanged", func(t *testing.T) {
		form := url.Values{"password": {pw1}, "repeat": {pw1}}
		req, _ := http.NewRequest(http.MethodPost, "http://"+addrA+adaReset, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %s", adaReset, res.Status)
		}
		if m := waitForMail(t, api, addrOf("ada")); m.Subject != "Your password for Example Ltd was changed" {
			t.Fatalf("mail %q:\n%s", m.Subject, m.Text)
		}
	})

	// Both workers stop, having marked what they sent: every message was
	// sent once and none is left claimed.
	if codeA, codeB := stopA(), stopB(); codeA != exitOK || codeB != exitOK {
		t.Fatalf("serve ended with %d and %d", codeA, codeB)
	}
	for i := range n {
		waitForMail(t, api, addrOf(fmt.Sprintf("guest%02d", i)))
	}
	st, err := postgres.NewOutboxService(db).FindOutboxStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != n+1 || st.Queued != 0 || st.Sending != 0 || st.Failed != 0 {
		t.Fatalf("outbox after both stopped: %+v, want %d sent", st, n+1)
	}
}
