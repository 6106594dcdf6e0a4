package main

// BenchmarkOIDCLoad is the OpenID Connect provider's bounded load test: a
// real `roster-server serve` (this package's run, as the binary runs it) on
// loopback, on a SQLite file, and many clients at once, each a browser and
// its chat platform in one. Each client signs its own member in through the
// authorization endpoint and Roster's sign-in form (password checked,
// argon2id as stored), exchanges the code at the token endpoint, refreshes
// three times (each refresh rotates the refresh token), then signs in again
// with its Roster session (no form) and refreshes again, until the time is
// up; no flow starts after that, and the ones in flight finish and count.
// The clients know the server only from outside: discovery, the endpoints it
// names, the sign-in form's fields (golang.org/x/oauth2 and coreos/go-oidc
// for the protocol). Each client comes through a trusted proxy with an
// address of its own (X-Forwarded-For), as the platform's users would.
// Any unexpected answer fails it; the figures are reported, never asserted.
//
//	ROSTER_LOAD_CLIENTS   clients at once (default 200)
//	ROSTER_LOAD_DURATION  how long a run lasts at most (default 5s)
//
// go test -tags sqlite_fts5 -run '^$' -bench BenchmarkOIDCLoad -benchtime 1x ./cmd/roster-server/
//
// BenchmarkPostgresOIDCLoad runs the same on PostgreSQL (skipped without it):
//
// scripts/with-postgres.sh go test -tags sqlite_fts5 -run '^$' -bench BenchmarkPostgresOIDCLoad -benchtime 1x ./cmd/roster-server/

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/net/html"
	"golang.org/x/oauth2"

	"roster/backend"
	"roster/backend/loadstat"
	"roster/backend/password"
	"roster/backend/postgres/pgtest"
)

// oidcLoadPassword is every prepared member's password.
const oidcLoadPassword = "copper kettles hum at dawn"

// oidcLoadRedirect is the platform's registered redirect URI; the clients
// read the code from the Location that points there and never go there.
const oidcLoadRedirect = "https://chat.example.com/oauth/callback"

// oidcLoadRefreshes is how many refreshes follow each sign-in.
const oidcLoadRefreshes = 3

func BenchmarkOIDCLoad(b *testing.B) {
	db := filepath.Join(b.TempDir(), "roster.db")
	runOIDCLoads(b, []string{"--db", db}, func() (*store, error) { return openSQLite(db) })
}

func BenchmarkPostgresOIDCLoad(b *testing.B) {
	url := pgtest.NewDatabase(b)
	runOIDCLoads(b, []string{"--postgres", url}, func() (*store, error) { return openPostgres(url) })
}

// runB runs a command of roster-server and returns its stdout, failing b
// unless it succeeds.
func runB(b *testing.B, args ...string) string {
	b.Helper()
	var out, errOut syncBuffer
	if code := run(context.Background(), args, func(string) string { return "" }, &out, &errOut); code != exitOK {
		b.Fatalf("roster-server %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

// runOIDCLoads prepares the database of dbArgs (one member per client, a
// confidential client), starts serve on it and runs the load b.N times on
// it (a run uses nothing up: its members can sign in again).
func runOIDCLoads(b *testing.B, dbArgs []string, open func() (*store, error)) {
	clients, duration := loadstat.Clients(b), loadstat.Duration(b)
	runB(b, append([]string{"init", "--base-url", "https://id.example.com", "--organisation", "Example Ltd",
		"--admin-email", "ada@example.com", "--admin-name", "Ada Admin"}, dbArgs...)...)
	emails := prepareOIDCMembers(b, open, clients)
	var created map[string]any
	out := runB(b, append([]string{"client", "create", "--name", "Chat", "--redirect-uri", oidcLoadRedirect, "--json"}, dbArgs...)...)
	if err := jsonUnmarshal(out, &created); err != nil {
		b.Fatalf("client create --json: %v: %q", err, out)
	}
	clientID, _ := created["id"].(string)
	secret, _ := created["secret"].(string)
	if clientID == "" || secret == "" {
		b.Fatalf("client create --json printed no id or secret: %q", out)
	}

	// serve, as the binary runs it, behind a trusted proxy on loopback.
	// Its issuer is where it listens, so the port is chosen first.
	ln := freeAddr(b)
	issuer := "http://" + ln
	ctx, cancel := context.WithCancel(context.Background())
	logs := &headBuffer{max: 1 << 16}
	done := make(chan int, 1)
	keyFile := filepath.Join(b.TempDir(), "oidc.key")
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", ln, "--base-url", issuer, "--trusted-proxy", "127.0.0.1",
			"--oidc-key-file", keyFile}, dbArgs...),
			func(string) string { return "" }, io.Discard, logs)
	}()
	defer func() { cancel(); <-done }()
	waitReady(b, issuer, logs, done)

	for range b.N {
		runOIDCLoad(b, issuer, clientID, secret, emails, clients, duration)
	}
}

// jsonUnmarshal decodes the one JSON object a --json command prints.
func jsonUnmarshal(s string, v any) error {
	return json.NewDecoder(strings.NewReader(strings.TrimSpace(s))).Decode(v)
}

// prepareOIDCMembers makes n members with oidcLoadPassword through the
// services (one hash, stored for all: as serve's hasher stores it, so a
// sign-in verifies it and does not rehash) and returns their addresses.
func prepareOIDCMembers(b *testing.B, open func() (*store, error), n int) []string {
	b.Helper()
	st, err := open()
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := backend.NewContextWithActor(context.Background(), cliActor)
	stored, err := (&password.Hasher{Params: password.DefaultParams}).Hash(oidcLoadPassword)
	if err != nil {
		b.Fatal(err)
	}
	var emails []string
	for i := range n {
		email := fmt.Sprintf("member-%d@example.com", i)
		loadstat.Member(b, ctx, st.Storage, email, fmt.Sprintf("Member %d", i), stored)
		emails = append(emails, email)
	}
	return emails
}

// waitReady waits until serve answers /readyz.
func waitReady(b *testing.B, base string, logs *headBuffer, done <-chan int) {
	b.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			b.Fatalf("serve ended with %d: %s", code, logs.String())
		default:
		}
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.Fatalf("serve was not ready: %s", logs.String())
}

// headBuffer keeps the first max bytes written to it (serve's first log
// lines, enough to see why it did not start) and drops the rest.
type headBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (h *headBuffer) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return string(h.buf)
}

// forwarded adds X-Forwarded-For: a client's own address behind the trusted proxy.
type forwarded struct {
	addr string
	next http.RoundTripper
}

func (f forwarded) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

// The kinds of step, in the order they are reported.
const (
	kindPassword = "sign-in-password" // authorize, the sign-in form, its post, back with a code
	kindSession  = "sign-in-session"  // authorize with a Roster session, back with a code
	kindCode     = "token-code"       // the code exchanged at the token endpoint
	kindRefresh  = "token-refresh"    // a refresh, which rotates the refresh token
)

// oidcClient is one browser and its platform.
type oidcClient struct {
	browser *http.Client // with cookies, stopping where the redirect URI starts
	ctx     context.Context
	config  *oauth2.Config
	email   string
}

func randomString() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errNoCode is a flow that ended anywhere but at the redirect URI with a code.
var errNoCode = errors.New("no code came back")

// authorize starts a code flow; with a Roster session the server answers
// with the code at once, else the browser signs in with the form. It
// returns the code and its PKCE verifier.
func (c *oidcClient) authorize(withForm bool) (code, verifier string, err error) {
	state, verifier := randomString(), oauth2.GenerateVerifier()
	res, err := c.browser.Get(c.config.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("nonce", randomString())))
	if err != nil {
		return "", "", err
	}
	if withForm {
		res, err = c.signIn(res)
		if err != nil {
			return "", "", err
		}
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	to, err := res.Location()
	if err != nil || !strings.HasPrefix(to.String(), oidcLoadRedirect) {
		return "", "", fmt.Errorf("%w: %d at %s (Location %v)", errNoCode, res.StatusCode, res.Request.URL.Path, to)
	}
	q := to.Query()
	if q.Get("state") != state || q.Get("code") == "" {
		return "", "", fmt.Errorf("%w: %s", errNoCode, to.Redacted())
	}
	return q.Get("code"), verifier, nil
}

// signIn fills in and posts the sign-in form of page: its action and every
// field of it, with the member's email address and password.
func (c *oidcClient) signIn(page *http.Response) (*http.Response, error) {
	defer page.Body.Close()
	if page.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the sign-in page answered %d at %s", page.StatusCode, page.Request.URL)
	}
	doc, err := html.Parse(page.Body)
	if err != nil {
		return nil, err
	}
	action, fields, ok := signInForm(doc)
	if !ok {
		return nil, fmt.Errorf("no sign-in form at %s", page.Request.URL)
	}
	fields.Set("email", c.email)
	fields.Set("password", oidcLoadPassword)
	to, err := page.Request.URL.Parse(action)
	if err != nil {
		return nil, err
	}
	return c.browser.PostForm(to.String(), fields)
}

// signInForm finds the form with a password field and returns its action
// and its fields' values.
func signInForm(n *html.Node) (string, url.Values, bool) {
	if n.Type == html.ElementNode && n.Data == "form" {
		fields, password := url.Values{}, false
		var walk func(*html.Node)
		walk = func(m *html.Node) {
			if m.Type == html.ElementNode && m.Data == "input" {
				name, value := attr(m, "name"), attr(m, "value")
				if name != "" {
					fields.Set(name, value)
				}
				password = password || attr(m, "type") == "password"
			}
			for k := m.FirstChild; k != nil; k = k.NextSibling {
				walk(k)
			}
		}
		walk(n)
		if password {
			return attr(n, "action"), fields, true
		}
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		if action, fields, ok := signInForm(k); ok {
			return action, fields, true
		}
	}
	return "", nil, false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// runOIDCLoad runs one load of clients for at most duration and reports its figures.
func runOIDCLoad(b *testing.B, issuer, clientID, secret string, emails []string, clients int, duration time.Duration) {
	b.StopTimer()
	transport := &http.Transport{MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: 2 * clients}
	defer transport.CloseIdleConnections()
	discover := &http.Client{Transport: transport, Timeout: time.Minute}
	provider, err := oidc.NewProvider(oidc.ClientContext(context.Background(), discover), issuer)
	if err != nil {
		b.Fatalf("discovery: %v", err)
	}
	endpoint := provider.Endpoint()
	endpoint.AuthStyle = oauth2.AuthStyleInHeader
	config := &oauth2.Config{ClientID: clientID, ClientSecret: secret, Endpoint: endpoint, RedirectURL: oidcLoadRedirect,
		Scopes: []string{oidc.ScopeOpenID, "email", "profile", oidc.ScopeOfflineAccess}}
	stats := loadstat.NewStats()

	runtime.GC()
	b.StartTimer()
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			jar, _ := cookiejar.New(nil)
			rt := forwarded{addr: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), next: transport}
			platform := &http.Client{Transport: rt, Timeout: 5 * time.Minute}
			c := &oidcClient{
				browser: &http.Client{Transport: rt, Jar: jar, Timeout: 5 * time.Minute,
					CheckRedirect: func(req *http.Request, via []*http.Request) error {
						if strings.HasPrefix(req.URL.String(), oidcLoadRedirect) || len(via) > 10 {
							return http.ErrUseLastResponse
						}
						return nil
					}},
				ctx:    context.WithValue(context.Background(), oauth2.HTTPClient, platform),
				config: config,
				email:  emails[i],
			}
			withForm := true
			for time.Now().Before(deadline) {
				kind := kindSession
				if withForm {
					kind = kindPassword
				}
				t0 := time.Now()
				code, verifier, err := c.authorize(withForm)
				if err != nil {
					stats.Fail("%s: %v", kind, err)
					return
				}
				stats.Record(kind, time.Since(t0))
				withForm = false
				t0 = time.Now()
				tok, err := config.Exchange(c.ctx, code, oauth2.VerifierOption(verifier))
				if err != nil {
					stats.Fail("%s: %v", kindCode, err)
					return
				}
				stats.Record(kindCode, time.Since(t0))
				if id, _ := tok.Extra("id_token").(string); id == "" || tok.RefreshToken == "" {
					stats.Fail("%s: no ID token or no refresh token", kindCode)
					return
				}
				for range oidcLoadRefreshes {
					if !time.Now().Before(deadline) {
						return
					}
					old := tok.RefreshToken
					t0 = time.Now()
					tok, err = config.TokenSource(c.ctx, &oauth2.Token{RefreshToken: old}).Token()
					if err != nil {
						stats.Fail("%s: %v", kindRefresh, err)
						return
					}
					stats.Record(kindRefresh, time.Since(t0))
					if tok.RefreshToken == "" || tok.RefreshToken == old {
						stats.Fail("%s: the refresh token did not rotate", kindRefresh)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()

	if errs := stats.Errors(); len(errs) > 0 {
		b.Fatalf("%d+ errors, first: %s", len(errs), strings.Join(errs, "; "))
	}
	report := stats.Report(b, []string{kindPassword, kindSession, kindCode, kindRefresh}, elapsed, "steps/s")
	b.Logf("%d clients, %v (of at most %v): %s", clients, elapsed.Round(time.Millisecond), duration, strings.Join(report, "; "))
}
