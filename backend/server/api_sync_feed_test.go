package server_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/password"
	"roster/backend/server"
)

// newStorageAPIEnv starts a server with the admin API over st, sets up the
// organisation and returns an apiEnv acting as its first administrator
// (without the SQLite handles that only tests on SQLite use).
func newStorageAPIEnv(t *testing.T, st *backend.Storage) *apiEnv {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(base)
	logs := &syncBuffer{}
	log := logrus.New()
	log.SetOutput(logs)
	srv, err := server.New(server.Config{BaseURL: u, Hasher: &password.Hasher{Params: cheap},
		Limits: server.Limits{APIRate: 10000, APIBurst: 10000}}, *st, log)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	_, admin, err := st.Organisations.SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name})
	_, token, err := st.APITokens.CreateAPIToken(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &apiEnv{env: &env{t: t, ctx: ctx, admin: admin, base: base, logs: logs, api: true}, token: token}
}

// pull reads one page of the change feed.
func (e *apiEnv) pull(cursor int64, limit int) (*backend.PullResult, string) {
	e.t.Helper()
	a := e.call("GET", fmt.Sprintf("/api/v1/sync/pull?client=desk-1&cursor=%d&limit=%d", cursor, limit), nil).expect(e.t, http.StatusOK)
	var res backend.PullResult
	if err := json.Unmarshal([]byte(a.raw), &res); err != nil {
		e.t.Fatal(err)
	}
	return &res, a.raw
}

// pullAll reads the feed from cursor to its end in pages of limit, and
// returns the latest change of each entity and the last cursor.
func (e *apiEnv) pullAll(cursor int64, limit int) (map[string]backend.Change, int64) {
	e.t.Helper()
	latest := map[string]backend.Change{}
	for {
		res, raw := e.pull(cursor, limit)
		checkNoSecrets(e.t, raw)
		for _, c := range res.Changes {
			if c.Seq <= cursor {
				e.t.Fatalf("change %d at or before the cursor %d", c.Seq, cursor)
			}
			if old, ok := latest[c.Entity+" "+c.ID]; !ok || old.Seq <= c.Seq {
				latest[c.Entity+" "+c.ID] = c
			}
		}
		if res.Cursor < cursor {
			e.t.Fatalf("cursor went back from %d to %d", cursor, res.Cursor)
		}
		cursor = res.Cursor
		if !res.More {
			return latest, cursor
		}
	}
}

// checkNoSecrets fails the test if an answer carries a field that only the
// server may know.
func checkNoSecrets(t *testing.T, raw string) {
	t.Helper()
	for _, s := range []string{"password", "Hash", "hash", "outbox", "sortKey", "searchText", "$argon2"} {
		if strings.Contains(raw, s) {
			t.Fatalf("the answer contains %q: %s", s, raw)
		}
	}
}

// row decodes a change's row.
func row[T any](t *testing.T, c backend.Change) T {
	t.Helper()
	var v T
	if c.Deleted || c.Row == nil {
		t.Fatalf("change %s %s has no row", c.Entity, c.ID)
	}
	if err := json.Unmarshal(c.Row, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSyncFeed pulls the change feed over HTTP while the directory changes
// through the admin API and the server's pages: on SQLite, and on PostgreSQL.
func TestSyncFeed(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		db, st := sqliteStorage(t)
		e := newStorageAPIEnv(t, st)
		testSyncFeed(t, e)
		t.Run("Applied", func(t *testing.T) {
			raw, err := sql.Open("sqlite3", db.Path())
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec(`INSERT INTO sync_clients (id, user_id, name, last_seq, created_at, updated_at)
				VALUES ('desk-1', ?, 'Roster on ada-laptop', 17, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`, e.admin.ID); err != nil {
				t.Fatal(err)
			}
			if res, _ := e.pull(0, 1); res.Applied != 17 {
				t.Fatalf("applied %d", res.Applied)
			}
		})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		testSyncFeed(t, newStorageAPIEnv(t, postgresStorages(t, 1)[0]))
	})
}

func testSyncFeed(t *testing.T, e *apiEnv) {
	var cursor int64
	t.Run("Hello", func(t *testing.T) {
		a := e.call("GET", "/api/v1/sync/hello", nil).expect(t, http.StatusOK)
		var h backend.SyncHello
		if err := json.Unmarshal([]byte(a.raw), &h); err != nil {
			t.Fatal(err)
		}
		if h.Server != e.base || h.Version != "1" || h.Organisation.Name != "Example Ltd" || h.Organisation.ID == "" ||
			h.Administrator.ID != e.admin.ID || h.Administrator.Email != "ada@example.com" || !h.Empty {
			t.Fatalf("hello %s", a.raw)
		}
	})
	t.Run("First", func(t *testing.T) {
		// The rows that existed before the first pull are all there.
		all, c := e.pullAll(0, 1000)
		cursor = c
		if r := row[backend.RoleRow](t, all["role administrator"]); !r.BuiltIn || len(r.Permissions) != 6 ||
			r.Permissions[0] != backend.PermChat {
			t.Fatalf("administrator role %+v", r)
		}
		if u := row[backend.UserRow](t, all["user "+e.admin.ID]); u.Email != "ada@example.com" || u.RoleID != backend.RoleAdministrator {
			t.Fatalf("admin %+v", u)
		}
		var actions []string
		for _, c := range all {
			if c.Entity == backend.EntityAudit {
				a := row[backend.AuditRow](t, c)
				actions = append(actions, a.Action)
				if a.UID != c.ID || a.ActorID != e.admin.ID {
					t.Fatalf("audit entry %+v", a)
				}
			}
		}
		slices.Sort(actions)
		// The organisation was set up, and the test's API token made.
		if len(all) != 5 || fmt.Sprint(actions) != "[api_token.created organisation.setup]" || all["role user"].Seq == 0 {
			t.Fatalf("first pull %v", all)
		}
	})
	var roleID, invID, memberID string
	t.Run("AdminAPI", func(t *testing.T) {
		a := e.call("POST", "/api/v1/roles", map[string]any{"name": "Support", "permissions": []string{"use_skills", "chat"}}).
			expect(t, http.StatusCreated)
		roleID = a.str("id")
		var token string
		invID, token = e.inviteByAPI("bob@example.com", roleID)
		changed, c := e.pullAll(cursor, 1000)
		// Neither the link's token nor its hash, in any encoding.
		_, raw := e.pull(0, 5000)
		h := sha256.Sum256([]byte(token))
		for _, s := range []string{token, hex.EncodeToString(h[:]), base64.StdEncoding.EncodeToString(h[:]),
			base64.RawURLEncoding.EncodeToString(h[:])} {
			if strings.Contains(raw, s) {
				t.Fatalf("the pull shows %s", s)
			}
		}
		if r := row[backend.RoleRow](t, changed["role "+roleID]); r.Name != "Support" || r.BuiltIn ||
			fmt.Sprint(r.Permissions) != "[chat use_skills]" {
			t.Fatalf("role %+v", r)
		}
		if i := row[backend.InvitationRow](t, changed["invitation "+invID]); i.Email != "bob@example.com" || i.RoleID != roleID ||
			i.RoleName != "Support" || i.State != backend.InvitationPending || i.InvitedByID != e.admin.ID {
			t.Fatalf("invitation %+v", i)
		}
		audits := 0
		for _, ch := range changed {
			if ch.Entity == backend.EntityAudit {
				if a := row[backend.AuditRow](t, ch); a.ActorClient != "Roster desktop test" {
					t.Fatalf("audit entry %+v", a)
				}
				audits++
			}
		}
		if len(changed) != 4 || audits != 2 {
			t.Fatalf("changes %v", changed)
		}
		cursor = c

		// Accepting the invitation on its page creates the member, accepts
		// the invitation and signs them in.
		e.join(token, "Bob Builder", pw1)
		changed, cursor = e.pullAll(cursor, 1000)
		i := row[backend.InvitationRow](t, changed["invitation "+invID])
		memberID = i.UserID
		u := row[backend.UserRow](t, changed["user "+memberID])
		if i.State != backend.InvitationAccepted || i.AcceptedAt == nil || u.Name != "Bob Builder" || u.RoleID != roleID ||
			u.Status != backend.UserActive || u.LastSignInAt == nil {
			t.Fatalf("after accepting: %+v %+v", i, u)
		}
		a = e.call("GET", "/api/v1/sync/hello", nil).expect(t, http.StatusOK)
		if a.body["empty"] != false {
			t.Fatalf("hello %s", a.raw)
		}
	})
	t.Run("Deactivated", func(t *testing.T) {
		e.call("PATCH", "/api/v1/users/"+memberID, map[string]any{"active": false}).expect(t, http.StatusOK)
		res, _ := e.pull(cursor, 1000)
		var found bool
		for _, c := range res.Changes {
			if c.Entity == backend.EntityUser && c.ID == memberID {
				found = row[backend.UserRow](t, c).Status == backend.UserInactive
			}
		}
		if !found || res.More || res.Cursor <= cursor {
			t.Fatalf("pull after deactivating: %+v", res)
		}
		cursor = res.Cursor
	})
	t.Run("Tombstone", func(t *testing.T) {
		a := e.call("POST", "/api/v1/roles", map[string]any{"name": "Temp", "permissions": []string{"chat"}}).expect(t, http.StatusCreated)
		temp := a.str("id")
		e.call("DELETE", "/api/v1/roles/"+temp, nil).expect(t, http.StatusNoContent)
		changed, c := e.pullAll(cursor, 1000)
		if ch := changed["role "+temp]; !ch.Deleted || ch.Row != nil {
			t.Fatalf("deleted role %+v", ch)
		}
		cursor = c
	})
	t.Run("Paging", func(t *testing.T) {
		for i := range 5 {
			e.inviteByAPI(fmt.Sprintf("page%d@example.com", i), "user")
		}
		whole, end := e.pullAll(0, 5000)
		paged, pagedEnd := e.pullAll(0, 3)
		if end != pagedEnd || len(whole) != len(paged) {
			t.Fatalf("one page: %d changes to %d; pages of 3: %d to %d", len(whole), end, len(paged), pagedEnd)
		}
		for k, c := range whole {
			if p := paged[k]; p.Seq != c.Seq || string(p.Row) != string(c.Row) {
				t.Fatalf("%s: %+v paged, %+v whole", k, p, c)
			}
		}
		res, _ := e.pull(0, 3)
		if !res.More || len(res.Changes) < 3 {
			t.Fatalf("first page of 3: %+v", res)
		}
		res, _ = e.pull(end, 3)
		if res.More || len(res.Changes) != 0 || res.Cursor != end || res.Applied != 0 {
			t.Fatalf("past the end: %+v", res)
		}
	})
	t.Run("References", func(t *testing.T) {
		// An invitation with a role renamed since: a page that ends with the
		// invitation brings the role too, ahead of its place.
		a := e.call("POST", "/api/v1/roles", map[string]any{"name": "Night", "permissions": []string{"chat"}}).expect(t, http.StatusCreated)
		night := a.str("id")
		_, before := e.pullAll(cursor, 1000)
		id, _ := e.inviteByAPI("carl@example.com", night)
		e.call("PATCH", "/api/v1/roles/"+night, map[string]any{"name": "Late"}).expect(t, http.StatusOK)
		// Pages of one change: the one that has the invitation in its place
		// has the role too.
		for cur := before; ; {
			res, _ := e.pull(cur, 1)
			if len(res.Changes) == 0 {
				t.Fatal("no page had the invitation")
			}
			if c := res.Changes[0]; c.ID == id {
				if len(res.Changes) != 2 || res.Changes[1].ID != night || res.Changes[1].Seq <= res.Cursor ||
					row[backend.RoleRow](t, res.Changes[1]).Name != "Late" || row[backend.InvitationRow](t, c).RoleName != "Late" {
					t.Fatalf("page %+v", res)
				}
				break
			}
			if len(res.Changes) != 1 {
				t.Fatalf("page %+v", res)
			}
			cur = res.Cursor
		}
	})
	t.Run("ErrLimit", func(t *testing.T) {
		for q, key := range map[string]string{"limit=0": "api.bad_number", "limit=5001": "api.bad_number",
			"cursor=-1": "api.bad_number", "cursor=x": "api.bad_number", "other=1": "api.unknown_parameter"} {
			e.call("GET", "/api/v1/sync/pull?"+q, nil).expectError(t, http.StatusBadRequest, backend.EINVALID, key)
		}
	})
}
