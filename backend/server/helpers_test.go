package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/password"
	"roster/backend/server"
	"roster/backend/server/servertest"
	"roster/backend/sqlite"
)

// cheap hashing keeps the tests fast; TestRehashOnSignIn uses the real parameters.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// The passwords of the tests: long enough and not common.
const (
	pw1 = "violet tractor mumbles softly"
	pw2 = "seven quiet herons fold maps"
	pw3 = "brass kettle under orange moss"
)

// syncBuffer collects output written from other goroutines.
type syncBuffer = servertest.SyncBuffer

// env is a real Roster database with an organisation, the services over it,
// and the directory server on a loopback listener.
type env struct {
	t           *testing.T
	db          *sqlite.DB
	ctx         context.Context // acting as the first administrator
	admin       *backend.User
	users       *sqlite.UserService
	invitations *sqlite.InvitationService
	resets      *sqlite.PasswordResetService
	outbox      *sqlite.OutboxService
	base        string
	logs        *syncBuffer
	api         bool // the server has the admin API
}

// newEnv starts a server; change adjusts its configuration first.
func newEnv(t *testing.T, change func(*server.Config)) *env {
	t.Helper()
	return openEnv(t, change, false)
}

// openEnv starts a server, with the admin API if api; change adjusts its
// configuration first.
func openEnv(t *testing.T, change func(*server.Config), api bool) *env {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	orgs := sqlite.NewOrganisationService(db)
	_, admin, err := orgs.SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	base, logs := startServer(t, db, change, api)
	return &env{
		t: t, db: db, admin: admin, base: base, logs: logs, api: api,
		ctx:         backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name}),
		users:       sqlite.NewUserService(db),
		invitations: sqlite.NewInvitationService(db),
		resets:      sqlite.NewPasswordResetService(db),
		outbox:      sqlite.NewOutboxService(db),
	}
}

// startServer starts a server over db on a loopback listener until the
// test ends, with the admin API if api; change adjusts its configuration
// first.
func startServer(t *testing.T, db *sqlite.DB, change func(*server.Config), api bool) (base string, logs *syncBuffer) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base = "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(base)
	cfg := server.Config{BaseURL: u, Hasher: &password.Hasher{Params: cheap}}
	if change != nil {
		change(&cfg)
	}
	logs = &syncBuffer{}
	log := logrus.New()
	log.SetOutput(logs)
	log.SetFormatter(&logrus.JSONFormatter{})
	svc := *sqlite.NewStorage(db)
	if !api {
		svc.APITokens = nil
	}
	srv, err := server.New(cfg, svc, log)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return base, logs
}

// sibling is e with a second server on e's database file, through a
// handle of its own, as a second server process on one database would be;
// change adjusts its configuration.
func (e *env) sibling(change func(*server.Config)) *env {
	e.t.Helper()
	return e.siblingOn(sqlite.NewDB(e.db.Path()), change)
}

// siblingOn is sibling with the handle db, not yet open.
func (e *env) siblingOn(db *sqlite.DB, change func(*server.Config)) *env {
	e.t.Helper()
	if err := db.Open(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	other := *e
	other.base, other.logs = startServer(e.t, db, change, e.api)
	return &other
}

// services are the sqlite services the server uses, without the admin
// API's token service (so without the API).
func services(db *sqlite.DB) server.Services {
	svc := *sqlite.NewStorage(db)
	svc.APITokens = nil
	return svc
}

// invite invites email as the desktop does and returns the token its email carries.
func (e *env) invite(email, role string) (*backend.Invitation, string) {
	e.t.Helper()
	inv, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: email, Role: role})
	if err != nil {
		e.t.Fatal(err)
	}
	return inv, e.tokenOf(inv.OutboxID)
}

// sendReset sends a password reset as the desktop does and returns its token.
func (e *env) sendReset(userID string) string {
	e.t.Helper()
	r, err := e.resets.SendPasswordReset(e.ctx, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.tokenOf(r.OutboxID)
}

func (e *env) tokenOf(outboxID int64) string {
	e.t.Helper()
	m, err := e.outbox.FindOutboxEntryByID(context.Background(), outboxID)
	if err != nil || m.Data[backend.MailDataToken] == "" {
		e.t.Fatalf("no token in outbox entry %d: %v", outboxID, err)
	}
	return m.Data[backend.MailDataToken]
}

// browser is one browser: its own cookies, its own address.
type browser struct {
	e      *env
	client *http.Client
	header http.Header // sent with every request
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, client: &http.Client{Jar: jar}, header: http.Header{"Accept-Language": {"en-GB,en;q=0.9"}}}
}

// page is an answer, read whole.
type page struct {
	status int
	url    string
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) *page {
	b.e.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &page{status: res.StatusCode, url: res.Request.URL.String(), body: string(body), header: res.Header}
}

func (b *browser) get(path string) *page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.base+path, nil)
	return b.do(req)
}

// post sends a form as a browser does from one of the server's own pages.
func (b *browser) post(path string, form url.Values) *page {
	b.e.t.Helper()
	return b.postWith(path, form.Encode(), http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {b.e.base}})
}

func (b *browser) postWith(path, body string, h http.Header) *page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range h {
		req.Header[k] = v
	}
	return b.do(req)
}

func (b *browser) login(email, pw string) *page {
	b.e.t.Helper()
	return b.post("/login", url.Values{"email": {email}, "password": {pw}})
}

// expect fails the test unless the page has the status and every text.
func (p *page) expect(t *testing.T, status int, texts ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d at %s, want %d; page:\n%s", p.status, p.url, status, p.body)
	}
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Fatalf("page at %s lacks %q:\n%s", p.url, s, p.body)
		}
	}
}

// at fails the test unless the browser ended at path.
func (p *page) at(t *testing.T, base, path string) {
	t.Helper()
	if p.url != base+path {
		t.Fatalf("browser at %s, want %s", p.url, base+path)
	}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
