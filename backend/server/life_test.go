package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"roster/backend"
)

// TestAccountLife follows one account through its whole life over HTTP:
// invitation, registration, sign-in, a role change, a password reset,
// deactivation and removal.
func TestAccountLife(t *testing.T) {
	e := newEnv(t, nil)
	inv, token := e.invite("sam@example.com", "user")
	laptop := e.browser()

	// The invitee opens the link from the email.
	p := laptop.get("/invite/" + token)
	p.expect(t, http.StatusOK, `lang="en"`, "Create your account", "sam@example.com", "Example Ltd", `<label for="name">Your name</label>`,
		`autocomplete="new-password"`)

	// A password that is too short is refused, with a summary linked to the field.
	p = laptop.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {"short one"}, "repeat": {"short one"}})
	p.expect(t, http.StatusUnprocessableEntity, "There is a problem", `<a href="#password">A password needs at least 15 characters.`,
		`aria-invalid="true"`, `aria-describedby="password-hint password-error"`, `value="Sam Member"`)
	if strings.Contains(p.body, "short one") {
		t.Fatal("the page shows the password back")
	}
	p = laptop.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1 + "x"}})
	p.expect(t, http.StatusUnprocessableEntity, `<a href="#repeat">The two passwords are not the same.</a>`)

	// Registering signs the new member in.
	before := time.Now().UTC().Add(-time.Second)
	p = laptop.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1}})
	p.at(t, e.base, "/account")
	today := time.Now().UTC()
	p.expect(t, http.StatusOK, "Your account is ready. Welcome, Sam Member!", "Sam Member", "sam@example.com",
		`<span class="badge">User</span>`, today.Format("2 January 2006"))
	accepted, err := e.invitations.FindInvitationByID(e.ctx, inv.ID)
	if err != nil || accepted.State != backend.InvitationAccepted || accepted.UserID == "" {
		t.Fatalf("invitation after registering: %+v, %v", accepted, err)
	}
	sam, err := e.users.FindUserByID(e.ctx, accepted.UserID)
	if err != nil || sam.RoleID != backend.RoleUser || sam.Status != backend.UserActive || sam.JoinedAt.Before(before) {
		t.Fatalf("member after registering: %+v, %v", sam, err)
	}
	// The join date says it is in UTC: the server does not know the
	// member's time zone.
	joined := sam.JoinedAt.UTC()
	p.expect(t, http.StatusOK, `<time datetime="`+joined.Format(time.RFC3339)+`">`+
		joined.Format("2 January 2006, 15:04")+` UTC</time>`)
	german := e.browser()
	german.client.Jar = laptop.client.Jar
	german.header.Set("Accept-Language", "de")
	german.get("/account").expect(t, http.StatusOK, joined.Format("2.")+" ", joined.Format(", 15:04")+" Uhr UTC</time>")
	// The notice was shown once.
	if strings.Contains(laptop.get("/account").body, "Welcome") {
		t.Fatal("the welcome notice shows again")
	}

	// The invitation link is dead now.
	laptop.get("/invite/"+token).expect(t, http.StatusNotFound, "This invitation link is not valid")
	e.browser().post("/invite/"+token, url.Values{"name": {"Eve"}, "password": {pw2}, "repeat": {pw2}}).
		expect(t, http.StatusNotFound, "This invitation link is not valid")

	// Signing out and in again.
	laptop.post("/logout", nil).expect(t, http.StatusOK, "You have been signed out.")
	laptop.get("/account").at(t, e.base, "/login")
	laptop.login("sam@example.com", pw2).expect(t, http.StatusUnauthorized, "The email address or the password is not correct.")
	laptop.login("nobody@example.com", pw1).expect(t, http.StatusUnauthorized, "The email address or the password is not correct.")
	p = laptop.login(" SAM@example.com ", pw1)
	p.at(t, e.base, "/account")
	p.expect(t, http.StatusOK, `<span class="badge">User</span>`)

	// An administrator changes the role in the desktop; the page shows it.
	if _, err := e.users.ChangeUserRole(e.ctx, sam.ID, backend.RoleAdministrator); err != nil {
		t.Fatal(err)
	}
	laptop.get("/account").expect(t, http.StatusOK, `<span class="badge">Administrator</span>`)

	// A second device is signed in too.
	phone := e.browser()
	phone.login("sam@example.com", pw1).at(t, e.base, "/account")

	// A password reset: sets a new password once and ends every session.
	resetToken := e.sendReset(sam.ID)
	other := e.browser()
	other.get("/reset/"+resetToken).expect(t, http.StatusOK, "Choose a new password", "sam@example.com")
	p = other.post("/reset/"+resetToken, url.Values{"password": {pw2}, "repeat": {pw2}})
	p.at(t, e.base, "/login")
	p.expect(t, http.StatusOK, "Your password has been changed and you were signed out everywhere.")
	p = laptop.get("/account")
	p.at(t, e.base, "/login")
	p.expect(t, http.StatusOK, "Your session has ended. Please sign in again.")
	phone.get("/account").at(t, e.base, "/login")
	other.get("/reset/"+resetToken).expect(t, http.StatusNotFound, "This password link is not valid")
	other.login("sam@example.com", pw1).expect(t, http.StatusUnauthorized, "not correct")
	other.login("sam@example.com", pw2).at(t, e.base, "/account")

	// Changing the password on the account page keeps this session only.
	phone.login("sam@example.com", pw2).at(t, e.base, "/account")
	other.post("/account/password", url.Values{"current": {pw1}, "password": {pw3}, "repeat": {pw3}}).
		expect(t, http.StatusUnprocessableEntity, `<a href="#current">The current password is not correct.</a>`)
	p = other.post("/account/password", url.Values{"current": {pw2}, "password": {pw3}, "repeat": {pw3}})
	p.at(t, e.base, "/account")
	p.expect(t, http.StatusOK, "Your password has been changed. Your other sessions were signed out.")
	phone.get("/account").at(t, e.base, "/login")
	other.get("/account").expect(t, http.StatusOK, "Sam Member")

	// Deactivated: the open session is refused at its next request, and
	// signing in fails.
	if _, err := e.users.DeactivateUser(e.ctx, sam.ID); err != nil {
		t.Fatal(err)
	}
	p = other.get("/account")
	p.at(t, e.base, "/login")
	p.expect(t, http.StatusOK, "Your session has ended.")
	other.login("sam@example.com", pw3).expect(t, http.StatusForbidden, "This account is deactivated.")
	if _, err := e.users.ActivateUser(e.ctx, sam.ID); err != nil {
		t.Fatal(err)
	}
	other.login("sam@example.com", pw3).at(t, e.base, "/account")

	// Removed: refused at once, and the account is gone for signing in.
	if err := e.users.RemoveUser(e.ctx, sam.ID); err != nil {
		t.Fatal(err)
	}
	other.get("/account").at(t, e.base, "/login")
	other.login("sam@example.com", pw3).expect(t, http.StatusUnauthorized, "not correct")

	// Nothing secret reached the log.
	logs := e.logs.String()
	for _, secret := range []string{token, resetToken, pw1, pw2, pw3} {
		if strings.Contains(logs, secret) {
			t.Fatalf("the log contains a secret: %q", secret)
		}
	}
	if !strings.Contains(logs, `"path":"/invite/[token]"`) || !strings.Contains(logs, `"request_id":"`) {
		t.Fatalf("the log lacks redacted paths or request ids:\n%s", logs)
	}
}

// TestStatusCheckedOnEveryRequest: even if the database did not end the
// sessions itself, the server refuses a session of a deactivated member.
func TestStatusCheckedOnEveryRequest(t *testing.T) {
	e := newEnv(t, nil)
	_, token := e.invite("sam@example.com", "user")
	b := e.browser()
	b.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1}}).at(t, e.base, "/account")
	raw, err := sqliteRaw(e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(context.Background(), `DROP TRIGGER users_end_sessions`); err != nil {
		t.Fatal(err)
	}
	users, _, _ := e.users.FindUsers(e.ctx, backend.UserFilter{Search: ptr("sam@")})
	if _, err := e.users.DeactivateUser(e.ctx, users[0].ID); err != nil {
		t.Fatal(err)
	}
	b.get("/account").at(t, e.base, "/login")
}

func ptr[T any](v T) *T { return &v }
