package server_test

// BenchmarkServerLoad is the directory server's bounded load test on
// loopback: many clients at once register through invitation links, read
// /account, read a page of users through the admin API (/api/v1/users, with
// an administrator's token) and redeem password reset links, for a fixed time or until the
// prepared links run out, whichever comes first; no request starts after
// that, and the ones in flight (at most one per client) finish and count.
// It runs Roster's server
// and, beside it, a bare net/http handler that makes the same service calls
// (so the same database writes) without Roster's pages, checks, limits and
// logs: the ratio is Roster's own cost. Afterwards it counts what the
// database holds: no registration or reset may be lost or doubled.
//
//	ROSTER_LOAD_CLIENTS   clients at once (default 200)
//	ROSTER_LOAD_DURATION  how long each run lasts at most (default 5s)
//	ROSTER_LOAD_LINKS     invitation and reset links prepared per run (default 400)
//
// go test -tags sqlite_fts5 -run '^$' -bench BenchmarkServerLoad -benchtime 1x ./backend/server/
//
// BenchmarkPostgresServerLoad runs the same on PostgreSQL: one server, and
// two servers on one database (each with its own connection pool, as two
// processes have; the clients spread their requests over both, as a load
// balancer does), each beside as many bare handlers:
//
// scripts/with-postgres.sh go test -tags sqlite_fts5 -run '^$' -bench BenchmarkPostgresServerLoad -benchtime 1x ./backend/server/

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/time/rate"

	"roster/backend"
	"roster/backend/internal/heappeak"
	"roster/backend/loadstat"
	"roster/backend/password"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
	"roster/backend/server"
	"roster/backend/sqlite"
)

// loadConfig bounds a load run.
type loadConfig struct {
	clients  int
	duration time.Duration
	links    int
	hash     password.Params
}

// loadConfigOf reads the bounds of the load runs from the environment.
func loadConfigOf(b *testing.B) loadConfig {
	return loadConfig{clients: loadstat.Clients(b), duration: loadstat.Duration(b), links: loadstat.Env(b, "ROSTER_LOAD_LINKS", 400)}
}

// loadHashes are the password hash costs each pair runs with.
var loadHashes = []struct {
	name   string
	params password.Params
}{
	{"argon2id-owasp", password.DefaultParams},
	// Hashing is most of the work; with a trivial cost the rest shows.
	{"hash-64KiB", password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
}

// runLoads runs Roster and the bare handler with each hash cost, prefix
// naming the storage in the sub-benchmark's name.
func runLoads(b *testing.B, prefix string, t *loadTemplate, cfg loadConfig, open func(b *testing.B) *loadStore) {
	for _, hash := range loadHashes {
		for _, impl := range []string{"roster", "bare"} {
			b.Run(prefix+impl+"/"+hash.name, func(b *testing.B) {
				c := cfg
				c.hash = hash.params
				for range b.N {
					runLoad(b, impl, t, c, open(b))
				}
			})
		}
	}
}

func BenchmarkServerLoad(b *testing.B) {
	cfg := loadConfigOf(b)
	// One prepared database, copied for every run: preparing through the
	// services takes longer than a run.
	tmpl := filepath.Join(b.TempDir(), "template.db")
	db := sqlite.NewDB(tmpl)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	t := prepareLoad(b, sqlite.NewStorage(db), cfg.links)
	db.Close()
	runLoads(b, "", t, cfg, func(b *testing.B) *loadStore {
		path := filepath.Join(b.TempDir(), "roster.db")
		copyFile(b, tmpl, path)
		db := sqlite.NewDB(path)
		db.BusyTimeout = server.BusyTimeout // as serve opens it
		if err := db.Open(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return &loadStore{handles: []*backend.Storage{sqlite.NewStorage(db)}, driver: "sqlite3", dsn: "file:" + path + "?mode=ro"}
	})
}

func BenchmarkPostgresServerLoad(b *testing.B) {
	cfg := loadConfigOf(b)
	// One prepared database, copied (CREATE DATABASE … TEMPLATE) for
	// every run.
	tmpl := pgtest.NewDatabase(b)
	db := postgres.NewDB(tmpl)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	t := prepareLoad(b, postgres.NewStorage(db), cfg.links)
	db.Close()
	for _, procs := range []int{1, 2} {
		runLoads(b, fmt.Sprintf("servers-%d/", procs), t, cfg, func(b *testing.B) *loadStore {
			url := copyPostgres(b, tmpl)
			st := &loadStore{driver: "pgx", dsn: url}
			for range procs {
				db := postgres.NewDB(url)
				if err := db.Open(); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { db.Close() })
				st.handles = append(st.handles, postgres.NewStorage(db))
			}
			return st
		})
	}
}

// copyPostgres creates a database from the one at tmpl, which no one may be
// connected to, and returns its URL; it is dropped when b ends.
func copyPostgres(b *testing.B, tmpl string) string {
	b.Helper()
	admin, err := sql.Open("pgx", os.Getenv(pgtest.EnvVar))
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	u, err := url.Parse(tmpl)
	if err != nil {
		b.Fatal(err)
	}
	from := strings.TrimPrefix(u.Path, "/")
	name := fmt.Sprintf("%s_run%d", from, time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + from); err != nil {
		b.Fatalf("copy the prepared database: %v", err)
	}
	b.Cleanup(func() {
		admin, err := sql.Open("pgx", os.Getenv(pgtest.EnvVar))
		if err != nil {
			b.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			b.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// loadStore is the database of one run: the services of each server
// process's handle on it, and how to read it afterwards.
type loadStore struct {
	handles     []*backend.Storage
	driver, dsn string // database/sql's, to count what the database holds
}

// loadLinks are the tokens a run's clients redeem.
type loadLinks struct {
	invitations []string
	resets      []string
}

// loadTemplate is a prepared database's links and token.
type loadTemplate struct {
	links    loadLinks
	users    int    // members before the run
	apiToken string // the administrator's admin API token
}

// prepareLoad fills an empty database through st with n open invitations
// and n members with an open reset each.
func prepareLoad(b *testing.B, st *backend.Storage, n int) *loadTemplate {
	b.Helper()
	ctx := context.Background()
	_, admin, err := st.Organisations.SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name})
	stored, err := (&password.Hasher{Params: password.DefaultParams}).Hash("prepared members never sign in")
	if err != nil {
		b.Fatal(err)
	}
	t := &loadTemplate{users: 1 + n}
	if _, t.apiToken, err = st.APITokens.CreateAPIToken(ctx, admin.ID); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		t.links.invitations = append(t.links.invitations, loadstat.Invite(b, ctx, st, fmt.Sprintf("new-%d@example.com", i)))
		u := loadstat.Member(b, ctx, st, fmt.Sprintf("member-%d@example.com", i), fmt.Sprintf("Member %d", i), stored)
		r, err := st.Resets.SendPasswordReset(ctx, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		token, err := st.Links.TakePasswordResetToken(ctx, r.ID)
		if err != nil {
			b.Fatal(err)
		}
		t.links.resets = append(t.links.resets, token)
	}
	return t
}

// copyFile copies the closed template database.
func copyFile(b *testing.B, from, to string) {
	b.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// loadStats are the answers of a run: by kind of request, and what the
// clients were told succeeded.
type loadStats struct {
	*loadstat.Stats
	registers atomic.Int64
	resets    atomic.Int64
	reads     atomic.Int64
	apiReads  atomic.Int64
}

// runLoad runs one load against impl ("roster" or "bare") on st, one
// server per handle, and reports its figures.
func runLoad(b *testing.B, impl string, t *loadTemplate, cfg loadConfig, st *loadStore) {
	b.StopTimer()
	var bases []string
	var hasher *password.Hasher
	for _, svc := range st.handles {
		// Each server process has its own hasher, with its own bound.
		hasher = password.NewHasher()
		hasher.Params = cfg.hash
		ts := httptest.NewUnstartedServer(nil)
		base := "http://" + ts.Listener.Addr().String()
		switch impl {
		case "roster":
			u, _ := url.Parse(base)
			log := logrus.New()
			log.SetOutput(io.Discard) // formatted as in production, then dropped
			log.SetFormatter(&logrus.JSONFormatter{})
			unlimited := server.Window{Attempts: 1 << 30, Per: time.Minute}
			srv, err := server.New(server.Config{BaseURL: u, Hasher: hasher,
				Limits: server.Limits{Address: unlimited, Account: unlimited, APIRate: rate.Inf, APIBurst: 1},
			}, *svc, log)
			if err != nil {
				b.Fatal(err)
			}
			ts.Config.Handler = srv
		default:
			ts.Config.Handler = bareHandler(svc, hasher)
		}
		ts.Start()
		defer ts.Close()
		bases = append(bases, base)
	}
	// Each request goes to the next server in turn, as a load balancer's
	// round robin sends them.
	var turn atomic.Uint64
	next := func() string { return bases[(turn.Add(1)-1)%uint64(len(bases))] }

	transport := &http.Transport{MaxIdleConns: 2 * cfg.clients, MaxIdleConnsPerHost: 2 * cfg.clients}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	stats := &loadStats{Stats: loadstat.NewStats()}
	var nextInvite, nextReset atomic.Int64
	const pw = "violet tractor mumbles softly"

	// do sends one request (with the session cookie, or for "api" the
	// administrator's API token) and checks its status; it returns the
	// answer's session cookie, if any.
	do := func(kind, method, path string, form url.Values, cookie string, want int) (string, bool) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, next()+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Accept-Language", "en")
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "roster_session", Value: cookie})
		}
		if kind == "api" {
			req.Header.Set("Authorization", "Bearer "+t.apiToken)
			req.Header.Set("Roster-Client", "BenchmarkServerLoad")
		}
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			stats.Fail("%s: %v", kind, err)
			return "", false
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		stats.Record(kind, time.Since(start))
		if res.StatusCode != want {
			stats.Fail("%s %s: %d, want %d", method, kind, res.StatusCode, want)
			return "", false
		}
		for _, c := range res.Cookies() {
			if c.Name == "roster_session" {
				return c.Value, true
			}
		}
		return "", true
	}

	// Peak heap while the run lasts, to see the hashing bound hold.
	stopSampling := heappeak.Start(250 * time.Millisecond)

	runtime.GC()
	b.StartTimer()
	start := time.Now()
	deadline := start.Add(cfg.duration)
	var wg sync.WaitGroup
	for c := range cfg.clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := nextInvite.Add(1) - 1
				if int(i) >= len(t.links.invitations) {
					return
				}
				cookie, ok := do("register", http.MethodPost, "/invite/"+t.links.invitations[i],
					url.Values{"name": {fmt.Sprintf("Client %d Run %d", c, i)}, "password": {pw}, "repeat": {pw}}, "", http.StatusSeeOther)
				if !ok {
					continue
				}
				stats.registers.Add(1)
				for range 2 {
					if !time.Now().Before(deadline) {
						return
					}
					if _, ok := do("account", http.MethodGet, "/account", nil, cookie, http.StatusOK); ok {
						stats.reads.Add(1)
					}
				}
				if !time.Now().Before(deadline) {
					return
				}
				if _, ok := do("api", http.MethodGet, "/api/v1/users?limit=50", nil, "", http.StatusOK); ok {
					stats.apiReads.Add(1)
				}
				j := nextReset.Add(1) - 1
				if int(j) >= len(t.links.resets) || !time.Now().Before(deadline) {
					return
				}
				if _, ok := do("reset", http.MethodPost, "/reset/"+t.links.resets[j],
					url.Values{"password": {pw}, "repeat": {pw}}, "", http.StatusSeeOther); ok {
					stats.resets.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	peak := stopSampling()

	if errs := stats.Errors(); len(errs) > 0 {
		b.Fatalf("%s: %d+ errors, first: %s", impl, len(errs), strings.Join(errs, "; "))
	}
	checkLoadCounts(b, st, t, stats)

	report := stats.Report(b, []string{"register", "account", "api", "reset"}, elapsed, "req/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.Logf("%s, %d server(s), %d clients, %v (of at most %v), %d links each: %s; registrations %d, resets %d, account reads %d, "+
		"API reads %d; hash slots %d per server", impl, len(bases), cfg.clients, elapsed.Round(time.Millisecond), cfg.duration, len(t.links.invitations),
		strings.Join(report, "; "), stats.registers.Load(), stats.resets.Load(), stats.reads.Load(), stats.apiReads.Load(),
		hasher.Concurrency)
}

// checkLoadCounts fails the benchmark unless the database holds exactly
// the registrations and resets the clients were told succeeded.
func checkLoadCounts(b *testing.B, st *loadStore, t *loadTemplate, stats *loadStats) {
	b.Helper()
	raw, err := sql.Open(st.driver, st.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	registers, resets := int(stats.registers.Load()), int(stats.resets.Load())
	for _, c := range []struct {
		what, query string
		want        int
	}{
		{"members", `SELECT count(*) FROM users WHERE status <> 'removed'`, t.users + registers},
		{"accepted invitations", `SELECT count(*) FROM invitations WHERE state = 'accepted'`, t.users - 1 + registers},
		{"addresses with two members", `SELECT count(*) FROM (SELECT email_key FROM users WHERE status <> 'removed'
			GROUP BY email_key HAVING count(*) > 1) AS twice`, 0},
		{"used resets", `SELECT count(*) FROM password_resets WHERE used_at IS NOT NULL`, resets},
		{"password-changed notices", `SELECT count(*) FROM outbox WHERE kind = 'password_changed'`, resets},
	} {
		var n int
		if err := raw.QueryRow(c.query).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n != c.want {
			b.Fatalf("%d %s after the run, want %d (%d registrations, %d resets reported)", n, c.what, c.want, registers, resets)
		}
	}
}

// bareHandler is the baseline: plain net/http handlers making the same
// service calls as Roster's pages and API (so the same database writes)
// with the same hasher, and nothing else: no templates, languages, password
// rules, cross-origin checks, security headers, rate limits or logs.
func bareHandler(st *backend.Storage, hasher *password.Hasher) http.Handler {
	invitations, resets, sessions, tokens, users := st.Invitations, st.Resets, st.Sessions, st.APITokens, st.Users
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/users", func(w http.ResponseWriter, r *http.Request) {
		if _, _, err := tokens.AuthenticateAPIToken(r.Context(), strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		page, total, err := users.FindUsers(r.Context(), backend.UserFilter{Limit: 50})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"entries": page, "total": total})
	})
	mux.HandleFunc("POST /invite/{token}", func(w http.ResponseWriter, r *http.Request) {
		hash, err := hasher.Hash(r.PostFormValue("password"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		u, err := invitations.AcceptInvitation(r.Context(), backend.AcceptParams{Token: r.PathValue("token"),
			Name: r.PostFormValue("name"), PasswordHash: hash})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, token, err := sessions.CreateSession(r.Context(), u.ID)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "roster_session", Value: token, HttpOnly: true})
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /account", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("roster_session")
		if err != nil {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		_, u, err := sessions.AuthenticateSession(r.Context(), c.Value)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "%s %s %s\n", u.Name, u.Email, u.RoleName)
	})
	mux.HandleFunc("POST /reset/{token}", func(w http.ResponseWriter, r *http.Request) {
		hash, err := hasher.Hash(r.PostFormValue("password"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := resets.ResetPassword(r.Context(), backend.ResetParams{Token: r.PathValue("token"), PasswordHash: hash}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	})
	return mux
}
