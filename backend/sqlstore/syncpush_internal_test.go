package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"roster/backend"
)

// plainTx is a bare SQLite transaction as a store's Begin returns one.
type plainTx struct{ *sql.Tx }

func (plainTx) Now() time.Time { return time.Now() }

// openPlainTx opens a new SQLite file with table t (k TEXT) and begins a
// transaction on it.
func openPlainTx(t *testing.T) plainTx {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "stmt.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (k TEXT)`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	return plainTx{tx}
}

// TestStmtTx runs statements through a transaction that prepares each once.
func TestStmtTx(t *testing.T) {
	ctx := context.Background()
	count := func(t *testing.T, q Querier) int {
		t.Helper()
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("OK", func(t *testing.T) {
		base := openPlainTx(t)
		tx := newStmtTx(base)
		for _, k := range []string{"a", "b", "c"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (k) VALUES (?)`, k); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT k FROM t WHERE k > ? ORDER BY k`, "a")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			got = append(got, k)
		}
		rows.Close()
		if len(got) != 2 || got[0] != "b" || got[1] != "c" || count(t, tx) != 3 {
			t.Fatalf("rows %v, count %d", got, count(t, tx))
		}
		if n := len(tx.(*stmtTx).stmts); n != 3 {
			t.Fatalf("%d statements prepared, want 3 (one each)", n)
		}
		if BaseTx(OpTx(tx, &backend.Op{})) != Tx(base) {
			t.Fatal("BaseTx does not reach the store's transaction")
		}
	})

	t.Run("SeveralStatements", func(t *testing.T) {
		tx := newStmtTx(openPlainTx(t))
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (k) VALUES ('x'); INSERT INTO t (k) VALUES ('y')`); err != nil {
			t.Fatal(err)
		}
		if n := count(t, tx); n != 2 {
			t.Fatalf("%d rows, want 2: the text ran only in part", n)
		}
	})

	t.Run("ErrPrepare", func(t *testing.T) {
		tx := newStmtTx(openPlainTx(t))
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM nowhere`).Scan(&n); err == nil {
			t.Fatal("a query of a missing table succeeded")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM nowhere`); err == nil {
			t.Fatal("a statement on a missing table succeeded")
		}
	})
}
