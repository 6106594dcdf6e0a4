package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"roster/backend"
)

var _ backend.SyncPushService = (*Store)(nil)

// maxClientID bounds a desktop's client id, in bytes.
const maxClientID = 100

// Push implements backend.SyncPushService. The batch's operations are
// applied in one transaction, together with the client's last applied
// sequence number (sync_clients.last_seq), whose row it locks first where
// writers run at once. Each operation runs behind a savepoint: one refused
// for good is rolled back to it, and its conflict recorded
// (sync_conflicts) in its place; one that fails otherwise is rolled back
// to it and ends the batch, whose operations before it are committed.
func (s *Store) Push(ctx context.Context, actor backend.Actor, clientName string, req *backend.PushRequest) (*backend.PushResult, error) {
	if req.Client == "" || len(req.Client) > maxClientID {
		return nil, backend.MsgSyncClientInvalid.FieldError(backend.EINVALID, "client", "max", maxClientID)
	}
	if len(req.Ops) > backend.MaxPushOps {
		return nil, backend.MsgSyncBatchTooLarge.FieldError(backend.EINVALID, "ops", "max", backend.MaxPushOps)
	}
	for i := range req.Ops {
		op := &req.Ops[i]
		if op.Client == "" {
			op.Client = req.Client
		} else if op.Client != req.Client {
			return nil, backend.MsgSyncOpClient.FieldError(backend.EINVALID, "ops")
		}
		if op.Seq < 1 || (i > 0 && op.Seq != req.Ops[i-1].Seq+1) {
			return nil, backend.MsgSyncOpOrder.FieldError(backend.EINVALID, "ops")
		}
	}
	last, err := s.registerClient(ctx, actor, clientName, req.Client)
	if err != nil {
		return nil, err
	}
	if len(req.Ops) == 0 {
		return &backend.PushResult{Applied: last, Conflicts: []*backend.Conflict{}}, nil
	}
	if req.Ops[0].Seq > last+1 {
		return nil, errSyncGap(last)
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: actor.ID, Name: actor.Name, Client: clientName})
	return s.pushBatch(ctx, req.Client, req.Ops)
}

// pushBatch applies a client's operations (in order, without gaps) in one
// transaction: those at or below its last applied one are acknowledged
// with the conflicts recorded for them, the others applied behind a
// savepoint each (pushOp). An error that is not a refusal for good ends
// the batch: what came before it is committed, and the error returned.
func (s *Store) pushBatch(ctx context.Context, client string, ops []backend.Op) (*backend.PushResult, error) {
	base, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer base.Rollback()
	// Once begun, a batch is finished even if its client goes away: its
	// answer is then lost, and the batch sent again only acknowledged.
	// Without a context that can end, the SQLite driver also runs each
	// statement without a goroutine that watches it (a tenth of a push).
	ctx = context.WithoutCancel(ctx)
	tx := newStmtTx(base)
	last, err := s.lockClient(ctx, tx, client)
	if err != nil {
		return nil, err
	}
	if ops[0].Seq > last+1 { // a push of the same client was faster
		return nil, errSyncGap(last)
	}
	res := &backend.PushResult{Conflicts: []*backend.Conflict{}}
	was := last
	var stop error
	for i := range ops {
		op := &ops[i]
		var c *backend.Conflict
		if op.Seq <= last {
			if c, err = s.findConflict(ctx, tx, client, op.Seq); err != nil {
				return nil, err
			}
		} else {
			if c, stop, err = s.pushOp(ctx, tx, op, last == was); err != nil {
				return nil, err
			} else if stop != nil {
				break
			}
			last = op.Seq
		}
		if c != nil {
			res.Conflicts = append(res.Conflicts, c)
		}
	}
	if last != was {
		if err := s.setLastSeq(ctx, tx, client, last); err != nil {
			return nil, err
		}
	}
	if err := base.Commit(); err != nil {
		return nil, s.wrap("apply sync ops", err)
	}
	if stop != nil {
		return nil, stop
	}
	res.Applied = last
	return res, nil
}

// errSyncGap is the refusal of a push whose first operation does not follow last.
func errSyncGap(last int64) error {
	return backend.MsgSyncGap.Error(backend.ECONFLICT, "expected", last+1)
}

// registerClient records client id as actor's desktop named name on its
// first push, and returns the sequence number of its last applied
// operation. EFORBIDDEN when the id is another administrator's.
func (s *Store) registerClient(ctx context.Context, actor backend.Actor, name, id string) (int64, error) {
	return inTx(ctx, s, "register sync client", func(tx Tx) (int64, error) {
		now := s.Time(tx.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_clients (id, user_id, name, last_seq, created_at, updated_at)
			VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING`, id, actor.ID, name, now, now); err != nil {
			return 0, s.wrap("register sync client", err)
		}
		var userID, was string
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT user_id, name, last_seq FROM sync_clients WHERE id = ?`, id).
			Scan(&userID, &was, &last); err != nil {
			return 0, s.wrap("register sync client", err)
		}
		if userID != actor.ID {
			return 0, backend.MsgSyncClientTaken.FieldError(backend.EFORBIDDEN, "client")
		}
		if was != name {
			if _, err := tx.ExecContext(ctx, `UPDATE sync_clients SET name = ?, updated_at = ? WHERE id = ?`, name, now, id); err != nil {
				return 0, s.wrap("register sync client", err)
			}
		}
		return last, nil
	})
}

// lockClient returns the sequence number of the client's last applied
// operation, its row locked until tx ends where writers run at once.
func (s *Store) lockClient(ctx context.Context, tx Tx, id string) (int64, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT last_seq FROM sync_clients WHERE id = ?`+s.ForUpdate, id).Scan(&last); err != nil {
		return 0, s.wrap("lock sync client", err)
	}
	return last, nil
}

// setLastSeq records seq as the client's last applied operation.
func (s *Store) setLastSeq(ctx context.Context, tx Tx, id string, seq int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sync_clients SET last_seq = ?, updated_at = ? WHERE id = ?`,
		seq, s.Time(tx.Now()), id); err != nil {
		return s.wrap("set last sync op", err)
	}
	return nil
}

// permanent reports whether err refuses an operation for good.
func permanent(err error) bool {
	switch backend.ErrorCode(err) {
	case backend.ECONFLICT, backend.ENOTFOUND, backend.EFORBIDDEN, backend.EINVALID:
		return true
	}
	return false
}

// pushOp applies op inside tx behind the savepoint push_op, which it
// leaves open: the next operation's statement releases it as it sets its
// own (one statement, not two, where each costs a round trip), and the
// commit releases the last. first says that none is open yet. Refused for
// good, op is rolled back to the savepoint and its conflict recorded
// instead; failed otherwise, it is rolled back to it and its error
// returned as stop, so that what came before it may still be committed.
// err is an error that leaves tx unusable.
func (s *Store) pushOp(ctx context.Context, tx Tx, op *backend.Op, first bool) (c *backend.Conflict, stop, err error) {
	exec := BaseTx(tx).ExecContext // statements of transaction control are not prepared
	savepoint := `RELEASE SAVEPOINT push_op; SAVEPOINT push_op`
	if first {
		savepoint = `SAVEPOINT push_op`
	}
	if _, err := exec(ctx, savepoint); err != nil {
		return nil, nil, s.wrap("apply sync op", err)
	}
	applyErr := s.ApplyOp(ctx, OpTx(tx, op), op)
	if applyErr == nil {
		return nil, nil, nil
	}
	if _, err := exec(ctx, `ROLLBACK TO SAVEPOINT push_op`); err != nil {
		return nil, nil, s.wrap("apply sync op", err)
	}
	if !permanent(applyErr) {
		return nil, applyErr, nil
	}
	c, err = s.recordConflict(ctx, tx, op, backend.AsError(applyErr))
	return c, nil, err
}

// recordConflict records op's refusal e inside tx, with the rows op
// touched as they are now.
func (s *Store) recordConflict(ctx context.Context, tx Tx, op *backend.Op, e *backend.Error) (*backend.Conflict, error) {
	c := &backend.Conflict{Seq: op.Seq, Kind: op.Kind, At: op.At.UTC().Truncate(time.Millisecond), Data: op.Data, Error: e}
	var err error
	if c.Server, err = s.touchedRows(ctx, tx, op); err != nil {
		return nil, err
	}
	data, err := json.Marshal(c.Data)
	if err != nil {
		return nil, fmt.Errorf("record sync conflict: %w", err)
	}
	refusal, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("record sync conflict: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sync_conflicts (client_id, seq, kind, data, error, at) VALUES (?, ?, ?, ?, ?, ?)`,
		op.Client, op.Seq, string(op.Kind), string(data), string(refusal), s.Time(c.At)); err != nil {
		return nil, s.wrap("record sync conflict", err)
	}
	return c, nil
}

// findConflict returns the conflict recorded for a client's operation,
// with the rows it touched as they are now; nil if it was applied.
func (s *Store) findConflict(ctx context.Context, q Querier, client string, seq int64) (*backend.Conflict, error) {
	var kind, data, refusal string
	c := &backend.Conflict{Seq: seq}
	err := q.QueryRowContext(ctx, `SELECT kind, data, error, at FROM sync_conflicts WHERE client_id = ? AND seq = ?`, client, seq).
		Scan(&kind, &data, &refusal, Time(&c.At))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, s.wrap("find sync conflict", err)
	}
	c.Kind, c.Data = backend.OpKind(kind), json.RawMessage(data)
	if err := json.Unmarshal([]byte(refusal), &c.Error); err != nil {
		return nil, fmt.Errorf("find sync conflict: %w", err)
	}
	op := &backend.Op{Client: client, Seq: seq, Kind: c.Kind, At: c.At, Data: c.Data}
	if c.Server, err = s.touchedRows(ctx, q, op); err != nil {
		return nil, err
	}
	return c, nil
}

// touchedRows returns the rows op touches, or would have, as they are now
// (a tombstone for a row that does not exist): the invitation, member or
// role it names, and for a new invitation or role also the invitation,
// member or role that holds its address or name.
func (s *Store) touchedRows(ctx context.Context, q Querier, op *backend.Op) ([]backend.Change, error) {
	var d struct {
		ID     string `json:"id"`
		Email  string `json:"email"`
		Role   string `json:"role"`
		UserID string `json:"userId"`
		Name   string `json:"name"`
	}
	if json.Unmarshal(op.Data, &d) != nil {
		return []backend.Change{}, nil
	}
	type ref struct{ entity, id string }
	var refs []ref
	add := func(entity, id string) {
		if id != "" && !slices.Contains(refs, ref{entity, id}) {
			refs = append(refs, ref{entity, id})
		}
	}
	switch op.Kind {
	case backend.OpInvite:
		add(backend.EntityInvitation, d.ID)
		if email, err := backend.ParseEmail(d.Email); err == nil {
			ids, err := s.idsWhere(ctx, q, `SELECT id FROM invitations WHERE email_key = ? AND state = 'pending'`, email.Key)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				add(backend.EntityInvitation, id)
			}
			if ids, err = s.idsWhere(ctx, q, `SELECT id FROM users WHERE email_key = ? AND status <> 'removed'`, email.Key); err != nil {
				return nil, err
			}
			for _, id := range ids {
				add(backend.EntityUser, id)
			}
		}
	case backend.OpDeleteInvitation, backend.OpResendInvitation, backend.OpRenewInvitationLink:
		add(backend.EntityInvitation, d.ID)
	case backend.OpChangeUserRole:
		add(backend.EntityUser, d.ID)
		add(backend.EntityRole, d.Role)
	case backend.OpDeactivateUser, backend.OpActivateUser, backend.OpRemoveUser:
		add(backend.EntityUser, d.ID)
	case backend.OpSendPasswordReset:
		add(backend.EntityUser, d.UserID)
	case backend.OpCreateRole, backend.OpUpdateRole, backend.OpDeleteRole:
		add(backend.EntityRole, d.ID)
		if key := strings.ToLower(strings.TrimSpace(d.Name)); key != "" {
			ids, err := s.idsWhere(ctx, q, `SELECT id FROM roles WHERE name_key = ?`, key)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				add(backend.EntityRole, id)
			}
		}
	}
	changes := []backend.Change{}
	for _, r := range refs {
		c, err := s.rowChange(ctx, q, r.entity, r.id)
		if err != nil {
			return nil, err
		}
		changes = append(changes, *c)
	}
	return changes, nil
}

// idsWhere returns the ids a query with one argument selects.
func (s *Store) idsWhere(ctx context.Context, q Querier, query string, arg any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, s.wrap("find touched rows", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// rowChange returns one row as sync carries it (backend.UserRow,
// InvitationRow or RoleRow), or its tombstone when it does not exist.
func (s *Store) rowChange(ctx context.Context, q Querier, entity, id string) (*backend.Change, error) {
	var row any
	var err error
	switch entity {
	case backend.EntityUser:
		row, err = s.userRow(ctx, q, id)
	case backend.EntityInvitation:
		row, err = s.invitationRow(ctx, q, id)
	case backend.EntityRole:
		row, err = s.roleRow(ctx, q, id)
	default:
		return nil, fmt.Errorf("row change: entity %q", entity)
	}
	c := &backend.Change{Entity: entity, ID: id}
	if errors.Is(err, sql.ErrNoRows) {
		c.Deleted = true
		return c, nil
	} else if err != nil {
		return nil, s.wrap("read "+entity, err)
	}
	if c.Row, err = json.Marshal(row); err != nil {
		return nil, fmt.Errorf("row change: %w", err)
	}
	return c, nil
}

// userRow reads a member as sync carries it; sql.ErrNoRows if there is none.
func (s *Store) userRow(ctx context.Context, q Querier, id string) (*backend.UserRow, error) {
	var u backend.UserRow
	err := q.QueryRowContext(ctx, `SELECT id, name, email, role_id, status, joined_at, removed_at, created_at, updated_at,
		last_sign_in_at FROM users WHERE id = ?`, id).Scan(&u.ID, &u.Name, &u.Email, &u.RoleID, &u.Status, Time(&u.JoinedAt),
		NullTime(&u.RemovedAt), Time(&u.CreatedAt), Time(&u.UpdatedAt), NullTime(&u.LastSignInAt))
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// invitationRow reads an invitation as sync carries it (its state as
// stored: pending ones are not told expired); sql.ErrNoRows if there is none.
func (s *Store) invitationRow(ctx context.Context, q Querier, id string) (*backend.InvitationRow, error) {
	var i backend.InvitationRow
	err := q.QueryRowContext(ctx, `SELECT id, email, COALESCE(role_id, ''), role_name, COALESCE(invited_by_id, ''),
		invited_by_name, state, COALESCE(user_id, ''), created_at, sent_at, expires_at, accepted_at, deleted_at, updated_at
		FROM invitations WHERE id = ?`, id).Scan(&i.ID, &i.Email, &i.RoleID, &i.RoleName, &i.InvitedByID, &i.InvitedByName,
		&i.State, &i.UserID, Time(&i.CreatedAt), Time(&i.SentAt), Time(&i.ExpiresAt), NullTime(&i.AcceptedAt),
		NullTime(&i.DeletedAt), Time(&i.UpdatedAt))
	if err != nil {
		return nil, err
	}
	return &i, nil
}

// roleRow reads a role with its permissions as sync carries it;
// sql.ErrNoRows if there is none.
func (s *Store) roleRow(ctx context.Context, q Querier, id string) (*backend.RoleRow, error) {
	var r backend.RoleRow
	var perms string
	err := q.QueryRowContext(ctx, `SELECT r.id, r.name, r.built_in, r.created_at, r.updated_at,
		COALESCE((SELECT string_agg(permission, ',') FROM role_permissions p WHERE p.role_id = r.id), '')
		FROM roles r WHERE r.id = ?`, id).Scan(&r.ID, &r.Name, &r.BuiltIn, Time(&r.CreatedAt), Time(&r.UpdatedAt), &perms)
	if err != nil {
		return nil, err
	}
	r.Permissions = []backend.Permission{}
	for _, p := range strings.Split(perms, ",") {
		if p != "" {
			r.Permissions = append(r.Permissions, backend.Permission(p))
		}
	}
	sortPermissions(r.Permissions)
	return &r, nil
}

// preparer is a transaction that prepares statements written as Tx takes them.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// stmtTx is a transaction that prepares each statement once and runs it
// again as often as it is asked for until the transaction ends (which
// closes them): a batch of pushed operations runs the same few
// statements a thousand times. Text of several statements is not
// prepared.
type stmtTx struct {
	Tx
	p     preparer
	stmts map[string]*sql.Stmt
}

// newStmtTx returns tx preparing its statements once, if it can prepare them.
func newStmtTx(tx Tx) Tx {
	p, ok := tx.(preparer)
	if !ok {
		return tx
	}
	return &stmtTx{Tx: tx, p: p, stmts: map[string]*sql.Stmt{}}
}

// stmt returns query prepared, nil for text of several statements.
func (t *stmtTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	if strings.Contains(query, ";") {
		return nil, nil
	}
	st, err := t.p.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	t.stmts[query] = st
	return st, nil
}

// ExecContext implements Querier.
func (t *stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	} else if st == nil {
		return t.Tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// QueryContext implements Querier.
func (t *stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	} else if st == nil {
		return t.Tx.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext implements Querier; a statement that cannot be prepared
// runs unprepared, to report its error in the row.
func (t *stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, query)
	if err != nil || st == nil {
		return t.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Unwrap returns the transaction stmtTx wrapped.
func (t *stmtTx) Unwrap() Tx { return t.Tx }
