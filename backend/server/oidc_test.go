package server_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/sirupsen/logrus"
	"golang.org/x/oauth2"

	"roster/backend"
	"roster/backend/password"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
	"roster/backend/server"
	"roster/backend/sqlite"
)

// rpCallback is the relying party's redirect URI; the browser is stopped
// before it, so nothing listens there.
const (
	rpCallback = "http://rp.example/oauth/callback"
	rpLogout   = "http://rp.example/signed-out"
)

// oidcKey is the tests' --oidc-key-file secret.
var oidcKey = []byte("0123456789abcdef0123456789abcdef")

// oidcEnv is the directory server as an OpenID Connect provider, behind one
// address that a test can point at one of several server processes on the
// same database (as a load balancer would).
type oidcEnv struct {
	t *testing.T
	// now is the provider's clock (picking the signing key); nil is time.Now.
	now     atomic.Pointer[time.Time]
	base    string
	servers []*server.Server
	current atomic.Int32
	logs    *syncBuffer // every server's log
	stores  []*backend.Storage
	ctx     context.Context // the administrator
	api     string          // the administrator's API token
	client  *backend.OIDCClient
	secret  string
}

// newOIDCEnv starts a provider with one server process per storage (all on
// one database), an organisation and a confidential client.
func newOIDCEnv(t *testing.T, stores ...*backend.Storage) *oidcEnv {
	t.Helper()
	return newOIDCEnvKeys(t, nil, stores...)
}

// newOIDCEnvKeys is newOIDCEnv with server i's --oidc-key-file secret
// secrets[i] (oidcKey where there is none).
func newOIDCEnvKeys(t *testing.T, secrets [][]byte, stores ...*backend.Storage) *oidcEnv {
	t.Helper()
	e := &oidcEnv{t: t, stores: stores}
	ts := httptest.NewUnstartedServer(nil)
	e.base = "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(e.base)
	logs := &syncBuffer{}
	e.logs = logs
	log := logrus.New()
	log.SetOutput(logs)
	log.SetFormatter(&logrus.JSONFormatter{})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	})
	for i, st := range stores {
		secret := oidcKey
		if i < len(secrets) {
			secret = secrets[i]
		}
		srv, err := server.New(server.Config{BaseURL: u, Hasher: &password.Hasher{Params: cheap},
			Limits: server.Limits{Address: server.Window{Attempts: 1000, Per: time.Minute},
				Account: server.Window{Attempts: 1000, Per: time.Minute}},
			OIDC: &server.OIDCConfig{Secret: secret, Now: e.clock}}, *st, log)
		if err != nil {
			t.Fatal(err)
		}
		e.servers = append(e.servers, srv)
	}
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.servers[e.current.Load()].ServeHTTP(w, r)
	})
	ts.Start()
	t.Cleanup(ts.Close)
	st := stores[0]
	_, admin, err := st.Organisations.SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	e.ctx = backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name})
	if _, e.api, err = st.APITokens.CreateAPIToken(e.ctx, admin.ID); err != nil {
		t.Fatal(err)
	}
	e.client, e.secret = e.newClient(false)
	return e
}

// clock is the provider's clock: time.Now, or the time a test set.
func (e *oidcEnv) clock() time.Time {
	if t := e.now.Load(); t != nil {
		return *t
	}
	return time.Now()
}

// use points the address at server i.
func (e *oidcEnv) use(i int) { e.current.Store(int32(i)) }

func (e *oidcEnv) newClient(public bool) (*backend.OIDCClient, string) {
	e.t.Helper()
	c, secret, err := e.stores[0].OIDCClients.CreateOIDCClient(context.Background(), backend.OIDCClientParams{
		Name: "Chat", RedirectURIs: []string{rpCallback}, PostLogoutRedirectURIs: []string{rpLogout}, Public: public})
	if err != nil {
		e.t.Fatal(err)
	}
	return c, secret
}

// member invites a member and registers them with pw1; it returns their id.
func (e *oidcEnv) member(email string) string {
	e.t.Helper()
	token, hash := mint()
	raw, _ := hex.DecodeString(hash)
	inv, err := e.stores[0].HashedLinks.InviteUserWithTokenHash(e.ctx, backend.InviteParams{Email: email, Role: "User"}, raw)
	if err != nil {
		e.t.Fatal(err)
	}
	b := e.browser()
	res := b.post("/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw1}, "repeat": {pw1}})
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("registration answered %d", res.StatusCode)
	}
	u, err := e.stores[0].Credentials.FindCredentialByEmail(context.Background(), inv.Email)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.User.ID
}

// rpBrowser is a browser that stops at the relying party.
type rpBrowser struct {
	e      *oidcEnv
	client *http.Client
}

func (e *oidcEnv) browser() *rpBrowser {
	jar, _ := cookiejar.New(nil)
	return &rpBrowser{e: e, client: &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), "http://rp.example/") {
			return http.ErrUseLastResponse
		}
		return nil
	}}}
}

func (b *rpBrowser) do(req *http.Request) *http.Response {
	b.e.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(strings.NewReader(string(body)))
	return res
}

func (b *rpBrowser) get(u string) *http.Response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

func (b *rpBrowser) post(path string, form url.Values) *http.Response {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.base)
	return b.do(req)
}

func bodyOf(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(strings.NewReader(string(b)))
	return string(b)
}

var authRequestField = regexp.MustCompile(`name="auth_request" value="([^"]+)"`)

// rp is a relying party written with go-oidc and x/oauth2.
type rp struct {
	e        *oidcEnv
	provider *gooidc.Provider
	cfg      oauth2.Config
	verifier *gooidc.IDTokenVerifier
	meta     struct {
		Introspection string `json:"introspection_endpoint"`
		Revocation    string `json:"revocation_endpoint"`
		EndSession    string `json:"end_session_endpoint"`
		Userinfo      string `json:"userinfo_endpoint"`
	}
}

func (e *oidcEnv) rp(c *backend.OIDCClient, secret string) *rp {
	e.t.Helper()
	p, err := gooidc.NewProvider(context.Background(), e.base)
	if err != nil {
		e.t.Fatal(err)
	}
	r := &rp{e: e, provider: p, cfg: oauth2.Config{ClientID: c.ID, ClientSecret: secret, Endpoint: p.Endpoint(),
		RedirectURL: rpCallback, Scopes: []string{gooidc.ScopeOpenID, "email", "profile", gooidc.ScopeOfflineAccess}},
		verifier: p.Verifier(&gooidc.Config{ClientID: c.ID})}
	r.cfg.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	if err := p.Claims(&r.meta); err != nil {
		e.t.Fatal(err)
	}
	return r
}

// authorize starts an authorization in b and returns where the browser
// ended: at the relying party (its Location), or on a page of the server.
func (r *rp) authorize(b *rpBrowser, opts ...oauth2.AuthCodeOption) *http.Response {
	r.e.t.Helper()
	return b.get(r.cfg.AuthCodeURL("state-1", append([]oauth2.AuthCodeOption{gooidc.Nonce("nonce-1")}, opts...)...))
}

// signIn fills the sign-in page res showed in and returns the answer; a
// browser already sent back to the relying party (it had a session) stays
// there.
func (r *rp) signIn(b *rpBrowser, res *http.Response, email, pw string) *http.Response {
	r.e.t.Helper()
	if strings.HasPrefix(res.Header.Get("Location"), rpCallback) {
		return res
	}
	m := authRequestField.FindStringSubmatch(bodyOf(res))
	if m == nil {
		r.e.t.Fatalf("no sign-in form with the request (status %d at %s):\n%s", res.StatusCode, res.Request.URL, bodyOf(res))
	}
	return b.post("/login", url.Values{"email": {email}, "password": {pw}, "auth_request": {m[1]}})
}

// callback returns the query the browser brought to the relying party.
func callback(t *testing.T, res *http.Response) url.Values {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode/100 != 3 || !strings.HasPrefix(loc, "http://rp.example/") {
		t.Fatalf("not sent to the relying party: %d at %s, Location %q:\n%s", res.StatusCode, res.Request.URL, loc, bodyOf(res))
	}
	u, _ := url.Parse(loc)
	return u.Query()
}

// code runs a whole sign-in with PKCE and returns the code and verifier.
func (r *rp) code(b *rpBrowser, email string) (string, string) {
	r.e.t.Helper()
	verifier := oauth2.GenerateVerifier()
	q := callback(r.e.t, r.signIn(b, r.authorize(b, oauth2.S256ChallengeOption(verifier)), email, pw1))
	if q.Get("state") != "state-1" || q.Get("code") == "" {
		r.e.t.Fatalf("callback %v", q)
	}
	return q.Get("code"), verifier
}

// tokens signs in and exchanges the code.
func (r *rp) tokens(b *rpBrowser, email string) *oauth2.Token {
	r.e.t.Helper()
	code, verifier := r.code(b, email)
	tok, err := r.cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		r.e.t.Fatal(err)
	}
	return tok
}

// claims are the claims the contract names.
type claims struct {
	Sub           string   `json:"sub"`
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	Name          string   `json:"name"`
	Roles         []string `json:"roles"`
	Groups        []string `json:"groups"`
	Nonce         string   `json:"nonce"`
}

func (r *rp) idClaims(tok *oauth2.Token) claims {
	r.e.t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	idt, err := r.verifier.Verify(context.Background(), raw)
	if err != nil {
		r.e.t.Fatalf("ID token: %v", err)
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		r.e.t.Fatal(err)
	}
	return c
}

func (c claims) check(t *testing.T, userID, role string) {
	t.Helper()
	want := claims{Sub: userID, Email: "sam@example.com", EmailVerified: true, Name: "Sam Member",
		Roles: []string{role}, Groups: []string{role}, Nonce: c.Nonce}
	if !slices.Equal(c.Roles, want.Roles) || !slices.Equal(c.Groups, want.Groups) || c.Sub != want.Sub ||
		c.Email != want.Email || !c.EmailVerified || c.Name != want.Name {
		t.Fatalf("claims %+v, want %+v", c, want)
	}
}

// userinfo calls the userinfo endpoint with an access token.
func (r *rp) userinfo(access string) (int, claims) {
	r.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.meta.Userinfo, nil)
	req.Header.Set("Authorization", "Bearer "+access)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.e.t.Fatal(err)
	}
	defer res.Body.Close()
	var c claims
	json.NewDecoder(res.Body).Decode(&c)
	return res.StatusCode, c
}

// introspect asks whether an access token is active.
func (r *rp) introspect(access string) bool {
	r.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.meta.Introspection, strings.NewReader(url.Values{"token": {access}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(r.cfg.ClientID), url.QueryEscape(r.cfg.ClientSecret))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.e.t.Fatal(err)
	}
	defer res.Body.Close()
	var v struct {
		Active bool `json:"active"`
	}
	if res.StatusCode != http.StatusOK {
		r.e.t.Fatalf("introspection answered %d", res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
		r.e.t.Fatal(err)
	}
	return v.Active
}

// refresh uses a refresh token; the error is oauth2's.
func (r *rp) refresh(token string) (*oauth2.Token, error) {
	return r.cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: token}).Token()
}

// grantError is the OAuth error code of a failed token request.
func grantError(t *testing.T, err error) string {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("want a token endpoint error, got %v", err)
	}
	return re.ErrorCode
}

// removeByAPI removes a member through the admin API.
func (e *oidcEnv) removeByAPI(userID string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, e.base+"/api/v1/users/"+userID, nil)
	req.Header.Set("Authorization", "Bearer "+e.api)
	req.Header.Set("Roster-Client", "Roster desktop test")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		e.t.Fatalf("remove answered %d", res.StatusCode)
	}
}

func sqliteStorage(t *testing.T) (*sqlite.DB, *backend.Storage) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, sqlite.NewStorage(db)
}

func postgresStorages(t *testing.T, n int) []*backend.Storage {
	t.Helper()
	url := pgtest.NewDatabase(t)
	var list []*backend.Storage
	for range n {
		db := postgres.NewDB(url)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		list = append(list, postgres.NewStorage(db))
	}
	return list
}

// TestOIDCFlow runs a relying party's whole life with a member, then
// removes them: on SQLite, and on PostgreSQL.
func TestOIDCFlow(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		_, st := sqliteStorage(t)
		testOIDCFlow(t, newOIDCEnv(t, st), 0)
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		testOIDCFlow(t, newOIDCEnv(t, postgresStorages(t, 1)...), 0)
	})
	t.Run("TwoServersOnePostgres", func(t *testing.T) {
		e := newOIDCEnv(t, postgresStorages(t, 2)...)
		testOIDCFlow(t, e, 1)
		keys := func(i int) string {
			e.use(i)
			res, err := http.Get(e.base + "/keys")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return string(b)
		}
		if a, b := keys(0), keys(1); a != b || !strings.Contains(a, `"kid"`) {
			t.Fatalf("the servers publish different keys:\n%s\n%s", a, b)
		}
	})
}

// testOIDCFlow signs in through server 0 and checks the removal through
// server other.
func testOIDCFlow(t *testing.T, e *oidcEnv, other int) {
	sam := e.member("sam@example.com")
	r := e.rp(e.client, e.secret)
	b := e.browser()
	tok := r.tokens(b, "sam@example.com")
	r.idClaims(tok).check(t, sam, "User")
	if c := r.idClaims(tok); c.Nonce != "nonce-1" {
		t.Fatalf("nonce %q", c.Nonce)
	}
	status, info := r.userinfo(tok.AccessToken)
	if status != http.StatusOK {
		t.Fatalf("userinfo answered %d", status)
	}
	info.check(t, sam, "User")
	if !r.introspect(tok.AccessToken) {
		t.Fatal("a fresh access token is inactive")
	}

	// Role changes show at the next refresh, which rotates the token.
	if _, err := e.stores[0].Users.ChangeUserRole(e.ctx, sam, backend.RoleAdministrator); err != nil {
		t.Fatal(err)
	}
	next, err := r.refresh(tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken {
		t.Fatal("the refresh token was not rotated")
	}
	r.idClaims(next).check(t, sam, "Administrator")

	// A browser with a session is not asked again.
	q := callback(t, r.authorize(b, oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	if q.Get("code") == "" {
		t.Fatalf("no code for a signed-in browser: %v", q)
	}

	// Removed through the other server: everything ends at once.
	e.use(other)
	e.removeByAPI(sam)
	if _, err := r.refresh(next.RefreshToken); grantError(t, err) != "invalid_grant" {
		t.Fatalf("refresh after removal: %v", err)
	}
	if status, _ := r.userinfo(next.AccessToken); status != http.StatusUnauthorized {
		t.Fatalf("userinfo after removal answered %d", status)
	}
	if r.introspect(next.AccessToken) {
		t.Fatal("introspection says active after removal")
	}
	res := r.authorize(b)
	if strings.HasPrefix(res.Header.Get("Location"), rpCallback) && callback(t, res).Get("code") != "" {
		t.Fatal("a code for a removed member")
	}
	res = r.signIn(b, res, "sam@example.com", pw1)
	if res.StatusCode/100 == 3 {
		t.Fatalf("sign-in of a removed member went on to %s", res.Header.Get("Location"))
	}
	e.use(0)
}

// TestOIDCProtocol checks the protocol's refusals and its other endpoints
// on SQLite.
func TestOIDCProtocol(t *testing.T) {
	db, st := sqliteStorage(t)
	e := newOIDCEnv(t, st)
	sam := e.member("sam@example.com")
	r := e.rp(e.client, e.secret)
	run := func(name string, f func(t *testing.T)) {
		t.Run(name, func(t *testing.T) {
			parent := e.t
			e.t = t
			defer func() { e.t = parent }()
			f(t)
		})
	}

	run("ClientSecretPost", func(t *testing.T) {
		post := *r
		post.cfg.Endpoint.AuthStyle = oauth2.AuthStyleInParams
		tok := post.tokens(e.browser(), "sam@example.com")
		post.idClaims(tok).check(t, sam, "User")
	})
	run("ErrWrongSecret", func(t *testing.T) {
		wrong := *r
		wrong.cfg.ClientSecret = "not-the-secret"
		code, verifier := r.code(e.browser(), "sam@example.com")
		_, err := wrong.cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
		if got := grantError(t, err); got != "invalid_client" {
			t.Fatalf("error %q", got)
		}
	})
	run("ErrWrongRedirectURI", func(t *testing.T) {
		other := *r
		other.cfg.RedirectURL = "http://rp.example/oauth/other"
		res := other.authorize(e.browser(), oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
			t.Fatalf("an unregistered redirect URI answered %d, Location %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
	run("ErrMissingVerifier", func(t *testing.T) {
		code, _ := r.code(e.browser(), "sam@example.com")
		_, err := r.cfg.Exchange(context.Background(), code)
		if grantError(t, err) == "" {
			t.Fatal("a code was exchanged without its verifier")
		}
	})
	run("ErrWrongVerifier", func(t *testing.T) {
		code, _ := r.code(e.browser(), "sam@example.com")
		_, err := r.cfg.Exchange(context.Background(), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		if got := grantError(t, err); got != "invalid_grant" {
			t.Fatalf("error %q", got)
		}
	})
	run("ErrReusedCode", func(t *testing.T) {
		code, verifier := r.code(e.browser(), "sam@example.com")
		tok, err := r.cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
		if got := grantError(t, err); got != "invalid_grant" {
			t.Fatalf("error %q", got)
		}
		// The tokens of the first exchange are revoked (RFC 6749, 4.1.2).
		if status, _ := r.userinfo(tok.AccessToken); status != http.StatusUnauthorized {
			t.Fatalf("userinfo with the reused code's token answered %d", status)
		}
		if _, err := r.refresh(tok.RefreshToken); grantError(t, err) != "invalid_grant" {
			t.Fatalf("refresh with the reused code's token: %v", err)
		}
	})
	run("ErrReusedRefreshToken", func(t *testing.T) {
		tok := r.tokens(e.browser(), "sam@example.com")
		next, err := r.refresh(tok.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.refresh(tok.RefreshToken); grantError(t, err) != "invalid_grant" {
			t.Fatalf("reuse: %v", err)
		}
		// The whole family is revoked, the rotated token included.
		if _, err := r.refresh(next.RefreshToken); grantError(t, err) != "invalid_grant" {
			t.Fatalf("the family survived a reuse: %v", err)
		}
	})
	run("ErrExpiredCode", func(t *testing.T) {
		code, verifier := r.code(e.browser(), "sam@example.com")
		db.Now = func() time.Time { return time.Now().Add(backend.OIDCCodeLifetime + time.Second) }
		defer func() { db.Now = time.Now }()
		_, err := r.cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
		if got := grantError(t, err); got != "invalid_grant" {
			t.Fatalf("error %q", got)
		}
	})
	run("ErrPublicWithoutPKCE", func(t *testing.T) {
		c, _ := e.newClient(true)
		pub := e.rp(c, "")
		q := callback(t, pub.authorize(e.browser()))
		if q.Get("error") != "invalid_request" || q.Get("code") != "" {
			t.Fatalf("a public client without PKCE: %v", q)
		}
		// With PKCE it signs in, without a secret.
		pub.cfg.Endpoint.AuthStyle = oauth2.AuthStyleInParams
		pub.idClaims(pub.tokens(e.browser(), "sam@example.com")).check(t, sam, "User")
	})
	run("ErrAlgNone", func(t *testing.T) {
		none := func(claims map[string]any) string {
			h, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
			c, _ := json.Marshal(claims)
			return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "."
		}
		now := time.Now().Unix()
		forged := none(map[string]any{"iss": e.base, "sub": sam, "aud": []string{r.cfg.ClientID}, "exp": now + 300,
			"iat": now, "jti": "forged", "client_id": r.cfg.ClientID})
		if status, _ := r.userinfo(forged); status != http.StatusUnauthorized {
			t.Fatalf("an alg none access token: userinfo answered %d", status)
		}
		if r.introspect(forged) {
			t.Fatal("an alg none access token is active")
		}
		// A request object with alg none is refused.
		res := r.authorize(e.browser(), oauth2.SetAuthURLParam("request", none(map[string]any{"iss": r.cfg.ClientID,
			"aud": e.base, "redirect_uri": rpCallback, "scope": "openid"})))
		if q := callback(t, res); q.Get("code") != "" || q.Get("error") == "" {
			t.Fatalf("a request object with alg none: %v", q)
		}
		// An ID token hint with alg none does not log anyone out.
		res = e.browser().get(r.meta.EndSession + "?" + url.Values{"id_token_hint": {forged},
			"post_logout_redirect_uri": {rpLogout}}.Encode())
		if strings.HasPrefix(res.Header.Get("Location"), rpLogout) {
			t.Fatal("an alg none id_token_hint was taken")
		}
	})
	run("RevocationAndLogout", func(t *testing.T) {
		b := e.browser()
		tok := r.tokens(b, "sam@example.com")
		revoke := func(token string) {
			req, _ := http.NewRequest(http.MethodPost, r.meta.Revocation, strings.NewReader(url.Values{"token": {token}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(r.cfg.ClientID, r.cfg.ClientSecret)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("revocation answered %d", res.StatusCode)
			}
		}
		revoke(tok.AccessToken)
		if r.introspect(tok.AccessToken) {
			t.Fatal("a revoked access token is active")
		}
		next, err := r.refresh(tok.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		revoke(next.RefreshToken)
		if _, err := r.refresh(next.RefreshToken); grantError(t, err) != "invalid_grant" {
			t.Fatalf("a revoked refresh token: %v", err)
		}
		if r.introspect(next.AccessToken) {
			t.Fatal("the revoked refresh token's access token is active")
		}

		// RP-initiated logout ends the Roster session and goes back.
		tok = r.tokens(b, "sam@example.com")
		res := b.get(r.meta.EndSession + "?" + url.Values{"id_token_hint": {tok.Extra("id_token").(string)},
			"post_logout_redirect_uri": {rpLogout}}.Encode())
		if loc := res.Header.Get("Location"); loc != rpLogout {
			t.Fatalf("logout went to %q (%d):\n%s", loc, res.StatusCode, bodyOf(res))
		}
		res = r.authorize(b, oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
		if !authRequestField.MatchString(bodyOf(res)) {
			t.Fatalf("after logout the browser is not asked to sign in (%d)", res.StatusCode)
		}
		if _, err := r.refresh(tok.RefreshToken); grantError(t, err) != "invalid_grant" {
			t.Fatalf("refresh after logout: %v", err)
		}
		// Only registered logout addresses.
		tok = r.tokens(b, "sam@example.com")
		res = b.get(r.meta.EndSession + "?" + url.Values{"id_token_hint": {tok.Extra("id_token").(string)},
			"post_logout_redirect_uri": {"http://rp.example/elsewhere"}}.Encode())
		if strings.HasPrefix(res.Header.Get("Location"), "http://rp.example/") {
			t.Fatal("logout went to an unregistered address")
		}
	})
	run("PromptLogin", func(t *testing.T) {
		b := e.browser()
		r.tokens(b, "sam@example.com")
		res := r.authorize(b, oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), oauth2.SetAuthURLParam("prompt", "login"))
		if !authRequestField.MatchString(bodyOf(res)) {
			t.Fatalf("prompt=login did not ask again (%d)", res.StatusCode)
		}
	})
	run("CrossOrigin", func(t *testing.T) {
		// A relying party's page may post to the token endpoint; the
		// sign-in form still refuses other origins.
		for path, want := range map[string]bool{"/oauth/token": true, "/login": false} {
			req, _ := http.NewRequest(http.MethodPost, e.base+path, strings.NewReader("grant_type=authorization_code&code=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Origin", "http://rp.example")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.StatusCode != http.StatusForbidden; got != want {
				t.Fatalf("cross-origin POST %s answered %d", path, res.StatusCode)
			}
		}
	})
	run("DeactivatedAtAuthorization", func(t *testing.T) {
		b := e.browser()
		tok := r.tokens(b, "sam@example.com")
		if _, err := e.stores[0].Users.DeactivateUser(e.ctx, sam); err != nil {
			t.Fatal(err)
		}
		defer e.stores[0].Users.ActivateUser(e.ctx, sam)
		res := r.authorize(b, oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
		res = r.signIn(b, res, "sam@example.com", pw1)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("sign-in of a deactivated member answered %d", res.StatusCode)
		}
		if status, _ := r.userinfo(tok.AccessToken); status != http.StatusUnauthorized {
			t.Fatalf("userinfo of a deactivated member answered %d", status)
		}
		if _, err := r.refresh(tok.RefreshToken); grantError(t, err) != "invalid_grant" {
			t.Fatalf("refresh of a deactivated member: %v", err)
		}
	})
}

// TestOIDCKeyRotation moves the clock past a rotation period: tokens are
// signed with a new key, and the old one stays published, so an ID token
// it signed still verifies; once the old tokens expired the janitor's purge
// drops it.
func TestOIDCKeyRotation(t *testing.T) {
	db, st := sqliteStorage(t)
	e := newOIDCEnv(t, st)
	sam := e.member("sam@example.com")
	r := e.rp(e.client, e.secret)
	kid := func(raw string) string {
		h, _ := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[0])
		var v struct {
			Kid string `json:"kid"`
		}
		json.Unmarshal(h, &v)
		return v.Kid
	}
	old := r.tokens(e.browser(), "sam@example.com")
	// A minute into the next period, within the old key's tokens' life.
	period := int64(server.DefaultKeyRotation / time.Second)
	later := time.Unix((time.Now().Unix()/period+1)*period+60, 0)
	e.now.Store(&later)
	db.Now = func() time.Time { return later }
	defer func() { db.Now = time.Now }()
	next := r.tokens(e.browser(), "sam@example.com")
	oldKid, newKid := kid(old.Extra("id_token").(string)), kid(next.Extra("id_token").(string))
	if oldKid == "" || oldKid == newKid {
		t.Fatalf("the key did not rotate: %q, %q", oldKid, newKid)
	}
	// A fresh verifier fetches the published keys: both are there.
	fresh := e.rp(e.client, e.secret)
	fresh.idClaims(old).check(t, sam, "User")
	fresh.idClaims(next).check(t, sam, "User")

	// Once the old key's tokens expired, the purge deletes it (and the
	// requests and tokens that expired).
	much := later.Add(2 * server.DefaultKeyRotation)
	db.Now = func() time.Time { return much }
	if n, err := st.OIDC.PurgeOIDC(context.Background()); err != nil || n == 0 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	keys, err := st.OIDC.FindOIDCSigningKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 0 {
		t.Fatalf("%d keys left after both periods ended", len(keys))
	}
}

// TestOIDCOtherKeyFile runs two servers on one database with different
// key files (a key file replaced, or one process set up wrongly): each
// signs with a key of its own, and both keys are published.
func TestOIDCOtherKeyFile(t *testing.T) {
	db, st := sqliteStorage(t)
	other := sqlite.NewDB(db.Path())
	if err := other.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	e := newOIDCEnvKeys(t, [][]byte{oidcKey, []byte("another key of thirty-two bytes!")}, st, sqlite.NewStorage(other))
	sam := e.member("sam@example.com")
	r := e.rp(e.client, e.secret)
	first := r.tokens(e.browser(), "sam@example.com")
	e.use(1)
	second := r.tokens(e.browser(), "sam@example.com")
	fresh := e.rp(e.client, e.secret)
	fresh.idClaims(first).check(t, sam, "User")
	fresh.idClaims(second).check(t, sam, "User")
}

// TestOIDCHidesInternalErrors has a token request meet a broken signing
// key (its sealed private half damaged in the database): server_error,
// with nothing of the cause for the relying party and all of it in the
// server's log.
func TestOIDCHidesInternalErrors(t *testing.T) {
	db, st := sqliteStorage(t)
	other := sqlite.NewDB(db.Path())
	if err := other.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	e := newOIDCEnv(t, st, sqlite.NewStorage(other))
	e.member("sam@example.com")
	r := e.rp(e.client, e.secret)
	r.tokens(e.browser(), "sam@example.com") // server 0 makes the key
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE oidc_signing_keys SET private_key = x'00'`); err != nil {
		t.Fatal(err)
	}
	code, verifier := r.code(e.browser(), "sam@example.com")
	e.use(1) // server 1 has not read the key yet
	_, err = r.cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "server_error" || strings.Contains(string(re.Body), "key") {
		t.Fatalf("a broken signing key answered %v", err)
	}
	// The cause is in the server's log, for the operator.
	if !strings.Contains(e.logs.String(), "stored signing key is damaged") {
		t.Fatalf("the cause is not in the log:\n%s", e.logs)
	}
}

// TestOIDCJanitor has the janitor delete the provider's expired requests,
// tokens and keys.
func TestOIDCJanitor(t *testing.T) {
	db, st := sqliteStorage(t)
	e := newOIDCEnv(t, st)
	e.member("sam@example.com")
	r := e.rp(e.client, e.secret)
	r.tokens(e.browser(), "sam@example.com")
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	left := func() int {
		var n int
		raw.QueryRow(`SELECT (SELECT count(*) FROM oidc_auth_requests) + (SELECT count(*) FROM oidc_tokens) +
			(SELECT count(*) FROM oidc_signing_keys)`).Scan(&n)
		return n
	}
	if left() == 0 {
		t.Fatal("the sign-in left no rows")
	}
	much := time.Now().Add(2*server.DefaultKeyRotation + backend.OIDCRefreshTokenLifetime)
	db.Now = func() time.Time { return much }
	defer func() { db.Now = time.Now }()
	runJanitorUntilEmpty(t, e.servers[0], left)
}
