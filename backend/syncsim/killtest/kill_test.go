// Package killtest_test kills a desktop with SIGKILL while it syncs (issue
// 12): a directory server (a real SQLite file behind httptest) and a
// desktop that is a real separate process (this test binary, started again
// in its desktop mode) with its own SQLite file, recording every change as
// an operation and syncing in a loop. The test kills it again and again, at
// seeded moments in each phase of a sync: while its push is held at the
// server, after the server applied a push whose answer never arrives,
// inside the transaction that settles a push, while its pull is held, and
// inside the transaction that applies a pulled page. Each time it starts
// the desktop again; at the end it lets it finish. Then no operation is
// lost or applied twice, the replica equals the server row for row, and
// both files pass PRAGMA integrity_check.
//
// A failing seed prints the command that runs it alone.
package killtest_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/internal/synctest"
	"roster/backend/password"
	"roster/backend/server"
	"roster/backend/sqlite"
	"roster/backend/sqlstore"
	"roster/backend/syncclient"
	"roster/backend/syncer"
)

var (
	seedFlag  = flag.Uint64("kill.seed", 0, "run only this seed of the kill test")
	seedsFlag = flag.Int("kill.seeds", 2, "how many seeds the kill test runs")
	killsFlag = flag.Int("kill.rounds", 2, "kills per phase of a sync")
)

// The environment of the desktop process.
const (
	envDesktop = "ROSTER_KILLTEST_DESKTOP" // set: this process is the desktop
	envDB      = "ROSTER_KILLTEST_DB"
	envURL     = "ROSTER_KILLTEST_URL"
	envToken   = "ROSTER_KILLTEST_TOKEN"
	envClient  = "ROSTER_KILLTEST_CLIENT"
	envAdmin   = "ROSTER_KILLTEST_ADMIN" // id and name, tab-separated
	envSeed    = "ROSTER_KILLTEST_SEED"  // the seed and the life, tab-separated
	envFinish  = "ROSTER_KILLTEST_FINISH"
)

// The phases of a sync in which the desktop is killed. The first three are
// the server's (its handler holds the request), the others the desktop's
// (it stops inside the transaction, before the commit, and waits).
const (
	phasePushHeld   = "push-held"   // the push reached the server, not yet applied
	phasePushAnswer = "push-answer" // the server applied the push, the answer is not sent
	phasePullHeld   = "pull-held"   // the pull reached the server, not yet answered
	phasePushSettle = "push-settle" // the desktop settles the push's answer
	phasePullApply  = "pull-apply"  // the desktop applies a pulled page
)

var phases = []string{phasePushHeld, phasePushAnswer, phasePullHeld, phasePushSettle, phasePullApply}

func TestMain(m *testing.M) {
	if os.Getenv(envDesktop) != "" {
		if err := runDesktop(); err != nil {
			fmt.Fprintln(os.Stderr, "desktop:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func seeds() []uint64 {
	if *seedFlag != 0 {
		return []uint64{*seedFlag}
	}
	out := make([]uint64, *seedsFlag)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

func TestKillDuringSync(t *testing.T) {
	for _, seed := range seeds() {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("reproduce: go test -tags sqlite_fts5 ./backend/syncsim/killtest/ -run 'TestKillDuringSync/seed=%d$' -kill.seed=%d",
						seed, seed)
				}
			}()
			runSeed(t, seed)
		})
	}
}

// cheap hashing keeps the test fast.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// world is the directory server and the desktop the test kills.
type world struct {
	t      *testing.T
	raw    *sql.DB // the server's file, read-only
	st     *backend.Storage
	base   string
	token  string
	admin  *backend.User
	client string
	path   string // the desktop's file

	mu        sync.Mutex
	rng       *mrand.Rand
	plan      []string       // the phases still to kill in, in order
	seen      map[string]int // times the next planned phase was reached in this life
	at        int            // the time it is killed at
	kills     map[string]int // kills done per phase
	life      *life
	ops       map[int64]int // operation seq → the life that reported it
	lastErr   string        // the desktop's last line on stderr
	broken    string        // what the desktop reported that breaks a rule
	conflicts int           // the desktop's operations the server refused
	mails     int64         // the emails queued on the desktop at the end
}

// life is one run of the desktop process.
type life struct {
	n      int
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan struct{}
	killed bool
	done   bool // it said it finished
}

// mint returns a link token and its hash.
func mint() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(token))
	return token, h[:]
}

// newWorld starts the directory server of an organisation with one
// administrator (whose API token the desktop uses) and a few members.
func newWorld(t *testing.T, seed uint64) *world {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "server.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	st := sqlite.NewStorage(db)
	ctx := context.Background()
	_, ada, err := st.Organisations.SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	actx := backend.NewContextWithActor(ctx, backend.Actor{ID: ada.ID, Name: ada.Name, Client: "admin API"})
	for i, who := range []string{"Dee", "Eli", "Fay", "Gus"} {
		token, hash := mint()
		email := fmt.Sprintf("member%d@example.org", i)
		if _, err := st.HashedLinks.InviteUserWithTokenHash(actx, backend.InviteParams{Email: email, Role: backend.RoleUser}, hash); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Invitations.AcceptInvitation(ctx, backend.AcceptParams{Token: token, Name: who, PasswordHash: "unused"}); err != nil {
			t.Fatal(err)
		}
	}
	_, secret, err := st.APITokens.CreateAPIToken(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{
		t: t, raw: raw, st: st, token: secret, admin: ada, client: "desk-kill",
		path: filepath.Join(t.TempDir(), "desk.db"),
		rng:  mrand.New(mrand.NewPCG(seed, seed^0x4b111)),
		seen: map[string]int{}, kills: map[string]int{}, ops: map[int64]int{},
	}
	for range *killsFlag {
		w.plan = append(w.plan, phases...)
	}
	w.rng.Shuffle(len(w.plan), func(i, j int) { w.plan[i], w.plan[j] = w.plan[j], w.plan[i] })
	w.at = 1 + w.rng.IntN(3)

	ts := httptest.NewUnstartedServer(nil)
	w.base = "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(w.base)
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	srv, err := server.New(server.Config{BaseURL: u, Hasher: &password.Hasher{Params: cheap}}, *st, log)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = w.holding(srv)
	ts.Start()
	t.Cleanup(ts.Close)
	return w
}

// holding wraps the server's handler: a push or a pull is a moment the
// plan may kill the desktop in, before the server handles it or, for a
// push, after it applied it and before the answer goes.
func (w *world) holding(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		held, answered := "", ""
		switch r.URL.Path {
		case "/api/v1/sync/push":
			held, answered = phasePushHeld, phasePushAnswer
		case "/api/v1/sync/pull":
			held = phasePullHeld
		default:
			next.ServeHTTP(rw, r)
			return
		}
		if w.reached(held) {
			w.kill()
			return // the server never handles it
		}
		if answered == "" {
			next.ServeHTTP(rw, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if w.reached(answered) {
			w.kill()
			return // applied; the answer is lost with the desktop
		}
		for k, v := range rec.Header() {
			rw.Header()[k] = v
		}
		rw.WriteHeader(rec.Code)
		rw.Write(rec.Body.Bytes())
	})
}

// reached says whether the desktop is to be killed now, in phase.
func (w *world) reached(phase string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.life == nil || len(w.plan) == 0 || w.plan[0] != phase {
		return false
	}
	w.seen[phase]++
	if w.seen[phase] < w.at {
		return false
	}
	w.plan = w.plan[1:]
	w.seen = map[string]int{}
	w.at = 1 + w.rng.IntN(3)
	w.kills[phase]++
	w.life.killed = true
	return true
}

// kill sends SIGKILL to the desktop and waits until it is gone.
func (w *world) kill() {
	w.mu.Lock()
	l := w.life
	w.mu.Unlock()
	l.cmd.Process.Kill()
	<-l.exited
}

// desktop returns the environment of the desktop process.
func (w *world) env(seed uint64, n int, finish bool) []string {
	env := append(os.Environ(),
		envDesktop+"=1",
		envDB+"="+w.path,
		envURL+"="+w.base,
		envToken+"="+w.token,
		envClient+"="+w.client,
		envAdmin+"="+w.admin.ID+"\t"+w.admin.Name,
		fmt.Sprintf("%s=%d\t%d", envSeed, seed, n),
	)
	if finish {
		env = append(env, envFinish+"=1")
	}
	return env
}

// start starts life n of the desktop; it runs until it is killed or
// finishes.
func (w *world) start(seed uint64, n int) *life {
	t := w.t
	t.Helper()
	w.mu.Lock()
	finish := len(w.plan) == 0
	w.mu.Unlock()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = w.env(seed, n, finish)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	l := &life{n: n, cmd: cmd, stdin: stdin, exited: make(chan struct{})}
	w.mu.Lock()
	w.life = l
	w.mu.Unlock()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	errLines := make(chan struct{})
	go func() {
		defer close(errLines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			w.mu.Lock()
			w.lastErr = sc.Text()
			w.mu.Unlock()
		}
	}()
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			w.line(l, sc.Text())
		}
		<-errLines
		cmd.Wait()
		close(l.exited)
	}()
	return l
}

// line handles one line the desktop wrote: an operation it recorded, a
// phase it stopped in (it waits for "go"), or that it finished.
func (w *world) line(l *life, line string) {
	word, arg, _ := strings.Cut(line, " ")
	switch word {
	case "op":
		seq, err := strconv.ParseInt(arg, 10, 64)
		w.mu.Lock()
		defer w.mu.Unlock()
		if err != nil {
			w.broken = "bad line " + line
			return
		}
		if prev, ok := w.ops[seq]; ok {
			w.broken = fmt.Sprintf("operation %d recorded in life %d and again in life %d", seq, prev, l.n)
			l.killed = true // stop here: a reused seq is an operation lost
			l.cmd.Process.Kill()
			return
		}
		w.ops[seq] = l.n
	case "phase":
		if w.reached(arg) {
			// It waits inside its transaction; the reader sees its end.
			l.cmd.Process.Kill()
			return
		}
		io.WriteString(l.stdin, "go\n")
	case "done":
		w.mu.Lock()
		l.done = true
		w.mu.Unlock()
	}
}

func runSeed(t *testing.T, seed uint64) {
	w := newWorld(t, seed)
	w.join(t)
	deadline := time.After(30 * time.Second)
	lives := 0
	for n := 1; ; n++ {
		lives = n
		l := w.start(seed, n)
		select {
		case <-l.exited:
		case <-deadline:
			l.cmd.Process.Kill()
			<-l.exited
			t.Fatalf("life %d: the desktop did not finish in time (plan left: %v)", n, w.plan)
		}
		w.mu.Lock()
		killed, done, lastErr, broken := l.killed, l.done, w.lastErr, w.broken
		w.mu.Unlock()
		if broken != "" {
			t.Fatal(broken)
		}
		if killed {
			w.serverChange(t)
			continue
		}
		if !done || l.cmd.ProcessState.ExitCode() != 0 {
			t.Fatalf("life %d: the desktop stopped on its own (%v): %s", n, l.cmd.ProcessState, lastErr)
		}
		break
	}
	for _, p := range phases {
		if w.kills[p] != *killsFlag {
			t.Fatalf("killed %d times in phase %s, want %d (kills %v)", w.kills[p], p, *killsFlag, w.kills)
		}
	}
	w.check(t)
	t.Logf("seed %d: %d operations (%d conflicts) in %d lives, %d emails queued, kills %v",
		seed, len(w.ops), w.conflicts, lives, w.mails, w.kills)
}

// serverChange invites, through the server's admin API, addresses the
// desktop may be inviting too, so that some of its operations become
// conflicts.
func (w *world) serverChange(t *testing.T) {
	t.Helper()
	ctx := backend.NewContextWithActor(context.Background(), backend.Actor{ID: w.admin.ID, Name: w.admin.Name, Client: "admin API"})
	for range 3 {
		_, hash := mint()
		email := fmt.Sprintf("person%02d@example.com", w.rng.IntN(30))
		_, err := w.st.HashedLinks.InviteUserWithTokenHash(ctx, backend.InviteParams{Email: email, Role: backend.RoleUser}, hash)
		if err != nil && backend.ErrorCode(err) != backend.ECONFLICT {
			t.Fatalf("invite %s on the server: %v", email, err)
		}
	}
}

// join makes the desktop's file a replica of the server's organisation, as
// first-run setup does when it connects to a directory server.
func (w *world) join(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	db, engine, c := openDesktop(w.path, w.base, w.token, w.client)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hello, err := c.Hello(ctx)
	if err != nil {
		t.Fatal(err)
	}
	actx := backend.NewContextWithActor(ctx, backend.Actor{ID: w.admin.ID, Name: w.admin.Name, Client: "Roster on desk"})
	if err := engine.SyncOnce(actx); err != nil {
		t.Fatal(err)
	}
	rep := sqlite.NewSyncReplica(db)
	tx, err := rep.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := rep.AdoptOrganisation(ctx, tx, hello.Organisation.ID, hello.Organisation.Name, hello.Administrator.ID); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// check fails t unless every operation the desktop recorded was applied
// once on the server or is a conflict on the desktop, the replica equals
// the server, and both files are intact.
func (w *world) check(t *testing.T) {
	t.Helper()
	desk, err := sql.Open("sqlite3", "file:"+w.path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	for name, db := range map[string]*sql.DB{"server": w.raw, "desktop": desk} {
		var ok string
		if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("%s: integrity_check: %s %v", name, ok, err)
		}
	}
	count := func(db *sql.DB, query string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := db.QueryRow(query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return n
	}
	// sync_ops numbers with AUTOINCREMENT: the last number given is kept
	// once its operation is gone.
	recorded := count(desk, `SELECT seq FROM sqlite_sequence WHERE name = 'sync_ops'`)
	if pending := count(desk, `SELECT count(*) FROM sync_ops`); pending != 0 {
		t.Fatalf("%d operations still pending", pending)
	}
	if held := count(desk, `SELECT count(*) FROM sync_mail`); held != 0 {
		t.Fatalf("%d emails still held", held)
	}
	seqs := make([]int64, 0, len(w.ops))
	for seq := range w.ops {
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	if int64(len(seqs)) != recorded || (len(seqs) > 0 && seqs[len(seqs)-1] != recorded) {
		t.Fatalf("the desktop reported %d operations (up to %v); its log numbered %d", len(seqs), seqs[len(seqs)-1:], recorded)
	}
	if applied := count(w.raw, `SELECT last_seq FROM sync_clients WHERE id = ?`, w.client); applied != recorded {
		t.Fatalf("the desktop recorded %d operations; the server has applied up to %d", recorded, applied)
	}
	conflicts := map[int64]bool{}
	rows, err := desk.Query(`SELECT seq FROM sync_conflicts WHERE client_id = ?`, w.client)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			t.Fatal(err)
		}
		conflicts[seq] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	w.conflicts = len(conflicts)
	for seq := int64(1); seq <= recorded; seq++ {
		uid := (&backend.Op{Client: w.client, Seq: seq}).AuditUID(0)
		entries := count(w.raw, `SELECT count(*) FROM audit_log WHERE uid = ?`, uid)
		switch {
		case conflicts[seq] && entries != 0:
			t.Fatalf("operation %d (life %d) is a conflict and applied on the server", seq, w.ops[seq])
		case !conflicts[seq] && entries != 1:
			t.Fatalf("operation %d (life %d) neither applied once (%d audit entries) nor a conflict", seq, w.ops[seq], entries)
		}
	}
	if n := count(w.raw, `SELECT count(*) FROM (SELECT email_key FROM invitations WHERE state = 'pending'
		GROUP BY email_key HAVING count(*) > 1) x`); n != 0 {
		t.Fatalf("%d addresses with more than one open invitation on the server", n)
	}
	// Every open link the desktop minted has its email queued, and no
	// email was queued twice (the same sealed data). A row the desktop
	// only pulled has a placeholder for the hash that never leaves the
	// server ("replica:" and its id, sqlite/replica.go).
	if n := count(desk, `SELECT count(*) FROM invitations i WHERE i.state = 'pending'
		AND CAST(i.token_hash AS TEXT) NOT LIKE 'replica:%'
		AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = i.outbox_id AND o.invitation_id = i.id AND o.state = 'queued')`); n != 0 {
		t.Fatalf("%d open invitations of the desktop without their email queued", n)
	}
	if n := count(desk, `SELECT count(*) FROM password_resets r WHERE r.used_at IS NULL AND r.voided_at IS NULL AND r.token_hash IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = r.outbox_id AND o.password_reset_id = r.id AND o.state = 'queued')`); n != 0 {
		t.Fatalf("%d open password resets of the desktop without their email queued", n)
	}
	if n := count(desk, `SELECT count(*) FROM (SELECT data FROM outbox WHERE data IS NOT NULL
		GROUP BY data HAVING count(*) > 1) x`); n != 0 {
		t.Fatalf("%d emails queued more than once", n)
	}
	w.mails = count(desk, `SELECT count(*) FROM outbox WHERE state = 'queued'`)
	synctest.Equal(t, sqlstore.Pool{DB: &w.raw}, sqlstore.Pool{DB: &desk})
}

// openDesktop returns the desktop's database (not yet open), recording as
// client, its sync engine and the server's sync API.
func openDesktop(path, base, token, client string) (*sqlite.DB, *syncer.Engine, *syncclient.Client) {
	db := sqlite.NewDB(path)
	db.OpLog.SetClient(client)
	// A lasting key, as the keyring keeps it: the email a killed desktop
	// held is sealed under it and sent by the next run.
	keys, err := backend.NewStaticOutboxKeys(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		panic(err)
	}
	db.Keys = keys
	c, err := syncclient.New(base, token, syncclient.Options{Name: "Roster on desk", Timeout: 30 * time.Second})
	if err != nil {
		panic(err)
	}
	log := logrus.New()
	log.SetLevel(logrus.FatalLevel)
	engine := &syncer.Engine{
		Replica: &gated{SyncReplica: sqlite.NewSyncReplica(db)},
		Transport: func(context.Context) (backend.SyncTransport, string, error) {
			return c, client, nil
		},
		Log:       log,
		PushBatch: 7, PullPage: 5, // several batches and pages per sync
	}
	return db, engine, c
}

// gated is the desktop's replica that stops inside the transactions
// settling a push and applying a pulled page, before their commit, says
// so on stdout and waits for a line on stdin (the test kills it instead).
type gated struct {
	*sqlite.SyncReplica
	stop    func(phase string)
	pulling bool
}

func (g *gated) ApplyChanges(ctx context.Context, tx sqlstore.Tx, changes []backend.Change) error {
	g.pulling = true
	if err := g.SyncReplica.ApplyChanges(ctx, tx, changes); err != nil {
		return err
	}
	if g.stop != nil {
		g.stop(phasePullApply)
	}
	return nil
}

func (g *gated) AckOps(ctx context.Context, tx sqlstore.Tx, upto int64) error {
	if err := g.SyncReplica.AckOps(ctx, tx, upto); err != nil {
		return err
	}
	if !g.pulling && g.stop != nil {
		g.stop(phasePushSettle)
	}
	return nil
}

func (g *gated) SetSyncCursor(ctx context.Context, tx sqlstore.Tx, cursor int64) error {
	if err := g.SyncReplica.SetSyncCursor(ctx, tx, cursor); err != nil {
		return err
	}
	g.pulling = false
	return nil
}

// runDesktop is the desktop process: it makes random changes and syncs
// after each few, until it is killed; with envFinish it makes no more
// changes and syncs until nothing is pending.
func runDesktop() error {
	ctx := context.Background()
	var seed uint64
	var n int
	if _, err := fmt.Sscanf(os.Getenv(envSeed), "%d\t%d", &seed, &n); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	rng := mrand.New(mrand.NewPCG(seed, uint64(n)))
	adminID, adminName, _ := strings.Cut(os.Getenv(envAdmin), "\t")
	db, engine, _ := openDesktop(os.Getenv(envDB), os.Getenv(envURL), os.Getenv(envToken), os.Getenv(envClient))
	if err := db.Open(); err != nil {
		return err
	}
	defer db.Close()
	in := bufio.NewScanner(os.Stdin)
	engine.Replica.(*gated).stop = func(phase string) {
		fmt.Printf("phase %s\n", phase)
		if !in.Scan() {
			os.Exit(3)
		}
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: adminID, Name: adminName, Client: "Roster on desk"})
	raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer raw.Close()
	if os.Getenv(envFinish) != "" {
		var err error
		for range 20 {
			if err = engine.SyncOnce(ctx); err == nil {
				var pending int
				if err := raw.QueryRow(`SELECT count(*) FROM sync_ops`).Scan(&pending); err != nil {
					return err
				}
				if pending == 0 {
					fmt.Println("done")
					return nil
				}
			}
		}
		return fmt.Errorf("the last sync never finished: %v", err)
	}
	for {
		for range 1 + rng.IntN(5) {
			ok, err := change(ctx, db, rng, adminID)
			if err != nil {
				return err
			}
			if ok {
				var seq int64
				if err := raw.QueryRow(`SELECT seq FROM sqlite_sequence WHERE name = 'sync_ops'`).Scan(&seq); err != nil {
					return err
				}
				fmt.Printf("op %d\n", seq)
			}
		}
		engine.SyncOnce(ctx) // a failure is retried in the next round
	}
}

// change makes one random change as the administrator would in the window;
// false when the desktop itself refused it (nothing recorded).
func change(ctx context.Context, db *sqlite.DB, rng *mrand.Rand, adminID string) (bool, error) {
	users, invitations := sqlite.NewUserService(db), sqlite.NewInvitationService(db)
	roles, resets := sqlite.NewRoleService(db), sqlite.NewPasswordResetService(db)
	all, _, err := users.FindUsers(ctx, backend.UserFilter{})
	if err != nil {
		return false, err
	}
	open, _, err := invitations.FindInvitations(ctx, backend.InvitationFilter{})
	if err != nil {
		return false, err
	}
	anyUser := func() string {
		if u := all[rng.IntN(len(all))]; u.ID != adminID {
			return u.ID
		}
		return "missing"
	}
	anyInvitation := func() string {
		if len(open) == 0 {
			return "missing"
		}
		return open[rng.IntN(len(open))].ID
	}
	perms := []backend.Permission{backend.PermChat}
	switch rng.IntN(9) {
	case 0, 1, 2:
		_, err = invitations.InviteUser(ctx, backend.InviteParams{
			Email: fmt.Sprintf("person%02d@example.com", rng.IntN(30)), Role: backend.RoleUser})
	case 3:
		err = invitations.DeleteInvitation(ctx, anyInvitation())
	case 4:
		_, err = invitations.ResendInvitation(ctx, anyInvitation())
	case 5:
		_, err = users.DeactivateUser(ctx, anyUser())
	case 6:
		_, err = users.ActivateUser(ctx, anyUser())
	case 7:
		_, err = resets.SendPasswordReset(ctx, anyUser())
	case 8:
		_, err = roles.CreateRole(ctx, backend.RoleParams{Name: fmt.Sprintf("Team %d", rng.IntN(40)), Permissions: perms})
	}
	switch backend.ErrorCode(err) {
	case "":
		return true, nil
	case backend.ECONFLICT, backend.ENOTFOUND, backend.EFORBIDDEN, backend.EINVALID:
		return false, nil
	}
	return false, err
}
