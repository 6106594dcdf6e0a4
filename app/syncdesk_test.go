package app

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/server"
	"roster/backend/sqlite"
	"roster/backend/syncclient"
	"roster/backend/syncer"
)

// directoryServer is a roster-server over a real SQLite file, with an
// organisation, a second member, an invitation, a custom role, and an API
// token of its administrator.
type directoryServer struct {
	db    *sqlite.DB
	org   *backend.Organisation
	admin *backend.User
	url   string
	token string
	close func()
}

func newDirectoryServer(t *testing.T) *directoryServer {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "server.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	org, admin, err := sqlite.NewOrganisationService(db).SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: "Server Org", AdminName: "Grace Hopper", AdminEmail: "grace@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	actx := backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name})
	invitations := sqlite.NewInvitationService(db)
	inv, err := invitations.InviteUser(actx, backend.InviteParams{Email: "alan@example.com", Role: backend.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	mail, err := sqlite.NewOutboxService(db).FindOutboxEntryByID(ctx, inv.OutboxID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invitations.AcceptInvitation(ctx, backend.AcceptParams{Token: mail.Data[backend.MailDataToken], Name: "Alan Turing",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"}); err != nil {
		t.Fatal(err)
	}
	if _, err := invitations.InviteUser(actx, backend.InviteParams{Email: "edsger@example.com", Role: backend.RoleUser}); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewRoleService(db).CreateRole(actx, backend.RoleParams{Name: "Helpdesk",
		Permissions: []backend.Permission{backend.PermChat, backend.PermManageUsers}}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(base)
	srv, err := server.New(server.Config{BaseURL: u, Limits: server.Limits{APIRate: 1e6, APIBurst: 1e6}}, *sqlite.NewStorage(db), nil)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	_, token, err := sqlite.NewAPITokenService(db).CreateAPIToken(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &directoryServer{db: db, org: org, admin: admin, url: base, token: token, close: ts.Close}
}

// newDesktopApp returns an App over a fresh desktop database (not set up)
// with the sync service and engine wired as main.go wires them, and the
// database.
func newDesktopApp(t *testing.T) (*App, *sqlite.DB) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "desktop.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := logrus.New()
	log.SetLevel(logrus.FatalLevel)
	orgs := sqlite.NewOrganisationService(db)
	svc := syncclient.NewService(sqlite.NewSettingService(db), &memoryKeyring{secrets: map[string]string{}}, orgs, log)
	svc.Options.Name = "Roster on test-host"
	svc.Recording = db.OpLog
	engine := &syncer.Engine{
		Replica:   sqlite.NewSyncReplica(db),
		Transport: svc.CurrentTransport,
		Log:       log,
		PullPage:  2,
		Acting: func(ctx context.Context) context.Context {
			admin, err := orgs.FindCurrentAdmin(ctx)
			if err != nil {
				return ctx
			}
			return backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name, Client: syncclient.ClientName()})
		},
	}
	svc.Joining = &syncclient.Joining{Sync: engine.SyncOnce, Replica: sqlite.NewSyncReplica(db)}
	a := New(Deps{Log: log, Organisations: orgs, Settings: sqlite.NewSettingService(db), Sync: svc, SyncEngine: engine,
		Invitations: sqlite.NewInvitationService(db)})
	return a, db
}

// rows returns the rows a query gives, each as its columns joined by "|".
func rows(t *testing.T, db *sqlite.DB, query string) []string {
	t.Helper()
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rs, err := raw.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteString("|")
			}
			switch v := v.(type) {
			case []byte:
				b.Write(v)
			case nil:
			default:
				b.WriteString(fmt.Sprint(v))
			}
		}
		out = append(out, b.String())
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// replicated are the rows a desktop must have as the server has them.
var replicated = []string{
	`SELECT id, name, email, role_id, status FROM users ORDER BY id`,
	`SELECT id, email, role_id, state, invited_by_id FROM invitations ORDER BY id`,
	`SELECT r.id, r.name, group_concat(p.permission) FROM roles r LEFT JOIN role_permissions p ON p.role_id = r.id GROUP BY r.id ORDER BY r.id`,
	`SELECT uid, action, target_id FROM audit_log ORDER BY uid`,
}

func assertReplica(t *testing.T, server, desktop *sqlite.DB) {
	t.Helper()
	for _, q := range replicated {
		want, got := rows(t, server, q), rows(t, desktop, q)
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %q\nwant %q", q, got, want)
		}
	}
}

// runEngine runs a's sync engine until the test ends.
func runEngine(t *testing.T, a *App) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.deps.SyncEngine.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func TestSync_JoinSync(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv := newDirectoryServer(t)
		a, db := newDesktopApp(t)
		got, err := a.Sync.JoinSync(SyncConnectParams{URL: srv.url, Token: srv.token})
		if err != nil {
			t.Fatal(err)
		}
		if !got.Connected || got.OrganisationName != "Server Org" || got.AdministratorName != "Grace Hopper" || got.TokenStore != "keyring" {
			t.Fatalf("joined = %+v", got)
		}
		assertNoToken(t, db, got)
		// The organisation is the server's, its administrator the token's.
		org, err := a.deps.Organisations.FindOrganisation(context.Background())
		if err != nil || org.ID != srv.org.ID || org.Name != "Server Org" {
			t.Fatalf("organisation = %+v, %v", org, err)
		}
		admin, err := a.deps.Organisations.FindCurrentAdmin(context.Background())
		if err != nil || admin.ID != srv.admin.ID {
			t.Fatalf("administrator = %+v, %v", admin, err)
		}
		assertReplica(t, srv.db, db)

		// A change made afterwards is recorded and pushed.
		runEngine(t, a)
		ctx := backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name, Client: syncclient.ClientName()})
		inv, err := a.deps.Invitations.InviteUser(ctx, backend.InviteParams{Email: "barbara@example.com", Role: backend.RoleUser})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := a.Sync.GetSyncStatus(); err != nil || !st.Connected || st.Pending != 1 {
			t.Fatalf("status after a change = %+v, %v", st, err)
		}
		st, err := a.Sync.SyncNow()
		if err != nil || st.Pending != 0 || st.LastSyncAt == "" || st.LastError != nil {
			t.Fatalf("sync now = %+v, %v", st, err)
		}
		var email string
		if err := rawQueryRow(t, srv.db, `SELECT email FROM invitations WHERE id = ?`, inv.ID).Scan(&email); err != nil || email != "barbara@example.com" {
			t.Fatalf("the invitation on the server = %q, %v", email, err)
		}
		assertReplica(t, srv.db, db)
	})

	t.Run("ErrPullBrokenMidwayThenRetry", func(t *testing.T) {
		// The server's answers break after the first page of the pull:
		// the join fails with the desktop not set up and not connected,
		// and a second try pulls everything.
		srv := newDirectoryServer(t)
		target, _ := url.Parse(srv.url)
		proxy := httputil.NewSingleHostReverseProxy(target)
		var pulls, breakAfter atomic.Int64
		breakAfter.Store(3)
		flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/sync/pull" && pulls.Add(1) > breakAfter.Load() {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(flaky.Close)
		a, db := newDesktopApp(t)
		_, err := a.Sync.JoinSync(SyncConnectParams{URL: flaky.URL, Token: srv.token})
		if backend.ErrorCode(err) != backend.EUNAVAILABLE {
			t.Fatalf("join through a broken server = %v", err)
		}
		if n := len(rows(t, db, `SELECT id FROM users`)); n == 0 {
			t.Fatal("the broken pull wrote nothing: the test does not test a pull broken midway")
		}
		if _, err := a.deps.Organisations.FindOrganisation(context.Background()); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("organisation after a failed join: %v", err)
		}
		if st, err := a.Sync.GetSyncSettings(); err != nil || st.Connected || st.TokenStore != "" {
			t.Fatalf("settings after a failed join = %+v, %v", st, err)
		}
		if a.deps.Sync.Recording.(interface{ Client() string }).Client() != "" {
			t.Fatal("still recording after a failed join")
		}

		breakAfter.Store(1 << 40)
		if _, err := a.Sync.JoinSync(SyncConnectParams{URL: flaky.URL, Token: srv.token}); err != nil {
			t.Fatal(err)
		}
		if org, err := a.deps.Organisations.FindOrganisation(context.Background()); err != nil || org.ID != srv.org.ID {
			t.Fatalf("organisation = %+v, %v", org, err)
		}
		assertReplica(t, srv.db, db)
	})

	t.Run("ErrSetUpAlready", func(t *testing.T) {
		srv := newDirectoryServer(t)
		a, _, _ := newSyncApp(t, &memoryKeyring{secrets: map[string]string{}})
		a.deps.Sync.Joining = &syncclient.Joining{Sync: func(context.Context) error { t.Fatal("pulled"); return nil }}
		_, err := a.Sync.JoinSync(SyncConnectParams{URL: srv.url, Token: srv.token})
		if e := backend.AsError(err); e == nil || e.Code != backend.ECONFLICT || e.Key != "organisation.exists" {
			t.Fatalf("join when set up = %v", err)
		}
	})

	t.Run("ErrTokenRefused", func(t *testing.T) {
		srv := newDirectoryServer(t)
		a, _ := newDesktopApp(t)
		_, err := a.Sync.JoinSync(SyncConnectParams{URL: srv.url, Token: "rst_not-the-token-0123456789abcdef"})
		if backend.ErrorCode(err) != backend.EFORBIDDEN {
			t.Fatalf("join with a wrong token = %v", err)
		}
		if st, err := a.Sync.GetSyncSettings(); err != nil || st.Connected {
			t.Fatalf("settings = %+v, %v", st, err)
		}
	})
}

func TestSync_Status(t *testing.T) {
	t.Run("NotConnected", func(t *testing.T) {
		a, _ := newDesktopApp(t)
		st, err := a.Sync.GetSyncStatus()
		if err != nil || st.Connected || st.Pending != 0 || st.LastError != nil || st.LastSyncAt != "" {
			t.Fatalf("status = %+v, %v", st, err)
		}
	})

	t.Run("ErrSyncNowNotConnected", func(t *testing.T) {
		a, _ := newDesktopApp(t)
		_, err := a.Sync.SyncNow()
		if e := backend.AsError(err); e == nil || e.Code != backend.ENOTFOUND || e.Key != "sync.not_connected" {
			t.Fatalf("sync now = %v", err)
		}
	})

	t.Run("ErrServerGone", func(t *testing.T) {
		// The server goes away: Sync now gives the coded error, the status
		// keeps it with the changes still waiting, and events report it.
		srv := newDirectoryServer(t)
		a, _ := newDesktopApp(t)
		if _, err := a.Sync.JoinSync(SyncConnectParams{URL: srv.url, Token: srv.token}); err != nil {
			t.Fatal(err)
		}
		var events []SyncStatusDTO
		a.Sync.emitStatus = func(dto SyncStatusDTO) { events = append(events, dto) }
		a.deps.SyncEngine.OnStatus = a.SyncStatusChanged()
		runEngine(t, a)
		admin, _ := a.deps.Organisations.FindCurrentAdmin(context.Background())
		ctx := backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name})
		if _, err := a.deps.Invitations.InviteUser(ctx, backend.InviteParams{Email: "barbara@example.com", Role: backend.RoleUser}); err != nil {
			t.Fatal(err)
		}
		srv.close()
		_, err := a.Sync.SyncNow()
		e := backend.AsError(err)
		if e == nil || e.Code != backend.EUNAVAILABLE || !strings.HasPrefix(e.Key, "sync.") {
			t.Fatalf("sync now = %v", err)
		}
		st, err := a.Sync.GetSyncStatus()
		if err != nil || !st.Connected || st.Running || st.Pending != 1 || st.LastError == nil ||
			st.LastError.Code != backend.EUNAVAILABLE || st.LastError.Key != e.Key || st.LastError.Message == "" {
			t.Fatalf("status = %+v, %v", st, err)
		}
		if len(events) < 2 || !events[len(events)-2].Running || events[len(events)-1].Running || events[len(events)-1].LastError == nil ||
			events[len(events)-1].Pending != 1 {
			t.Fatalf("events = %+v", events)
		}
	})
}
