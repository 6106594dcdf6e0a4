package syncsim_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/internal/synctest"
	"roster/backend/password"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
	"roster/backend/server"
	"roster/backend/sqlite"
	"roster/backend/sqlstore"
	"roster/backend/syncclient"
	"roster/backend/syncer"
)

var _ syncer.Replica = (*sqlite.SyncReplica)(nil)

// storeKind is a database a directory server runs on.
type storeKind struct {
	name string
	// open returns the server's storage, a raw handle for checks and the
	// SQL that differs.
	open func(t *testing.T) (*backend.Storage, *sql.DB)
}

var stores = []storeKind{
	{name: "sqlite", open: func(t *testing.T) (*backend.Storage, *sql.DB) {
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
		return sqlite.NewStorage(db), raw
	}},
	{name: "postgres", open: func(t *testing.T) (*backend.Storage, *sql.DB) {
		u := pgtest.NewDatabase(t)
		db := postgres.NewDB(u)
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		raw, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		return postgres.NewStorage(db), raw
	}},
}

// cheap hashing keeps the simulation fast.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// simServer is the directory server with its administrators.
type simServer struct {
	st     *backend.Storage
	raw    *sql.DB
	pg     bool // raw is PostgreSQL's: statements need $1, $2, …
	base   string
	admins []*backend.User
	tokens []string
	ctx    context.Context // acting as the first administrator through the admin API
	audit  int             // audit entries after the last step
	joined int             // invitations accepted on the server
}

// mint returns a link token and its hash.
func mint() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(token))
	return token, h[:]
}

func newServer(t *testing.T, store storeKind) *simServer {
	t.Helper()
	st, raw := store.open(t)
	ctx := context.Background()
	_, ada, err := st.Organisations.SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	s := &simServer{st: st, raw: raw, pg: store.name == "postgres", admins: []*backend.User{ada},
		ctx: backend.NewContextWithActor(ctx, backend.Actor{ID: ada.ID, Name: ada.Name, Client: "admin API"})}
	// Two more administrators and a few members, who joined through
	// their invitations' links.
	for i, who := range []string{"Bob Boss", "Cy Chief", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy"} {
		role := backend.RoleUser
		if i < 2 {
			role = backend.RoleAdministrator
		}
		token, hash := mint()
		email := fmt.Sprintf("member%d@example.org", i)
		if _, err := st.HashedLinks.InviteUserWithTokenHash(s.ctx, backend.InviteParams{Email: email, Role: role}, hash); err != nil {
			t.Fatal(err)
		}
		u, err := st.Invitations.AcceptInvitation(ctx, backend.AcceptParams{Token: token, Name: who, PasswordHash: "unused"})
		if err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			s.admins = append(s.admins, u)
		}
	}
	for _, a := range s.admins {
		_, secret, err := st.APITokens.CreateAPIToken(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.tokens = append(s.tokens, secret)
	}
	ts := httptest.NewUnstartedServer(nil)
	s.base = "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(s.base)
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	srv, err := server.New(server.Config{BaseURL: u, Hasher: &password.Hasher{Params: cheap}}, *st, log)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return s
}

// isDesk says whether user id is an administrator a replica acts as.
func (s *simServer) isDesk(id string) bool {
	for _, a := range s.admins {
		if a.ID == id {
			return true
		}
	}
	return false
}

// count runs a counting query on the server's database.
func (s *simServer) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	if s.pg {
		query = sqlstore.Rebind(query)
	}
	var n int
	if err := s.raw.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// checkInvariants fails t when the server broke a rule at step.
func (s *simServer) checkInvariants(t *testing.T, step int) {
	t.Helper()
	if n := s.count(t, `SELECT count(*) FROM (SELECT email_key FROM invitations WHERE state = 'pending'
		GROUP BY email_key HAVING count(*) > 1) x`); n != 0 {
		t.Fatalf("step %d: %d addresses with more than one open invitation", step, n)
	}
	if n := s.count(t, `SELECT count(*) FROM users WHERE role_id = 'administrator' AND status = 'active'`); n < 1 {
		t.Fatalf("step %d: no active Administrator", step)
	}
	n := s.count(t, `SELECT count(*) FROM audit_log`)
	if n < s.audit {
		t.Fatalf("step %d: the audit log lost entries: %d, then %d", step, s.audit, n)
	}
	s.audit = n
}

// change makes a change on the server itself: an invitee accepts a link a
// replica's email carried, or the first administrator acts through the
// admin API.
func (s *simServer) change(t *testing.T, ctx context.Context, rng *mrand.Rand, reps []*replica) {
	t.Helper()
	if rng.IntN(2) == 0 {
		r := reps[rng.IntN(len(reps))]
		var id string
		err := r.raw.QueryRow(`SELECT invitation_id FROM outbox WHERE kind = 'invitation' AND state = 'queued'
			ORDER BY id LIMIT 1 OFFSET ?`, rng.IntN(4)).Scan(&id)
		if err == sql.ErrNoRows {
			return
		} else if err != nil {
			t.Fatal(err)
		}
		token, err := r.storage().Links.TakeInvitationToken(ctx, id)
		if err != nil {
			var state string
			var outboxID sql.NullInt64
			r.raw.QueryRow(`SELECT state, outbox_id FROM invitations WHERE id = ?`, id).Scan(&state, &outboxID)
			var queued []int64
			rows, _ := r.raw.Query(`SELECT id FROM outbox WHERE invitation_id = ? AND state = 'queued'`, id)
			for rows.Next() {
				var n int64
				rows.Scan(&n)
				queued = append(queued, n)
			}
			rows.Close()
			t.Fatalf("replica %d: take the token of %s (%s, outbox %v, queued %v): %v", r.n, id, state, outboxID, queued, err)
		}
		_, err = s.st.Invitations.AcceptInvitation(ctx, backend.AcceptParams{Token: token, Name: "Joiner " + id[:6], PasswordHash: "unused"})
		switch backend.ErrorCode(err) {
		case "":
			s.joined++
		case backend.ENOTFOUND, backend.EFORBIDDEN, backend.ECONFLICT:
			// deleted, relinked or expired meanwhile on the server, or its
			// address joined by another link
		default:
			t.Fatalf("accept %s on the server: %v", id, err)
		}
		return
	}
	users, _, err := s.st.Users.FindUsers(s.ctx, backend.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	u := users[rng.IntN(len(users))]
	if s.isDesk(u.ID) {
		return
	}
	switch rng.IntN(3) {
	case 0:
		_, err = s.st.Users.DeactivateUser(s.ctx, u.ID)
	case 1:
		_, err = s.st.Users.ActivateUser(s.ctx, u.ID)
	default:
		_, err = s.st.Users.ChangeUserRole(s.ctx, u.ID, backend.RoleUser)
	}
	switch backend.ErrorCode(err) {
	case "", backend.ECONFLICT, backend.ENOTFOUND, backend.EFORBIDDEN, backend.EINVALID:
	default:
		t.Fatalf("server change: %v", err)
	}
}

// replica is a desktop: its database file, services and sync engine.
type replica struct {
	n         int
	world     *simServer
	path      string
	client    string
	actor     backend.Actor
	db        *sqlite.DB
	raw       *sql.DB
	keys      backend.OutboxKeys
	engine    *syncer.Engine
	transport *flaky
	changes   int // local changes made (each one operation)
}

// newReplica makes desktop n, acting as the server's administrator n, by
// joining the server's organisation at first run.
func (s *simServer) newReplica(t *testing.T, n int, rng *mrand.Rand, st *stats) *replica {
	t.Helper()
	admin := s.admins[n%len(s.admins)]
	name := fmt.Sprintf("Roster on desk%d", n)
	c, err := syncclient.New(s.base, s.tokens[n%len(s.tokens)], syncclient.Options{Name: name, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{
		n: n, world: s, path: filepath.Join(t.TempDir(), fmt.Sprintf("desk%d.db", n)), client: fmt.Sprintf("desk-%d", n),
		actor:     backend.Actor{ID: admin.ID, Name: admin.Name, Client: name},
		keys:      backend.NewSessionOutboxKeys(),
		transport: &flaky{inner: c, rng: rng, rate: 0.2, stats: st},
	}
	r.open(t)
	ctx := context.Background()
	hello, err := c.Hello(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.transport.rate = 0
	if err := r.engine.SyncOnce(r.acting(ctx)); err != nil {
		t.Fatalf("replica %d: first pull: %v", n, err)
	}
	r.transport.rate = 0.2
	rep := sqlite.NewSyncReplica(r.db)
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
	return r
}

// open opens the replica's file, its services and its engine.
func (r *replica) open(t *testing.T) {
	t.Helper()
	r.db = sqlite.NewDB(r.path)
	r.db.Keys = r.keys
	if err := r.db.Open(); err != nil {
		t.Fatal(err)
	}
	r.db.OpLog.SetClient(r.client)
	raw, err := sql.Open("sqlite3", "file:"+r.path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	r.raw = raw
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	r.engine = &syncer.Engine{
		Replica: sqlite.NewSyncReplica(r.db),
		Transport: func(context.Context) (backend.SyncTransport, string, error) {
			return r.transport, r.client, nil
		},
		Log:       log,
		PushBatch: 40, PullPage: 25, // several batches and pages per sync
	}
	t.Cleanup(func() { r.close() })
}

func (r *replica) close() {
	r.raw.Close()
	r.db.Close()
}

// restart closes the replica as a quit (or a crash between transactions)
// would, and opens it again.
func (r *replica) restart(t *testing.T) {
	t.Helper()
	r.close()
	r.open(t)
}

// acting returns ctx with the replica's administrator acting, as the
// window's calls and the sync engine run.
func (r *replica) acting(ctx context.Context) context.Context {
	return backend.NewContextWithActor(ctx, r.actor)
}

// services are the desktop's services on the replica.
type services struct {
	Users       backend.UserService
	Invitations backend.InvitationService
	Roles       backend.RoleService
	Resets      backend.PasswordResetService
}

func (r *replica) services() services {
	return services{
		Users:       sqlite.NewUserService(r.db),
		Invitations: sqlite.NewInvitationService(r.db),
		Roles:       sqlite.NewRoleService(r.db),
		Resets:      sqlite.NewPasswordResetService(r.db),
	}
}

func (r *replica) storage() *backend.Storage { return sqlite.NewStorage(r.db) }

// checkConverged fails t unless r equals the server row for row and every
// operation r made was applied once or listed as a conflict; it returns
// how many conflicts r lists.
func (r *replica) checkConverged(t *testing.T, s *simServer) int {
	t.Helper()
	ctx := context.Background()
	pending, err := sqlite.NewSyncReplica(r.db).CountPendingOps(ctx)
	if err != nil || pending != 0 {
		t.Fatalf("replica %d: %d operations still pending (%v)", r.n, pending, err)
	}
	synctest.Equal(t, sqlstore.Pool{DB: &s.raw}, sqlstore.Pool{DB: &r.raw})
	applied := s.count(t, (`SELECT last_seq FROM sync_clients WHERE id = ?`), r.client)
	if applied != r.changes {
		t.Fatalf("replica %d made %d operations; the server has applied up to %d", r.n, r.changes, applied)
	}
	conflicts := map[int]bool{}
	rows, err := r.raw.Query(`SELECT seq FROM sync_conflicts WHERE client_id = ?`, r.client)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seq int
		if err := rows.Scan(&seq); err != nil {
			t.Fatal(err)
		}
		conflicts[seq] = true
	}
	rows.Close()
	for seq := 1; seq <= r.changes; seq++ {
		uid := fmt.Sprintf("%s.%d.0", r.client, seq)
		entries := s.count(t, (`SELECT count(*) FROM audit_log WHERE uid = ?`), uid)
		switch {
		case conflicts[seq] && entries != 0:
			t.Fatalf("replica %d: operation %d is a conflict and applied on the server", r.n, seq)
		case !conflicts[seq] && entries != 1:
			t.Fatalf("replica %d: operation %d neither applied once (%d audit entries) nor a conflict", r.n, seq, entries)
		}
	}
	return len(conflicts)
}
