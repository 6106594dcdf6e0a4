package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"roster/backend"
	"roster/backend/server"
)

// TestAPIAccountLife drives a member's whole life through the admin API, as
// a desktop does, and checks each step on the member's own pages.
func TestAPIAccountLife(t *testing.T) {
	e := newAPIEnv(t, nil)
	id, token := e.inviteByAPI("sam@example.com", "user")
	inv := e.call("GET", "/api/v1/invitations/"+id, nil).expect(t, http.StatusOK)
	if inv.str("state") != "pending" || inv.str("invitedByName") != "Ada Admin" || strings.Contains(inv.raw, token) {
		t.Fatalf("invitation: %s", inv.raw)
	}
	laptop := e.join(token, "Sam Member", pw1)
	laptop.get("/account").expect(t, http.StatusOK, `<span class="badge">User</span>`)

	users := e.call("GET", "/api/v1/users?search=sam&sort=email&desc=true", nil).expect(t, http.StatusOK)
	entries := users.body["entries"].([]any)
	if users.body["total"] != 1.0 || len(entries) != 1 {
		t.Fatalf("users: %s", users.raw)
	}
	sam := entries[0].(map[string]any)
	samID := sam["id"].(string)
	if sam["roleId"] != "user" || sam["status"] != "active" || sam["isSelf"] != false || sam["removedAt"] != nil {
		t.Fatalf("sam: %v", sam)
	}

	// A role change shows on the account page.
	a := e.call("PATCH", "/api/v1/users/"+samID, map[string]any{"roleId": "administrator"}).expect(t, http.StatusOK)
	if a.str("roleName") != "Administrator" {
		t.Fatalf("after the role change: %s", a.raw)
	}
	laptop.get("/account").expect(t, http.StatusOK, `<span class="badge">Administrator</span>`)

	// A reset link minted by the desktop sets a new password and ends every session.
	resetToken, resetHash := mint()
	r := e.call("POST", "/api/v1/users/"+samID+"/password-resets", map[string]any{"tokenHash": resetHash}).expect(t, http.StatusCreated)
	if r.str("userId") != samID || strings.Contains(r.raw, resetToken) {
		t.Fatalf("reset: %s", r.raw)
	}
	other := e.browser()
	other.post("/reset/"+resetToken, url.Values{"password": {pw2}, "repeat": {pw2}}).at(t, e.base, "/login")
	laptop.get("/account").at(t, e.base, "/login")
	other.login("sam@example.com", pw1).expect(t, http.StatusUnauthorized, "not correct")
	other.login("sam@example.com", pw2).at(t, e.base, "/account")

	// Deactivating ends the session at once; activating lets them back in.
	a = e.call("PATCH", "/api/v1/users/"+samID, map[string]any{"active": false}).expect(t, http.StatusOK)
	if a.str("status") != "inactive" {
		t.Fatalf("after deactivating: %s", a.raw)
	}
	other.get("/account").at(t, e.base, "/login")
	e.call("PATCH", "/api/v1/users/"+samID, map[string]any{"active": true}).expect(t, http.StatusOK)
	other.login("sam@example.com", pw2).at(t, e.base, "/account")

	// Removing ends the open session on its next request, and sign-in fails.
	e.call("DELETE", "/api/v1/users/"+samID, nil).expect(t, http.StatusNoContent)
	p := other.get("/account")
	p.at(t, e.base, "/login")
	p.expect(t, http.StatusOK, "Your session has ended.")
	other.login("sam@example.com", pw2).expect(t, http.StatusUnauthorized, "not correct")
	e.call("GET", "/api/v1/users/"+samID, nil).expect(t, http.StatusOK)
	e.call("DELETE", "/api/v1/users/"+samID, nil).expectError(t, http.StatusNotFound, "not_found", "user.not_found")

	// The audit log names the administrator for every change.
	audit := e.call("GET", "/api/v1/audit?limit=50", nil).expect(t, http.StatusOK)
	actions := map[string]bool{}
	for _, x := range audit.body["entries"].([]any) {
		entry := x.(map[string]any)
		if entry["actorName"] == "Ada Admin" && entry["actorId"] == e.admin.ID {
			actions[entry["action"].(string)] = true
		}
	}
	for _, want := range []string{backend.AuditInvitationCreated, backend.AuditUserRoleChanged, backend.AuditPasswordResetSent,
		backend.AuditUserDeactivated, backend.AuditUserActivated, backend.AuditUserRemoved} {
		if !actions[want] {
			t.Errorf("no audit entry %s by Ada Admin in %s", want, audit.raw)
		}
	}

	// The log has the calls with their client, and no secret.
	logs := e.logs.String()
	if !strings.Contains(logs, `"client":"Roster desktop test"`) || !strings.Contains(logs, `"actor":"`+e.admin.ID+`"`) {
		t.Fatalf("the log lacks the client or the actor:\n%s", logs)
	}
	for _, secret := range []string{e.token, token, resetToken, pw1, pw2} {
		if strings.Contains(logs, secret) {
			t.Fatalf("the log contains a secret: %q", secret)
		}
	}
}

func TestAPIAuthentication(t *testing.T) {
	t.Run("ErrNoToken", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		a := e.callAs("", "GET", "/api/v1/users", nil)
		a.expectError(t, http.StatusUnauthorized, "unauthorized", "api.unauthorized")
		if got := a.header.Get("WWW-Authenticate"); got != `Bearer realm="Roster"` {
			t.Fatalf("WWW-Authenticate = %q", got)
		}
	})
	t.Run("ErrUnknownToken", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		for _, h := range []string{"Bearer roster_nonsense", "Bearer " + e.token + "x", "Basic " + e.token, "Bearer ",
			"Bearer " + strings.Repeat("x", 300), e.token} {
			a := e.callAs("", "GET", "/api/v1/users", nil, "Authorization", h)
			a.expectError(t, http.StatusUnauthorized, "unauthorized", "api_token.invalid")
			if got := a.header.Get("WWW-Authenticate"); got != `Bearer realm="Roster", error="invalid_token"` {
				t.Fatalf("WWW-Authenticate = %q for %q", got, h)
			}
		}
	})
	t.Run("ErrRevoked", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		e.call("GET", "/api/v1/roles", nil).expect(t, http.StatusOK)
		list, err := e.tokens.FindAPITokens(e.ctx, backend.APITokenFilter{})
		if err != nil || len(list) != 1 {
			t.Fatal(list, err)
		}
		if err := e.tokens.RevokeAPIToken(e.ctx, list[0].ID); err != nil {
			t.Fatal(err)
		}
		e.call("GET", "/api/v1/roles", nil).expectError(t, http.StatusUnauthorized, "unauthorized", "api_token.invalid")
	})
	t.Run("ErrNoLongerAdministrator", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		id, token := e.inviteByAPI("bea@example.com", "administrator")
		e.join(token, "Bea Admin", pw1)
		bea := e.call("GET", "/api/v1/invitations/"+id, nil).expect(t, http.StatusOK).str("userId")
		beaToken := e.newToken(bea)
		e.callAs(beaToken, "GET", "/api/v1/users", nil).expect(t, http.StatusOK)
		e.call("PATCH", "/api/v1/users/"+bea, map[string]any{"roleId": "user"}).expect(t, http.StatusOK)
		e.callAs(beaToken, "GET", "/api/v1/users", nil).expectError(t, http.StatusForbidden, "forbidden", "api_token.not_admin")
	})
	t.Run("ErrGuessesLimitedPerAddress", func(t *testing.T) {
		e := newAPIEnv(t, func(c *server.Config) {
			c.Limits = server.Limits{Address: server.Window{Attempts: 3, Per: time.Hour}}
		})
		for range 3 {
			e.callAs("roster_guess", "GET", "/api/v1/users", nil).expect(t, http.StatusUnauthorized)
		}
		// Even the right token is not looked at from this address now.
		a := e.call("GET", "/api/v1/users", nil)
		a.expectError(t, http.StatusTooManyRequests, "unavailable", "api.rate_limited")
		if a.header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
	})
	// Two servers on one database: guesses spread over both count
	// together, so the second server refuses the address too.
	t.Run("ErrGuessesLimitedAcrossServers", func(t *testing.T) {
		limits := func(c *server.Config) { c.Limits = server.Limits{Address: server.Window{Attempts: 4, Per: time.Hour}} }
		a := newAPIEnv(t, limits)
		b := a.sibling(limits)
		for range 2 {
			a.callAs("roster_guess", "GET", "/api/v1/users", nil).expect(t, http.StatusUnauthorized)
			b.callAs("roster_guess", "GET", "/api/v1/users", nil).expect(t, http.StatusUnauthorized)
		}
		// A learns at its next guess that the address has none left.
		a.callAs("roster_guess", "GET", "/api/v1/users", nil).expect(t, http.StatusUnauthorized)
		a.call("GET", "/api/v1/users", nil).expectError(t, http.StatusTooManyRequests, "unavailable", "api.rate_limited")
		b.call("GET", "/api/v1/users", nil).expectError(t, http.StatusTooManyRequests, "unavailable", "api.rate_limited")
	})
	t.Run("ErrLimitedPerToken", func(t *testing.T) {
		e := newAPIEnv(t, func(c *server.Config) {
			c.Limits = server.DefaultLimits
			c.Limits.APIRate, c.Limits.APIBurst = rate.Every(1e12), 3
		})
		other := e.newToken(e.admin.ID)
		for range 3 {
			e.call("GET", "/api/v1/roles", nil).expect(t, http.StatusOK)
		}
		a := e.call("GET", "/api/v1/roles", nil)
		a.expectError(t, http.StatusTooManyRequests, "unavailable", "api.rate_limited")
		if a.header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		e.callAs(other, "GET", "/api/v1/roles", nil).expect(t, http.StatusOK)
	})
	t.Run("DescriptionIsPublic", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		a := e.callAs("", "GET", "/api/v1/openapi.json", nil).expect(t, http.StatusOK)
		if a.body["openapi"] != "3.1.0" {
			t.Fatalf("description: %.200s", a.raw)
		}
		servers := a.body["servers"].([]any)
		if servers[0].(map[string]any)["url"] != e.base+"/api/v1" {
			t.Fatalf("servers = %v", servers)
		}
	})
}

// TestAPIRules: the API answers with the desktop's rules, codes and keys.
func TestAPIRules(t *testing.T) {
	e := newAPIEnv(t, nil)
	t.Run("ErrLastAdministrator", func(t *testing.T) {
		// Ada's own role cannot be changed by herself; with another
		// administrator's token, she is still the last one.
		e.call("PATCH", "/api/v1/users/"+e.admin.ID, map[string]any{"roleId": "user"}).
			expectError(t, http.StatusForbidden, "forbidden", "user.self.role")
		e.call("DELETE", "/api/v1/users/"+e.admin.ID, nil).expectError(t, http.StatusForbidden, "forbidden", "user.self.remove")
		me := e.call("GET", "/api/v1/users/"+e.admin.ID, nil).expect(t, http.StatusOK)
		if me.body["isSelf"] != true || me.body["isLastAdmin"] != true {
			t.Fatalf("Ada: %s", me.raw)
		}
	})
	t.Run("ErrUpdateOneThing", func(t *testing.T) {
		e.call("PATCH", "/api/v1/users/"+e.admin.ID, map[string]any{}).expectError(t, http.StatusUnprocessableEntity, "invalid", "api.update_one")
		e.call("PATCH", "/api/v1/users/"+e.admin.ID, map[string]any{"roleId": "user", "active": true}).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "api.update_one")
	})
	t.Run("ErrUnknownRole", func(t *testing.T) {
		_, token := e.inviteByAPI("una@example.com", "user")
		e.join(token, "Una", pw1)
		users := e.call("GET", "/api/v1/users?search=una", nil).expect(t, http.StatusOK)
		una := users.body["entries"].([]any)[0].(map[string]any)["id"].(string)
		a := e.call("PATCH", "/api/v1/users/"+una, map[string]any{"roleId": "pilot"})
		a.expectError(t, http.StatusNotFound, "not_found", "role.not_found")
		if a.body["error"].(map[string]any)["field"] != "roleId" {
			t.Fatalf("field: %s", a.raw)
		}
	})
	t.Run("Invitations", func(t *testing.T) {
		_, hash := mint()
		e.call("POST", "/api/v1/invitations", map[string]any{"email": "ada@example.com", "role": "user", "tokenHash": hash}).
			expectError(t, http.StatusConflict, "conflict", "user.exists")
		e.call("POST", "/api/v1/invitations", map[string]any{"email": "x@example.com", "role": "pilot", "tokenHash": hash}).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "role.unknown")
		e.call("POST", "/api/v1/invitations", map[string]any{"email": "x@example.com", "role": "user", "tokenHash": "abc"}).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "link.bad_hash")
		e.call("POST", "/api/v1/invitations", map[string]any{"email": "x@example.com", "role": "user"}).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "link.bad_hash")
		e.call("POST", "/api/v1/invitations", map[string]any{"email": "x@exаmple.com", "role": "user", "tokenHash": hash}).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "email.lookalike")
		id, token := e.inviteByAPI("dan@example.com", "user")
		e.call("POST", "/api/v1/invitations", map[string]any{"email": "DAN@example.com", "role": "user", "tokenHash": hash}).
			expectError(t, http.StatusConflict, "conflict", "invitation.exists")

		// Resend: a new hash, the old link dies, the new one works.
		newToken, newHash := mint()
		e.call("POST", "/api/v1/invitations/"+id+"/resend", map[string]any{"tokenHash": newHash}).expect(t, http.StatusOK)
		e.browser().get("/invite/"+token).expect(t, http.StatusNotFound, "This invitation link is not valid")
		e.browser().get("/invite/"+newToken).expect(t, http.StatusOK, "Create your account", "dan@example.com")
		e.call("POST", "/api/v1/invitations/"+id+"/resend", map[string]any{"tokenHash": newHash}).
			expectError(t, http.StatusConflict, "conflict", "link.hash_used")

		// Delete: the link dies at once.
		e.call("DELETE", "/api/v1/invitations/"+id, nil).expect(t, http.StatusNoContent)
		e.browser().get("/invite/"+newToken).expect(t, http.StatusNotFound, "This invitation link is not valid")
		e.call("DELETE", "/api/v1/invitations/"+id, nil).expectError(t, http.StatusNotFound, "not_found", "invitation.deleted")
		list := e.call("GET", "/api/v1/invitations?state=deleted", nil).expect(t, http.StatusOK)
		if list.body["total"] != 1.0 {
			t.Fatalf("deleted invitations: %s", list.raw)
		}
		e.call("GET", "/api/v1/invitations?state=lost", nil).expectError(t, http.StatusUnprocessableEntity, "invalid", "invitation.unknown_state")
	})
	t.Run("Roles", func(t *testing.T) {
		a := e.call("POST", "/api/v1/roles", map[string]any{"name": "Editors", "permissions": []string{"chat"}}).expect(t, http.StatusCreated)
		id := a.str("id")
		a = e.call("PATCH", "/api/v1/roles/"+id, map[string]any{"permissions": []string{"chat", "use_skills"}}).expect(t, http.StatusOK)
		if a.str("name") != "Editors" || len(a.body["permissions"].([]any)) != 2 {
			t.Fatalf("role: %s", a.raw)
		}
		e.call("POST", "/api/v1/roles", map[string]any{"name": "editors", "permissions": []string{"chat"}}).
			expectError(t, http.StatusConflict, "conflict", "role.exists")
		e.call("POST", "/api/v1/roles", map[string]any{"name": "Pilots", "permissions": []string{"fly"}}).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "role.unknown_permission")
		e.call("PATCH", "/api/v1/roles/user", map[string]any{"name": "People"}).expectError(t, http.StatusForbidden, "forbidden", "role.built_in")
		e.inviteByAPI("ed@example.com", "Editors")
		e.call("DELETE", "/api/v1/roles/"+id, nil).expectError(t, http.StatusConflict, "conflict", "role.in_use")
		roles := e.call("GET", "/api/v1/roles", nil).expect(t, http.StatusOK)
		if n := len(roles.body["entries"].([]any)); n != 3 {
			t.Fatalf("%d roles: %s", n, roles.raw)
		}
		e.call("DELETE", "/api/v1/roles/nope", nil).expectError(t, http.StatusNotFound, "not_found", "role.not_found")
	})
	t.Run("Lists", func(t *testing.T) {
		e.call("GET", "/api/v1/users?sort=password", nil).expectError(t, http.StatusUnprocessableEntity, "invalid", "list.unknown_sort")
		e.call("GET", "/api/v1/users?status=removed", nil).expectError(t, http.StatusUnprocessableEntity, "invalid", "list.unknown_status")
		e.call("GET", "/api/v1/users?search="+strings.Repeat("a", 201), nil).expectError(t, http.StatusUnprocessableEntity, "invalid", "search.too_long")
		e.call("GET", "/api/v1/users?search=a%0Ab", nil).expectError(t, http.StatusUnprocessableEntity, "invalid", "search.control")
		e.call("GET", "/api/v1/audit?from=yesterday", nil).expectError(t, http.StatusUnprocessableEntity, "invalid", "audit.bad_time")
		a := e.call("GET", "/api/v1/users?limit=1&offset=1&sort=joinedAt", nil).expect(t, http.StatusOK)
		if len(a.body["entries"].([]any)) != 1 || a.body["total"].(float64) < 2 {
			t.Fatalf("page: %s", a.raw)
		}
		audit := e.call("GET", "/api/v1/audit?action=role.created&limit=1", nil).expect(t, http.StatusOK)
		entry := audit.body["entries"].([]any)[0].(map[string]any)
		if entry["after"].(map[string]any)["name"] != "Editors" || entry["before"] != nil {
			t.Fatalf("audit entry: %v", entry)
		}
	})
}

// TestAPIAuditClient: the audit log names the desktop a change came through,
// as its Roster-Client header said.
func TestAPIAuditClient(t *testing.T) {
	e := newAPIEnv(t, nil)
	_, hash := mint()
	e.call("POST", "/api/v1/invitations", map[string]any{"email": "bob@example.com", "role": "user", "tokenHash": hash},
		"Roster-Client", "Ada's laptop").expect(t, http.StatusCreated)
	audit := e.call("GET", "/api/v1/audit?action=invitation.created", nil).expect(t, http.StatusOK)
	entries := audit.body["entries"].([]any)
	if len(entries) != 1 {
		t.Fatalf("audit: %s", audit.raw)
	}
	entry := entries[0].(map[string]any)
	if entry["actorClient"] != "Ada's laptop" || entry["actorName"] != "Ada Admin" {
		t.Fatalf("audit entry: %v", entry)
	}
}

// TestAPIHostileInput: bodies, queries and headers no desktop sends are
// refused with a coded error, never a 500 or a hang.
func TestAPIHostileInput(t *testing.T) {
	e := newAPIEnv(t, nil)
	_, hash := mint()
	post := func(body string, h ...string) *answer { return e.call("POST", "/api/v1/invitations", body, h...) }
	t.Run("ErrOversize", func(t *testing.T) {
		big := `{"email": "` + strings.Repeat("a", 70<<10) + `@example.com", "role": "user"}`
		post(big).expectError(t, http.StatusRequestEntityTooLarge, "invalid", "api.too_large")
	})
	t.Run("ErrContentType", func(t *testing.T) {
		post(`{}`, "Content-Type", "application/x-www-form-urlencoded").expectError(t, http.StatusUnsupportedMediaType, "invalid", "api.content_type")
		post(`{}`, "Content-Type", "text/plain").expectError(t, http.StatusUnsupportedMediaType, "invalid", "api.content_type")
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		for _, body := range []string{``, `{`, `[]`, `"x"`, `null x`, `{"email": "a@example.com"} {}`, "{\"email\": \"\xff\x00\"", `{"email": 1e999}`} {
			a := post(body)
			if code, _ := a.errorKey(); a.status != http.StatusBadRequest || code != "invalid" {
				t.Fatalf("%q: %d %s", body, a.status, a.raw)
			}
		}
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		a := post(`{"email": "a@example.com", "role": "user", "tokenHash": "` + hash + `", "token": "secret"}`)
		a.expectError(t, http.StatusBadRequest, "invalid", "api.unknown_field")
		if a.body["error"].(map[string]any)["field"] != "token" {
			t.Fatalf("field: %s", a.raw)
		}
	})
	t.Run("ErrWrongTypes", func(t *testing.T) {
		for field, body := range map[string]string{
			"email":            `{"email": 42, "role": "user"}`,
			"role":             `{"email": "a@example.com", "role": ["user"]}`,
			"tokenHash":        `{"email": "a@example.com", "role": "user", "tokenHash": {"sha": 1}}`,
			"confirmLookalike": `{"email": "a@example.com", "role": "user", "confirmLookalike": "yes"}`,
		} {
			a := post(body)
			a.expectError(t, http.StatusBadRequest, "invalid", "api.wrong_type")
			if a.body["error"].(map[string]any)["field"] != field {
				t.Fatalf("field for %s: %s", body, a.raw)
			}
		}
		e.call("PATCH", "/api/v1/users/"+e.admin.ID, `{"active": "false"}`).expectError(t, http.StatusBadRequest, "invalid", "api.wrong_type")
		e.call("POST", "/api/v1/roles", `{"name": "X", "permissions": "chat"}`).expectError(t, http.StatusBadRequest, "invalid", "api.wrong_type")
	})
	t.Run("ErrControlCharacters", func(t *testing.T) {
		post(`{"email": "a@example.com\r\nBcc: eve@example.com", "role": "user", "tokenHash": "`+hash+`"}`).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "email.line_break")
		e.call("POST", "/api/v1/roles", `{"name": "Ed\u0000itors", "permissions": ["chat"]}`).
			expectError(t, http.StatusUnprocessableEntity, "invalid", "name.control")
		// Go's HTTP server itself refuses most control characters in headers;
		// a tab and bytes that are not UTF-8 pass it.
		e.call("GET", "/api/v1/users", nil, "Roster-Client", "desk\ttop").expectError(t, http.StatusBadRequest, "invalid", "api.bad_client")
		e.call("GET", "/api/v1/users", nil, "Roster-Client", "desk\xfftop").expectError(t, http.StatusBadRequest, "invalid", "api.bad_client")
		e.call("GET", "/api/v1/users", nil, "Roster-Client", strings.Repeat("d", 201)).expectError(t, http.StatusBadRequest, "invalid", "api.bad_client")
		e.call("GET", "/api/v1/users/%00%0A", nil).expectError(t, http.StatusNotFound, "not_found", "user.not_found")
	})
	t.Run("ErrQuery", func(t *testing.T) {
		e.call("GET", "/api/v1/users?limit=abc", nil).expectError(t, http.StatusBadRequest, "invalid", "api.bad_number")
		e.call("GET", "/api/v1/users?limit=501", nil).expectError(t, http.StatusBadRequest, "invalid", "api.bad_number")
		e.call("GET", "/api/v1/users?offset=-1", nil).expectError(t, http.StatusBadRequest, "invalid", "api.bad_number")
		e.call("GET", "/api/v1/users?limit=99999999999999999999", nil).expectError(t, http.StatusBadRequest, "invalid", "api.bad_number")
		e.call("GET", "/api/v1/users?desc=yes", nil).expectError(t, http.StatusBadRequest, "invalid", "api.wrong_type")
		e.call("GET", "/api/v1/users?password=1", nil).expectError(t, http.StatusBadRequest, "invalid", "api.unknown_parameter")
		e.call("GET", "/api/v1/users?limit=1&limit=2", nil).expectError(t, http.StatusBadRequest, "invalid", "api.unknown_parameter")
		e.call("GET", "/api/v1/users?search=%zz", nil).expectError(t, http.StatusBadRequest, "invalid", "api.bad_query")
	})
	t.Run("ErrCrossOrigin", func(t *testing.T) {
		post(`{}`, "Sec-Fetch-Site", "cross-site").expectError(t, http.StatusForbidden, "forbidden", "api.cross_origin")
	})
	// Nothing refused above reached the database.
	list := e.call("GET", "/api/v1/invitations", nil).expect(t, http.StatusOK)
	if list.body["total"] != 0.0 {
		t.Fatalf("invitations: %s", list.raw)
	}
}

// TestRemovedUserOldCookie: the session cookie of a member the API removed
// is refused on its next request, even when presented again later.
func TestRemovedUserOldCookie(t *testing.T) {
	e := newAPIEnv(t, nil)
	id, token := e.inviteByAPI("sam@example.com", "user")
	b := e.join(token, "Sam Member", pw1)
	u, _ := url.Parse(e.base)
	var cookie *http.Cookie
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "roster_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	samID := e.call("GET", "/api/v1/invitations/"+id, nil).expect(t, http.StatusOK).str("userId")
	e.call("DELETE", "/api/v1/users/"+samID, nil).expect(t, http.StatusNoContent)
	for range 2 {
		req, _ := http.NewRequest("GET", e.base+"/account", nil)
		req.AddCookie(cookie)
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != e.base+"/login" {
			t.Fatalf("the old cookie got %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// TestMethodNotAllowed: a known path with a wrong method gets 405 and Allow,
// in the API as JSON and on the pages as a page; unknown paths get 404.
func TestMethodNotAllowed(t *testing.T) {
	e := newAPIEnv(t, nil)
	for _, c := range []struct{ method, path, allow string }{
		{"PUT", "/api/v1/users", "GET, HEAD"},
		{"POST", "/api/v1/users/x", "GET, HEAD, PATCH, DELETE"},
		{"GET", "/api/v1/invitations/x/resend", "POST"},
		{"DELETE", "/api/v1/openapi.json", "GET, HEAD"},
	} {
		a := e.call(c.method, c.path, nil)
		a.expectError(t, http.StatusMethodNotAllowed, "invalid", "api.method")
		if got := a.header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, got, c.allow)
		}
	}
	e.call("GET", "/api/v1/nothing", nil).expectError(t, http.StatusNotFound, "not_found", "api.not_found")
	e.call("GET", "/api/v2/users", nil).expectError(t, http.StatusNotFound, "not_found", "api.not_found")
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/logout", "POST"},
		{"DELETE", "/account", "GET, HEAD"},
		{"PUT", "/invite/abc", "GET, HEAD, POST"},
	} {
		req, _ := http.NewRequest(c.method, e.base+c.path, nil)
		p := e.browser().do(req)
		if p.status != http.StatusMethodNotAllowed || p.header.Get("Allow") != c.allow || !strings.Contains(p.body, "<html") {
			t.Errorf("%s %s: %d, Allow %q", c.method, c.path, p.status, p.header.Get("Allow"))
		}
	}
	if p := e.browser().get("/nothing"); p.status != http.StatusNotFound {
		t.Errorf("GET /nothing: %d", p.status)
	}
}

// TestAPIDescriptionRoutes: every operation the description names is routed
// (with its query parameters known), and its paths take no other method.
func TestAPIDescriptionRoutes(t *testing.T) {
	e := newAPIEnv(t, nil)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(e.callAs("", "GET", "/api/v1/openapi.json", nil).expect(t, http.StatusOK).raw), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) < 8 {
		t.Fatalf("only %d paths", len(doc.Paths))
	}
	for path, item := range doc.Paths {
		concrete := "/api/v1" + strings.ReplaceAll(path, "{id}", "no-such-id")
		var allowed []string
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			method = strings.ToUpper(method)
			allowed = append(allowed, method)
			var op struct {
				Parameters []struct {
					Name string `json:"name"`
					In   string `json:"in"`
					Ref  string `json:"$ref"`
				} `json:"parameters"`
			}
			json.Unmarshal(raw, &op)
			query := url.Values{}
			for _, p := range op.Parameters {
				name := p.Name
				if p.Ref != "" {
					name = p.Ref[strings.LastIndex(p.Ref, "/")+1:]
				}
				if p.In == "query" || p.Ref != "" && name != "id" {
					query.Set(name, "")
				}
			}
			a := e.call(method, concrete+"?"+query.Encode(), `{}`)
			if _, key := a.errorKey(); key == "api.not_found" || key == "api.method" || key == "api.unknown_parameter" {
				t.Errorf("%s %s: %s", method, path, a.raw)
			}
		}
		allow := map[string]bool{}
		for _, m := range allowed {
			allow[m] = true
		}
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if allow[m] {
				continue
			}
			a := e.call(m, concrete, nil)
			if a.status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s is not described but answers %d", m, path, a.status)
			}
		}
	}
}
