package app

import (
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// refuseAll settles every pending operation of db as refused by the server
// with e, as the sync engine does.
func refuseAll(t *testing.T, db *sqlite.DB, e *backend.Error) {
	t.Helper()
	replica := sqlite.NewSyncReplica(db)
	ctx := t.Context()
	ops, err := replica.PendingOps(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var conflicts []*backend.Conflict
	for _, op := range ops {
		conflicts = append(conflicts, &backend.Conflict{Seq: op.Seq, Kind: op.Kind, At: op.At, Data: op.Data, Error: e})
	}
	tx, err := replica.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := replica.UndoPending(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := replica.RecordConflicts(ctx, tx, conflicts); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestConflicts(t *testing.T) {
	setUp := func(t *testing.T) (*App, *sqlite.DB, InvitationDTO) {
		a, db, _ := testApp(t)
		a.deps.Conflicts = sqlite.NewConflictService(db)
		db.OpLog.SetClient("c-1")
		inv, err := a.Invitations.InviteUser(InviteParams{Email: "sam@example.com", Role: "user"})
		if err != nil {
			t.Fatal(err)
		}
		refuseAll(t, db, backend.AsError(backend.MsgInvitationExists.Error(backend.ECONFLICT, "email", "sam@example.com")))
		return a, db, inv
	}

	t.Run("OK", func(t *testing.T) {
		a, _, inv := setUp(t)
		list, err := a.Conflicts.FindConflicts()
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			t.Fatalf("conflicts %+v", list)
		}
		c := list[0]
		if c.Kind != string(backend.OpInvite) || !c.Repeatable || c.Mine.ID != inv.ID || c.Mine.Email != "sam@example.com" ||
			c.Mine.RoleName != "User" || c.Error.Code != backend.ECONFLICT || c.Error.Key != "invitation.exists" {
			t.Fatalf("conflict %+v", c)
		}
		// The server answered no rows: what this desktop has now, no invitation.
		if len(c.Server) != 1 || !c.Server[0].Missing {
			t.Fatalf("server side %+v", c.Server)
		}
	})

	t.Run("ApplyAgain", func(t *testing.T) {
		a, _, inv := setUp(t)
		if err := a.Conflicts.ApplyAgain(1, ApplyAgainParams{Email: "sam@example.com", RoleID: "administrator"}); err != nil {
			t.Fatal(err)
		}
		if list, err := a.Conflicts.FindConflicts(); err != nil || len(list) != 0 {
			t.Fatalf("conflicts after apply again: %+v, %v", list, err)
		}
		page, err := a.Invitations.FindInvitations(InvitationsParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) != 1 || page.Entries[0].ID == inv.ID || page.Entries[0].RoleName != "Administrator" ||
			page.Entries[0].Sync != backend.SyncMarkWaiting {
			t.Fatalf("invitations %+v", page.Entries)
		}
		users, err := a.Users.FindDirectory(DirectoryParams{Status: "pending"})
		if err != nil {
			t.Fatal(err)
		}
		if len(users.Entries) != 1 || users.Entries[0].Sync != backend.SyncMarkWaiting {
			t.Fatalf("users %+v", users.Entries)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		a, _, _ := setUp(t)
		if err := a.Conflicts.DiscardConflict(1); err != nil {
			t.Fatal(err)
		}
		err := a.Conflicts.DiscardConflict(1)
		if dto, ok := a.FormatError(err).(ErrorDTO); !ok || dto.Code != backend.ENOTFOUND || dto.Key != "sync.conflict_not_found" {
			t.Fatalf("discard twice: %v", err)
		}
	})
}
