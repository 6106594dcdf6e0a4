package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/password"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
	"roster/backend/server"
	"roster/backend/sqlite"
	"roster/backend/sqlstore"
)

// pushEnv is a directory server with two administrators, Ada and Bob, each
// with an API token, for pushing operations as desktops do.
type pushEnv struct {
	t          testing.TB
	st         *backend.Storage
	base       string
	ada, bob   *backend.User
	adaToken   string
	bobToken   string
	adaCtx     context.Context
	boom, calm string // SQL that makes creating a role named "Boom" fail, and undoes it
	// refuse is SQL that makes the audit entry of an invitation of
	// refused@example.com fail as a conflict (a unique key), after the
	// invitation's row was written.
	refuse string
	// onNow, if set, runs once at the next time the store reads its clock.
	onNow atomic.Pointer[func()]
}

// newPushEnv sets up the organisation on st and starts a server on it;
// setClock installs the store's clock.
func newPushEnv(t testing.TB, st *backend.Storage, setClock func(func() time.Time), boom, calm, refuse string) *pushEnv {
	t.Helper()
	e := &pushEnv{t: t, st: st, boom: boom, calm: calm, refuse: refuse}
	setClock(func() time.Time {
		if f := e.onNow.Swap(nil); f != nil {
			(*f)()
		}
		return time.Now()
	})
	ctx := context.Background()
	_, ada, err := st.Organisations.SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	e.ada = ada
	e.adaCtx = backend.NewContextWithActor(ctx, backend.Actor{ID: ada.ID, Name: ada.Name})
	token, _ := mint()
	if _, err := st.HashedLinks.InviteUserWithTokenHash(e.adaCtx, backend.InviteParams{Email: "bob@example.com", Role: "administrator"},
		sqlstore.HashToken(token)); err != nil {
		t.Fatal(err)
	}
	if e.bob, err = st.Invitations.AcceptInvitation(ctx, backend.AcceptParams{Token: token, Name: "Bob Boss", PasswordHash: "unused"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		id  string
		dst *string
	}{{ada.ID, &e.adaToken}, {e.bob.ID, &e.bobToken}} {
		if _, *p.dst, err = st.APITokens.CreateAPIToken(ctx, p.id); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewUnstartedServer(nil)
	e.base = "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(e.base)
	srv, err := server.New(server.Config{BaseURL: u, Hasher: &password.Hasher{Params: cheap}}, *st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return e
}

// push sends a batch of client's operations with token.
func (e *pushEnv) push(token, client string, ops ...backend.Op) *answer {
	e.t.Helper()
	if ops == nil {
		ops = []backend.Op{}
	}
	body, err := json.Marshal(backend.PushRequest{Client: client, Ops: ops})
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.base+"/api/v1/sync/push", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Roster-Client", "Roster on "+client)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := &answer{status: res.StatusCode, header: res.Header, raw: string(raw)}
	json.Unmarshal(raw, &a.body)
	return a
}

// result reads a push's answer, which must be 200.
func (e *pushEnv) result(a *answer) *backend.PushResult {
	e.t.Helper()
	if a.status != http.StatusOK {
		e.t.Fatalf("answer %d, want 200: %s", a.status, a.raw)
	}
	var res backend.PushResult
	if err := json.Unmarshal([]byte(a.raw), &res); err != nil {
		e.t.Fatal(err)
	}
	return &res
}

// exec runs SQL on the server's database.
func (e *pushEnv) exec(query string) {
	e.t.Helper()
	if _, err := e.st.SyncPush.(*sqlstore.Store).DB.ExecContext(context.Background(), query); err != nil {
		e.t.Fatal(err)
	}
}

// count counts the rows a query with one argument selects.
func (e *pushEnv) count(query string, arg any) int {
	e.t.Helper()
	var n int
	if err := e.st.SyncPush.(*sqlstore.Store).DB.QueryRowContext(context.Background(), query, arg).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// syncOp is operation seq of kind with data, made now.
func syncOp(t testing.TB, seq int64, kind backend.OpKind, data any) backend.Op {
	t.Helper()
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return backend.Op{Seq: seq, Kind: kind, At: time.Now(), Data: b}
}

// tokenHash is the hash of a new link token.
func tokenHash() []byte {
	_, h := sqlstore.NewToken()
	return h
}

// TestAPISyncPush pushes operations over HTTP to a server on a SQLite file
// and on PostgreSQL.
func TestAPISyncPush(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testAPISyncPush(t, newSQLitePushEnv(t)) })
	t.Run("PostgreSQL", func(t *testing.T) { testAPISyncPush(t, newPostgresPushEnv(t)) })
}

// TestAPISyncPushBatch pushes batches with a refusal in their middle, whose
// operations share one transaction, to a server on a SQLite file and on
// PostgreSQL.
func TestAPISyncPushBatch(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testAPISyncPushBatch(t, newSQLitePushEnv(t)) })
	t.Run("PostgreSQL", func(t *testing.T) { testAPISyncPushBatch(t, newPostgresPushEnv(t)) })
}

// newSQLitePushEnv is a pushEnv on a new SQLite file.
func newSQLitePushEnv(t testing.TB) *pushEnv {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newPushEnv(t, sqlite.NewStorage(db), func(now func() time.Time) { db.Now = now },
		`CREATE TRIGGER boom BEFORE INSERT ON roles WHEN NEW.name = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
		`DROP TRIGGER boom`,
		`CREATE TABLE refuse (k TEXT PRIMARY KEY); INSERT INTO refuse VALUES ('x');
		CREATE TRIGGER refuse AFTER INSERT ON audit_log WHEN NEW.target_label = 'refused@example.com'
		BEGIN INSERT INTO refuse VALUES ('x'); END`)
}

// newPostgresPushEnv is a pushEnv on a new PostgreSQL database (skipped
// without scripts/with-postgres.sh).
func newPostgresPushEnv(t testing.TB) *pushEnv {
	t.Helper()
	db := postgres.NewDB(pgtest.NewDatabase(t))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newPushEnv(t, postgres.NewStorage(db), func(now func() time.Time) { db.Now = now },
		`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
			IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER boom BEFORE INSERT ON roles FOR EACH ROW EXECUTE FUNCTION boom()`,
		`DROP TRIGGER boom ON roles; DROP FUNCTION boom()`,
		`CREATE TABLE refuse (k TEXT PRIMARY KEY); INSERT INTO refuse VALUES ('x');
		CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
			IF NEW.target_label = 'refused@example.com' THEN INSERT INTO refuse VALUES ('x'); END IF; RETURN NEW; END $$;
		CREATE TRIGGER refuse AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse()`)
}

func testAPISyncPush(t *testing.T, e *pushEnv) {
	var eveID string

	t.Run("AppliedOnceWhenSentTwice", func(t *testing.T) {
		eveID = sqlstore.NewID()
		batch := []backend.Op{
			syncOp(t, 1, backend.OpInvite, backend.InviteOp{ID: eveID, Email: "eve@example.com", Role: "user", TokenHash: tokenHash()}),
			syncOp(t, 2, backend.OpCreateRole, backend.RoleOp{ID: sqlstore.NewID(), Name: "Auditors", Permissions: []backend.Permission{"chat"}}),
		}
		for range 2 { // the second time as after a lost answer
			res := e.result(e.push(e.adaToken, "c-ada", batch...))
			if res.Applied != 2 || len(res.Conflicts) != 0 {
				t.Fatalf("result %+v", res)
			}
		}
		if n := e.count(`SELECT count(*) FROM invitations WHERE email_key = ?`, "eve@example.com"); n != 1 {
			t.Fatalf("%d invitations of eve", n)
		}
		if n := e.count(`SELECT count(*) FROM roles WHERE name_key = ?`, "auditors"); n != 1 {
			t.Fatalf("%d roles Auditors", n)
		}
		// The audit entry has the operation's id, the desktop and the administrator.
		if n := e.count(`SELECT count(*) FROM audit_log WHERE uid = ? AND actor_client = 'Roster on c-ada' AND actor_id = '`+e.ada.ID+`'`,
			"c-ada.1.0"); n != 1 {
			t.Fatalf("%d audit entries c-ada.1.0", n)
		}
	})

	t.Run("ErrGap", func(t *testing.T) {
		a := e.push(e.adaToken, "c-ada", syncOp(t, 4, backend.OpDeleteInvitation, backend.InvitationOp{ID: eveID}))
		a.expectError(t, http.StatusConflict, backend.ECONFLICT, "sync.gap")
		if args := a.body["error"].(map[string]any)["args"].(map[string]any); args["expected"] != float64(3) {
			t.Fatalf("args %v", args)
		}
		if n := e.count(`SELECT count(*) FROM invitations WHERE email_key = ? AND state = 'pending'`, "eve@example.com"); n != 1 {
			t.Fatal("the refused batch was applied")
		}
	})

	t.Run("ConflictSameAddress", func(t *testing.T) {
		// Bob's desktop invited eve too, before it heard of Ada's invitation.
		batch := []backend.Op{syncOp(t, 1, backend.OpInvite, backend.InviteOp{ID: sqlstore.NewID(), Email: "Eve@example.com",
			Role: "user", TokenHash: tokenHash()})}
		for range 2 { // the conflict is recorded: sent again, it comes back again
			a := e.push(e.bobToken, "c-bob", batch...)
			res := e.result(a)
			if res.Applied != 1 || len(res.Conflicts) != 1 {
				t.Fatalf("result %+v", res)
			}
			// The refusal travels as the API's errors do.
			wire, _ := a.body["conflicts"].([]any)[0].(map[string]any)["error"].(map[string]any)
			if wire["code"] != backend.ECONFLICT || wire["key"] != "invitation.exists" || wire["field"] != "email" ||
				wire["args"].(map[string]any)["email"] != "Eve@example.com" || wire["message"] == "" {
				t.Fatalf("error on the wire %s", a.raw)
			}
			c := res.Conflicts[0]
			if c.Seq != 1 || c.Kind != backend.OpInvite || c.Error.Code != backend.ECONFLICT || c.Error.Key != "invitation.exists" {
				t.Fatalf("conflict %+v, error %+v", c, c.Error)
			}
			var row backend.InvitationRow
			for _, ch := range c.Server {
				if ch.Entity == backend.EntityInvitation && ch.ID == eveID {
					if err := json.Unmarshal(ch.Row, &row); err != nil {
						t.Fatal(err)
					}
				}
			}
			if row.ID != eveID || row.Email != "eve@example.com" || row.InvitedByID != e.ada.ID || row.State != backend.InvitationPending {
				t.Fatalf("server rows %s", mustJSON(t, c.Server))
			}
		}
		if n := e.count(`SELECT count(*) FROM invitations WHERE email_key = ?`, "eve@example.com"); n != 1 {
			t.Fatalf("%d invitations of eve", n)
		}
	})

	t.Run("ErrOtherAdministratorsClient", func(t *testing.T) {
		e.push(e.bobToken, "c-ada").expectError(t, http.StatusForbidden, backend.EFORBIDDEN, "sync.client_taken")
	})

	t.Run("ErrTooManyOps", func(t *testing.T) {
		ops := make([]backend.Op, backend.MaxPushOps+1)
		for i := range ops {
			ops[i] = syncOp(t, int64(3+i), backend.OpDeleteInvitation, backend.InvitationOp{ID: "x"})
		}
		e.push(e.adaToken, "c-ada", ops...).expectError(t, http.StatusUnprocessableEntity, backend.EINVALID, "sync.batch_too_large")
	})

	t.Run("TemporaryFailureStopsTheBatch", func(t *testing.T) {
		role := func(seq int64, name string) backend.Op {
			return syncOp(t, seq, backend.OpCreateRole, backend.RoleOp{ID: sqlstore.NewID(), Name: name, Permissions: []backend.Permission{"chat"}})
		}
		batch := []backend.Op{role(3, "Alpha"), role(4, "Boom"), role(5, "Gamma")}
		e.exec(e.boom)
		e.push(e.adaToken, "c-ada", batch...).expectError(t, http.StatusInternalServerError, backend.EINTERNAL, "internal")
		if res := e.result(e.push(e.adaToken, "c-ada")); res.Applied != 3 {
			t.Fatalf("applied %d after the failure, want 3", res.Applied)
		}
		e.exec(e.calm)
		if res := e.result(e.push(e.adaToken, "c-ada", batch...)); res.Applied != 5 || len(res.Conflicts) != 0 {
			t.Fatalf("result %+v", res)
		}
		for _, name := range []string{"alpha", "boom", "gamma"} {
			if n := e.count(`SELECT count(*) FROM roles WHERE name_key = ?`, name); n != 1 {
				t.Fatalf("%d roles %s", n, name)
			}
		}
	})

	t.Run("ConflictLastAdministrator", func(t *testing.T) {
		// While Bob's push is on its way, after his token was checked, Ada
		// demotes him: his deactivating her would leave no Administrator.
		demote := func() {
			if _, err := e.st.Users.ChangeUserRole(e.adaCtx, e.bob.ID, backend.RoleUser); err != nil {
				t.Error(err)
			}
		}
		e.onNow.Store(&demote)
		res := e.result(e.push(e.bobToken, "c-bob", syncOp(t, 2, backend.OpDeactivateUser, backend.UserOp{ID: e.ada.ID})))
		if e.onNow.Load() != nil {
			t.Fatal("the store did not read its clock during the push")
		}
		if res.Applied != 2 || len(res.Conflicts) != 1 || res.Conflicts[0].Error.Key != "user.last_admin.deactivated" {
			t.Fatalf("result %s", mustJSON(t, res))
		}
		var ada backend.UserRow
		if s := res.Conflicts[0].Server; len(s) != 1 || s[0].ID != e.ada.ID || json.Unmarshal(s[0].Row, &ada) != nil ||
			ada.Status != backend.UserActive || ada.RoleID != backend.RoleAdministrator {
			t.Fatalf("server rows %s", mustJSON(t, s))
		}
		if u, err := e.st.Users.FindUserByID(context.Background(), e.ada.ID); err != nil || u.Status != backend.UserActive {
			t.Fatalf("Ada %+v, %v", u, err)
		}
	})
}

// testAPISyncPushBatch pushes batches with a refusal in their middle.
func testAPISyncPushBatch(t *testing.T, e *pushEnv) {
	e.exec(e.refuse)
	invite := func(seq int64, email string) backend.Op {
		return syncOp(t, seq, backend.OpInvite, backend.InviteOp{ID: sqlstore.NewID(), Email: email, Role: "user", TokenHash: tokenHash()})
	}
	invitations := func(email string) int {
		return e.count(`SELECT count(*) FROM invitations WHERE email_key = ?`, email)
	}
	audits := func(uid string) int {
		return e.count(`SELECT count(*) FROM audit_log WHERE uid = ?`, uid)
	}

	t.Run("RefusalBetweenAppliedOps", func(t *testing.T) {
		batch := []backend.Op{invite(1, "one@example.com"), invite(2, "refused@example.com"), invite(3, "three@example.com")}
		for range 2 { // the second time as after a lost answer
			res := e.result(e.push(e.adaToken, "c-mid", batch...))
			if res.Applied != 3 || len(res.Conflicts) != 1 || res.Conflicts[0].Seq != 2 || res.Conflicts[0].Error.Code != backend.ECONFLICT {
				t.Fatalf("result %s", mustJSON(t, res))
			}
			// The refused operation's invitation, written before its audit
			// entry failed, is rolled back with it; the others stay.
			for email, want := range map[string]int{"one@example.com": 1, "refused@example.com": 0, "three@example.com": 1} {
				if n := invitations(email); n != want {
					t.Fatalf("%d invitations of %s, want %d", n, email, want)
				}
			}
			for uid, want := range map[string]int{"c-mid.1.0": 1, "c-mid.2.0": 0, "c-mid.3.0": 1} {
				if n := audits(uid); n != want {
					t.Fatalf("%d audit entries %s, want %d", n, uid, want)
				}
			}
		}
	})

	t.Run("TemporaryFailureAfterRefusal", func(t *testing.T) {
		role := syncOp(t, 6, backend.OpCreateRole, backend.RoleOp{ID: sqlstore.NewID(), Name: "Boom", Permissions: []backend.Permission{"chat"}})
		batch := []backend.Op{invite(4, "four@example.com"), invite(5, "refused@example.com"), role, invite(7, "seven@example.com")}
		e.exec(e.boom)
		e.push(e.adaToken, "c-mid", batch...).expectError(t, http.StatusInternalServerError, backend.EINTERNAL, "internal")
		// What came before the failure is kept: the invitation and the refusal.
		if res := e.result(e.push(e.adaToken, "c-mid")); res.Applied != 5 {
			t.Fatalf("applied %d after the failure, want 5", res.Applied)
		}
		if n := invitations("four@example.com"); n != 1 {
			t.Fatalf("%d invitations of four", n)
		}
		if n := e.count(`SELECT count(*) FROM roles WHERE name_key = ?`, "boom"); n != 0 {
			t.Fatal("the failed operation was applied")
		}
		e.exec(e.calm)
		res := e.result(e.push(e.adaToken, "c-mid", batch...))
		if res.Applied != 7 || len(res.Conflicts) != 1 || res.Conflicts[0].Seq != 5 {
			t.Fatalf("result %s", mustJSON(t, res))
		}
		for email, want := range map[string]int{"four@example.com": 1, "refused@example.com": 0, "seven@example.com": 1} {
			if n := invitations(email); n != want {
				t.Fatalf("%d invitations of %s, want %d", n, email, want)
			}
		}
		if n := e.count(`SELECT count(*) FROM roles WHERE name_key = ?`, "boom"); n != 1 {
			t.Fatalf("%d roles Boom", n)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
