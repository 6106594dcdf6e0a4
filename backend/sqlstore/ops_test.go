package sqlstore_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
	"roster/backend/sqlite"
	"roster/backend/sqlstore"
)

// openSQLite returns the store of a new SQLite file.
func openSQLite(t *testing.T) *sqlstore.Store {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqlite.NewStorage(db).SyncPush.(*sqlstore.Store)
}

// openPostgres returns the store of a new PostgreSQL database.
func openPostgres(t *testing.T) *sqlstore.Store {
	t.Helper()
	db := postgres.NewDB(pgtest.NewDatabase(t))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return postgres.NewStorage(db).SyncPush.(*sqlstore.Store)
}

// t0 is when the seeded rows were made.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// seed gives a store the same organisation and members as every other:
// Ada (an inactive Administrator, who acts), Bob (the only active
// Administrator), Cy (a User) and Dee (removed).
func seed(t *testing.T, st *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []struct{ id, name, email, role, status string }{
		{"u-ada", "Ada Admin", "ada@example.com", "administrator", "inactive"},
		{"u-bob", "Bob Boss", "bob@example.com", "administrator", "active"},
		{"u-cy", "Cy User", "cy@example.com", "user", "active"},
		{"u-dee", "Dee Gone", "dee@example.com", "user", "removed"},
	} {
		email, err := backend.ParseEmail(u.email)
		if err != nil {
			t.Fatal(err)
		}
		var removed any
		if u.status == "removed" {
			removed = st.Time(t0)
		}
		if _, err := st.DB.ExecContext(ctx, `INSERT INTO users (id, name, email, email_key, sort_key, search_text, role_id,
			status, joined_at, removed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.id, u.name, email.Address, email.Key, st.SortKey(sqlstore.ListName(u.name, u.email)),
			sqlstore.SearchText(u.name, u.email), u.role, u.status, st.Time(t0), removed, st.Time(t0), st.Time(t0)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.DB.ExecContext(ctx, `INSERT INTO organisation (id, uid, name, admin_user_id, created_at)
		VALUES (1, 'org-1', 'Example Ltd', 'u-bob', ?)`, st.Time(t0)); err != nil {
		t.Fatal(err)
	}
}

// tables are the rows an operation writes, in an order and form that do
// not depend on the store (outbox ids and sort keys do).
var tables = []string{
	`SELECT id, name, email, email_key, search_text, role_id, status, password_hash, joined_at, removed_at, created_at,
		updated_at, last_sign_in_at FROM users ORDER BY id`,
	`SELECT id, email, email_key, search_text, role_id, role_name, invited_by_id, invited_by_name, token_hash, state,
		user_id, created_at, sent_at, expires_at, accepted_at, deleted_at, updated_at FROM invitations ORDER BY id`,
	`SELECT id, name, name_key, built_in, created_at, updated_at FROM roles ORDER BY id`,
	`SELECT role_id, permission FROM role_permissions ORDER BY role_id, permission`,
	`SELECT uid, at, actor_id, actor_name, actor_client, action, target_type, target_id, target_label, before, after
		FROM audit_log ORDER BY uid`,
	`SELECT id, user_id, token_hash, created_at, expires_at, used_at, voided_at FROM password_resets ORDER BY id`,
}

// dump renders every row of tables as text.
func dump(t *testing.T, db sqlstore.Querier) string {
	t.Helper()
	var b strings.Builder
	for _, q := range tables {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				switch v := v.(type) {
				case nil:
					b.WriteString("NULL")
				case time.Time:
					b.WriteString(sqlstore.FormatTime(v))
				case []byte:
					b.WriteString("x" + hex.EncodeToString(v))
				case bool:
					if v {
						b.WriteString("1")
					} else {
						b.WriteString("0")
					}
				default:
					fmt.Fprint(&b, v)
				}
				if i < len(vals)-1 {
					b.WriteString(" | ")
				}
			}
			b.WriteString("\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// apply applies op to st in a transaction of its own, committed unless it fails.
func apply(ctx context.Context, st *sqlstore.Store, op *backend.Op) error {
	tx, err := st.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := st.ApplyOp(ctx, sqlstore.OpTx(tx, op), op); err != nil {
		return err
	}
	return tx.Commit()
}

// hash is a token hash made of one byte.
func hash(b byte) []byte {
	h := make([]byte, backend.TokenHashSize)
	for i := range h {
		h[i] = b
	}
	return h
}

// opStep is an operation and the error code and key it is refused with ("" if applied).
type opStep struct {
	kind      backend.OpKind
	data      any
	code, key string
}

// opSteps are every kind of operation, applied and refused.
var opSteps = []opStep{
	{kind: backend.OpCreateRole, data: backend.RoleOp{ID: "r-1", Name: "Auditors", Permissions: []backend.Permission{"chat"}}},
	{kind: backend.OpUpdateRole, data: backend.RoleOp{ID: "r-1", Name: "Auditors Two", Permissions: []backend.Permission{"chat", "use_skills"}}},
	{kind: backend.OpInvite, data: backend.InviteOp{ID: "i-1", Email: "Eve@Example.com", Role: "r-1", TokenHash: hash(1)}},
	{kind: backend.OpResendInvitation, data: backend.RelinkOp{ID: "i-1", TokenHash: hash(2)}},
	{kind: backend.OpRenewInvitationLink, data: backend.RelinkOp{ID: "i-1", TokenHash: hash(3)}},
	{kind: backend.OpInvite, data: backend.InviteOp{ID: "i-2", Email: "fay@example.com", Role: "user", TokenHash: hash(4)}},
	{kind: backend.OpDeleteInvitation, data: backend.InvitationOp{ID: "i-2"}},
	{kind: backend.OpChangeUserRole, data: backend.UserRoleOp{ID: "u-cy", Role: "r-1"}},
	{kind: backend.OpDeactivateUser, data: backend.UserOp{ID: "u-cy"}},
	{kind: backend.OpActivateUser, data: backend.UserOp{ID: "u-cy"}},
	{kind: backend.OpSendPasswordReset, data: backend.PasswordResetOp{ID: "p-1", UserID: "u-cy", TokenHash: hash(5)}},
	{kind: backend.OpRemoveUser, data: backend.UserOp{ID: "u-cy"}},
	{kind: backend.OpCreateRole, data: backend.RoleOp{ID: "r-2", Name: "Temporary", Permissions: []backend.Permission{"chat"}}},
	{kind: backend.OpDeleteRole, data: backend.RoleOp{ID: "r-2"}},

	{kind: backend.OpInvite, data: backend.InviteOp{ID: "i-3", Email: "eve@example.com", Role: "user", TokenHash: hash(6)},
		code: backend.ECONFLICT, key: "invitation.exists"},
	{kind: backend.OpInvite, data: backend.InviteOp{ID: "i-3", Email: "bob@example.com", Role: "user", TokenHash: hash(6)},
		code: backend.ECONFLICT, key: "user.exists"},
	{kind: backend.OpInvite, data: backend.InviteOp{ID: "i-3", Email: "gus@example.com", Role: "user", TokenHash: hash(4)},
		code: backend.ECONFLICT, key: "link.hash_used"},
	{kind: backend.OpInvite, data: backend.InviteOp{ID: "i-3", Email: "gus@example.com", Role: "nobody", TokenHash: hash(6)},
		code: backend.EINVALID, key: "role.unknown"},
	{kind: backend.OpInvite, data: backend.InviteOp{ID: "i-3", Email: "gus@example.com", Role: "user", TokenHash: []byte{1}},
		code: backend.EINVALID, key: "link.bad_hash"},
	{kind: backend.OpDeleteInvitation, data: backend.InvitationOp{ID: "i-2"}, code: backend.ENOTFOUND, key: "invitation.deleted"},
	{kind: backend.OpResendInvitation, data: backend.RelinkOp{ID: "i-9", TokenHash: hash(6)}, code: backend.ENOTFOUND, key: "invitation.not_found"},
	{kind: backend.OpChangeUserRole, data: backend.UserRoleOp{ID: "u-bob", Role: "user"}, code: backend.EFORBIDDEN, key: "user.last_admin.demoted"},
	{kind: backend.OpDeactivateUser, data: backend.UserOp{ID: "u-bob"}, code: backend.EFORBIDDEN, key: "user.last_admin.deactivated"},
	{kind: backend.OpRemoveUser, data: backend.UserOp{ID: "u-bob"}, code: backend.EFORBIDDEN, key: "user.last_admin.removed"},
	{kind: backend.OpChangeUserRole, data: backend.UserRoleOp{ID: "u-ada", Role: "user"}, code: backend.EFORBIDDEN, key: "user.self.role"},
	{kind: backend.OpActivateUser, data: backend.UserOp{ID: "u-dee"}, code: backend.EFORBIDDEN, key: "user.removed"},
	{kind: backend.OpRemoveUser, data: backend.UserOp{ID: "u-dee"}, code: backend.ENOTFOUND, key: "user.not_found"},
	{kind: backend.OpDeactivateUser, data: backend.UserOp{ID: "u-nobody"}, code: backend.ENOTFOUND, key: "user.not_found"},
	{kind: backend.OpSendPasswordReset, data: backend.PasswordResetOp{ID: "p-2", UserID: "u-dee", TokenHash: hash(7)},
		code: backend.EFORBIDDEN, key: "user.removed"},
	{kind: backend.OpUpdateRole, data: backend.RoleOp{ID: "administrator", Name: "Boss", Permissions: []backend.Permission{"chat"}},
		code: backend.EFORBIDDEN, key: "role.built_in"},
	{kind: backend.OpDeleteRole, data: backend.RoleOp{ID: "user"}, code: backend.EFORBIDDEN, key: "role.built_in"},
	{kind: backend.OpDeleteRole, data: backend.RoleOp{ID: "r-1"}, code: backend.ECONFLICT, key: "role.in_use"},
	{kind: backend.OpCreateRole, data: backend.RoleOp{ID: "r-3", Name: "auditors two", Permissions: []backend.Permission{"chat"}},
		code: backend.ECONFLICT, key: "role.exists"},
	{kind: backend.OpCreateRole, data: backend.RoleOp{ID: "r-3", Name: "Empty"}, code: backend.EINVALID, key: "role.no_permissions"},
	{kind: backend.OpDeleteRole, data: backend.RoleOp{}, code: backend.EINVALID, key: "sync.op_invalid"},
	{kind: backend.OpDeleteRole, data: "not an object", code: backend.EINVALID, key: "sync.op_invalid"},
	{kind: "user.promote", data: backend.UserOp{ID: "u-cy"}, code: backend.EINVALID, key: "sync.op_unknown"},
}

// TestApplyOp applies every kind of operation to two databases set up
// alike, which must then hold the same rows, audit ids and times included,
// and refuse the same operations with the same coded errors.
func TestApplyOp(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testApplyOp(t, openSQLite(t), openSQLite(t)) })
	t.Run("SQLiteAndPostgreSQL", func(t *testing.T) { testApplyOp(t, openSQLite(t), openPostgres(t)) })
}

func testApplyOp(t *testing.T, a, b *sqlstore.Store) {
	seed(t, a)
	seed(t, b)
	ctx := backend.NewContextWithActor(context.Background(), backend.Actor{ID: "u-ada", Name: "Ada Admin", Client: "Roster on laptop"})
	for i, step := range opSteps {
		data, err := json.Marshal(step.data)
		if err != nil {
			t.Fatal(err)
		}
		op := &backend.Op{Client: "c-1", Seq: int64(i + 1), Kind: step.kind, Data: data,
			At: t0.Add(time.Duration(i+1)*time.Minute + 123456789*time.Nanosecond)}
		name := string(step.kind)
		if step.code != "" {
			name = "Err_" + step.key
		}
		t.Run(name, func(t *testing.T) {
			before := dump(t, a.DB)
			for _, st := range []*sqlstore.Store{a, b} {
				err := apply(ctx, st, op)
				if backend.ErrorCode(err) != step.code || (err != nil && backend.AsError(err).Key != step.key) {
					t.Fatalf("step %d: error %v, want %s %s", i+1, err, step.code, step.key)
				}
			}
			after := dump(t, a.DB)
			if got := dump(t, b.DB); got != after {
				t.Fatalf("step %d: the databases differ:\n%s\nand\n%s", i+1, after, got)
			}
			if step.code != "" && after != before {
				t.Fatalf("step %d: a refused operation changed rows", i+1)
			}
			if step.code == "" && !strings.Contains(after, op.AuditUID(0)+" | "+sqlstore.FormatTime(op.At)) {
				t.Fatalf("step %d: no audit entry %s at %s:\n%s", i+1, op.AuditUID(0), op.At, after)
			}
		})
	}
}
