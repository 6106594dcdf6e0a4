// Command oidc-rp is a test harness, not part of Roster: a small OpenID
// Connect relying party that the directory server's end-to-end test
// (frontend/e2e-server/oidc.spec.ts, run by scripts/e2e-server.sh) signs a
// member in with, as a chat platform would. It knows roster-server only
// from outside: the issuer's discovery document, and nothing but
// github.com/coreos/go-oidc/v3 and golang.org/x/oauth2, which share no code
// with the provider's library.
//
//	oidc-rp --issuer URL --client-id ID [--client-secret S] [--auth-style basic|post] [--listen 127.0.0.1:0]
//
// It prints its base URL on the first line of standard output, then serves
// one browser (the test's), keeping that browser's flow in memory:
//
//	GET  /login       starts the code flow: PKCE S256, state, nonce, scopes
//	                  openid email profile offline_access (?prompt=login passes prompt)
//	GET  /callback    exchanges the code, verifies the ID token against the
//	                  JWKS and the nonce; JSON: the claims, whether a refresh token came
//	POST /refresh     refreshes (?token=previous uses the refresh token before the
//	                  last rotation); JSON: the new claims and whether the token
//	                  rotated, or the OAuth error
//	GET  /userinfo    JSON: the userinfo endpoint's status and claims
//	POST /introspect  JSON: the introspection endpoint's answer for the access token
//	GET  /logout      redirects to the end_session_endpoint with id_token_hint and
//	                  post_logout_redirect_uri=<rp>/logged-out
//	GET  /logged-out  where the provider sends the browser back after logout
//	GET  /status      JSON: how many codes the provider has sent back so far
//
// /userinfo and /introspect take ?via=http://HOST:PORT to send the request
// to another server process on the same database (same path, other host).
// The client secret comes from ROSTER_OIDC_RP_CLIENT_SECRET if
// --client-secret is not given, so that no process list shows it.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// scopes are the scopes the relying party asks for.
var scopes = []string{oidc.ScopeOpenID, "email", "profile", oidc.ScopeOfflineAccess}

func main() {
	fs := flag.NewFlagSet("oidc-rp", flag.ExitOnError)
	issuer := fs.String("issuer", "", "the provider's issuer URL")
	clientID := fs.String("client-id", "", "the client id")
	secret := fs.String("client-secret", os.Getenv("ROSTER_OIDC_RP_CLIENT_SECRET"), "the client secret (empty: a public client)")
	authStyle := fs.String("auth-style", "basic", "how a confidential client authenticates at the token endpoint: basic or post")
	listen := fs.String("listen", "127.0.0.1:0", "the address to listen on")
	fs.Parse(os.Args[1:])
	if *issuer == "" || *clientID == "" {
		fmt.Fprintln(os.Stderr, "oidc-rp: --issuer and --client-id are required")
		os.Exit(2)
	}
	if err := run(*issuer, *clientID, *secret, *authStyle, *listen); err != nil {
		fmt.Fprintln(os.Stderr, "oidc-rp:", err)
		os.Exit(1)
	}
}

// discovery holds the endpoints go-oidc's Provider does not expose.
type discovery struct {
	Introspection string `json:"introspection_endpoint"`
	EndSession    string `json:"end_session_endpoint"`
}

// rp is the relying party and the state of its one browser's flow.
type rp struct {
	base     string
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	config   oauth2.Config
	disc     discovery
	client   *http.Client

	mu           sync.Mutex
	state, nonce string
	pkce         string
	token        *oauth2.Token // the latest tokens
	previous     string        // the refresh token before the last rotation
	idToken      string        // the latest ID token, for logout
	codes        int           // codes the provider sent back
}

func run(issuer, clientID, secret, authStyle, listen string) error {
	client := &http.Client{Timeout: 30 * time.Second}
	ctx := oidc.ClientContext(context.Background(), client)
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	var disc discovery
	if err := provider.Claims(&disc); err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	r := &rp{
		base:     "http://" + ln.Addr().String(),
		provider: provider,
		verifier: provider.Verifier(&oidc.Config{ClientID: clientID}),
		disc:     disc,
		client:   client,
	}
	endpoint := provider.Endpoint()
	switch {
	case secret == "":
		endpoint.AuthStyle = oauth2.AuthStyleInParams
	case authStyle == "post":
		endpoint.AuthStyle = oauth2.AuthStyleInParams
	case authStyle == "basic":
		endpoint.AuthStyle = oauth2.AuthStyleInHeader
	default:
		return fmt.Errorf("--auth-style %q is neither basic nor post", authStyle)
	}
	r.config = oauth2.Config{ClientID: clientID, ClientSecret: secret, Endpoint: endpoint,
		RedirectURL: r.base + "/callback", Scopes: scopes}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", r.login)
	mux.HandleFunc("GET /callback", r.callback)
	mux.HandleFunc("POST /refresh", r.refresh)
	mux.HandleFunc("GET /userinfo", r.userinfo)
	mux.HandleFunc("POST /introspect", r.introspect)
	mux.HandleFunc("GET /logout", r.logout)
	mux.HandleFunc("GET /logged-out", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>Signed out</title><h1>Signed out of the relying party</h1></html>`)
	})
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		r.mu.Lock()
		defer r.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"codes": r.codes})
	})
	fmt.Println(r.base)
	return (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
}

// random returns 32 random bytes, base64url.
func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// oauthError is the JSON of a failed call: the OAuth error code if the
// provider gave one, else the error's text.
func oauthError(w http.ResponseWriter, err error) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": re.ErrorCode,
			"errorDescription": re.ErrorDescription, "status": re.Response.StatusCode})
		return
	}
	writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
}

func (r *rp) login(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.state, r.nonce, r.pkce = random(), random(), oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oidc.Nonce(r.nonce), oauth2.S256ChallengeOption(r.pkce)}
	if p := req.URL.Query().Get("prompt"); p != "" {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", p))
	}
	to := r.config.AuthCodeURL(r.state, opts...)
	r.mu.Unlock()
	http.Redirect(w, req, to, http.StatusFound)
}

// claimsOf verifies an ID token and returns its claims; nonce is checked
// unless empty.
func (r *rp) claimsOf(ctx context.Context, raw, nonce string) (map[string]any, error) {
	tok, err := r.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("verify the ID token: %w", err)
	}
	if nonce != "" && tok.Nonce != nonce {
		return nil, fmt.Errorf("the ID token's nonce %q is not the one sent", tok.Nonce)
	}
	claims := map[string]any{}
	if err := tok.Claims(&claims); err != nil {
		return nil, err
	}
	return claims, nil
}

func (r *rp) callback(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	r.mu.Lock()
	defer r.mu.Unlock()
	if e := q.Get("error"); e != "" {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": e, "errorDescription": q.Get("error_description")})
		return
	}
	if q.Get("state") == "" || q.Get("state") != r.state {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "rp_error", "errorDescription": "state does not match"})
		return
	}
	r.codes++
	ctx := oidc.ClientContext(req.Context(), r.client)
	tok, err := r.config.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(r.pkce))
	if err != nil {
		oauthError(w, err)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": "no ID token"})
		return
	}
	claims, err := r.claimsOf(ctx, raw, r.nonce)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
		return
	}
	r.token, r.idToken, r.previous = tok, raw, ""
	r.state = "" // one code per state
	writeJSON(w, http.StatusOK, map[string]any{"claims": claims, "refreshToken": tok.RefreshToken != "",
		"tokenType": tok.TokenType})
}

func (r *rp) refresh(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.token == nil {
		writeJSON(w, http.StatusConflict, map[string]any{"error": "rp_error", "errorDescription": "not signed in"})
		return
	}
	old := r.token.RefreshToken
	if req.URL.Query().Get("token") == "previous" {
		old = r.previous
	}
	ctx := oidc.ClientContext(req.Context(), r.client)
	// A token with only a refresh token is invalid, so the source refreshes it.
	tok, err := r.config.TokenSource(ctx, &oauth2.Token{RefreshToken: old}).Token()
	if err != nil {
		oauthError(w, err)
		return
	}
	answer := map[string]any{"rotated": tok.RefreshToken != "" && tok.RefreshToken != old}
	if raw, _ := tok.Extra("id_token").(string); raw != "" {
		claims, err := r.claimsOf(ctx, raw, "")
		if err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
			return
		}
		answer["claims"] = claims
		r.idToken = raw
	}
	r.previous, r.token = old, tok
	writeJSON(w, http.StatusOK, answer)
}

// via returns endpoint with the scheme and host of the request's ?via=, if any.
func via(endpoint string, req *http.Request) (string, error) {
	v := req.URL.Query().Get("via")
	if v == "" {
		return endpoint, nil
	}
	e, err := url.Parse(endpoint)
	if err != nil {
		return "", err
	}
	o, err := url.Parse(v)
	if err != nil || o.Host == "" {
		return "", fmt.Errorf("via %q is not a URL", v)
	}
	e.Scheme, e.Host = o.Scheme, o.Host
	return e.String(), nil
}

// accessToken returns the latest access token, or answers that there is none.
func (r *rp) accessToken(w http.ResponseWriter) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.token == nil {
		writeJSON(w, http.StatusConflict, map[string]any{"error": "rp_error", "errorDescription": "not signed in"})
		return "", false
	}
	return r.token.AccessToken, true
}

func (r *rp) userinfo(w http.ResponseWriter, req *http.Request) {
	at, ok := r.accessToken(w)
	if !ok {
		return
	}
	endpoint, err := via(r.provider.UserInfoEndpoint(), req)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
		return
	}
	// The status first (go-oidc folds it into an error's text), then the
	// claims through go-oidc.
	probe, _ := http.NewRequestWithContext(req.Context(), http.MethodGet, endpoint, nil)
	probe.Header.Set("Authorization", "Bearer "+at)
	res, err := r.client.Do(probe)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
		return
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	answer := map[string]any{"status": res.StatusCode, "wwwAuthenticate": res.Header.Get("WWW-Authenticate")}
	if res.StatusCode == http.StatusOK && req.URL.Query().Get("via") == "" {
		info, err := r.provider.UserInfo(oidc.ClientContext(req.Context(), r.client),
			oauth2.StaticTokenSource(&oauth2.Token{AccessToken: at, TokenType: "Bearer"}))
		if err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
			return
		}
		claims := map[string]any{}
		if err := info.Claims(&claims); err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
			return
		}
		answer["claims"] = claims
	}
	writeJSON(w, http.StatusOK, answer)
}

func (r *rp) introspect(w http.ResponseWriter, req *http.Request) {
	at, ok := r.accessToken(w)
	if !ok {
		return
	}
	if r.disc.Introspection == "" {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": "discovery names no introspection_endpoint"})
		return
	}
	endpoint, err := via(r.disc.Introspection, req)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
		return
	}
	form := url.Values{"token": {at}, "token_type_hint": {"access_token"}}
	post, _ := http.NewRequestWithContext(req.Context(), http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.Header.Set("Accept", "application/json")
	post.SetBasicAuth(url.QueryEscape(r.config.ClientID), url.QueryEscape(r.config.ClientSecret))
	res, err := r.client.Do(post)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	var answer any
	if err := json.Unmarshal(body, &answer); err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error",
			"errorDescription": fmt.Sprintf("introspection answered %d, not JSON: %.200s", res.StatusCode, body)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": res.StatusCode, "body": answer})
}

func (r *rp) logout(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	hint := r.idToken
	r.mu.Unlock()
	if r.disc.EndSession == "" {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": "discovery names no end_session_endpoint"})
		return
	}
	to, err := url.Parse(r.disc.EndSession)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "rp_error", "errorDescription": err.Error()})
		return
	}
	q := to.Query()
	q.Set("id_token_hint", hint)
	q.Set("client_id", r.config.ClientID)
	q.Set("post_logout_redirect_uri", r.base+"/logged-out")
	q.Set("state", random())
	to.RawQuery = q.Encode()
	http.Redirect(w, req, to.String(), http.StatusFound)
}
