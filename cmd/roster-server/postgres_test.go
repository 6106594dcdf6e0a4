package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
)

func TestDatabaseFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "roster.db")
	t.Run("ErrBoth", func(t *testing.T) {
		runCLI(t, nil, "invite", "--db", db, "--postgres", "postgres://127.0.0.1/roster", "--base-url", base,
			"--email", "sam@example.com", "--role", "User").expect(t, exitUsage, "--db and --postgres exclude each other")
		runCLI(t, map[string]string{"ROSTER_SERVER_POSTGRES": "postgres://127.0.0.1/roster"}, "token", "list", "--db", db).
			expect(t, exitUsage, "--db and --postgres exclude each other")
	})
	t.Run("ErrNone", func(t *testing.T) {
		for _, args := range [][]string{{"serve", "--base-url", base}, {"init"}, {"invite"}, {"reset"}, {"token", "create"}, {"token", "list"}, {"token", "revoke", "x"}} {
			runCLI(t, nil, args...).expect(t, exitUsage, "--db or --postgres is required")
		}
	})
	t.Run("Help", func(t *testing.T) {
		runCLI(t, nil, "--help").expect(t, exitOK, "--postgres URL", "ROSTER_SERVER_POSTGRES")
		runCLI(t, nil, "serve", "--help").expect(t, exitOK, "--postgres", "ROSTER_SERVER_POSTGRES")
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		r := runCLI(t, nil, "token", "list", "--postgres", "postgres://roster:hunter2@127.0.0.1:1/roster?sslmode=disable&connect_timeout=2")
		r.expect(t, exitError, "postgres://roster:xxxxx@127.0.0.1:1/roster")
		if strings.Contains(r.stdout+r.stderr, "hunter2") {
			t.Fatalf("the password is in the output: %s", r.stderr)
		}
	})
}

// TestPostgresCommands runs every command on a PostgreSQL database, given
// by flag and by environment.
func TestPostgresCommands(t *testing.T) {
	pg := pgtest.NewDatabase(t)
	env := map[string]string{"ROSTER_SERVER_POSTGRES": pg, "ROSTER_SERVER_BASE_URL": base}
	r := runCLI(t, nil, "init", "--postgres", pg, "--base-url", base, "--organisation", "Example Ltd",
		"--admin-email", "ada@example.com", "--admin-name", "Ada Admin")
	r.expect(t, exitOK, "Example Ltd is set up.")
	if m := linkPattern.FindStringSubmatch(r.stdout); m == nil || m[1] != "reset" {
		t.Fatalf("no password link in %q", r.stdout)
	}
	runCLI(t, env, "init", "--organisation", "Other", "--admin-email", "bo@example.com", "--admin-name", "Bo").
		expect(t, exitError, "Roster has already been set up.")
	r = runCLI(t, env, "invite", "--email", "sam@example.com", "--role", "user", "--json")
	r.expect(t, exitOK)
	if m := r.object(t); m["role"] != "User" || !linkPattern.MatchString(m["link"].(string)) {
		t.Fatalf("invite answered %v", m)
	}
	runCLI(t, env, "invite", "--email", "sam@example.com", "--role", "user").expect(t, exitError, "has been invited already")
	runCLI(t, env, "reset", "--email", "ADA@example.com").expect(t, exitOK, "Password link for ada@example.com")
	r = runCLI(t, env, "token", "create", "--email", "ada@example.com", "--json")
	r.expect(t, exitOK)
	id := r.object(t)["id"].(string)
	runCLI(t, env, "token", "list").expect(t, exitOK, id+"  ada@example.com")
	runCLI(t, env, "token", "revoke", id).expect(t, exitOK, "is revoked")
	runCLI(t, env, "token", "list").expect(t, exitOK, "No API tokens.")
	runCLI(t, env, "token", "revoke", id, "--json").expect(t, exitError, "There is no active API token with this id.")
}

// TestTwoServersOnePostgres runs two serve processes on one PostgreSQL, as
// behind a load balancer: a session begun through one works through the
// other, and ends through the other as soon as the member's access ends.
func TestTwoServersOnePostgres(t *testing.T) {
	pg := pgtest.NewDatabase(t)
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	addrA, addrB := freeAddr(t), freeAddr(t)
	publicURL := "http://" + addrA // the load balancer's address; both servers build links from it
	env := append(os.Environ(), "ROSTER_SERVER_POSTGRES="+pg, "ROSTER_SERVER_BASE_URL="+publicURL)
	cli := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--json")...)
		cmd.Env = env
		out, err := cmd.Output()
		var m map[string]any
		if err != nil || json.Unmarshal(out, &m) != nil {
			t.Fatalf("roster-server %v: %v\n%s", args, err, out)
		}
		return m
	}
	cli("init", "--organisation", "Example Ltd", "--admin-email", "ada@example.com", "--admin-name", "Ada Admin")
	startServe(t, bin, env, addrA)
	startServe(t, bin, env, addrB)

	link := cli("invite", "--email", "sam@example.com", "--role", "User")["link"].(string)
	token := link[strings.LastIndexByte(link, '/')+1:]
	const pw = "correct horse battery staple 42"
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(addr, path string, form url.Values, cookie *http.Cookie) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	sessionOf := func(res *http.Response) *http.Cookie {
		t.Helper()
		for _, c := range res.Cookies() {
			if c.Name == "roster_session" && c.Value != "" {
				return c
			}
		}
		t.Fatalf("%s answered %d without a session cookie", res.Request.URL.Path, res.StatusCode)
		return nil
	}
	// account answers /account on addr: 200 while the session works, a
	// redirect to the sign-in page once it ended.
	account := func(addr string, cookie *http.Cookie) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/account", nil)
		req.AddCookie(cookie)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}

	// Sam registers through A and is signed in; B knows the session.
	samA := sessionOf(post(addrA, "/invite/"+token, url.Values{"name": {"Sam Member"}, "password": {pw}, "repeat": {pw}}, nil))
	if code := account(addrB, samA); code != http.StatusOK {
		t.Fatalf("B answers the session from A with %d", code)
	}
	// Signing out everywhere through B ends the session on A.
	samB := sessionOf(post(addrB, "/login", url.Values{"email": {"sam@example.com"}, "password": {pw}}, nil))
	post(addrB, "/logout", url.Values{"scope": {"everywhere"}}, samB)
	if code := account(addrA, samA); code != http.StatusSeeOther {
		t.Fatalf("A answers a session ended through B with %d", code)
	}

	// Sam signs in through A; the member is removed (as the admin API of A
	// does) and B refuses the session at once, and the sign-in too.
	samA = sessionOf(post(addrA, "/login", url.Values{"email": {"sam@example.com"}, "password": {pw}}, nil))
	if code := account(addrB, samA); code != http.StatusOK {
		t.Fatalf("B answers the new session with %d", code)
	}
	removeUser(t, pg, "sam@example.com")
	if code := account(addrB, samA); code != http.StatusSeeOther {
		t.Fatalf("B answers a removed member's session with %d", code)
	}
	if res := post(addrB, "/login", url.Values{"email": {"sam@example.com"}, "password": {pw}}, nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("B lets a removed member sign in: %d", res.StatusCode)
	}
}

// removeUser removes a member from the PostgreSQL database, as an
// Administrator would.
func removeUser(t *testing.T, pg, email string) {
	t.Helper()
	db := postgres.NewDB(pg)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	svc := postgres.NewServices(db)
	cred, err := svc.Credentials.FindCredentialByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.Organisations.FindCurrentAdmin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name})
	if err := svc.Users.RemoveUser(ctx, cred.User.ID); err != nil {
		t.Fatal(err)
	}
}
