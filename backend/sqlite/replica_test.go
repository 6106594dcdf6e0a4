package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/internal/synctest"
	"roster/backend/server"
	"roster/backend/sqlite"
)

// feed is a directory server over a database, on a loopback listener,
// with an API token of its first administrator.
type feed struct {
	base, token string
}

// serveFeed starts a directory server over e's database until tb ends.
func serveFeed(tb testing.TB, e *env) *feed {
	tb.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	u, _ := url.Parse(base)
	srv, err := server.New(server.Config{BaseURL: u, Limits: server.Limits{APIRate: 1e6, APIBurst: 1e6}}, *sqlite.NewStorage(e.db), nil)
	if err != nil {
		tb.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	tb.Cleanup(ts.Close)
	_, token, err := sqlite.NewAPITokenService(e.db).CreateAPIToken(e.ctx, e.admin.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return &feed{base: base, token: token}
}

// pull reads one page of the feed.
func (f *feed) pull(tb testing.TB, cursor int64, limit int) *backend.PullResult {
	tb.Helper()
	req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/sync/pull?client=desk&cursor=%d&limit=%d", f.base, cursor, limit), nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("pull answered %d", res.StatusCode)
	}
	var page backend.PullResult
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		tb.Fatal(err)
	}
	return &page
}

// syncInto pulls the feed from the replica's cursor in pages of limit and
// applies each page, with the new cursor, in a transaction of its own.
func (f *feed) syncInto(tb testing.TB, replica *sqlite.DB, limit int) {
	tb.Helper()
	ctx := context.Background()
	cursor, err := replica.SyncCursor(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for {
		page := f.pull(tb, cursor, limit)
		tx, err := replica.BeginTx(ctx, nil)
		if err != nil {
			tb.Fatal(err)
		}
		if err := replica.ApplyChanges(ctx, tx, page.Changes); err != nil {
			tx.Rollback()
			tb.Fatalf("apply the page after %d: %v", cursor, err)
		}
		if err := replica.SetSyncCursor(ctx, tx, page.Cursor); err != nil {
			tx.Rollback()
			tb.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			tb.Fatal(err)
		}
		cursor = page.Cursor
		if !page.More {
			return
		}
	}
}

// rawDB opens a database file on a handle of its own.
func rawDB(tb testing.TB, db *sqlite.DB) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

// sameUsersList fails tb unless both databases' Users lists have the same
// rows in the same order, also when searched (by the trigram and the word
// index), and the replica has the list's triggers.
func sameUsersList(tb testing.TB, want, got *sqlite.DB) {
	tb.Helper()
	list := func(db *sqlite.DB, search *string) string {
		page, err := sqlite.NewDirectoryService(db).FindDirectory(context.Background(), backend.DirectoryFilter{Search: search, Limit: 10000})
		if err != nil {
			tb.Fatal(err)
		}
		b, _ := json.MarshalIndent(page, "", " ")
		return string(b)
	}
	for _, search := range []*string{nil, ptr("müller"), ptr("person"), ptr("bo"), ptr("ex")} {
		if w, g := list(want, search), list(got, search); w != g {
			tb.Fatalf("Users list of the server (search %v):\n%s\nof the replica:\n%s", search, w, g)
		}
	}
	var n int
	if err := rawDB(tb, got).QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN
		('users_directory_ai', 'invitations_directory_ai', 'directory_ai', 'directory_words_ai')`).Scan(&n); err != nil || n != 4 {
		tb.Fatalf("the replica has %d of the list's 4 insert triggers (%v)", n, err)
	}
}

// eachListWay runs test with the Users list rows written by its triggers
// row by row, and with them written in bulk for every page.
func eachListWay(t *testing.T, test func(t *testing.T)) {
	t.Run("RowByRow", func(t *testing.T) {
		defer sqlite.SetBulkListRows(1 << 30)()
		test(t)
	})
	t.Run("Bulk", func(t *testing.T) {
		defer sqlite.SetBulkListRows(1)()
		test(t)
	})
}

// TestApplyChanges changes a server's directory in every way sync carries,
// pulls it over HTTP into a new desktop database and checks that the two
// have the same rows and the same Users list; then changes it again.
func TestApplyChanges(t *testing.T) { eachListWay(t, testApplyChanges) }

func testApplyChanges(t *testing.T) {
	srv := newEnv(t)
	f := serveFeed(t, srv)
	// A first pull switches capture on: the changes below are numbered as
	// they happen, so pages end between a row and the later change of a
	// role or member it refers to.
	f.pull(t, 0, 1)
	ctx := srv.ctx
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	role := func(name string, perms ...backend.Permission) *backend.Role {
		t.Helper()
		r, err := srv.roles.CreateRole(ctx, backend.RoleParams{Name: name, Permissions: perms})
		must(err)
		return r
	}
	support := role("Support", backend.PermChat, backend.PermUseSkills)
	night := role("Night", backend.PermChat)
	temp := role("Temp", backend.PermChat)
	var invs []*backend.Invitation
	for i, r := range []string{support.ID, night.ID, "user", "administrator", support.ID, "user", "user"} {
		invs = append(invs, srv.invite(t, fmt.Sprintf("person%d@example.com", i), r))
	}
	bob := srv.join(t, invs[0], "Bob Müller")
	cleo := srv.join(t, invs[1], "Cléo Ångström")
	dan := srv.join(t, invs[2], "Dan")
	eve := srv.join(t, invs[3], "Eve Admin")
	_, err := srv.users.DeactivateUser(ctx, bob.ID)
	must(err)
	_, err = srv.users.ChangeUserRole(ctx, cleo.ID, support.ID)
	must(err)
	must(srv.users.RemoveUser(ctx, dan.ID))
	must(srv.invitations.DeleteInvitation(ctx, invs[4].ID))
	_, err = srv.invitations.ResendInvitation(ctx, invs[5].ID)
	must(err)
	_, err = srv.resets.SendPasswordReset(ctx, eve.ID)
	must(err)
	_, _, err = sqlite.NewSessionService(srv.db).CreateSession(context.Background(), eve.ID)
	must(err)
	_, err = srv.roles.UpdateRole(ctx, night.ID, backend.RoleParams{Name: "Late", Permissions: []backend.Permission{backend.PermChat, backend.PermCreateSkills}})
	must(err)
	must(srv.roles.DeleteRole(ctx, temp.ID))
	// The removed member's address, invited and joined again.
	dan2 := srv.join(t, srv.invite(t, "person2@example.com", support.ID), "Dan Again")

	replica := MustOpenDB(t)
	serverRaw, replicaRaw := rawDB(t, srv.db), rawDB(t, replica)
	t.Run("First", func(t *testing.T) {
		f.syncInto(t, replica, 7)
		synctest.Equal(t, serverRaw, replicaRaw)
		sameUsersList(t, srv.db, replica)
		// The replica's cursor is the end of the feed.
		cursor, err := replica.SyncCursor(context.Background())
		must(err)
		if rest := f.pull(t, cursor, 10); cursor == 0 || len(rest.Changes) != 0 || rest.More {
			t.Fatalf("after cursor %d: %+v", cursor, rest)
		}
	})
	t.Run("Again", func(t *testing.T) {
		// Applying everything again changes nothing.
		tx, err := replica.BeginTx(context.Background(), nil)
		must(err)
		defer tx.Rollback()
		must(replica.ApplyChanges(context.Background(), tx, f.pull(t, 0, 5000).Changes))
		must(tx.Commit())
		synctest.Equal(t, serverRaw, replicaRaw)
		sameUsersList(t, srv.db, replica)
	})
	t.Run("Later", func(t *testing.T) {
		// The replica keeps what only it has: an invitation's token hash
		// and latest email.
		if _, err := replicaRaw.Exec(`UPDATE invitations SET outbox_id = 42, token_hash = x'00' WHERE id = ?`, invs[5].ID); err != nil {
			t.Fatal(err)
		}
		_, err := srv.invitations.ResendInvitation(ctx, invs[5].ID)
		must(err)
		// Two roles swap names: each takes a name the other had.
		a, b := role("Alpha", backend.PermChat), role("Beta", backend.PermChat)
		f.syncInto(t, replica, 3)
		for _, step := range []struct{ id, name string }{{a.ID, "Gamma"}, {b.ID, "Alpha"}, {a.ID, "Beta"}} {
			_, err := srv.roles.UpdateRole(ctx, step.id, backend.RoleParams{Name: step.name, Permissions: []backend.Permission{backend.PermChat}})
			must(err)
		}
		for _, u := range []*backend.User{dan2, cleo, bob} {
			_, err = srv.users.ChangeUserRole(ctx, u.ID, "user")
			must(err)
		}
		must(srv.invitations.DeleteInvitation(ctx, invs[5].ID))
		must(srv.roles.DeleteRole(ctx, support.ID))
		// A member moved off the deleted role and changed again since: the
		// replica has them on the role when the role's tombstone comes.
		_, err = srv.users.ActivateUser(ctx, bob.ID)
		must(err)
		f.syncInto(t, replica, 2)
		synctest.Equal(t, serverRaw, replicaRaw)
		sameUsersList(t, srv.db, replica)
		var outbox int64
		var hash []byte
		if err := replicaRaw.QueryRow(`SELECT outbox_id, token_hash FROM invitations WHERE id = ?`, invs[5].ID).Scan(&outbox, &hash); err != nil {
			t.Fatal(err)
		}
		if outbox != 42 || string(hash) != "\x00" {
			t.Fatalf("the replica's own columns changed: outbox %d, hash %x", outbox, hash)
		}
	})
}

// change makes a change of row v.
func change(tb testing.TB, seq int64, entity, id string, v any) backend.Change {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return backend.Change{Seq: seq, Entity: entity, ID: id, Row: b}
}

// applyPage applies changes in a transaction of their own.
func applyPage(tb testing.TB, db *sqlite.DB, changes ...backend.Change) error {
	tb.Helper()
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	if err := db.ApplyChanges(context.Background(), tx, changes); err != nil {
		return err
	}
	return tx.Commit()
}

// TestApplyChangesOutOfStep: pages bring the server's rows as they are
// now, so a replica meets rows in states it has not seen the way there.
func TestApplyChangesOutOfStep(t *testing.T) { eachListWay(t, testApplyChangesOutOfStep) }

func testApplyChangesOutOfStep(t *testing.T) {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	role := backend.RoleRow{ID: "r1", Name: "Night", Permissions: []backend.Permission{backend.PermChat}, CreatedAt: at, UpdatedAt: at}
	user := backend.UserRow{ID: "u1", Name: "Una", Email: "una@example.com", RoleID: "r1", Status: backend.UserActive,
		JoinedAt: at, CreatedAt: at, UpdatedAt: at}
	t.Run("RoleGoneBeforeMove", func(t *testing.T) {
		// The server moved the member off the role, deleted the role, then
		// changed the member again: the tombstone comes first.
		db := MustOpenDB(t)
		if err := applyPage(t, db, change(t, 1, "role", "r1", role), change(t, 2, "user", "u1", user)); err != nil {
			t.Fatal(err)
		}
		if err := applyPage(t, db, backend.Change{Seq: 4, Entity: "role", ID: "r1", Deleted: true}); err != nil {
			t.Fatal(err)
		}
		moved := user
		moved.RoleID, moved.Status = "user", backend.UserInactive
		if err := applyPage(t, db, change(t, 5, "user", "u1", moved)); err != nil {
			t.Fatal(err)
		}
		page, err := sqlite.NewDirectoryService(db).FindDirectory(context.Background(), backend.DirectoryFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) != 1 || page.Entries[0].RoleName != "User" || page.Entries[0].Status != backend.EntryInactive {
			t.Fatalf("Users list %+v", page.Entries[0])
		}
	})
	t.Run("AddressFreedLater", func(t *testing.T) {
		// The member was removed and the address joined again as another
		// member; the removal comes in the same page, after the newcomer.
		db := MustOpenDB(t)
		if err := applyPage(t, db, change(t, 1, "role", "r1", role), change(t, 2, "user", "u1", user)); err != nil {
			t.Fatal(err)
		}
		removed := user
		removed.Status, removed.RemovedAt = backend.UserRemoved, &at
		newcomer := user
		newcomer.ID, newcomer.Name = "u2", "Una Again"
		if err := applyPage(t, db, change(t, 7, "user", "u2", newcomer), change(t, 8, "user", "u1", removed)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("InvitationFreedLater", func(t *testing.T) {
		// An invitation was deleted and the address invited again; the
		// deletion comes after the new invitation.
		db := MustOpenDB(t)
		inv := backend.InvitationRow{ID: "i1", Email: "Una@Example.com", RoleID: "user", RoleName: "User", InvitedByName: "Ada",
			State: backend.InvitationPending, CreatedAt: at, SentAt: at, ExpiresAt: at.Add(7 * 24 * time.Hour), UpdatedAt: at}
		if err := applyPage(t, db, change(t, 1, "invitation", "i1", inv)); err != nil {
			t.Fatal(err)
		}
		again := inv
		again.ID, again.Email = "i2", "una@example.com"
		deleted := inv
		deleted.State, deleted.DeletedAt = backend.InvitationDeleted, &at
		if err := applyPage(t, db, change(t, 5, "invitation", "i2", again), change(t, 6, "invitation", "i1", deleted)); err != nil {
			t.Fatal(err)
		}
		page, err := sqlite.NewDirectoryService(db).FindDirectory(context.Background(), backend.DirectoryFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) != 1 || page.Entries[0].ID != "i2" {
			t.Fatalf("Users list %+v", page.Entries)
		}
	})
	t.Run("ErrTombstone", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := applyPage(t, db, backend.Change{Seq: 1, Entity: "user", ID: "u1", Deleted: true}); err == nil {
			t.Fatal("a member's tombstone was applied")
		}
	})
}
