// Package syncer runs a desktop's side of sync: it pushes the operations
// recorded with each local change to the directory server, in order and in
// batches, and pulls the server's changes since its cursor, replaying the
// operations still pending on top of them (see backend/sync.go).
package syncer

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/sqlstore"
)

// Replica is the desktop's database as sync needs it. Each method that
// takes a transaction runs inside it; Begin starts one.
type Replica interface {
	Begin(ctx context.Context) (sqlstore.Tx, error)
	// PendingOps returns up to limit of the operations not yet
	// acknowledged, oldest first.
	PendingOps(ctx context.Context, limit int) ([]backend.Op, error)
	// CountPendingOps counts them.
	CountPendingOps(ctx context.Context) (int, error)
	// AckOps forgets the operations up to seq (the server applied or
	// refused them) and queues the email each one held.
	AckOps(ctx context.Context, tx sqlstore.Tx, upto int64) error
	// RecordConflicts keeps the server's refusals for the Conflicts screen
	// and forgets the refused operations with the email each one held
	// (their effects undone first).
	RecordConflicts(ctx context.Context, tx sqlstore.Tx, conflicts []*backend.Conflict) error
	// UndoPending takes the pending operations' effects out of the local
	// rows, newest first; ReplayPending applies them again, oldest first.
	UndoPending(ctx context.Context, tx sqlstore.Tx) error
	ReplayPending(ctx context.Context, tx sqlstore.Tx) error
	// ApplyChanges writes the server's rows and tombstones.
	ApplyChanges(ctx context.Context, tx sqlstore.Tx, changes []backend.Change) error
	// SyncCursor is where the next pull starts; SetSyncCursor moves it.
	SyncCursor(ctx context.Context) (int64, error)
	SetSyncCursor(ctx context.Context, tx sqlstore.Tx, cursor int64) error
}

// Tuning of an Engine.
const (
	DefaultPushBatch  = 500
	DefaultPullPage   = 2000
	DefaultDebounce   = 500 * time.Millisecond
	DefaultInterval   = time.Minute
	DefaultBackoff    = 2 * time.Second
	DefaultMaxBackoff = time.Minute
)

// Status is where sync stands, for the window.
type Status struct {
	// Running says a sync is under way.
	Running bool
	// Pending counts the local operations the server has not acknowledged.
	Pending int
	// LastSyncAt is when a sync last completed; LastError why the last
	// attempt failed (nil after a success).
	LastSyncAt *time.Time
	LastError  error
	// Conflicts counts the refusals the last sync brought.
	Conflicts int
}

// Engine syncs one desktop database with one directory server.
type Engine struct {
	Replica Replica
	// Transport returns the server to sync with, or nil when none is
	// configured (the engine then does nothing).
	Transport func(ctx context.Context) (backend.SyncTransport, string, error)
	Log       *logrus.Logger
	// Acting, if set, returns ctx with the administrator acting on this
	// desktop (backend.NewContextWithActor), as whom pending operations
	// are replayed; otherwise ctx must carry them.
	Acting func(ctx context.Context) context.Context
	// OnStatus, if set, is called after every change of the status.
	OnStatus func(Status)
	// OnMail, if set, is called after a sync acknowledged operations,
	// which may have released email into the outbox.
	OnMail func()

	PushBatch, PullPage int
	Debounce, Interval  time.Duration
	Backoff, MaxBackoff time.Duration

	initOnce  sync.Once
	wake, now chan struct{}
	runMu     sync.Mutex // one sync at a time
	waitersMu sync.Mutex
	waiters   []chan error // SyncNow calls waiting for the next sync's outcome

	mu       sync.Mutex
	status   Status
	failures int // failed syncs in a row
}

func (e *Engine) init() {
	e.initOnce.Do(func() {
		e.wake = make(chan struct{}, 1)
		e.now = make(chan struct{}, 1)
		if e.PushBatch <= 0 {
			e.PushBatch = DefaultPushBatch
		}
		if e.PullPage <= 0 {
			e.PullPage = DefaultPullPage
		}
		if e.Debounce <= 0 {
			e.Debounce = DefaultDebounce
		}
		if e.Interval <= 0 {
			e.Interval = DefaultInterval
		}
		if e.Backoff <= 0 {
			e.Backoff = DefaultBackoff
		}
		if e.MaxBackoff <= 0 {
			e.MaxBackoff = DefaultMaxBackoff
		}
		if e.Log == nil {
			e.Log = logrus.New()
		}
	})
}

// Notify says a local change was made: the engine syncs after a short
// quiet time, so a burst of changes goes in one push. It never blocks.
func (e *Engine) Notify() {
	e.init()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Status returns where sync stands.
func (e *Engine) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status
}

// SyncNow asks the running engine to sync at once and waits for the
// outcome of a sync that started after the call, or for ctx.
func (e *Engine) SyncNow(ctx context.Context) error {
	e.init()
	done := make(chan error, 1)
	e.waitersMu.Lock()
	e.waiters = append(e.waiters, done)
	e.waitersMu.Unlock()
	select {
	case e.now <- struct{}{}:
	default:
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run syncs at start, after local changes (debounced), every Interval, at
// once on SyncNow, and after a failure with a backoff that doubles up to
// MaxBackoff (so it catches up soon after the network comes back), until
// ctx ends.
func (e *Engine) Run(ctx context.Context) {
	e.init()
	timer := time.NewTimer(0)
	defer timer.Stop()
	var debounce <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			e.finishWaiters(ctx.Err())
			return
		case <-e.wake:
			if debounce == nil {
				debounce = time.After(e.Debounce)
			}
			continue
		case <-debounce:
			debounce = nil
		case <-timer.C:
		case <-e.now:
		}
		// The SyncNow calls made before this sync starts hear its outcome;
		// those made while it runs wait for the next one.
		waiters := e.takeWaiters()
		err := e.SyncOnce(ctx)
		for _, w := range waiters {
			w <- err
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(e.next(err))
	}
}

// next is how long to wait after a sync that ended with err.
func (e *Engine) next(err error) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err == nil || errors.Is(err, context.Canceled) {
		e.failures = 0
		return e.Interval
	}
	e.failures++
	d := e.Backoff
	for i := 1; i < e.failures && d < e.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, e.MaxBackoff, e.Interval)
}

func (e *Engine) finishWaiters(err error) {
	for _, w := range e.takeWaiters() {
		w <- err
	}
}

// takeWaiters returns the SyncNow calls waiting and forgets them.
func (e *Engine) takeWaiters() []chan error {
	e.waitersMu.Lock()
	defer e.waitersMu.Unlock()
	waiters := e.waiters
	e.waiters = nil
	return waiters
}

func (e *Engine) setStatus(change func(*Status)) {
	e.mu.Lock()
	change(&e.status)
	st := e.status
	e.mu.Unlock()
	if e.OnStatus != nil {
		e.OnStatus(st)
	}
}

// SyncOnce pushes every pending operation, then pulls until the server has
// nothing more. Without a server configured it does nothing. ctx carries
// the acting administrator (backend.NewContextWithActor), as whom
// operations are replayed.
func (e *Engine) SyncOnce(ctx context.Context) error {
	e.init()
	e.runMu.Lock()
	defer e.runMu.Unlock()
	if e.Acting != nil {
		ctx = e.Acting(ctx)
	}
	transport, client, err := e.Transport(ctx)
	if err != nil {
		e.setStatus(func(s *Status) { s.LastError = err })
		return err
	}
	if transport == nil {
		return nil
	}
	e.setStatus(func(s *Status) { s.Running = true })
	conflicts, err := e.sync(ctx, transport, client)
	pending, countErr := e.Replica.CountPendingOps(ctx)
	if err == nil {
		err = countErr
	}
	e.setStatus(func(s *Status) {
		s.Running = false
		s.Pending = pending
		s.Conflicts = conflicts
		s.LastError = err
		if err == nil {
			now := time.Now()
			s.LastSyncAt = &now
		}
	})
	if err != nil {
		e.Log.WithError(err).Warn("sync failed")
	}
	return err
}

func (e *Engine) sync(ctx context.Context, transport backend.SyncTransport, client string) (conflicts int, err error) {
	acked := false
	defer func() {
		if acked && e.OnMail != nil {
			e.OnMail()
		}
	}()
	for {
		ops, err := e.Replica.PendingOps(ctx, e.PushBatch)
		if err != nil || len(ops) == 0 {
			if err != nil {
				return conflicts, err
			}
			break
		}
		res, err := transport.Push(ctx, &backend.PushRequest{Client: client, Ops: ops})
		if err != nil {
			return conflicts, err
		}
		err = e.settlePush(ctx, res)
		acked = acked || res.Applied > 0
		conflicts += len(res.Conflicts)
		if err != nil {
			return conflicts, err
		}
		if res.Applied < ops[len(ops)-1].Seq {
			break // the server stopped the batch; what is left waits for the next sync
		}
	}
	cursor, err := e.Replica.SyncCursor(ctx)
	if err != nil {
		return conflicts, err
	}
	for {
		page, err := transport.Pull(ctx, client, cursor, e.PullPage)
		if err != nil {
			return conflicts, err
		}
		err = e.applyPage(ctx, page)
		acked = acked || (!page.More && page.Applied > 0)
		if err != nil {
			return conflicts, err
		}
		cursor = page.Cursor
		if !page.More {
			return conflicts, nil
		}
	}
}

// settlePush records a push's refusals, taking their effects out of the
// replica, and forgets what it acknowledged, in one transaction.
func (e *Engine) settlePush(ctx context.Context, res *backend.PushResult) error {
	tx, err := e.Replica.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if len(res.Conflicts) > 0 {
		// The refused operations' effects go: every pending operation is
		// taken back, the refused ones forgotten, the others replayed.
		if err := e.Replica.UndoPending(ctx, tx); err != nil {
			return err
		}
		if err := e.Replica.RecordConflicts(ctx, tx, res.Conflicts); err != nil {
			return err
		}
		if err := e.Replica.ReplayPending(ctx, tx); err != nil {
			return err
		}
	}
	if err := e.Replica.AckOps(ctx, tx, res.Applied); err != nil {
		return err
	}
	return tx.Commit()
}

// applyPage applies one page of the server's changes under the pending
// operations, in one transaction: undo them, apply the server's rows,
// forget those the server applied, replay the rest, move the cursor. The
// operations the server applied are forgotten at the last page only: the
// rows they wrote may come in any page, and until then their replay keeps
// them in the replica.
func (e *Engine) applyPage(ctx context.Context, page *backend.PullResult) error {
	tx, err := e.Replica.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := e.Replica.UndoPending(ctx, tx); err != nil {
		return err
	}
	if err := e.Replica.ApplyChanges(ctx, tx, page.Changes); err != nil {
		return err
	}
	if !page.More {
		if err := e.Replica.AckOps(ctx, tx, page.Applied); err != nil {
			return err
		}
	}
	if err := e.Replica.ReplayPending(ctx, tx); err != nil {
		return err
	}
	if err := e.Replica.SetSyncCursor(ctx, tx, page.Cursor); err != nil {
		return err
	}
	return tx.Commit()
}
