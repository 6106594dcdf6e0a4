package server_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"roster/backend/server"
	"roster/backend/sqlite"
)

// apiEnv is env with the admin API on, and an API token of its first administrator.
type apiEnv struct {
	*env
	tokens *sqlite.APITokenService
	token  string // Ada Admin's API token
}

// newAPIEnv starts a server with the admin API; change adjusts its configuration first.
func newAPIEnv(t *testing.T, change func(*server.Config)) *apiEnv {
	t.Helper()
	e := &apiEnv{env: openEnv(t, change, true)}
	e.tokens = sqlite.NewAPITokenService(e.db)
	e.token = e.newToken(e.admin.ID)
	return e
}

// sibling is e with a second server on e's database (see env.sibling).
func (e *apiEnv) sibling(change func(*server.Config)) *apiEnv {
	e.t.Helper()
	return &apiEnv{env: e.env.sibling(change), tokens: e.tokens, token: e.token}
}

// siblingOn is sibling with the handle db, not yet open.
func (e *apiEnv) siblingOn(db *sqlite.DB, change func(*server.Config)) *apiEnv {
	e.t.Helper()
	return &apiEnv{env: e.env.siblingOn(db, change), tokens: e.tokens, token: e.token}
}

// newToken issues an API token for an administrator.
func (e *apiEnv) newToken(userID string) string {
	e.t.Helper()
	_, secret, err := e.tokens.CreateAPIToken(e.ctx, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// mint mints a link token as a desktop does: the token for the email, and
// its SHA-256 in hex for the API.
func mint() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(token))
	return token, hex.EncodeToString(h[:])
}

// answer is an API answer, read whole.
type answer struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// errorKey returns the answer's error code and key, "" for none.
func (a *answer) errorKey() (string, string) {
	e, _ := a.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	key, _ := e["key"].(string)
	return code, key
}

// expectError fails the test unless the answer is an error with status, code and key.
func (a *answer) expectError(t *testing.T, status int, code, key string) {
	t.Helper()
	if gotCode, gotKey := a.errorKey(); a.status != status || gotCode != code || gotKey != key {
		t.Fatalf("answer %d %s/%s, want %d %s/%s: %s", a.status, gotCode, gotKey, status, code, key, a.raw)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("error answered as %q", ct)
	}
	e := a.body["error"].(map[string]any)
	for _, k := range []string{"code", "message", "key", "args", "field"} {
		if _, ok := e[k]; !ok {
			t.Fatalf("the error lacks %q: %s", k, a.raw)
		}
	}
}

// expect fails the test unless the answer has status.
func (a *answer) expect(t *testing.T, status int) *answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("answer %d, want %d: %s", a.status, status, a.raw)
	}
	return a
}

// str returns a top-level string field of the answer.
func (a *answer) str(field string) string {
	s, _ := a.body[field].(string)
	return s
}

// call sends an API request with the environment's token; body is JSON
// encoded unless it is a string, sent as it is. h adds or (with "") removes headers.
func (e *apiEnv) call(method, path string, body any, h ...string) *answer {
	e.t.Helper()
	return e.callAs(e.token, method, path, body, h...)
}

func (e *apiEnv) callAs(token, method, path string, body any, h ...string) *answer {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.base+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Roster-Client", "Roster desktop test")
	for i := 0; i+1 < len(h); i += 2 {
		if h[i+1] == "" {
			req.Header.Del(h[i])
		} else {
			req.Header.Set(h[i], h[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := &answer{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if len(raw) > 0 {
		json.Unmarshal(raw, &a.body)
	}
	return a
}

// inviteByAPI invites email as a desktop does and returns the invitation's id and link token.
func (e *apiEnv) inviteByAPI(email, role string) (string, string) {
	e.t.Helper()
	token, hash := mint()
	a := e.call("POST", "/api/v1/invitations", map[string]any{"email": email, "role": role, "tokenHash": hash}).expect(e.t, http.StatusCreated)
	return a.str("id"), token
}

// join registers through the invitation page and returns the signed-in browser.
func (e *apiEnv) join(token, name, pw string) *browser {
	e.t.Helper()
	b := e.browser()
	b.post("/invite/"+token, url.Values{"name": {name}, "password": {pw}, "repeat": {pw}}).at(e.t, e.base, "/account")
	return b
}
