package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/password"
	"roster/backend/server"
	"roster/backend/sqlite"
)

func TestLinks(t *testing.T) {
	t.Run("InviteRefused", func(t *testing.T) {
		e := newEnv(t, nil)
		deleted, deletedToken := e.invite("del@example.com", "user")
		if err := e.invitations.DeleteInvitation(e.ctx, deleted.ID); err != nil {
			t.Fatal(err)
		}
		_, token := e.invite("sam@example.com", "user")
		b := e.browser()
		for name, tok := range map[string]string{
			"deleted":   deletedToken,
			"truncated": token[:42],
			"extended":  token + "A",
			"guessed":   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			"junk":      "%3Cscript%3E",
		} {
			p := b.get("/invite/" + tok)
			p.expect(t, http.StatusNotFound, "This invitation link is not valid")
			if strings.Contains(p.body, "del@example.com") || strings.Contains(p.body, "deleted") {
				t.Fatalf("%s: the page tells a stranger more than 'not valid':\n%s", name, p.body)
			}
			b.post("/invite/"+tok, url.Values{"name": {"Eve"}, "password": {pw1}, "repeat": {pw1}}).
				expect(t, http.StatusNotFound, "This invitation link is not valid")
		}
	})
	t.Run("InviteExpired", func(t *testing.T) {
		e := newEnv(t, nil)
		_, token := e.invite("sam@example.com", "user")
		e.db.Now = func() time.Time { return time.Now().Add(backend.InvitationLifetime + time.Minute) }
		b := e.browser()
		b.get("/invite/"+token).expect(t, http.StatusGone, "This invitation has expired", "Ask Ada Admin to send you a new one.")
		b.post("/invite/"+token, url.Values{"name": {"Sam"}, "password": {pw1}, "repeat": {pw1}}).
			expect(t, http.StatusGone, "This invitation has expired")
		if n, _, _ := e.users.FindUsers(e.ctx, backend.UserFilter{}); len(n) != 1 {
			t.Fatalf("%d members after an expired registration", len(n))
		}
	})
	t.Run("ResetRefused", func(t *testing.T) {
		e := newEnv(t, nil)
		older := e.sendReset(e.admin.ID)
		token := e.sendReset(e.admin.ID) // voids the older one
		b := e.browser()
		for _, tok := range []string{older, token[:42], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			b.get("/reset/"+tok).expect(t, http.StatusNotFound, "This password link is not valid")
			b.post("/reset/"+tok, url.Values{"password": {pw1}, "repeat": {pw1}}).expect(t, http.StatusNotFound, "not valid")
		}
		b.get("/reset/"+token).expect(t, http.StatusOK, "ada@example.com")
	})
	t.Run("ResetExpired", func(t *testing.T) {
		e := newEnv(t, nil)
		token := e.sendReset(e.admin.ID)
		e.db.Now = func() time.Time { return time.Now().Add(backend.PasswordResetLifetime + time.Minute) }
		e.browser().get("/reset/"+token).expect(t, http.StatusGone, "This password link has expired",
			"Ask an administrator of Example Ltd for a new one.")
	})
	t.Run("ResetRulesUseTheMember", func(t *testing.T) {
		e := newEnv(t, nil)
		token := e.sendReset(e.admin.ID)
		e.browser().post("/reset/"+token, url.Values{"password": {"ada@example.com"}, "repeat": {"ada@example.com"}}).
			expect(t, http.StatusUnprocessableEntity, "A password cannot be your name or email address.")
	})
}

func TestCrossOrigin(t *testing.T) {
	e := newEnv(t, nil)
	_, token := e.invite("sam@example.com", "user")
	b := e.browser()
	form := url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1}}.Encode()
	for name, h := range map[string]http.Header{
		"SecFetchSite": {"Sec-Fetch-Site": {"cross-site"}},
		"Origin":       {"Origin": {"https://evil.example"}},
	} {
		t.Run(name, func(t *testing.T) {
			b.postWith("/invite/"+token, form, h).expect(t, http.StatusForbidden, "Request refused", "another website")
			b.postWith("/login", url.Values{"email": {"ada@example.com"}, "password": {pw1}}.Encode(), h).
				expect(t, http.StatusForbidden, "Request refused")
		})
	}
	// Nothing happened: the invitation still works.
	b.get("/invite/"+token).expect(t, http.StatusOK, "Create your account")
	t.Run("SignOutFromAnotherSite", func(t *testing.T) {
		b.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1}}).at(t, e.base, "/account")
		b.postWith("/logout", "scope=everywhere", http.Header{"Sec-Fetch-Site": {"cross-site"}}).expect(t, http.StatusForbidden)
		b.get("/account").expect(t, http.StatusOK, "Sam Member")
	})
}

func TestFormInput(t *testing.T) {
	e := newEnv(t, nil)
	_, token := e.invite("sam@example.com", "user")
	b := e.browser()
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"NameControl", url.Values{"name": {"Sam\x07Member"}, "password": {pw1}, "repeat": {pw1}}, `<a href="#name">A name cannot contain control characters.`},
		{"NameLineBreak", url.Values{"name": {"Sam\r\nMember"}, "password": {pw1}, "repeat": {pw1}}, `<a href="#name">A name cannot contain a line break.`},
		{"NameTooLong", url.Values{"name": {strings.Repeat("S", 201)}, "password": {pw1}, "repeat": {pw1}}, `<a href="#name">A name can be at most 200 characters long.`},
		{"NameMissing", url.Values{"name": {"  "}, "password": {pw1}, "repeat": {pw1}}, `<a href="#name">Enter a name.`},
		{"PasswordControl", url.Values{"name": {"Sam"}, "password": {pw1 + "\x00"}, "repeat": {pw1 + "\x00"}}, `<a href="#password">A password cannot contain control characters.`},
		{"PasswordTooLong", url.Values{"name": {"Sam"}, "password": {strings.Repeat("x7Gq", 257)}, "repeat": {strings.Repeat("x7Gq", 257)}}, `<a href="#password">A password can be at most 1024 characters long.`},
		{"FieldHuge", url.Values{"name": {strings.Repeat("S", 5000)}, "password": {pw1}, "repeat": {pw1}}, `<a href="#name">This value is far too long.`},
		{"PasswordCommon", url.Values{"name": {"Sam"}, "password": {"passwordpassword"}, "repeat": {"passwordpassword"}}, `too easy to guess`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b.post("/invite/"+token, tt.form).expect(t, http.StatusUnprocessableEntity, "There is a problem", tt.want)
		})
	}
	t.Run("Oversize", func(t *testing.T) {
		body := url.Values{"name": {"Sam"}, "password": {pw1}, "repeat": {pw1}, "pad": {strings.Repeat("x", 100<<10)}}.Encode()
		b.postWith("/invite/"+token, body, http.Header{"Sec-Fetch-Site": {"same-origin"}}).
			expect(t, http.StatusRequestEntityTooLarge, "The form is too large")
	})
	t.Run("LoginEmail", func(t *testing.T) {
		b.login("sam\r\n@example.com", pw1).expect(t, http.StatusUnprocessableEntity, `<a href="#email">An email address cannot contain a line break.`)
		b.login("", pw1).expect(t, http.StatusUnprocessableEntity, `<a href="#email">Enter an email address.`)
	})
	// Nothing was registered by the refused forms.
	b.get("/invite/"+token).expect(t, http.StatusOK, "Create your account")
}

func TestRateLimits(t *testing.T) {
	t.Run("PerAddress", func(t *testing.T) {
		e := newEnv(t, func(c *server.Config) {
			c.Limits = server.Limits{Address: server.Window{Attempts: 3, Per: time.Hour}, Account: server.Window{Attempts: 100, Per: time.Hour}}
		})
		b := e.browser()
		for i := range 3 {
			b.login("nobody"+string(rune('a'+i))+"@example.com", pw1).expect(t, http.StatusUnauthorized)
		}
		p := b.login("ada@example.com", pw1)
		p.expect(t, http.StatusTooManyRequests, "Too many attempts")
		if p.header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After header")
		}
		// X-Forwarded-For from an untrusted peer changes nothing.
		b.postWith("/login", "email=a%40example.com&password=x", http.Header{"Sec-Fetch-Site": {"same-origin"},
			"X-Forwarded-For": {"203.0.113.9"}}).expect(t, http.StatusTooManyRequests)
		// Reading pages is not limited.
		b.get("/login").expect(t, http.StatusOK)
	})
	t.Run("PerAccount", func(t *testing.T) {
		e := newEnv(t, func(c *server.Config) {
			c.TrustedProxies = []netip.Prefix{mustPrefix("127.0.0.0/8")}
			c.Limits = server.Limits{Address: server.Window{Attempts: 2, Per: time.Hour}, Account: server.Window{Attempts: 3, Per: time.Hour}}
		})
		b := e.browser()
		// Each attempt comes from another address behind the trusted proxy:
		// the address limit (2) does not stop them, the account limit (3) does.
		for i, addr := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"} {
			b.header.Set("X-Forwarded-For", addr+", 127.0.0.1")
			p := b.login("Ada@Example.com", "wrong password number "+addr)
			if i < 3 {
				p.expect(t, http.StatusUnauthorized)
			} else {
				p.expect(t, http.StatusTooManyRequests, "Too many attempts")
			}
		}
		// Another account from a fresh address is not limited.
		b.header.Set("X-Forwarded-For", "203.0.113.5")
		b.login("bo@example.com", pw1).expect(t, http.StatusUnauthorized)
		// The same address twice more: the address limit.
		b.login("cy@example.com", pw1).expect(t, http.StatusUnauthorized)
		b.login("di@example.com", pw1).expect(t, http.StatusTooManyRequests)
	})
	// Two servers on one database, as behind a load balancer: an address
	// that spreads its posts over both gets the limit once, not twice.
	t.Run("PerAddressShared", func(t *testing.T) {
		limits := func(c *server.Config) {
			c.Limits = server.Limits{Address: server.Window{Attempts: 4, Per: time.Hour}, Account: server.Window{Attempts: 100, Per: time.Hour}}
		}
		a := newEnv(t, limits)
		b := a.sibling(limits)
		ba, bb := a.browser(), b.browser()
		for i := range 2 {
			ba.login("nobody"+string(rune('a'+i))+"@example.com", pw1).expect(t, http.StatusUnauthorized)
			bb.login("someone"+string(rune('a'+i))+"@example.com", pw1).expect(t, http.StatusUnauthorized)
		}
		ba.login("ada@example.com", pw1).expect(t, http.StatusTooManyRequests, "Too many attempts")
		bb.login("ada@example.com", pw1).expect(t, http.StatusTooManyRequests, "Too many attempts")
	})
	t.Run("PerLink", func(t *testing.T) {
		e := newEnv(t, func(c *server.Config) {
			c.Limits = server.Limits{Address: server.Window{Attempts: 100, Per: time.Hour}, Account: server.Window{Attempts: 2, Per: time.Hour}}
		})
		_, token := e.invite("sam@example.com", "user")
		b := e.browser()
		for range 2 {
			b.post("/invite/"+token, url.Values{"name": {"Sam"}, "password": {"short"}, "repeat": {"short"}}).expect(t, http.StatusUnprocessableEntity)
		}
		b.post("/invite/"+token, url.Values{"name": {"Sam"}, "password": {pw1}, "repeat": {pw1}}).expect(t, http.StatusTooManyRequests)
	})
}

func TestHeaders(t *testing.T) {
	e := newEnv(t, nil)
	_, token := e.invite("sam@example.com", "user")
	b := e.browser()
	for _, path := range []string{"/invite/" + token, "/reset/" + token, "/login", "/nowhere"} {
		p := b.get(path)
		for h, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
			"X-Frame-Options":         "DENY",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"Cache-Control":           "no-store",
		} {
			if got := p.header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		if p.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", path)
		}
		if strings.Contains(p.body, "<script") || strings.Contains(p.body, "style=") || strings.Contains(p.body, "<style") {
			t.Errorf("%s: inline script or style, which the CSP forbids", path)
		}
	}
	css := b.get("/static/style.css")
	css.expect(t, http.StatusOK, "--accent")
	if ct := css.header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Fatalf("style sheet served as %q", ct)
	}
	b.get("/nowhere").expect(t, http.StatusNotFound, "Page not found")
}

func TestLanguage(t *testing.T) {
	e := newEnv(t, nil)
	_, token := e.invite("sam@example.com", "user")
	b := e.browser()
	b.header.Set("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")
	b.get("/invite/"+token).expect(t, http.StatusOK, `<html lang="de">`, "Konto anlegen", "Ihr Name", "Passwort wiederholen")
	b.post("/invite/"+token, url.Values{"name": {"Sam"}, "password": {"kurz"}, "repeat": {"kurz"}}).
		expect(t, http.StatusUnprocessableEntity, "Bitte prüfen Sie Ihre Eingaben", "Ein Passwort braucht mindestens 15 Zeichen.")
	p := b.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1}})
	p.expect(t, http.StatusOK, "Willkommen, Sam Member!", "Beigetreten", "Ihr Konto")
	b.get("/invite/"+token).expect(t, http.StatusNotFound, "Dieser Einladungslink ist ungültig")
}

func TestSessionCookie(t *testing.T) {
	for _, tt := range []struct {
		base, name, path string
		secure           bool
	}{
		{"https://id.example.com", "__Host-roster_session", "/", true},
		{"https://example.com/roster/", "__Secure-roster_session", "/roster/", true},
		{"http://localhost:8080", "roster_session", "/", false},
	} {
		t.Run(tt.base, func(t *testing.T) {
			e := newEnv(t, nil)
			_, token := e.invite("sam@example.com", "user")
			u, _ := url.Parse(tt.base)
			srv, err := server.New(server.Config{BaseURL: u, Hasher: &password.Hasher{Params: cheap}}, services(e.db), nil)
			if err != nil {
				t.Fatal(err)
			}
			path := strings.TrimSuffix(u.Path, "/") + "/invite/" + token
			req := httptest.NewRequest(http.MethodPost, tt.base+path[len(strings.TrimSuffix(u.Path, "/")):],
				strings.NewReader(url.Values{"name": {"Sam"}, "password": {pw1}, "repeat": {pw1}}.Encode()))
			req.URL.Path = path
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != strings.TrimSuffix(tt.base, "/")+"/account" {
				t.Fatalf("answer %d to %s, body %s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
			}
			var session *http.Cookie
			for _, c := range rec.Result().Cookies() {
				if c.Name == tt.name {
					session = c
				}
			}
			if session == nil || !session.HttpOnly || session.Secure != tt.secure || session.SameSite != http.SameSiteLaxMode ||
				session.Path != tt.path || len(session.Value) != 43 {
				t.Fatalf("session cookie %+v", session)
			}
			if tt.secure && rec.Header().Get("Strict-Transport-Security") == "" {
				t.Fatal("no HSTS over https")
			}
		})
	}
}

func TestRehashOnSignIn(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.Hasher = password.NewHasher() })
	_, token := e.invite("sam@example.com", "user")
	// The member registered while the server hashed with cheaper parameters.
	old := &password.Hasher{Params: cheap}
	hash, _ := old.Hash(pw1)
	if _, err := e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{Token: token, Name: "Sam", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	e.browser().login("sam@example.com", pw1).at(t, e.base, "/account")
	cred, err := sqlite.NewCredentialService(e.db).FindCredentialByEmail(context.Background(), "sam@example.com")
	if err != nil || !strings.HasPrefix(cred.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash after signing in: %q, %v", cred.PasswordHash, err)
	}
	e.browser().login("sam@example.com", pw1).at(t, e.base, "/account")
}

func TestHealth(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	b.get("/healthz").expect(t, http.StatusOK, "ok")
	b.get("/readyz").expect(t, http.StatusOK, "ready")
	e.db.Close()
	b.get("/readyz").expect(t, http.StatusServiceUnavailable)
	b.get("/healthz").expect(t, http.StatusOK)
}

func TestBaseURL(t *testing.T) {
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, raw := range []string{"", "id.example.com", "ftp://id.example.com", "https://id.example.com/?a=b", "https://user:pw@id.example.com"} {
			u, _ := url.Parse(raw)
			if _, err := server.New(server.Config{BaseURL: u}, server.Services{}, nil); err == nil {
				t.Errorf("base URL %q accepted", raw)
			}
		}
	})
	t.Run("LinksIgnoreHost", func(t *testing.T) {
		e := newEnv(t, nil)
		b := e.browser()
		req, _ := http.NewRequest(http.MethodGet, e.base+"/login", nil)
		req.Host = "evil.example"
		p := b.do(req)
		p.expect(t, http.StatusOK, `action="`+e.base+`/login"`, `href="`+e.base+`/static/style.css"`)
		if strings.Contains(p.body, "evil.example") {
			t.Fatal("a link is built from the Host header")
		}
	})
}
