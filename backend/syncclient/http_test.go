package syncclient_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/syncclient"
)

const testToken = "rst_0123456789abcdefSECRET"

// fakeServer speaks the sync contract for unit tests: it answers hello,
// push and pull for testToken, and records what it was sent.
type fakeServer struct {
	*httptest.Server
	gotClient string
	gotPush   backend.PushRequest
	gotQuery  string
	gotType   string
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	mux := http.NewServeMux()
	auth := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer "+testToken {
				writeJSON(w, http.StatusUnauthorized, apiError("unauthorized", "api_token.invalid", nil))
				return
			}
			f.gotClient = r.Header.Get(syncclient.ClientHeader)
			h(w, r)
		}
	}
	mux.HandleFunc("GET /api/v1/sync/hello", auth(func(w http.ResponseWriter, r *http.Request) {
		h := backend.SyncHello{Server: f.URL, Version: "1.2.3"}
		h.Organisation.ID, h.Organisation.Name = "org-1", "Example Ltd"
		h.Administrator.ID, h.Administrator.Name, h.Administrator.Email = "u1", "Ada", "ada@example.com"
		writeJSON(w, http.StatusOK, h)
	}))
	mux.HandleFunc("POST /api/v1/sync/push", auth(func(w http.ResponseWriter, r *http.Request) {
		f.gotType = r.Header.Get("Content-Type")
		if err := json.NewDecoder(r.Body).Decode(&f.gotPush); err != nil {
			writeJSON(w, http.StatusBadRequest, apiError("invalid", "api.bad_json", nil))
			return
		}
		writeJSON(w, http.StatusOK, backend.PushResult{Applied: f.gotPush.Ops[len(f.gotPush.Ops)-1].Seq,
			Conflicts: []*backend.Conflict{{Seq: 2, Kind: backend.OpInvite,
				Error: backend.MsgInvitationExists.Error(backend.ECONFLICT, "email", "a@example.com")}}})
	}))
	mux.HandleFunc("GET /api/v1/sync/pull", auth(func(w http.ResponseWriter, r *http.Request) {
		f.gotQuery = r.URL.RawQuery
		writeJSON(w, http.StatusOK, backend.PullResult{Cursor: 9, More: true, Applied: 3,
			Changes: []backend.Change{{Seq: 9, Entity: backend.EntityRole, ID: "r1", Deleted: true}}})
	}))
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func apiError(code, key string, args map[string]any) map[string]any {
	if args == nil {
		args = map[string]any{}
	}
	return map[string]any{"error": map[string]any{"code": code, "message": "server text", "key": key, "args": args, "field": ""}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func newClient(t *testing.T, url, token string, opt syncclient.Options) *syncclient.Client {
	t.Helper()
	if opt.Name == "" {
		opt.Name = "Roster on test-host"
	}
	c, err := syncclient.New(url, token, opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// assertCoded checks err's code and key, and that it never shows the token.
func assertCoded(t *testing.T, err error, code, key string) *backend.Error {
	t.Helper()
	e := backend.AsError(err)
	if e == nil || e.Code != code || e.Key != key {
		t.Fatalf("error = %v; want %s with key %s", err, code, key)
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(fmt.Sprint(e.Args), testToken) {
		t.Fatalf("the error shows the token: %v", err)
	}
	return e
}

func TestClient_Contract(t *testing.T) {
	t.Run("Hello", func(t *testing.T) {
		f := newFakeServer(t)
		h, err := newClient(t, f.URL+"/", testToken, syncclient.Options{}).Hello(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if h.Organisation.ID != "org-1" || h.Administrator.Name != "Ada" || h.Version != "1.2.3" {
			t.Fatalf("hello = %+v", h)
		}
		if f.gotClient != "Roster on test-host" {
			t.Fatalf("Roster-Client = %q", f.gotClient)
		}
	})

	t.Run("Push", func(t *testing.T) {
		f := newFakeServer(t)
		req := &backend.PushRequest{Client: "c1", Ops: []backend.Op{
			{Client: "c1", Seq: 1, Kind: backend.OpDeleteRole, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Data: json.RawMessage(`{"id":"r1"}`)},
			{Client: "c1", Seq: 2, Kind: backend.OpInvite, Data: json.RawMessage(`{"id":"i1"}`)},
		}}
		res, err := newClient(t, f.URL, testToken, syncclient.Options{}).Push(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if f.gotType != "application/json" || f.gotPush.Client != "c1" || len(f.gotPush.Ops) != 2 || string(f.gotPush.Ops[0].Data) != `{"id":"r1"}` {
			t.Fatalf("the server got %s %+v", f.gotType, f.gotPush)
		}
		if res.Applied != 2 || len(res.Conflicts) != 1 || res.Conflicts[0].Error.Key != "invitation.exists" || res.Conflicts[0].Error.Code != backend.ECONFLICT {
			t.Fatalf("result = %+v", res)
		}
	})

	t.Run("Pull", func(t *testing.T) {
		f := newFakeServer(t)
		res, err := newClient(t, f.URL, testToken, syncclient.Options{}).Pull(context.Background(), "c 1", 7, 500)
		if err != nil {
			t.Fatal(err)
		}
		if f.gotQuery != "client=c+1&cursor=7&limit=500" {
			t.Fatalf("query = %q", f.gotQuery)
		}
		if res.Cursor != 9 || !res.More || res.Applied != 3 || len(res.Changes) != 1 || !res.Changes[0].Deleted {
			t.Fatalf("result = %+v", res)
		}
	})
}

func TestClient_Errors(t *testing.T) {
	ctx := context.Background()

	t.Run("ErrUnreachable", func(t *testing.T) {
		f := newFakeServer(t)
		url := f.URL
		f.Close()
		_, err := newClient(t, url, testToken, syncclient.Options{}).Hello(ctx)
		e := assertCoded(t, err, backend.EUNAVAILABLE, "sync.unreachable")
		if e.Args["server"] != url {
			t.Fatalf("args = %v", e.Args)
		}
	})

	t.Run("ErrTimeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer srv.Close()
		defer close(release)
		_, err := newClient(t, srv.URL, testToken, syncclient.Options{Timeout: 50 * time.Millisecond}).Hello(ctx)
		assertCoded(t, err, backend.EUNAVAILABLE, "sync.timeout")
	})

	t.Run("ErrTokenRefused", func(t *testing.T) {
		f := newFakeServer(t)
		_, err := newClient(t, f.URL, "rst_wrong", syncclient.Options{}).Hello(ctx)
		e := assertCoded(t, err, backend.EFORBIDDEN, "sync.token_refused")
		if e.Field != "token" || !strings.Contains(e.Message, "roster-server token create") {
			t.Fatalf("error = %+v", e)
		}
	})

	t.Run("ErrCertificate", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		defer srv.Close()
		_, err := newClient(t, srv.URL, testToken, syncclient.Options{}).Hello(ctx)
		assertCoded(t, err, backend.EUNAVAILABLE, "sync.certificate")
	})

	t.Run("TrustedCertificate", func(t *testing.T) {
		f := &fakeServer{}
		f.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, backend.SyncHello{Version: "1"})
		}))
		defer f.Close()
		roots := f.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
		if _, err := newClient(t, f.URL, testToken, syncclient.Options{RootCAs: roots}).Hello(ctx); err != nil {
			t.Fatal(err)
		}
	})

	// answer runs Hello against a server that answers status and body.
	answer := func(t *testing.T, status int, contentType, body string, opt syncclient.Options) error {
		t.Helper()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			io.WriteString(w, body)
		}))
		defer srv.Close()
		_, err := newClient(t, srv.URL, testToken, opt).Hello(ctx)
		return err
	}
	errorBody := func(code, key string, args map[string]any) string {
		b, _ := json.Marshal(apiError(code, key, args))
		return string(b)
	}

	t.Run("ServerErrorKeepsItsKey", func(t *testing.T) {
		err := answer(t, http.StatusForbidden, "application/json", errorBody("forbidden", "user.last_admin.demoted", map[string]any{"name": "Ada"}), syncclient.Options{})
		e := assertCoded(t, err, backend.EFORBIDDEN, "user.last_admin.demoted")
		if e.Args["name"] != "Ada" || e.Message != backend.MsgUserLastAdminDemoted.Text("en", "name", "Ada") {
			t.Fatalf("error = %+v", e)
		}
	})

	t.Run("ServerErrorNumbersStayWhole", func(t *testing.T) {
		err := answer(t, http.StatusServiceUnavailable, "application/json", errorBody("unavailable", "api.rate_limited", map[string]any{"seconds": 1000000}), syncclient.Options{})
		e := assertCoded(t, err, backend.EUNAVAILABLE, "api.rate_limited")
		if !strings.Contains(e.Message, "1000000 seconds") {
			t.Fatalf("message = %q", e.Message)
		}
	})

	t.Run("ServerErrorUnknownKeyKeepsItsText", func(t *testing.T) {
		err := answer(t, http.StatusConflict, "application/json", errorBody("conflict", "sync.from_the_future", map[string]any{"expected": 4}), syncclient.Options{})
		e := assertCoded(t, err, backend.ECONFLICT, "sync.from_the_future")
		if e.Message != "server text" || fmt.Sprint(e.Args["expected"]) != "4" {
			t.Fatalf("error = %+v", e)
		}
	})

	t.Run("ErrServerInternal", func(t *testing.T) {
		err := answer(t, http.StatusInternalServerError, "application/json", errorBody("internal", "internal", nil), syncclient.Options{})
		e := assertCoded(t, err, backend.EUNAVAILABLE, "sync.server_failed")
		if fmt.Sprint(e.Args["status"]) != "500" {
			t.Fatalf("args = %v", e.Args)
		}
	})

	t.Run("ErrProxyFailed", func(t *testing.T) {
		err := answer(t, http.StatusBadGateway, "text/html", "<h1>Bad Gateway</h1>", syncclient.Options{})
		assertCoded(t, err, backend.EUNAVAILABLE, "sync.server_failed")
	})

	t.Run("ErrNotRoster", func(t *testing.T) {
		err := answer(t, http.StatusNotFound, "text/html", "<h1>Not Found</h1>", syncclient.Options{})
		assertCoded(t, err, backend.EUNAVAILABLE, "sync.bad_answer")
		err = answer(t, http.StatusOK, "text/html", "<html>welcome</html>", syncclient.Options{})
		assertCoded(t, err, backend.EUNAVAILABLE, "sync.bad_answer")
	})

	t.Run("ErrServerWithoutSync", func(t *testing.T) {
		err := answer(t, http.StatusNotFound, "application/json", errorBody("not_found", "api.not_found", nil), syncclient.Options{})
		assertCoded(t, err, backend.EUNAVAILABLE, "sync.not_supported")
	})

	t.Run("ErrAnswerTooLarge", func(t *testing.T) {
		body := `{"server":"` + strings.Repeat("x", 200) + `"}`
		err := answer(t, http.StatusOK, "application/json", body, syncclient.Options{MaxResponse: 100})
		assertCoded(t, err, backend.EUNAVAILABLE, "sync.answer_too_large")
		if err := answer(t, http.StatusOK, "application/json", body, syncclient.Options{MaxResponse: int64(len(body))}); err != nil {
			t.Fatalf("an answer of exactly the limit: %v", err)
		}
	})

	t.Run("ErrRedirectNotFollowed", func(t *testing.T) {
		var leaked bool
		target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			leaked = r.Header.Get("Authorization") != ""
		}))
		defer target.Close()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/elsewhere", http.StatusFound)
		}))
		defer srv.Close()
		_, err := newClient(t, srv.URL, testToken, syncclient.Options{}).Hello(ctx)
		e := assertCoded(t, err, backend.EINVALID, "sync.redirect")
		if e.Field != "url" || e.Args["location"] != target.URL+"/elsewhere" || leaked {
			t.Fatalf("error = %+v, token sent on: %v", e, leaked)
		}
	})
}

func TestParseServerURL(t *testing.T) {
	for _, tt := range []struct {
		in, want, key string
	}{
		{in: " https://Roster.Example.com/ ", want: "https://roster.example.com"},
		{in: "https://roster.example.com:8443/dir/", want: "https://roster.example.com:8443/dir"},
		{in: "http://localhost:8080", want: "http://localhost:8080"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{in: "http://[::1]:8080", want: "http://[::1]:8080"},
		{in: "", key: "sync.url_missing"},
		{in: "roster.example.com", key: "sync.url_invalid"},
		{in: "https://", key: "sync.url_invalid"},
		{in: "https://exa mple.com", key: "sync.url_invalid"},
		{in: "https://example.com:99999", key: "sync.url_invalid"},
		{in: "ftp://roster.example.com", key: "sync.url_scheme"},
		{in: "file:///etc/passwd", key: "sync.url_scheme"},
		{in: "http://roster.example.com", key: "sync.url_https"},
		{in: "http://10.0.0.5", key: "sync.url_https"},
		{in: "https://ada:pw@roster.example.com", key: "sync.url_extra"},
		{in: "https://roster.example.com/?a=1", key: "sync.url_extra"},
		{in: "https://roster.example.com/#x", key: "sync.url_extra"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := syncclient.ParseServerURL(tt.in)
			if tt.key == "" {
				if err != nil || got != tt.want {
					t.Fatalf("= %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			e := backend.AsError(err)
			if e == nil || e.Code != backend.EINVALID || e.Key != tt.key || e.Field != "url" {
				t.Fatalf("error = %v; want invalid %s at url", err, tt.key)
			}
		})
	}
}

func TestCheckToken(t *testing.T) {
	for _, tt := range []struct{ name, token, key string }{
		{"OK", testToken, ""},
		{"ErrMissing", "", "sync.token_missing"},
		{"ErrSpace", "rst_abc def", "sync.token_invalid"},
		{"ErrLineBreak", "rst_abc\n", "sync.token_invalid"},
		{"ErrTooLong", strings.Repeat("a", syncclient.MaxTokenLength+1), "sync.token_invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := syncclient.CheckToken(tt.token)
			if tt.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := assertCoded(t, err, backend.EINVALID, tt.key)
			if e.Field != "token" {
				t.Fatalf("field = %q", e.Field)
			}
		})
	}
}
