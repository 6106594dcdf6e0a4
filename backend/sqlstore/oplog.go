package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"roster/backend"
)

// A desktop with sync on records every change as an operation (sync_ops),
// in the transaction of the change, with the rows it touched as they were
// before it (its undo), and holds the change's email (sync_mail) until the
// server acknowledges the operation. The functions below are what its sync
// engine does with them: push the pending ones, release their mail when
// acknowledged, and take them back and replay them around a pull.

// OpLog is the hook of a desktop that records its operations. Recording
// is on while it has a client id, which the desktop sets when it connects
// to a directory server and clears when it disconnects, while its services
// run; every store of one database shares one OpLog.
type OpLog struct {
	mu      sync.RWMutex
	client  string
	changed func()
}

// NewOpLog returns an OpLog recording as client ("" = not recording).
func NewOpLog(client string) *OpLog {
	return &OpLog{client: client}
}

// Client is the desktop's client id, or "" when it does not record.
func (l *OpLog) Client() string {
	if l == nil {
		return ""
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.client
}

// SetClient starts recording as client, or stops with "".
func (l *OpLog) SetClient(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.client = client
}

// OnChange sets what is called after each recorded change committed, such
// as the sync engine's Notify.
func (l *OpLog) OnChange(fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.changed = fn
}

// didChange calls the OnChange function, if any.
func (l *OpLog) didChange() {
	l.mu.RLock()
	fn := l.changed
	l.mu.RUnlock()
	if fn != nil {
		fn()
	}
}

// recordOp runs a public method's change fn in a transaction of its own.
// With an OpLog, the change is operation kind with data (a pointer to the
// kind's data, which fn applies and may complete, such as a role's id for
// its name): it is numbered, recorded with its undo, and fn runs in its
// OpTx, where queueMail holds the email instead of queuing it.
func recordOp[T any](ctx context.Context, s *Store, what string, kind backend.OpKind, data any, fn func(tx Tx) (T, error)) (T, error) {
	client := s.OpLog.Client()
	if client == "" {
		return inTx(ctx, s, what, fn)
	}
	v, err := inTx(ctx, s, what, func(tx Tx) (T, error) {
		var zero T
		op := &backend.Op{Client: client, Kind: kind, At: tx.Now()}
		if err := tx.QueryRowContext(ctx, `INSERT INTO sync_ops (kind, at, data, undo, created_at) VALUES (?, ?, '{}', '[]', ?)
			RETURNING seq`, string(kind), s.Time(op.At), s.Time(tx.Now())).Scan(&op.Seq); err != nil {
			return zero, s.wrap("record operation", err)
		}
		raw, err := json.Marshal(data)
		if err != nil {
			return zero, fmt.Errorf("record operation: %w", err)
		}
		undo, err := s.beforeImages(ctx, tx, kind, raw)
		if err != nil {
			return zero, err
		}
		otx := OpTx(tx, op).(*opTx)
		otx.hold = true
		v, err := fn(otx)
		if err != nil {
			return zero, err
		}
		if op.Data, err = json.Marshal(data); err != nil {
			return zero, fmt.Errorf("record operation: %w", err)
		}
		if err := s.saveOp(ctx, tx, op, undo); err != nil {
			return zero, err
		}
		return v, nil
	})
	if err == nil {
		s.OpLog.didChange()
	}
	return v, err
}

// saveOp stores op's data and undo.
func (s *Store) saveOp(ctx context.Context, tx Tx, op *backend.Op, undo []image) error {
	u, err := json.Marshal(undo)
	if err != nil {
		return fmt.Errorf("record operation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_ops SET data = ?, undo = ? WHERE seq = ?`, string(op.Data), string(u), op.Seq); err != nil {
		return s.wrap("record operation", err)
	}
	return nil
}

// holdMail keeps the email of operation seq (sealed, as in the outbox)
// until the server acknowledges it.
func (s *Store) holdMail(ctx context.Context, tx Tx, seq int64, e *backend.OutboxEntry) error {
	data, err := backend.SealMailData(*s.Keys, e.Data)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sync_mail (op_seq, kind, recipient, invitation_id, password_reset_id, data)
		VALUES (?, ?, ?, ?, ?, ?)`, seq, string(e.Kind), e.To, NullString(e.InvitationID), NullString(e.PasswordResetID), data); err != nil {
		return s.wrap("hold mail", err)
	}
	return nil
}

// PendingOps returns up to limit of the operations not yet acknowledged,
// oldest first.
// PendingOps returns up to limit of the operations the server has not
// acknowledged, oldest first.
func (s *Store) PendingOps(ctx context.Context, limit int) ([]backend.Op, error) {
	return s.pendingOps(ctx, s.DB, ` ORDER BY seq `+s.Limit(0, limit))
}

func (s *Store) pendingOps(ctx context.Context, q Querier, order string) ([]backend.Op, error) {
	client := s.OpLog.Client()
	rows, err := q.QueryContext(ctx, `SELECT seq, kind, at, data FROM sync_ops`+order)
	if err != nil {
		return nil, s.wrap("find pending operations", err)
	}
	defer rows.Close()
	ops := []backend.Op{}
	for rows.Next() {
		op := backend.Op{Client: client}
		var data string
		if err := rows.Scan(&op.Seq, &op.Kind, Time(&op.At), &data); err != nil {
			return nil, fmt.Errorf("find pending operations: %w", err)
		}
		op.Data = json.RawMessage(data)
		ops = append(ops, op)
	}
	return ops, rows.Err()
}

// AckOps forgets the operations up to upto, which the server applied (or
// refused: RecordConflicts first), and queues their held emails whose link
// still works here: an email whose invitation was deleted or got another
// link since, or whose reset was used or voided, is dropped.
func (s *Store) AckOps(ctx context.Context, tx Tx, upto int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT kind, recipient, COALESCE(invitation_id, ''), COALESCE(password_reset_id, ''), data
		FROM sync_mail WHERE op_seq <= ? ORDER BY op_seq`, upto)
	if err != nil {
		return s.wrap("release mail", err)
	}
	type held struct {
		e    backend.OutboxEntry
		data []byte
	}
	var mails []held
	for rows.Next() {
		var h held
		if err := rows.Scan(&h.e.Kind, &h.e.To, &h.e.InvitationID, &h.e.PasswordResetID, &h.data); err != nil {
			rows.Close()
			return fmt.Errorf("release mail: %w", err)
		}
		mails = append(mails, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.wrap("release mail", err)
	}
	for i := range mails {
		if err := s.releaseMail(ctx, tx, &mails[i].e, mails[i].data); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_mail WHERE op_seq <= ?`, upto); err != nil {
		return s.wrap("release mail", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_ops WHERE seq <= ?`, upto); err != nil {
		return s.wrap("acknowledge operations", err)
	}
	return nil
}

// releaseMail queues a held email (its data sealed already) and points its
// invitation or reset at it, if its link is still the current one.
func (s *Store) releaseMail(ctx context.Context, tx Tx, e *backend.OutboxEntry, sealed []byte) error {
	data, err := s.openMail(sealed)
	if backend.ErrorCode(err) == backend.ECONFLICT { // its key is lost: it cannot be sent
		return nil
	} else if err != nil {
		return err
	}
	table, rowID, open := "invitations", e.InvitationID, `state = 'pending'`
	if e.PasswordResetID != "" {
		table, rowID, open = "password_resets", e.PasswordResetID, `used_at IS NULL AND voided_at IS NULL`
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = ? AND token_hash = ? AND `+open,
		rowID, HashToken(data[backend.MailDataToken])).Scan(&n); err != nil {
		return s.wrap("release mail", err)
	}
	if n == 0 {
		return nil
	}
	var id any
	if s.NextOutboxID != nil {
		n, err := s.NextOutboxID(ctx, tx)
		if err != nil {
			return err
		}
		id = n
	}
	t := s.Time(tx.Now())
	if err := tx.QueryRowContext(ctx, `INSERT INTO outbox
		(id, kind, recipient, invitation_id, password_reset_id, data, state, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?) RETURNING id`,
		id, string(e.Kind), e.To, NullString(e.InvitationID), NullString(e.PasswordResetID), sealed, t, t, t).Scan(&e.ID); err != nil {
		return s.wrap("release mail", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET outbox_id = ? WHERE id = ?`, e.ID, rowID); err != nil {
		return s.wrap("release mail", err)
	}
	return nil
}

// RecordConflicts keeps the conflicts the server answered, for the
// administrator to see, and deletes their operations with their held
// emails, so that AckOps does not send them. Their effects must be undone
// first (UndoPending), and the other pending operations replayed after.
func (s *Store) RecordConflicts(ctx context.Context, tx Tx, client string, conflicts []*backend.Conflict) error {
	for _, c := range conflicts {
		refusal, err := json.Marshal(c.Error)
		if err != nil {
			return fmt.Errorf("record conflicts: %w", err)
		}
		server, err := json.Marshal(c.Server)
		if err != nil {
			return fmt.Errorf("record conflicts: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_conflicts (client_id, seq, kind, data, error, at, server)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, seq) DO NOTHING`,
			client, c.Seq, string(c.Kind), string(c.Data), string(refusal), s.Time(c.At), string(server)); err != nil {
			return s.wrap("record conflicts", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_mail WHERE op_seq = ?`, c.Seq); err != nil {
			return s.wrap("record conflicts", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_ops WHERE seq = ?`, c.Seq); err != nil {
			return s.wrap("record conflicts", err)
		}
	}
	return nil
}

// UndoPending takes back the effects of every pending operation, newest
// first: their rows as they were before them, and their audit entries.
func (s *Store) UndoPending(ctx context.Context, tx Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, undo FROM sync_ops ORDER BY seq DESC`)
	if err != nil {
		return s.wrap("undo pending operations", err)
	}
	type pending struct {
		seq  int64
		undo string
	}
	var list []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.seq, &p.undo); err != nil {
			rows.Close()
			return fmt.Errorf("undo pending operations: %w", err)
		}
		list = append(list, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.wrap("undo pending operations", err)
	}
	client := s.OpLog.Client()
	for _, p := range list {
		var images []image
		if err := json.Unmarshal([]byte(p.undo), &images); err != nil {
			return fmt.Errorf("undo operation %d: %w", p.seq, err)
		}
		for i := range images {
			if err := s.restore(ctx, tx, &images[i]); err != nil {
				return fmt.Errorf("undo operation %d: %w", p.seq, err)
			}
		}
		// Its audit entries' ids are AuditUID(0), (1), …: client.seq.n.
		prefix := strings.TrimSuffix((&backend.Op{Client: client, Seq: p.seq}).AuditUID(0), "0")
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE uid LIKE ? ESCAPE '\'`, likeEscaper.Replace(prefix)+"%"); err != nil {
			return s.wrap("undo operation", err)
		}
	}
	return nil
}

// ReplayPending applies every pending operation again, oldest first, on
// the rows as they are now, each with new undo. An operation refused now
// leaves no effect and stays pending: the server will refuse it too, and
// answer its conflict. The actor of ctx is who made them.
func (s *Store) ReplayPending(ctx context.Context, tx Tx) error {
	ops, err := s.pendingOps(ctx, tx, ` ORDER BY seq`)
	if err != nil {
		return err
	}
	for i := range ops {
		op := &ops[i]
		undo, err := s.beforeImages(ctx, tx, op.Kind, op.Data)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT replay`); err != nil {
			return s.wrap("replay operation", err)
		}
		if err := s.ApplyOp(ctx, OpTx(tx, op), op); err != nil {
			if !permanent(err) {
				return err
			}
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT replay`); err != nil {
				return s.wrap("replay operation", err)
			}
			undo = []image{}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT replay`); err != nil {
			return s.wrap("replay operation", err)
		}
		if err := s.saveOp(ctx, tx, op, undo); err != nil {
			return err
		}
	}
	return nil
}

// image is rows of a table as they were before an operation: the row
// whose Key column (its primary key) is Value, or with Group every row
// whose Key column is Value; Rows is empty when there was none.
type image struct {
	Table string       `json:"table"`
	Key   string       `json:"key"`
	Value string       `json:"value"`
	Group bool         `json:"group,omitempty"`
	Cols  []string     `json:"cols,omitempty"`
	Rows  [][]imageVal `json:"rows"`
}

// imageVal is one column's value, with its type: text, integer, real,
// bytes, time, or none of them for NULL.
type imageVal struct {
	S *string    `json:"s,omitempty"`
	I *int64     `json:"i,omitempty"`
	F *float64   `json:"f,omitempty"`
	B []byte     `json:"b,omitempty"`
	T *time.Time `json:"t,omitempty"`
	// Bool is a boolean, where the store has them.
	Bool *bool `json:"bool,omitempty"`
}

func (v imageVal) value() any {
	switch {
	case v.S != nil:
		return *v.S
	case v.I != nil:
		return *v.I
	case v.F != nil:
		return *v.F
	case v.B != nil:
		return v.B
	case v.T != nil:
		return *v.T
	case v.Bool != nil:
		return *v.Bool
	}
	return nil
}

func newImageVal(v any) (imageVal, error) {
	switch v := v.(type) {
	case nil:
		return imageVal{}, nil
	case string:
		return imageVal{S: &v}, nil
	case int64:
		return imageVal{I: &v}, nil
	case float64:
		return imageVal{F: &v}, nil
	case []byte:
		return imageVal{B: append([]byte{}, v...)}, nil
	case time.Time:
		return imageVal{T: &v}, nil
	case bool:
		return imageVal{Bool: &v}, nil
	}
	return imageVal{}, fmt.Errorf("before-image: value of type %T", v)
}

// imageTables are the tables whose rows an operation's undo keeps, each
// with its primary key ("" where the rows of a group are kept whole) and
// the columns an image may select its rows by.
var imageTables = map[string]struct {
	pk   string
	keys []string
}{
	"users":            {"id", []string{"id"}},
	"invitations":      {"id", []string{"id"}},
	"roles":            {"id", []string{"id"}},
	"role_permissions": {"", []string{"role_id"}},
	"password_resets":  {"id", []string{"user_id"}},
}

// beforeImages reads the rows an operation of kind with data will touch,
// as they are now, in the order to restore them.
func (s *Store) beforeImages(ctx context.Context, tx Tx, kind backend.OpKind, data json.RawMessage) ([]image, error) {
	var d struct {
		ID     string `json:"id"`
		UserID string `json:"userId"`
	}
	if json.Unmarshal(data, &d) != nil {
		return []image{}, nil
	}
	var images []image
	add := func(table, key, value string, group bool) error {
		im, err := s.readImage(ctx, tx, table, key, value, group)
		if err != nil {
			return err
		}
		images = append(images, *im)
		return nil
	}
	var err error
	switch kind {
	case backend.OpInvite, backend.OpDeleteInvitation, backend.OpResendInvitation, backend.OpRenewInvitationLink:
		err = add("invitations", "id", d.ID, false)
	case backend.OpChangeUserRole, backend.OpDeactivateUser, backend.OpActivateUser:
		err = add("users", "id", d.ID, false)
	case backend.OpRemoveUser:
		if err = add("users", "id", d.ID, false); err == nil {
			err = add("password_resets", "user_id", d.ID, true)
		}
	case backend.OpSendPasswordReset:
		err = add("password_resets", "user_id", d.UserID, true)
	case backend.OpCreateRole, backend.OpUpdateRole, backend.OpDeleteRole:
		if err = add("roles", "id", d.ID, false); err == nil {
			err = add("role_permissions", "role_id", d.ID, true)
		}
		if err == nil && kind == backend.OpDeleteRole {
			// Removed members move to User, and closed invitations lose
			// the role (ON DELETE SET NULL): an undo gives it back.
			for _, ref := range []struct{ table, query string }{
				{"users", `SELECT id FROM users WHERE role_id = ? AND status = 'removed'`},
				{"invitations", `SELECT id FROM invitations WHERE role_id = ?`},
			} {
				var ids []string
				if ids, err = s.idsWhere(ctx, tx, ref.query, d.ID); err != nil {
					break
				}
				for _, id := range ids {
					if err = add(ref.table, "id", id, false); err != nil {
						break
					}
				}
				if err != nil {
					break
				}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if images == nil {
		images = []image{}
	}
	return images, nil
}

// readImage reads the rows of an image.
func (s *Store) readImage(ctx context.Context, tx Tx, table, key, value string, group bool) (*image, error) {
	if t, ok := imageTables[table]; !ok || !slices.Contains(t.keys, key) {
		return nil, fmt.Errorf("before-image: table %q, key %q", table, key)
	}
	im := &image{Table: table, Key: key, Value: value, Group: group, Rows: [][]imageVal{}}
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+table+` WHERE `+key+` = ?`, value)
	if err != nil {
		return nil, s.wrap("read before-image", err)
	}
	defer rows.Close()
	if im.Cols, err = rows.Columns(); err != nil {
		return nil, err
	}
	for rows.Next() {
		vals := make([]any, len(im.Cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read before-image: %w", err)
		}
		row := make([]imageVal, len(vals))
		for i, v := range vals {
			if row[i], err = newImageVal(v); err != nil {
				return nil, err
			}
		}
		im.Rows = append(im.Rows, row)
	}
	return im, rows.Err()
}

// restore puts the rows of an image back: each as it was (inserted again,
// or its columns set again), and the rows that were not there deleted.
func (s *Store) restore(ctx context.Context, tx Tx, im *image) error {
	t, ok := imageTables[im.Table]
	if !ok || !slices.Contains(t.keys, im.Key) {
		return fmt.Errorf("restore: table %q, key %q", im.Table, im.Key)
	}
	for _, c := range im.Cols {
		if strings.IndexFunc(c, func(r rune) bool { return r != '_' && (r < 'a' || r > 'z') && (r < '0' || r > '9') }) >= 0 {
			return fmt.Errorf("restore: column %q", c)
		}
	}
	pk := t.pk
	if pk == "" { // a group kept whole
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+im.Table+` WHERE `+im.Key+` = ?`, im.Value); err != nil {
			return s.wrap("restore", err)
		}
	}
	kept := []any{}
	pkIndex := -1
	for i, c := range im.Cols {
		if c == pk {
			pkIndex = i
		}
	}
	for _, row := range im.Rows {
		args := make([]any, len(row))
		for i, v := range row {
			args[i] = v.value()
		}
		q := `INSERT INTO ` + im.Table + ` (` + strings.Join(im.Cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(row)-1) + `)`
		if pk != "" {
			var set []string
			for _, c := range im.Cols {
				if c != pk {
					set = append(set, c+" = excluded."+c)
				}
			}
			q += ` ON CONFLICT (` + pk + `) DO UPDATE SET ` + strings.Join(set, ", ")
			if pkIndex >= 0 {
				kept = append(kept, args[pkIndex])
			}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return s.wrap("restore", err)
		}
	}
	if pk != "" {
		q := `DELETE FROM ` + im.Table + ` WHERE ` + im.Key + ` = ?`
		args := []any{im.Value}
		if len(kept) > 0 {
			q += ` AND ` + pk + ` NOT IN (?` + strings.Repeat(", ?", len(kept)-1) + `)`
			args = append(args, kept...)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return s.wrap("restore", err)
		}
	}
	return nil
}
