package sqlstore_test

import (
	"encoding/json"
	"testing"

	"roster/backend"
	"roster/backend/sqlstore"
)

// refuse settles the pending operation seq as the sync engine does when
// the server refuses it with e, answering server as its rows.
func (d *desktop) refuse(seq int64, e error, server ...backend.Change) {
	d.t.Helper()
	ops, err := d.st.PendingOps(d.ctx, 100)
	d.must(err)
	for _, op := range ops {
		if op.Seq != seq {
			continue
		}
		d.inTx(func(tx sqlstore.Tx) {
			d.must(d.st.UndoPending(d.ctx, tx))
			d.must(d.st.RecordConflicts(d.ctx, tx, "c-1", []*backend.Conflict{{Seq: op.Seq, Kind: op.Kind, At: op.At,
				Data: op.Data, Error: backend.AsError(e), Server: append([]backend.Change{}, server...)}}))
			d.must(d.st.ReplayPending(d.ctx, tx))
		})
		return
	}
	d.t.Fatalf("no pending operation %d", seq)
}

// change is a row as the server answers it.
func change(t *testing.T, entity, id string, row any) backend.Change {
	t.Helper()
	b, err := json.Marshal(row)
	if err != nil {
		t.Fatal(err)
	}
	return backend.Change{Seq: 7, Entity: entity, ID: id, Row: b}
}

// TestConflicts lists the conflicts a desktop recorded with both sides,
// discards them and makes their changes again, on SQLite files.
func TestConflicts(t *testing.T) {
	d := newDesktop(t)
	ctx := d.ctx
	cs := sqlstore.NewConflictService(d.st)
	eve, err := d.inv.InviteUser(ctx, backend.InviteParams{Email: "eve@example.com", Role: "user"})
	d.must(err)
	_, err = d.users.ChangeUserRole(ctx, "u-cy", "administrator")
	d.must(err)
	// Someone else invited Eve first, and made Cy inactive.
	d.refuse(1, sqlstore.InvitationExists("eve@example.com", false), change(t, backend.EntityInvitation, "i-other",
		backend.InvitationRow{ID: "i-other", Email: "eve@example.com", RoleID: "administrator", RoleName: "Administrator",
			State: backend.InvitationPending}))
	d.refuse(2, backend.MsgUserNotFound.Error(backend.ENOTFOUND), change(t, backend.EntityUser, "u-cy",
		backend.UserRow{ID: "u-cy", Name: "Cy User", Email: "cy@example.com", RoleID: "user", Status: backend.UserInactive}))

	t.Run("OK", func(t *testing.T) {
		list, err := cs.FindConflicts(ctx)
		d.must(err)
		if len(list) != 2 || list[0].Seq != 2 || list[1].Seq != 1 {
			t.Fatalf("conflicts %+v, want 2 then 1", list)
		}
		role, invite := list[0], list[1]
		if m := invite.Mine; invite.Kind != backend.OpInvite || m.Entity != backend.EntityInvitation || m.ID != eve.ID ||
			m.Email != "eve@example.com" || m.RoleName != "User" {
			t.Fatalf("invitation: mine %+v", m)
		}
		if invite.Error == nil || invite.Error.Code != backend.ECONFLICT || invite.Error.Key != "invitation.exists" {
			t.Fatalf("invitation: error %+v", invite.Error)
		}
		if len(invite.Server) != 1 || invite.Server[0].ID != "i-other" || invite.Server[0].RoleName != "Administrator" ||
			invite.Server[0].Email != "eve@example.com" {
			t.Fatalf("invitation: server %+v", invite.Server)
		}
		if m := role.Mine; m.Name != "Cy User" || m.Email != "cy@example.com" || m.RoleID != "administrator" ||
			m.RoleName != "Administrator" {
			t.Fatalf("role change: mine %+v", m)
		}
		if s := role.Server; len(s) != 1 || s[0].RoleName != "User" || s[0].Status != string(backend.UserInactive) {
			t.Fatalf("role change: server %+v", s)
		}
	})

	t.Run("Discard", func(t *testing.T) {
		d.must(cs.DiscardConflict(ctx, 2))
		list, err := cs.FindConflicts(ctx)
		d.must(err)
		if len(list) != 1 || list[0].Seq != 1 {
			t.Fatalf("after discard: %+v", list)
		}
		if err := cs.DiscardConflict(ctx, 2); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("discard twice: %v", err)
		}
	})

	t.Run("ApplyAgain", func(t *testing.T) {
		d.must(cs.ApplyAgain(ctx, 1, backend.ConflictEdit{Email: "eve.two@example.com", Role: "administrator"}))
		ops, err := d.st.PendingOps(ctx, 100)
		d.must(err)
		if len(ops) != 1 || ops[0].Kind != backend.OpInvite || ops[0].Seq != 3 {
			t.Fatalf("pending after apply again: %+v", ops)
		}
		var inv backend.InviteOp
		d.must(json.Unmarshal(ops[0].Data, &inv))
		if inv.Email != "eve.two@example.com" || inv.Role != "administrator" || inv.ID == eve.ID {
			t.Fatalf("the new operation: %s", ops[0].Data)
		}
		list, err := cs.FindConflicts(ctx)
		d.must(err)
		if len(list) != 0 {
			t.Fatalf("after apply again: %+v", list)
		}
	})

	t.Run("ErrApplyAgainRefused", func(t *testing.T) {
		_, err := d.users.ChangeUserRole(ctx, "u-cy", "administrator")
		d.must(err)
		d.refuse(4, backend.MsgUserNotFound.Error(backend.ENOTFOUND))
		// Made again with a role this desktop does not have, it is refused here.
		if err := cs.ApplyAgain(ctx, 4, backend.ConflictEdit{Role: "auditors"}); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("apply again: %v", err)
		}
		if n := d.count(d.st.DB, `SELECT count(*) FROM sync_ops WHERE seq > 4`); n != 0 {
			t.Fatalf("a refused apply again recorded %d operations", n)
		}
		list, err := cs.FindConflicts(ctx)
		d.must(err)
		if len(list) != 1 || list[0].Seq != 4 || list[0].Mine.Name != "Cy User" || len(list[0].Server) != 1 {
			t.Fatalf("a refused apply again resolved it: %+v", list)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if err := cs.ApplyAgain(ctx, 1, backend.ConflictEdit{}); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("apply again a resolved conflict: %v", err)
		}
		if err := cs.DiscardConflict(ctx, 99); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("discard an unknown conflict: %v", err)
		}
	})
}
