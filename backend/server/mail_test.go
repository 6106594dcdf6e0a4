package server_test

import (
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"roster/backend"
	"roster/backend/server"
	"roster/backend/sqlite"
)

// TestPasswordChangedNotice: a reset through /reset/{token} and a change on
// /account each queue the password-changed notice, in the member's language
// when their browser asks for one Roster writes in (else none: the
// organisation's), and wake the mail worker.
func TestPasswordChangedNotice(t *testing.T) {
	var woken atomic.Int32
	e := newEnv(t, func(c *server.Config) { c.MailQueued = func() { woken.Add(1) } })
	_, token := e.invite("sam@example.com", "user")
	b := e.browser()
	b.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1}}).at(t, e.base, "/account")
	if n := woken.Load(); n != 0 {
		t.Fatalf("registering woke the worker %d times; it queues no email", n)
	}
	cred, err := sqlite.NewCredentialService(e.db).FindCredentialByEmail(e.ctx, "sam@example.com")
	if err != nil {
		t.Fatal(err)
	}
	sam := cred.User

	for _, tt := range []struct {
		name, accept, want string
	}{
		{"German", "de-AT,de;q=0.9,en;q=0.5", "de"},
		{"English", "en-GB,en;q=0.9", "en"},
		{"NoneWeWrite", "fr-FR,fr;q=0.9", ""},
		{"NoHeader", "", ""},
	} {
		t.Run("Reset"+tt.name, func(t *testing.T) {
			resetToken := e.sendReset(sam.ID)
			e.outbox.ClaimOutboxEntries(e.ctx, 100) // the reset emails are not what this test reads
			before := woken.Load()
			other := e.browser()
			other.header.Set("Accept-Language", tt.accept)
			if tt.accept == "" {
				other.header.Del("Accept-Language")
			}
			other.post("/reset/"+resetToken, url.Values{"password": {pw2}, "repeat": {pw2}}).at(t, e.base, "/login")
			m := onlyNotice(t, e)
			if got, ok := m.Data[backend.MailDataLanguage]; got != tt.want || ok != (tt.want != "") {
				t.Fatalf("notice language %q (set %v), want %q", got, ok, tt.want)
			}
			if m.To != "sam@example.com" || m.Data[backend.MailDataRecipient] != "Sam Member" {
				t.Fatalf("notice %+v", m)
			}
			if woken.Load() != before+1 {
				t.Fatal("the reset did not wake the mail worker")
			}
		})
	}
	t.Run("AccountChange", func(t *testing.T) {
		b := e.browser()
		b.header.Set("Accept-Language", "de")
		b.login("sam@example.com", pw2).at(t, e.base, "/account")
		before := woken.Load()
		b.post("/account/password", url.Values{"current": {pw2}, "password": {pw3}, "repeat": {pw3}}).expect(t, http.StatusOK)
		if m := onlyNotice(t, e); m.Data[backend.MailDataLanguage] != "de" {
			t.Fatalf("notice data %v", m.Data)
		}
		if woken.Load() != before+1 {
			t.Fatal("the change did not wake the mail worker")
		}
	})
	t.Run("ErrWrongPasswordQueuesNothing", func(t *testing.T) {
		b := e.browser()
		b.login("sam@example.com", pw3).at(t, e.base, "/account")
		b.post("/account/password", url.Values{"current": {pw1}, "password": {pw2}, "repeat": {pw2}}).
			expect(t, http.StatusUnprocessableEntity)
		if entries, err := e.outbox.ClaimOutboxEntries(e.ctx, 100); err != nil || len(entries) != 0 {
			t.Fatalf("queued after a refused change: %v, %v", entries, err)
		}
	})
}

// onlyNotice claims the queue and returns its one entry, a password_changed notice.
func onlyNotice(t *testing.T, e *env) *backend.OutboxEntry {
	t.Helper()
	entries, err := e.outbox.ClaimOutboxEntries(e.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Kind != backend.MailPasswordChanged {
		t.Fatalf("queued %v, want one password_changed notice", entries)
	}
	return entries[0]
}
