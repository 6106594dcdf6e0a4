package sqlite_test

import (
	"encoding/json"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// TestSyncMarks marks the rows of the Users and Invitations lists that
// wait for sync or are in conflict, on a desktop with sync on.
func TestSyncMarks(t *testing.T) {
	e := newEnv(t)
	bea := e.invite(t, "bea@example.com", "user") // made before sync: on the server
	e.db.OpLog.SetClient("c-1")
	cy := e.invite(t, "cy@example.com", "user")
	dan := e.invite(t, "dan@example.com", "user")
	// marks returns the marks of both lists, by id.
	marks := func(t *testing.T) (map[string]backend.SyncMark, map[string]backend.SyncMark) {
		t.Helper()
		page, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		users := map[string]backend.SyncMark{}
		for _, d := range page.Entries {
			users[d.ID] = d.Sync
		}
		list, _, err := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		invitations := map[string]backend.SyncMark{}
		for _, inv := range list {
			invitations[inv.ID] = inv.Sync
		}
		return users, invitations
	}

	t.Run("Waiting", func(t *testing.T) {
		users, invitations := marks(t)
		for _, m := range []map[string]backend.SyncMark{users, invitations} {
			if m[cy.ID] != backend.SyncMarkWaiting || m[dan.ID] != backend.SyncMarkWaiting || m[bea.ID] != backend.SyncMarkNone {
				t.Fatalf("marks %v: want cy and dan waiting, bea none", m)
			}
		}
		if users[e.admin.ID] != backend.SyncMarkNone {
			t.Fatalf("the administrator is marked %q", users[e.admin.ID])
		}
	})

	// The server refuses dan's invitation: it holds another one of his,
	// which the replica has now in place of bea's row for the test.
	replica := sqlite.NewSyncReplica(e.db)
	ops, err := replica.PendingOps(e.ctx, 10)
	if err != nil || len(ops) != 2 {
		t.Fatalf("pending %v, %v", ops, err)
	}
	row, _ := json.Marshal(backend.InvitationRow{ID: bea.ID, Email: "bea@example.com", RoleID: "user", RoleName: "User", State: backend.InvitationPending})
	tx, err := replica.Begin(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	refused := ops[1]
	for _, step := range []func() error{
		func() error { return replica.UndoPending(e.ctx, tx) },
		func() error {
			return replica.RecordConflicts(e.ctx, tx, []*backend.Conflict{{Seq: refused.Seq, Kind: refused.Kind, At: refused.At,
				Data: refused.Data, Error: backend.MsgInvitationNotFound.Error(backend.ECONFLICT),
				Server: []backend.Change{{Seq: 1, Entity: backend.EntityInvitation, ID: bea.ID, Row: row}}}})
		},
		func() error { return replica.ReplayPending(e.ctx, tx) },
		tx.Commit,
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("Conflict", func(t *testing.T) {
		users, invitations := marks(t)
		for _, m := range []map[string]backend.SyncMark{users, invitations} {
			if m[bea.ID] != backend.SyncMarkConflict || m[cy.ID] != backend.SyncMarkWaiting {
				t.Fatalf("marks %v: want bea in conflict, cy waiting", m)
			}
			if _, ok := m[dan.ID]; ok {
				t.Fatalf("dan's refused invitation is still listed: %v", m)
			}
		}
	})

	t.Run("Discarded", func(t *testing.T) {
		if err := sqlite.NewConflictService(e.db).DiscardConflict(e.ctx, refused.Seq); err != nil {
			t.Fatal(err)
		}
		users, invitations := marks(t)
		for _, m := range []map[string]backend.SyncMark{users, invitations} {
			if m[bea.ID] != backend.SyncMarkNone {
				t.Fatalf("marks %v: want bea unmarked", m)
			}
		}
	})

	t.Run("NotConnected", func(t *testing.T) {
		e.db.OpLog.SetClient("")
		users, invitations := marks(t)
		for _, m := range []map[string]backend.SyncMark{users, invitations} {
			if m[cy.ID] != backend.SyncMarkNone {
				t.Fatalf("marks %v without sync", m)
			}
		}
	})
}
