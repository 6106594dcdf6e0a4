package sqlstore_test

import (
	"context"
	"encoding/json"
	"testing"

	"roster/backend"
	"roster/backend/sqlstore"
)

// desktop is a desktop's store with sync on (an OpLog), seeded like
// every store of these tests, and its services.
type desktop struct {
	t      *testing.T
	st     *sqlstore.Store
	ctx    context.Context // acting as Bob, the active Administrator
	inv    *sqlstore.InvitationService
	users  *sqlstore.UserService
	roles  *sqlstore.RoleService
	resets *sqlstore.PasswordResetService
}

func newDesktop(t *testing.T) *desktop {
	st := openSQLite(t)
	seed(t, st)
	st.OpLog = sqlstore.NewOpLog("c-1")
	return &desktop{t: t, st: st,
		ctx: backend.NewContextWithActor(context.Background(), backend.Actor{ID: "u-bob", Name: "Bob Boss"}),
		inv: sqlstore.NewInvitationService(st), users: sqlstore.NewUserService(st),
		roles: sqlstore.NewRoleService(st), resets: sqlstore.NewPasswordResetService(st)}
}

// must fails the test on err.
func (d *desktop) must(err error) {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
}

// count counts the rows of a query.
func (d *desktop) count(q sqlstore.Querier, query string, args ...any) int {
	d.t.Helper()
	var n int
	d.must(q.QueryRowContext(context.Background(), query, args...).Scan(&n))
	return n
}

// inTx runs fn in a transaction of d's store and commits it.
func (d *desktop) inTx(fn func(tx sqlstore.Tx)) {
	d.t.Helper()
	tx, err := d.st.Begin(context.Background())
	d.must(err)
	defer tx.Rollback()
	fn(tx)
	d.must(tx.Commit())
}

// TestOpLog records a desktop's changes as operations and takes them back
// and replays them around a pull, on SQLite files.
func TestOpLog(t *testing.T) {
	d := newDesktop(t)
	ctx := d.ctx
	seeded := dump(t, d.st.DB)
	// after[n] is the rows after operation n.
	after := []string{seeded}
	step := func(err error) {
		t.Helper()
		d.must(err)
		after = append(after, dump(t, d.st.DB))
	}
	role, err := d.roles.CreateRole(ctx, backend.RoleParams{Name: "Auditors", Permissions: []backend.Permission{"chat"}})
	step(err)
	eve, err := d.inv.InviteUser(ctx, backend.InviteParams{Email: "eve@example.com", Role: "auditors"})
	step(err)
	_, err = d.inv.ResendInvitation(ctx, eve.ID)
	step(err)
	_, _, err = d.inv.RenewInvitationLink(ctx, eve.ID)
	step(err)
	_, err = d.inv.ResendInvitation(ctx, eve.ID)
	step(err)
	_, err = d.users.ChangeUserRole(ctx, "u-cy", role.ID)
	step(err)
	_, err = d.resets.SendPasswordReset(ctx, "u-cy")
	step(err)
	step(d.users.RemoveUser(ctx, "u-cy"))
	_, err = d.roles.UpdateRole(ctx, role.ID, backend.RoleParams{Name: "Auditors Two", Permissions: []backend.Permission{"chat", "use_skills"}})
	step(err)
	fay, err := d.inv.InviteUser(ctx, backend.InviteParams{Email: "fay@example.com", Role: "user"})
	step(err)
	step(d.inv.DeleteInvitation(ctx, fay.ID))
	_, err = d.users.ActivateUser(ctx, "u-ada")
	step(err)
	_, err = d.users.DeactivateUser(ctx, "u-ada")
	step(err)
	temp, err := d.roles.CreateRole(ctx, backend.RoleParams{Name: "Temporary", Permissions: []backend.Permission{"chat"}})
	step(err)
	_, err = d.users.ChangeUserRole(ctx, "u-dee", temp.ID) // refused: Dee is removed
	if backend.ErrorCode(err) != backend.EFORBIDDEN {
		t.Fatalf("change a removed member's role: %v", err)
	}
	step(d.roles.DeleteRole(ctx, temp.ID))
	recorded := dump(t, d.st.DB)
	kinds := []backend.OpKind{backend.OpCreateRole, backend.OpInvite, backend.OpResendInvitation, backend.OpRenewInvitationLink,
		backend.OpResendInvitation, backend.OpChangeUserRole, backend.OpSendPasswordReset, backend.OpRemoveUser, backend.OpUpdateRole,
		backend.OpInvite, backend.OpDeleteInvitation, backend.OpActivateUser, backend.OpDeactivateUser, backend.OpCreateRole,
		backend.OpDeleteRole}

	t.Run("Recorded", func(t *testing.T) {
		ops, err := d.st.PendingOps(ctx, 100)
		d.must(err)
		if len(ops) != len(kinds) {
			t.Fatalf("%d operations recorded, want %d", len(ops), len(kinds))
		}
		for i, op := range ops {
			if op.Client != "c-1" || op.Seq != int64(i+1) || op.Kind != kinds[i] {
				t.Fatalf("operation %d: %+v", i+1, op)
			}
			if d.count(d.st.DB, `SELECT count(*) FROM audit_log WHERE uid = ? AND at = ?`, op.AuditUID(0), d.st.Time(op.At)) != 1 {
				t.Fatalf("operation %d has no audit entry %s", i+1, op.AuditUID(0))
			}
		}
		var invite backend.InviteOp
		d.must(json.Unmarshal(ops[1].Data, &invite))
		if invite.ID != eve.ID || invite.Role != role.ID || len(invite.TokenHash) != backend.TokenHashSize {
			t.Fatalf("invitation data %s", ops[1].Data)
		}
		// The emails wait for the server: the invitation's, two resends' and the reset's.
		if n := d.count(d.st.DB, `SELECT count(*) FROM outbox`); n != 0 {
			t.Fatalf("%d emails queued", n)
		}
		if n := d.count(d.st.DB, `SELECT count(*) FROM sync_mail`); n != 5 {
			t.Fatalf("%d emails held, want 5", n)
		}
	})

	t.Run("UndoAndReplay", func(t *testing.T) {
		d.inTx(func(tx sqlstore.Tx) {
			d.must(d.st.UndoPending(ctx, tx))
			if got := dump(t, tx); got != seeded {
				t.Fatalf("after undo:\n%s\nwant the seeded rows:\n%s", got, seeded)
			}
			d.must(d.st.ReplayPending(ctx, tx))
			if got := dump(t, tx); got != recorded {
				t.Fatalf("after replay:\n%s\nwant:\n%s", got, recorded)
			}
		})
		// Once more, with the undo the replay recorded.
		d.inTx(func(tx sqlstore.Tx) {
			d.must(d.st.UndoPending(ctx, tx))
			if got := dump(t, tx); got != seeded {
				t.Fatalf("after the second undo:\n%s", got)
			}
			d.must(d.st.ReplayPending(ctx, tx))
		})
		if got := dump(t, d.st.DB); got != recorded {
			t.Fatalf("after the second replay:\n%s", got)
		}
	})

	t.Run("AckReleasesMail", func(t *testing.T) {
		ops, err := d.st.PendingOps(ctx, 100)
		d.must(err)
		reset := ops[6]
		d.inTx(func(tx sqlstore.Tx) {
			// The server refused the reset: its email is never sent.
			d.must(d.st.RecordConflicts(ctx, tx, "c-1", []*backend.Conflict{{Seq: reset.Seq, Kind: reset.Kind, At: reset.At,
				Data: reset.Data, Error: backend.MsgUserRemoved.Error(backend.EFORBIDDEN, "name", "Cy User"), Server: []backend.Change{}}}))
			d.must(d.st.AckOps(ctx, tx, 8))
		})
		if n := d.count(d.st.DB, `SELECT count(*) FROM sync_ops`); n != len(kinds)-8 {
			t.Fatalf("%d operations pending, want %d", n, len(kinds)-8)
		}
		// Of eve's three emails, only the last resend's link still works.
		var outboxID int64
		d.must(d.st.DB.QueryRowContext(ctx, `SELECT outbox_id FROM invitations WHERE id = ?`, eve.ID).Scan(&outboxID))
		if n := d.count(d.st.DB, `SELECT count(*) FROM outbox WHERE invitation_id = ? AND state = 'queued' AND id = ?`, eve.ID, outboxID); n != 1 ||
			d.count(d.st.DB, `SELECT count(*) FROM outbox`) != 1 {
			t.Fatalf("outbox: %d of eve's email", n)
		}
		if n := d.count(d.st.DB, `SELECT count(*) FROM sync_mail`); n != 1 { // fay's, not yet acknowledged
			t.Fatalf("%d emails held, want 1", n)
		}
		if n := d.count(d.st.DB, `SELECT count(*) FROM sync_conflicts WHERE client_id = 'c-1' AND seq = ?`, reset.Seq); n != 1 {
			t.Fatal("the conflict was not kept")
		}
		// The operations still pending take back what they did, and only that.
		d.inTx(func(tx sqlstore.Tx) {
			d.must(d.st.UndoPending(ctx, tx))
			if got := dump(t, tx); got != after[8] {
				t.Fatalf("after undo:\n%s\nwant the rows after operation 8:\n%s", got, after[8])
			}
			d.must(d.st.ReplayPending(ctx, tx))
		})
		if got := dump(t, d.st.DB); got != recorded {
			t.Fatalf("after replay:\n%s", got)
		}
	})
}

// TestReplayPendingRefused: a pending operation the rows pulled from the
// server refuse stays pending without effect, and its undo takes back
// nothing of the server's.
func TestReplayPendingRefused(t *testing.T) {
	d := newDesktop(t)
	ctx := d.ctx
	_, err := d.inv.InviteUser(ctx, backend.InviteParams{Email: "eve@example.com", Role: "user"})
	d.must(err)
	_, err = d.roles.CreateRole(ctx, backend.RoleParams{Name: "Auditors", Permissions: []backend.Permission{"chat"}})
	d.must(err)
	d.inTx(func(tx sqlstore.Tx) {
		d.must(d.st.UndoPending(ctx, tx))
		// The pull brings Ada's invitation of the same address.
		server := &backend.Op{Client: "c-ada", Seq: 1, Kind: backend.OpInvite, At: t0}
		server.Data, _ = json.Marshal(backend.InviteOp{ID: "i-server", Email: "eve@example.com", Role: "user", TokenHash: hash(9)})
		d.must(d.st.ApplyOp(ctx, sqlstore.OpTx(tx, server), server))
		d.must(d.st.ReplayPending(ctx, tx))
	})
	if n := d.count(d.st.DB, `SELECT count(*) FROM invitations WHERE email_key = 'eve@example.com'`); n != 1 {
		t.Fatalf("%d invitations of eve", n)
	}
	if n := d.count(d.st.DB, `SELECT count(*) FROM roles WHERE name_key = 'auditors'`); n != 1 {
		t.Fatal("the role was not replayed")
	}
	if ops, err := d.st.PendingOps(ctx, 10); err != nil || len(ops) != 2 {
		t.Fatalf("pending %v, %v", ops, err)
	}
	d.inTx(func(tx sqlstore.Tx) { d.must(d.st.UndoPending(ctx, tx)) })
	if n := d.count(d.st.DB, `SELECT count(*) FROM invitations WHERE id = 'i-server'`); n != 1 {
		t.Fatal("the undo of the refused operation deleted the server's invitation")
	}
	if n := d.count(d.st.DB, `SELECT count(*) FROM roles WHERE name_key = 'auditors'`); n != 0 {
		t.Fatal("the role's creation was not undone")
	}
}

// TestOpLogOff: without an OpLog nothing is recorded and mail is queued.
func TestOpLogOff(t *testing.T) {
	d := newDesktop(t)
	d.st.OpLog = nil
	inv, err := d.inv.InviteUser(d.ctx, backend.InviteParams{Email: "eve@example.com", Role: "user"})
	d.must(err)
	if inv.OutboxID == 0 || d.count(d.st.DB, `SELECT count(*) FROM outbox`) != 1 ||
		d.count(d.st.DB, `SELECT count(*) FROM sync_ops`)+d.count(d.st.DB, `SELECT count(*) FROM sync_mail`) != 0 {
		t.Fatal("sync off recorded the change or held its email")
	}
}
