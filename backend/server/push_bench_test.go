package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

// pushBenchOps and pushBenchBatch are the size of BenchmarkPush's push:
// 10,000 invitations in batches of 1,000 (backend.MaxPushOps).
const (
	pushBenchOps   = 10_000
	pushBenchBatch = backend.MaxPushOps
)

// BenchmarkPush pushes 10,000 invitations of distinct addresses from one
// desktop over loopback HTTP, in batches of 1,000, to a server on a SQLite
// file and on PostgreSQL (with scripts/with-postgres.sh). Bare, beside it,
// inserts the same rows (invitations and their audit entries) with plain
// INSERT statements in one transaction, without any check: what the
// database itself needs. Each run starts from a new database; ops/s is
// operations per second.
//
//	scripts/with-postgres.sh go test -tags sqlite_fts5 -run '^$' -bench BenchmarkPush -benchtime 3x ./backend/server/
func BenchmarkPush(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *pushEnv
	}{{"SQLite", newSQLitePushEnv}, {"PostgreSQL", newPostgresPushEnv}} {
		b.Run(db.name+"/Push", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := db.open(b)
				ops := benchInviteOps(b)
				b.StartTimer()
				for i := 0; i < len(ops); i += pushBenchBatch {
					res := e.result(e.push(e.adaToken, "c-bench", ops[i:i+pushBenchBatch]...))
					if res.Applied != int64(i+pushBenchBatch) || len(res.Conflicts) != 0 {
						b.Fatalf("applied %d, %d conflicts", res.Applied, len(res.Conflicts))
					}
				}
			}
			b.ReportMetric(float64(pushBenchOps*b.N)/b.Elapsed().Seconds(), "ops/s")
		})
		b.Run(db.name+"/Bare", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := db.open(b)
				ops := benchInviteOps(b)
				b.StartTimer()
				bareInsert(b, e, ops)
			}
			b.ReportMetric(float64(pushBenchOps*b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

// benchInviteOps returns pushBenchOps invitations of distinct addresses, numbered from 1.
func benchInviteOps(tb testing.TB) []backend.Op {
	ops := make([]backend.Op, pushBenchOps)
	for i := range ops {
		ops[i] = syncOp(tb, int64(i+1), backend.OpInvite, backend.InviteOp{ID: sqlstore.NewID(),
			Email: fmt.Sprintf("member%05d@example.com", i), Role: backend.RoleUser, TokenHash: tokenHash()})
	}
	return ops
}

// bareInsert inserts the rows ops would write, the invitations and their
// audit entries, with plain INSERT statements in one transaction.
func bareInsert(tb testing.TB, e *pushEnv, ops []backend.Op) {
	ctx := context.Background()
	s := e.st.SyncPush.(*sqlstore.Store)
	tx, err := s.Begin(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	for _, op := range ops {
		var d backend.InviteOp
		if err := json.Unmarshal(op.Data, &d); err != nil {
			tb.Fatal(err)
		}
		at := s.Time(op.At.UTC().Truncate(time.Millisecond))
		if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id,
			role_name, invited_by_id, invited_by_name, token_hash, state, created_at, sent_at, expires_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'User', ?, ?, ?, 'pending', ?, ?, ?, ?)`,
			d.ID, d.Email, d.Email, s.SortKey(d.Email), sqlstore.SearchText("", d.Email), d.Role, e.ada.ID, e.ada.Name,
			d.TokenHash, at, at, s.Time(op.At.Add(backend.InvitationLifetime)), at); err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, sqlstore.AuditInsertSQL, op.AuditUID(0), at, e.ada.ID, e.ada.Name, "Roster on c-bench",
			backend.AuditInvitationCreated, "invitation", d.ID, d.Email, nil, `{"email":"`+d.Email+`"}`); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
