package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"roster/backend"
)

// Operations (backend.Op): each change a public service method makes is an
// apply function below, which the method runs with the ids and token hash
// it minted, the directory server runs with a pushed operation (Push), and
// a desktop runs again when it replays its pending operations. An apply
// function checks, writes and records the audit entries, all inside the
// transaction it is given, and queues no email: that is its caller's
// business.

// opTx is a transaction applying an operation: its time is the
// operation's, and its audit entries get the operation's ids.
type opTx struct {
	Tx
	op *backend.Op
	at time.Time
	n  int
	// hold says that a desktop records op: its email waits in sync_mail.
	hold bool
}

// OpTx returns tx as the transaction that applies op: its Now is op.At as
// stored (UTC, to the millisecond), and its audit entries' ids are
// op.AuditUID(0), (1), … (AuditUIDs), so that every database applying op
// writes the same rows.
func OpTx(tx Tx, op *backend.Op) Tx {
	return &opTx{Tx: tx, op: op, at: op.At.UTC().Truncate(time.Millisecond)}
}

// Now implements Tx.
func (t *opTx) Now() time.Time { return t.at }

// NextAuditUID implements AuditUIDs.
func (t *opTx) NextAuditUID() string {
	uid := t.op.AuditUID(t.n)
	t.n++
	return uid
}

// Unwrap returns the transaction OpTx wrapped.
func (t *opTx) Unwrap() Tx { return t.Tx }

// BaseTx returns the store's own transaction under tx (the one its Begin
// returned), for the store's functions that need their own type of it.
func BaseTx(tx Tx) Tx {
	for {
		w, ok := tx.(interface{ Unwrap() Tx })
		if !ok {
			return tx
		}
		tx = w.Unwrap()
	}
}

// maxOpID bounds the ids an operation names, in bytes.
const maxOpID = 64

// errOpInvalid is the refusal of an operation whose data cannot be applied.
func errOpInvalid(op *backend.Op) error {
	return backend.MsgSyncOpInvalid.Error(backend.EINVALID, "kind", string(op.Kind))
}

// decodeOp reads op's Data into v and checks the ids it names.
func decodeOp(op *backend.Op, v any, ids ...*string) error {
	if err := json.Unmarshal(op.Data, v); err != nil {
		return errOpInvalid(op)
	}
	for _, id := range ids {
		if *id == "" || len(*id) > maxOpID {
			return errOpInvalid(op)
		}
	}
	return nil
}

// ApplyOp applies op inside tx (usually OpTx(tx, op)) with the apply
// function of its kind: the same checks, rows and audit entries as the
// service method that made it, and its coded errors unchanged. The actor
// of ctx is who made it. EINVALID (sync.op_unknown, sync.op_invalid) for an
// operation that cannot be read.
func (s *Store) ApplyOp(ctx context.Context, tx Tx, op *backend.Op) error {
	switch op.Kind {
	case backend.OpInvite:
		var d backend.InviteOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		_, err := s.applyInvite(ctx, tx, &d)
		return err
	case backend.OpDeleteInvitation:
		var d backend.InvitationOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		return s.applyDeleteInvitation(ctx, tx, &d)
	case backend.OpResendInvitation, backend.OpRenewInvitationLink:
		var d backend.RelinkOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		_, err := s.applyRelink(ctx, tx, op.Kind, &d)
		return err
	case backend.OpChangeUserRole:
		var d backend.UserRoleOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		_, err := s.applyChangeUserRole(ctx, tx, &d)
		return err
	case backend.OpDeactivateUser, backend.OpActivateUser, backend.OpRemoveUser:
		var d backend.UserOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		var err error
		switch op.Kind {
		case backend.OpDeactivateUser:
			_, err = s.applyDeactivateUser(ctx, tx, &d)
		case backend.OpActivateUser:
			_, err = s.applyActivateUser(ctx, tx, &d)
		default:
			err = s.applyRemoveUser(ctx, tx, &d)
		}
		return err
	case backend.OpSendPasswordReset:
		var d backend.PasswordResetOp
		if err := decodeOp(op, &d, &d.ID, &d.UserID); err != nil {
			return err
		}
		_, _, err := s.applySendPasswordReset(ctx, tx, &d)
		return err
	case backend.OpCreateRole:
		var d backend.RoleOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		_, err := s.applyCreateRole(ctx, tx, &d)
		return err
	case backend.OpUpdateRole:
		var d backend.RoleOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		_, err := s.applyUpdateRole(ctx, tx, &d)
		return err
	case backend.OpDeleteRole:
		var d backend.RoleOp
		if err := decodeOp(op, &d, &d.ID); err != nil {
			return err
		}
		return s.applyDeleteRole(ctx, tx, &d)
	}
	return backend.MsgSyncOpUnknown.Error(backend.EINVALID, "kind", string(op.Kind))
}

// inTx runs fn in a transaction of s of its own and commits it.
func inTx[T any](ctx context.Context, s *Store, what string, fn func(tx Tx) (T, error)) (T, error) {
	var zero T
	tx, err := s.Begin(ctx)
	if err != nil {
		return zero, err
	}
	defer tx.Rollback()
	v, err := fn(tx)
	if err != nil {
		return zero, err
	}
	if err := tx.Commit(); err != nil {
		return zero, s.wrap(what, err)
	}
	return v, nil
}

// queueMail queues an invitation's or a reset's email inside tx and points
// its row (id in table) at it; while a desktop records the operation of tx
// (recordOp), it holds the email until the server acknowledges it instead.
func (s *Store) queueMail(ctx context.Context, tx Tx, mail *backend.OutboxEntry, table, id string) error {
	if table != "invitations" && table != "password_resets" {
		return fmt.Errorf("queue mail: bad table %q", table)
	}
	if t, ok := tx.(*opTx); ok && t.hold {
		return s.holdMail(ctx, t.Tx, t.op.Seq, mail)
	}
	if err := s.enqueue(ctx, tx, mail); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET outbox_id = ? WHERE id = ?`, mail.ID, id); err != nil {
		return s.wrap("queue mail", err)
	}
	return nil
}
