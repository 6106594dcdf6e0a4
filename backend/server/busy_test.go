package server_test

import (
	"net/http"
	"testing"
	"time"

	"roster/backend/server/servertest"
	"roster/backend/sqlite"
)

// TestBusy: while another writer holds the database longer than the
// server waits for it, pages and API calls that must write answer 503 with
// Retry-After and "busy, try again" in the client's language, never 500;
// a session whose check could not write is not ended.
func TestBusy(t *testing.T) {
	e := newAPIEnv(t, nil)
	_, token := e.inviteByAPI("sam@example.com", "user")
	db := sqlite.NewDB(e.db.Path())
	db.BusyTimeout = 100 * time.Millisecond
	busy := e.siblingOn(db, nil)
	sam := busy.join(token, "Sam Member", pw1)
	fresh := e.newToken(e.admin.ID) // its first use writes when it was used
	// Two minutes on, a request writes when the session was last seen.
	db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }

	release := servertest.HoldWriteLock(t, e.db.Path())
	expectBusy := func(t *testing.T, p *page, text string) {
		t.Helper()
		p.expect(t, http.StatusServiceUnavailable, text)
		if p.header.Get("Retry-After") != "5" {
			t.Fatalf("Retry-After %q", p.header.Get("Retry-After"))
		}
	}

	t.Run("Form", func(t *testing.T) {
		expectBusy(t, busy.browser().login("ada@example.com", pw1), "The database is busy. Try again in a moment.")
	})
	t.Run("FormGerman", func(t *testing.T) {
		b := busy.browser()
		b.header.Set("Accept-Language", "de-DE,de;q=0.9")
		expectBusy(t, b.login("ada@example.com", pw1), "Die Datenbank ist gerade beschäftigt.")
	})
	t.Run("Session", func(t *testing.T) {
		expectBusy(t, sam.get("/account"), "The database is busy. Try again in a moment.")
	})
	t.Run("API", func(t *testing.T) {
		a := busy.callAs(fresh, "GET", "/api/v1/users", nil)
		a.expectError(t, http.StatusServiceUnavailable, "unavailable", "busy")
		if a.header.Get("Retry-After") != "5" {
			t.Fatalf("Retry-After %q", a.header.Get("Retry-After"))
		}
	})

	release()
	// The session outlived the busy moment.
	sam.get("/account").expect(t, http.StatusOK, "Sam Member")
}
