package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

// The real replica and server are tested together in the sync simulation;
// these unit tests check the engine's order of steps with fakes.

type fakeTx struct {
	log       *[]string
	committed bool
}

func (t *fakeTx) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	panic("not used")
}
func (t *fakeTx) QueryContext(context.Context, string, ...any) (*sql.Rows, error) {
	panic("not used")
}
func (t *fakeTx) QueryRowContext(context.Context, string, ...any) *sql.Row { panic("not used") }
func (t *fakeTx) Now() time.Time                                           { return time.Time{} }
func (t *fakeTx) Commit() error {
	t.committed = true
	*t.log = append(*t.log, "commit")
	return nil
}
func (t *fakeTx) Rollback() error {
	if !t.committed {
		*t.log = append(*t.log, "rollback")
	}
	return nil
}

type fakeReplica struct {
	log     []string
	pending []backend.Op
	cursor  int64
	failAck error
}

func (r *fakeReplica) note(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf(format, args...))
}

func (r *fakeReplica) Begin(context.Context) (sqlstore.Tx, error) {
	r.note("begin")
	return &fakeTx{log: &r.log}, nil
}

func (r *fakeReplica) PendingOps(_ context.Context, limit int) ([]backend.Op, error) {
	return r.pending[:min(limit, len(r.pending))], nil
}

func (r *fakeReplica) CountPendingOps(context.Context) (int, error) { return len(r.pending), nil }

func (r *fakeReplica) AckOps(_ context.Context, _ sqlstore.Tx, upto int64) error {
	if r.failAck != nil {
		return r.failAck
	}
	r.note("ack %d", upto)
	for len(r.pending) > 0 && r.pending[0].Seq <= upto {
		r.pending = r.pending[1:]
	}
	return nil
}

func (r *fakeReplica) RecordConflicts(_ context.Context, _ sqlstore.Tx, cs []*backend.Conflict) error {
	for _, c := range cs {
		r.note("conflict %d", c.Seq)
		r.pending = slices.DeleteFunc(r.pending, func(op backend.Op) bool { return op.Seq == c.Seq })
	}
	return nil
}

func (r *fakeReplica) UndoPending(context.Context, sqlstore.Tx) error {
	r.note("undo %d", len(r.pending))
	return nil
}

func (r *fakeReplica) ReplayPending(context.Context, sqlstore.Tx) error {
	r.note("replay %d", len(r.pending))
	return nil
}

func (r *fakeReplica) ApplyChanges(_ context.Context, _ sqlstore.Tx, cs []backend.Change) error {
	r.note("apply %d", len(cs))
	return nil
}

func (r *fakeReplica) SyncCursor(context.Context) (int64, error) { return r.cursor, nil }

func (r *fakeReplica) SetSyncCursor(_ context.Context, _ sqlstore.Tx, c int64) error {
	r.note("cursor %d", c)
	r.cursor = c
	return nil
}

// fakeServer answers pushes by applying up to applyUpTo (refusing the seqs
// in refuse) and serves pages of two changes up to last.
type fakeServer struct {
	r         *fakeReplica
	applied   int64
	applyUpTo int64
	refuse    map[int64]bool
	last      int64
	pushErr   error
}

func (s *fakeServer) Hello(context.Context) (*backend.SyncHello, error) { panic("not used") }

func (s *fakeServer) Push(_ context.Context, req *backend.PushRequest) (*backend.PushResult, error) {
	if s.pushErr != nil {
		return nil, s.pushErr
	}
	s.r.note("push %d-%d", req.Ops[0].Seq, req.Ops[len(req.Ops)-1].Seq)
	res := &backend.PushResult{}
	for _, op := range req.Ops {
		if op.Seq > s.applyUpTo {
			break
		}
		if s.refuse[op.Seq] {
			res.Conflicts = append(res.Conflicts, &backend.Conflict{Seq: op.Seq, Kind: op.Kind})
		}
		s.applied = op.Seq
	}
	res.Applied = s.applied
	return res, nil
}

func (s *fakeServer) Pull(_ context.Context, client string, cursor int64, limit int) (*backend.PullResult, error) {
	s.r.note("pull %s from %d", client, cursor)
	page := &backend.PullResult{Cursor: cursor, Applied: s.applied}
	for seq := cursor + 1; seq <= s.last && len(page.Changes) < limit; seq++ {
		page.Changes = append(page.Changes, backend.Change{Seq: seq, Entity: backend.EntityUser, ID: fmt.Sprint(seq)})
		page.Cursor = seq
	}
	page.More = page.Cursor < s.last
	return page, nil
}

func ops(n int) []backend.Op {
	out := make([]backend.Op, n)
	for i := range out {
		out[i] = backend.Op{Client: "c1", Seq: int64(i + 1), Kind: backend.OpInvite}
	}
	return out
}

func newEngine(r *fakeReplica, srv *fakeServer) *Engine {
	return &Engine{
		Replica:   r,
		Transport: func(context.Context) (backend.SyncTransport, string, error) { return srv, "c1", nil },
		PushBatch: 2, PullPage: 2,
	}
}

func TestSyncOnce(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		r := &fakeReplica{pending: ops(3)}
		srv := &fakeServer{r: r, applyUpTo: 3, refuse: map[int64]bool{3: true}, last: 3}
		e := newEngine(r, srv)
		mail := 0
		e.OnMail = func() { mail++ }
		if err := e.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"push 1-2", "begin", "ack 2", "commit",
			"push 3-3", "begin", "undo 1", "conflict 3", "replay 0", "ack 3", "commit",
			"pull c1 from 0", "begin", "undo 0", "apply 2", "replay 0", "cursor 2", "commit",
			"pull c1 from 2", "begin", "undo 0", "apply 1", "ack 3", "replay 0", "cursor 3", "commit",
		}
		if !reflect.DeepEqual(r.log, want) {
			t.Fatalf("steps\n%q\nwant\n%q", r.log, want)
		}
		st := e.Status()
		if st.Pending != 0 || st.Conflicts != 1 || st.LastError != nil || st.LastSyncAt == nil || st.Running {
			t.Fatalf("status %+v", st)
		}
		if mail != 1 {
			t.Fatalf("OnMail called %d times, want once", mail)
		}
	})
	t.Run("OKServerStopsBatch", func(t *testing.T) {
		// The server applied only op 1 (a temporary failure stopped it):
		// the rest waits for the next sync, and the pull replays it.
		r := &fakeReplica{pending: ops(3)}
		srv := &fakeServer{r: r, applyUpTo: 1}
		e := newEngine(r, srv)
		if err := e.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		want := []string{"push 1-2", "begin", "ack 1", "commit",
			"pull c1 from 0", "begin", "undo 2", "apply 0", "ack 1", "replay 2", "cursor 0", "commit"}
		if !reflect.DeepEqual(r.log, want) {
			t.Fatalf("steps\n%q\nwant\n%q", r.log, want)
		}
		if st := e.Status(); st.Pending != 2 {
			t.Fatalf("status %+v, want 2 pending", st)
		}
	})
	t.Run("ErrPush", func(t *testing.T) {
		r := &fakeReplica{pending: ops(1)}
		down := backend.Errorf(backend.EUNAVAILABLE, "server down")
		e := newEngine(r, &fakeServer{r: r, pushErr: down})
		if err := e.SyncOnce(context.Background()); !errors.Is(err, down) {
			t.Fatalf("err %v", err)
		}
		if len(r.log) != 0 {
			t.Fatalf("steps after a failed push: %q", r.log)
		}
		if st := e.Status(); st.LastError == nil || st.Pending != 1 || st.LastSyncAt != nil {
			t.Fatalf("status %+v", st)
		}
	})
	t.Run("ErrAck", func(t *testing.T) {
		// A failing local write rolls the page back: the cursor stays.
		r := &fakeReplica{pending: ops(1), failAck: errors.New("disk full")}
		e := newEngine(r, &fakeServer{r: r, applyUpTo: 1})
		if err := e.SyncOnce(context.Background()); err == nil {
			t.Fatal("no error")
		}
		if r.cursor != 0 || r.log[len(r.log)-1] != "rollback" {
			t.Fatalf("cursor %d, steps %q", r.cursor, r.log)
		}
	})
	t.Run("OKNotConfigured", func(t *testing.T) {
		r := &fakeReplica{pending: ops(1)}
		e := &Engine{Replica: r, Transport: func(context.Context) (backend.SyncTransport, string, error) {
			return nil, "", nil
		}}
		if err := e.SyncOnce(context.Background()); err != nil || len(r.log) != 0 {
			t.Fatalf("err %v, steps %q", err, r.log)
		}
	})
}

func TestRun(t *testing.T) {
	t.Run("OKSyncNow", func(t *testing.T) {
		r := &fakeReplica{pending: ops(1)}
		srv := &fakeServer{r: r, applyUpTo: 1}
		e := newEngine(r, srv)
		e.Interval = time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go e.Run(ctx)
		if err := e.SyncNow(ctx); err != nil {
			t.Fatal(err)
		}
		if st := e.Status(); st.Pending != 0 || st.LastSyncAt == nil {
			t.Fatalf("status %+v", st)
		}
	})
}

func TestRunSyncNowWaitsForALaterSync(t *testing.T) {
	// A Sync now during a sync that started before it gets the outcome
	// of a sync that starts after it, which sees the changes made
	// before the call.
	r := &fakeReplica{pending: ops(1)}
	srv := &fakeServer{r: r, applyUpTo: 1}
	e := newEngine(r, srv)
	e.Interval = time.Hour
	started, release := make(chan struct{}), make(chan struct{})
	errEarlier := errors.New("the earlier sync failed")
	calls := 0
	e.Transport = func(context.Context) (backend.SyncTransport, string, error) {
		calls++
		if calls == 1 {
			close(started)
			<-release
			return nil, "", errEarlier
		}
		return srv, "c1", nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)
	<-started
	done := make(chan error, 1)
	go func() { done <- e.SyncNow(ctx) }()
	for waiting := 0; waiting == 0; {
		runtime.Gosched()
		e.waitersMu.Lock()
		waiting = len(e.waiters)
		e.waitersMu.Unlock()
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("sync now = %v, want the later sync's outcome", err)
	}
	if st := e.Status(); st.Pending != 0 || st.LastError != nil {
		t.Fatalf("status %+v", st)
	}
}

func TestNext(t *testing.T) {
	e := &Engine{Backoff: time.Second, MaxBackoff: 5 * time.Second, Interval: time.Minute}
	fail := errors.New("down")
	var got []time.Duration
	for range 5 {
		got = append(got, e.next(fail))
	}
	got = append(got, e.next(nil))
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second, time.Minute}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
}
