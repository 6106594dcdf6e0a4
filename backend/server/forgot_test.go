package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/server"
	"roster/backend/sqlite"
)

// member registers email through an invitation, as the desktop and the
// invitee's browser do, and returns the new member.
func (e *env) member(email, name string) *backend.User {
	e.t.Helper()
	_, token := e.invite(email, "user")
	e.browser().post("/invite/"+token, url.Values{"name": {name}, "password": {pw1}, "repeat": {pw1}}).at(e.t, e.base, "/account")
	cred, err := sqlite.NewCredentialService(e.db).FindCredentialByEmail(e.ctx, email)
	if err != nil {
		e.t.Fatal(err)
	}
	return cred.User
}

// drain claims every queued email, so the next claim sees only what came after.
func (e *env) drain() {
	e.t.Helper()
	if _, err := e.outbox.ClaimOutboxEntries(e.ctx, 1000); err != nil {
		e.t.Fatal(err)
	}
}

// forgot posts address to /forgot and waits until the server has handled
// the request after its answer; it returns the answer and what came of the
// request, as the log says ("sent", "limited", "no_active_account").
func (b *browser) forgot(address string) (*page, string) {
	b.e.t.Helper()
	p := b.post("/forgot", url.Values{"email": {address}})
	if p.status != http.StatusOK {
		return p, ""
	}
	id := p.header.Get("X-Request-Id")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(b.e.logs.String()))
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) == nil && line["request_id"] == id &&
				strings.HasPrefix(line["msg"].(string), "password reset request") {
				if line["msg"] != "password reset request handled" {
					b.e.t.Fatalf("reset request: %s", sc.Text())
				}
				return p, line["outcome"].(string)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.e.t.Fatalf("request %s was not handled; log:\n%s", id, b.e.logs.String())
	return nil, ""
}

// claimResets claims the queue and returns its password reset emails.
func (e *env) claimResets() []*backend.OutboxEntry {
	e.t.Helper()
	entries, err := e.outbox.ClaimOutboxEntries(e.ctx, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	var resets []*backend.OutboxEntry
	for _, m := range entries {
		if m.Kind == backend.MailPasswordReset {
			resets = append(resets, m)
		}
	}
	return resets
}

// TestForgotPassword: "Forgot password?" on the sign-in page sends an active
// member a reset link through the outbox, and answers every well-formed
// address alike.
func TestForgotPassword(t *testing.T) {
	var woken atomic.Int32
	e := newEnv(t, func(c *server.Config) { c.MailQueued = func() { woken.Add(1) } })
	sam := e.member("sam@example.com", "Sam Member")
	dee := e.member("dee@example.com", "Dee Parted")
	if _, err := e.users.DeactivateUser(e.ctx, dee.ID); err != nil {
		t.Fatal(err)
	}
	e.drain()

	t.Run("Page", func(t *testing.T) {
		b := e.browser()
		b.get("/login").expect(t, http.StatusOK, `<a href="`+e.base+`/forgot">Forgot password?</a>`)
		b.get("/forgot").expect(t, http.StatusOK, "<h1>Reset your password</h1>", `<label for="email">Email address</label>`,
			`autocomplete="email"`, `action="`+e.base+`/forgot"`, "Send reset link", `<a href="`+e.base+`/login">Back to sign in</a>`)
		b.header.Set("Accept-Language", "de")
		b.get("/forgot").expect(t, http.StatusOK, "<h1>Passwort zurücksetzen</h1>", "Link zum Zurücksetzen senden")
	})

	t.Run("OK", func(t *testing.T) {
		before := woken.Load()
		p, outcome := e.browser().forgot("sam@example.com")
		p.expect(t, http.StatusOK, `role="status"`,
			"If an account exists for that address, we have sent a link to reset its password. The link is valid for 24 hours.")
		if outcome != "sent" {
			t.Fatalf("outcome %q", outcome)
		}
		resets := e.claimResets()
		if len(resets) != 1 || resets[0].To != "sam@example.com" || resets[0].Data[backend.MailDataRecipient] != "Sam Member" {
			t.Fatalf("queued %+v, want one reset email to Sam", resets)
		}
		if woken.Load() != before+1 {
			t.Fatal("the reset did not wake the mail worker")
		}
		token := resets[0].Data[backend.MailDataToken]
		link := (&backend.EmailSettings{PlatformURL: e.base}).ResetLink(token)
		if link != e.base+"/reset/"+token {
			t.Fatalf("link %q", link)
		}

		// The token is only sealed in the outbox and hashed in its reset:
		// neither the database files nor the log hold it.
		assertNotStored(t, e, token)

		// The audit log says Sam asked for it, through self-service.
		entries, _, err := sqlite.NewAuditService(e.db).FindAuditEntries(e.ctx,
			backend.AuditFilter{Action: ptr(backend.AuditPasswordResetSent)})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit: %v, %v", entries, err)
		}
		if a := entries[0]; a.ActorID != sam.ID || a.ActorName != "Sam Member" || a.ActorClient != "self-service" || a.TargetID != sam.ID {
			t.Fatalf("audit entry %+v", a)
		}

		// The link works as one an administrator sent.
		b := e.browser()
		b.get(strings.TrimPrefix(link, e.base)).expect(t, http.StatusOK, "Choose a new password", "sam@example.com")
		b.post("/reset/"+token, url.Values{"password": {pw2}, "repeat": {pw2}}).at(t, e.base, "/login")
		b.login("sam@example.com", pw2).at(t, e.base, "/account")
	})

	t.Run("VoidsOlderLinks", func(t *testing.T) {
		older := e.sendReset(sam.ID)
		e.drain()
		if _, outcome := e.browser().forgot("Sam@Example.com"); outcome != "sent" {
			t.Fatalf("outcome %q", outcome)
		}
		e.browser().get("/reset/"+older).expect(t, http.StatusNotFound, "This password link is not valid")
		if resets := e.claimResets(); len(resets) != 1 || resets[0].To != "sam@example.com" {
			t.Fatalf("queued %+v", resets)
		}
	})

	t.Run("Language", func(t *testing.T) {
		b := e.browser()
		b.header.Set("Accept-Language", "de-AT,de;q=0.9")
		p, outcome := b.forgot("sam@example.com")
		p.expect(t, http.StatusOK, "Falls es für diese Adresse ein Konto gibt")
		resets := e.claimResets()
		if outcome != "sent" || len(resets) != 1 || resets[0].Data[backend.MailDataLanguage] != "de" {
			t.Fatalf("outcome %q, queued %+v", outcome, resets)
		}
	})

	t.Run("SameAnswer", func(t *testing.T) {
		e.member("fay@example.com", "Fay Fresh")
		e.drain()
		answer := func(address, want string) *page {
			t.Helper()
			p, outcome := e.browser().forgot(address)
			if outcome != want {
				t.Fatalf("%s: outcome %q, want %q", address, outcome, want)
			}
			return p
		}
		known := answer("fay@example.com", "sent")
		if resets := e.claimResets(); len(resets) != 1 || resets[0].To != "fay@example.com" {
			t.Fatalf("queued %+v, want Fay's reset", resets)
		}
		for _, tt := range []struct{ name, address string }{
			{"Unknown", "nobody@example.com"},
			{"Deactivated", "dee@example.com"},
			{"Invited", "ivy@example.com"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if tt.name == "Invited" {
					e.invite(tt.address, "user")
					e.drain()
				}
				p := answer(tt.address, "no_active_account")
				if p.status != known.status || p.body != known.body {
					t.Fatalf("answer %d differs from a known address's %d:\n%s\n---\n%s", p.status, known.status, p.body, known.body)
				}
				if !sameHeaders(p.header, known.header) {
					t.Fatalf("headers %v differ from a known address's %v", p.header, known.header)
				}
				if queued := e.claimResets(); len(queued) != 0 {
					t.Fatalf("queued %+v for %s", queued, tt.address)
				}
			})
		}
		// The limits table holds no address, known or not.
		assertNotStored(t, e, "nobody@example.com")
	})

	t.Run("ErrAccountLimit", func(t *testing.T) {
		e.member("lee@example.com", "Lee Limit")
		e.drain()
		var first *page
		for i := range 3 {
			p, outcome := e.browser().forgot("lee@example.com")
			if outcome != "sent" || len(e.claimResets()) != 1 {
				t.Fatalf("request %d: outcome %q", i+1, outcome)
			}
			first = p
		}
		// The fourth in the hour sends nothing, whatever the address is written like, with the same answer.
		p, outcome := e.browser().forgot("LEE@example.com")
		if outcome != "limited" || p.status != first.status || p.body != first.body {
			t.Fatalf("outcome %q, answer %d:\n%s", outcome, p.status, p.body)
		}
		if queued := e.claimResets(); len(queued) != 0 {
			t.Fatalf("queued %+v beyond the limit", queued)
		}
		// Other accounts are not affected (Fay asked once before).
		if _, outcome := e.browser().forgot("fay@example.com"); outcome != "sent" {
			t.Fatalf("Fay's outcome %q", outcome)
		}
		e.drain()
	})

	t.Run("ErrMalformed", func(t *testing.T) {
		for _, address := range []string{"sam.example.com", "", "sam@"} {
			p := e.browser().post("/forgot", url.Values{"email": {address}})
			p.expect(t, http.StatusUnprocessableEntity, "There is a problem", `<a href="#email">`, `aria-invalid="true"`,
				`aria-describedby="email-error"`)
			if strings.Contains(p.body, "If an account exists") {
				t.Fatalf("%q: the page says a link was sent", address)
			}
		}
		if queued := e.claimResets(); len(queued) != 0 {
			t.Fatalf("queued %+v", queued)
		}
	})
}

// TestForgotPasswordLimits: the shared per-address limit of form posts
// applies to /forgot, and without a mail worker the email waits in the
// outbox, logged, with the same answer.
func TestForgotPasswordLimits(t *testing.T) {
	e := newEnv(t, func(c *server.Config) {
		c.Limits.Address = server.Window{Attempts: 4, Per: time.Hour}
	})
	e.member("sam@example.com", "Sam Member") // one post: the registration
	b := e.browser()
	p, outcome := b.forgot("sam@example.com")
	p.expect(t, http.StatusOK, "If an account exists for that address")
	if outcome != "sent" || !strings.Contains(e.logs.String(), "no SMTP server configured: the reset email waits in the outbox") {
		t.Fatalf("outcome %q; log:\n%s", outcome, e.logs.String())
	}
	if resets := e.claimResets(); len(resets) != 1 {
		t.Fatalf("queued %+v", resets)
	}
	b.forgot("nobody@example.com")
	b.forgot("nobody@example.com")
	b.post("/forgot", url.Values{"email": {"nobody@example.com"}}).expect(t, http.StatusTooManyRequests, "Too many attempts")
}

// sameHeaders reports whether two answers have the same headers, apart from
// those that differ from one request to the next whatever it asked.
func sameHeaders(a, b http.Header) bool {
	skip := []string{"X-Request-Id", "Date"}
	for _, h := range []http.Header{a, b} {
		for k := range h {
			if !slices.Contains(skip, k) && !slices.Equal(a.Values(k), b.Values(k)) {
				return false
			}
		}
	}
	return true
}

// assertNotStored fails the test if secret is in any file of the
// database (the database, its WAL) or in the server's log.
func assertNotStored(t *testing.T, e *env, secret string) {
	t.Helper()
	files, _ := filepath.Glob(e.db.Path() + "*")
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Fatalf("%s holds %q in plaintext", filepath.Base(f), secret)
		}
	}
	if strings.Contains(e.logs.String(), secret) {
		t.Fatalf("the log holds %q", secret)
	}
}
