package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"roster/backend/server/servertest"
)

// syncBuffer collects output written from other goroutines.
type syncBuffer = servertest.SyncBuffer

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command's entry point with args and an environment.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut syncBuffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func (r result) expect(t *testing.T, code int, texts ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range texts {
		if !strings.Contains(r.stdout+r.stderr, s) {
			t.Fatalf("output lacks %q\nstdout: %s\nstderr: %s", s, r.stdout, r.stderr)
		}
	}
}

// object decodes the one JSON object a --json run prints.
func (r result) object(t *testing.T) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var m map[string]any
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &m) != nil {
		t.Fatalf("stdout is not one JSON object: %q", r.stdout)
	}
	return m
}

const base = "https://id.example.com"

// initDB makes a database with an organisation and returns its path.
func initDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "roster.db")
	runCLI(t, nil, "init", "--db", db, "--base-url", base, "--organisation", "Example Ltd",
		"--admin-email", "ada@example.com", "--admin-name", "Ada Admin").expect(t, exitOK)
	return db
}

var linkPattern = regexp.MustCompile(`https://id\.example\.com/(invite|reset)/[A-Za-z0-9_-]{43}`)

func TestNoDesktopDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "sqlite_fts5", "-deps", "-f", `{{.ImportPath}} {{join .CgoPkgConfig " "}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "roster/backend/server") {
		t.Fatalf("go list does not list the server package:\n%s", out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		l := strings.ToLower(line)
		if strings.Contains(l, "wails") || strings.Contains(l, "gtk") || strings.Contains(l, "webkit") {
			t.Errorf("roster-server depends on %s", line)
		}
	}
}

func TestInit(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "new", "roster.db")
		r := runCLI(t, nil, "init", "--db", db, "--base-url", base+"/", "--organisation", "Example Ltd",
			"--admin-email", "ada@example.com", "--admin-name", "Ada Admin")
		r.expect(t, exitOK, "Example Ltd is set up.", "Ada Admin (ada@example.com)")
		if m := linkPattern.FindStringSubmatch(r.stdout); m == nil || m[1] != "reset" {
			t.Fatalf("no password link in %q", r.stdout)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "roster.db")
		r := runCLI(t, map[string]string{"ROSTER_SERVER_DB": db, "ROSTER_SERVER_BASE_URL": base}, "init", "--json",
			"--organisation", "Example Ltd", "--admin-email", "ada@example.com", "--admin-name", "Ada Admin")
		r.expect(t, exitOK)
		m := r.object(t)
		if m["organisation"] != "Example Ltd" || !linkPattern.MatchString(m["link"].(string)) {
			t.Fatalf("JSON answer %v", m)
		}
	})
	t.Run("ErrAgain", func(t *testing.T) {
		db := initDB(t)
		r := runCLI(t, nil, "init", "--db", db, "--base-url", base, "--organisation", "Other", "--admin-email", "bo@example.com",
			"--admin-name", "Bo", "--json")
		r.expect(t, exitError, "Roster has already been set up.")
		if e := r.object(t)["error"].(map[string]any); e["code"] != "conflict" {
			t.Fatalf("JSON error %v", e)
		}
	})
	t.Run("ErrBadEmail", func(t *testing.T) {
		runCLI(t, nil, "init", "--db", filepath.Join(t.TempDir(), "r.db"), "--base-url", base, "--organisation", "X",
			"--admin-email", "not an address", "--admin-name", "Bo").expect(t, exitError, "Enter one address only")
	})
	t.Run("ErrUsage", func(t *testing.T) {
		runCLI(t, nil, "init", "--db", filepath.Join(t.TempDir(), "r.db")).expect(t, exitUsage, "are required")
		runCLI(t, nil, "init", "--db", "x.db", "--base-url", "id.example.com", "--organisation", "X", "--admin-email", "a@b.co",
			"--admin-name", "A").expect(t, exitUsage, "must be an absolute http or https URL")
	})
}

func TestInvite(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := initDB(t)
		r := runCLI(t, nil, "invite", "--db", db, "--base-url", base, "--email", "sam@example.com", "--role", "administrator")
		r.expect(t, exitOK, "Invitation for sam@example.com as Administrator, valid until")
		if m := linkPattern.FindStringSubmatch(r.stdout); m == nil || m[1] != "invite" || strings.Count(strings.TrimSpace(r.stdout), "\n") != 0 {
			t.Fatalf("not one line with a registration link: %q", r.stdout)
		}
	})
	t.Run("EnvAndJSON", func(t *testing.T) {
		db := initDB(t)
		r := runCLI(t, map[string]string{"ROSTER_SERVER_DB": db, "ROSTER_SERVER_BASE_URL": base}, "invite", "--json",
			"--email", "sam@example.com", "--role", "User")
		r.expect(t, exitOK)
		if m := r.object(t); m["role"] != "User" || !linkPattern.MatchString(m["link"].(string)) {
			t.Fatalf("JSON answer %v", m)
		}
		// A flag wins over its variable.
		r = runCLI(t, map[string]string{"ROSTER_SERVER_DB": filepath.Join(t.TempDir(), "other.db"), "ROSTER_SERVER_BASE_URL": base},
			"invite", "--db", db, "--email", "bo@example.com", "--role", "User")
		r.expect(t, exitOK, "bo@example.com")
	})
	t.Run("ErrNoOrganisation", func(t *testing.T) {
		runCLI(t, nil, "invite", "--db", filepath.Join(t.TempDir(), "r.db"), "--base-url", base, "--email", "sam@example.com",
			"--role", "user").expect(t, exitError, "Run roster-server init first.")
	})
	t.Run("ErrRules", func(t *testing.T) {
		db := initDB(t)
		runCLI(t, nil, "invite", "--db", db, "--base-url", base, "--email", "ada@example.com", "--role", "user").
			expect(t, exitError, "ada@example.com is already a member.")
		runCLI(t, nil, "invite", "--db", db, "--base-url", base, "--email", "sam@example.com", "--role", "wizard").
			expect(t, exitError, "There is no role")
	})
}

func TestReset(t *testing.T) {
	db := initDB(t)
	r := runCLI(t, nil, "reset", "--db", db, "--base-url", base, "--email", "ADA@example.com")
	r.expect(t, exitOK, "Password link for ada@example.com")
	if m := linkPattern.FindStringSubmatch(r.stdout); m == nil || m[1] != "reset" {
		t.Fatalf("no reset link in %q", r.stdout)
	}
	runCLI(t, nil, "reset", "--db", db, "--base-url", base, "--email", "nobody@example.com").
		expect(t, exitError, "There is no member with this email address.")
}

func TestToken(t *testing.T) {
	db := initDB(t)
	r := runCLI(t, nil, "token", "create", "--db", db, "--email", "ada@example.com", "--json")
	r.expect(t, exitOK)
	created := r.object(t)
	id, secret := created["id"].(string), created["token"].(string)
	if !strings.HasPrefix(secret, "roster_") || id == "" {
		t.Fatalf("token create answered %v", created)
	}
	r = runCLI(t, nil, "token", "create", "--db", db, "--email", "ada@example.com")
	r.expect(t, exitOK, "shown only now", "roster_")

	r = runCLI(t, nil, "token", "list", "--db", db)
	r.expect(t, exitOK, id, "ada@example.com")
	if strings.Contains(r.stdout, secret) {
		t.Fatal("token list shows a secret")
	}
	r = runCLI(t, nil, "token", "list", "--db", db, "--json")
	if tokens := r.object(t)["tokens"].([]any); len(tokens) != 2 {
		t.Fatalf("token list --json has %d tokens", len(tokens))
	}

	runCLI(t, nil, "token", "revoke", id, "--db", db).expect(t, exitOK, "API token "+id+" is revoked.")
	runCLI(t, nil, "token", "revoke", "--db", db, id).expect(t, exitError, "There is no active API token with this id.")
	r = runCLI(t, nil, "token", "list", "--db", db, "--json")
	if tokens := r.object(t)["tokens"].([]any); len(tokens) != 1 {
		t.Fatalf("after revoking, token list has %d tokens", len(tokens))
	}
	runCLI(t, nil, "token", "list", "--db", db, "--revoked").expect(t, exitOK, "revoked")

	t.Run("ErrNotAdmin", func(t *testing.T) {
		runCLI(t, nil, "invite", "--db", db, "--base-url", base, "--email", "sam@example.com", "--role", "user").expect(t, exitOK)
		runCLI(t, nil, "token", "create", "--db", db, "--email", "sam@example.com").
			expect(t, exitError, "There is no member with this email address.")
	})
	t.Run("ErrUsage", func(t *testing.T) {
		runCLI(t, nil, "token").expect(t, exitUsage)
		runCLI(t, nil, "token", "burn", "--db", db).expect(t, exitUsage, "unknown command")
		runCLI(t, nil, "token", "revoke", "--db", db).expect(t, exitUsage, "one token ID")
	})
}

func TestHelp(t *testing.T) {
	runCLI(t, nil, "--help").expect(t, exitOK, "roster-server init", "ROSTER_SERVER_DB")
	runCLI(t, nil).expect(t, exitUsage, "Usage:")
	runCLI(t, nil, "frobnicate").expect(t, exitUsage, "unknown command")
	for _, args := range [][]string{{"serve"}, {"init"}, {"invite"}, {"reset"}, {"token", "create"}, {"token", "list"}, {"token", "revoke"}} {
		r := runCLI(t, nil, append(args, "--help")...)
		r.expect(t, exitOK, "Usage: roster-server "+strings.Join(args, " "), "--db", "ROSTER_SERVER_DB", "--json")
		if r.stderr != "" {
			t.Errorf("%v --help wrote to stderr: %s", args, r.stderr)
		}
	}
	runCLI(t, nil, "token", "--help").expect(t, exitOK, "token create")
}

// serveInProcess runs serve in this process until the returned stop is called.
func serveInProcess(t *testing.T, args ...string) (addr string, logs *syncBuffer, stop func() int) {
	t.Helper()
	return serveWithEnv(t, nil, args...)
}

// serveWithEnv runs serve in this process, with the environment env, until
// the returned stop is called (again: it returns the same exit code) or
// the test ends.
func serveWithEnv(t *testing.T, env map[string]string, args ...string) (addr string, logs *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), func(k string) string { return env[k] }, io.Discard, logs)
	}()
	addr = waitListening(t, logs, done)
	var once sync.Once
	code := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			code = <-done
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return addr, logs, stop
}

var listening = regexp.MustCompile(`"addr":"([^"]+)"[^\n]*"msg":"listening"`)

// waitListening waits for serve's "listening" log line and returns its address.
func waitListening(t *testing.T, logs interface{ String() string }, done <-chan int) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve ended with %d: %s", code, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s", logs.String())
	return ""
}

func TestServe(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := initDB(t)
		addr, logs, stop := serveInProcess(t, "--db", db, "--base-url", base, "--trusted-proxy", "10.0.0.0/8, 127.0.0.1")
		res, err := http.Get("http://" + addr + "/readyz")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("readyz: %v %v", res, err)
		}
		res.Body.Close()
		if code := stop(); code != exitOK {
			t.Fatalf("serve ended with %d", code)
		}
		if !strings.Contains(logs.String(), `"msg":"stopped"`) {
			t.Fatalf("no graceful stop in the log: %s", logs.String())
		}
	})
	t.Run("TLS", func(t *testing.T) {
		db := initDB(t)
		cert, key, pool := selfSigned(t)
		addr, _, stop := serveInProcess(t, "--db", db, "--base-url", base, "--tls-cert", cert, "--tls-key", key)
		defer stop()
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost"}}}
		res, err := client.Get("https://" + addr + "/healthz")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("healthz over TLS: %v %v", res, err)
		}
		if res.Header.Get("Strict-Transport-Security") == "" {
			t.Fatal("no HSTS")
		}
		res.Body.Close()
	})
	t.Run("ErrUsage", func(t *testing.T) {
		db := initDB(t)
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"serve", "--db", db}, "--base-url is required"},
			{[]string{"serve", "--db", db, "--base-url", base, "--trusted-proxy", "10.0.0.0/99"}, "is not a CIDR"},
			{[]string{"serve", "--db", db, "--base-url", base, "--tls-cert", "x.pem"}, "go together"},
			{[]string{"serve", "--db", db, "--base-url", base, "--tls-cert", "x.pem", "--tls-key", "y.pem"}, "cannot be used"},
			{[]string{"serve", "--db", db, "--base-url", base, "--log-level", "loud"}, "--log-level"},
		} {
			runCLI(t, nil, tt.args...).expect(t, exitUsage, tt.want)
		}
	})
}

// selfSigned writes a certificate for localhost and its key, and returns
// their files and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// buildBinary builds roster-server into dir and returns its path.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "roster-server")
	if out, err := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr returns a loopback address that nothing listens on.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs the binary's serve on addr, killed when the test ends
// unless it stopped, and returns it and its log once it listens.
func startServe(t *testing.T, bin string, env []string, addr string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	serve := exec.Command(bin, "serve", "--addr", addr)
	serve.Env = env
	// Its log goes straight into the buffer: Wait returns only once every
	// line is in it (a goroutine reading a StderrPipe could still be
	// behind when Wait closes the pipe, and lose the last lines).
	logs := &syncBuffer{}
	serve.Stderr = logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	waitListening(t, logs, make(chan int))
	return serve, logs
}

// TestBinary builds the real binary and runs init, invite and serve with it
// against one database, as an operator would.
func TestBinary(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	db := filepath.Join(dir, "roster.db")
	// The base URL must be known before serve starts: take a free port.
	addr := freeAddr(t)
	env := append(os.Environ(), "ROSTER_SERVER_DB="+db, "ROSTER_SERVER_BASE_URL=http://"+addr)
	cli := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("roster-server %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	cli("init", "--organisation", "Example Ltd", "--admin-email", "ada@example.com", "--admin-name", "Ada Admin")

	serve, logs := startServe(t, bin, env, addr)

	// invite works while serve runs on the same database.
	var invite map[string]any
	if err := json.Unmarshal([]byte(cli("invite", "--email", "sam@example.com", "--role", "User", "--json")), &invite); err != nil {
		t.Fatal(err)
	}
	link := invite["link"].(string)
	if !strings.HasPrefix(link, "http://"+addr+"/invite/") {
		t.Fatalf("link %q", link)
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "sam@example.com") {
		t.Fatalf("registration page: %d\n%s", res.StatusCode, body)
	}

	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := serve.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, logs.String())
	}
	token := link[strings.LastIndexByte(link, '/')+1:]
	if strings.Contains(logs.String(), token) {
		t.Fatal("the log contains the invitation token")
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatalf("serve did not stop gracefully:\n%s", logs.String())
	}
}

// TestCommandsQueueNoMail: init, invite and reset print links that the
// operator hands over, and queue no email for them, so the mail worker of
// a serve on the same database can never claim one (and send it, or fail
// it as unreadable under the command's own key) however they interleave.
func TestCommandsQueueNoMail(t *testing.T) {
	db := initDB(t)
	runCLI(t, nil, "invite", "--db", db, "--base-url", base, "--email", "sam@example.com", "--role", "user").expect(t, exitOK)
	runCLI(t, nil, "reset", "--db", db, "--base-url", base, "--email", "ada@example.com").expect(t, exitOK)
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("the commands queued %d emails", n)
	}
}
