package mail

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
)

// Queue is the outbox as the worker uses it.
type Queue interface {
	backend.OutboxService
	// NoteOutboxWaiting records on the queued entries why they are not
	// being sent, without counting an attempt.
	NoteOutboxWaiting(ctx context.Context, reason string) error
	// CompactOutbox empties the database's write-ahead log, so it keeps no
	// older page versions with the data of emails sent since.
	CompactOutbox(ctx context.Context) error
}

// ConfigSource gives the current settings and password. Its error (email
// not set up, no password, keyring locked) is what queued entries show
// while they wait.
type ConfigSource interface {
	SendConfig(ctx context.Context) (*Config, error)
}

// Progress is how far a run of the worker has come: one run starts when
// due entries appear and ends (Done) when none are left.
type Progress struct {
	Sent   int // delivered in this run
	Failed int // given up in this run
	Queued int // still waiting or being sent, due or not
	Done   bool
}

// Worker defaults.
const (
	DefaultConnections = 4
	DefaultMaxAttempts = 12
	DefaultBackoff     = 30 * time.Second
	DefaultMaxBackoff  = time.Hour
	DefaultIdlePoll    = time.Minute
)

// Worker sends the outbox's emails: it claims due entries, renders them
// with the current settings, sends them over a few SMTP connections within
// the rate limit, and marks each sent, queued again with exponential backoff
// (connection problems and 4xx replies), or failed (5xx replies, or too many
// attempts). Entries marked sent are never claimed again. Run it once per
// process, after RecoverOutbox.
type Worker struct {
	Queue  Queue
	Source ConfigSource
	Log    *logrus.Logger
	// Progress, if set, receives the counts after every message and a final
	// Done call per run; it should throttle.
	Progress func(Progress)
	// Location is the time zone of the dates in the emails (default Local).
	Location *time.Location

	Connections int           // SMTP connections at once
	BatchSize   int           // entries claimed at once (default 4 per connection)
	MaxAttempts int           // attempts before an entry fails for good
	Backoff     time.Duration // the first retry's delay; it doubles with each attempt
	MaxBackoff  time.Duration
	IdlePoll    time.Duration // how often to look when nothing is due

	wake    chan struct{}
	limiter bucket
	// writeMu lets one of the worker's goroutines write to the outbox at a
	// time: they queue here and wake at once, instead of in SQLite's busy
	// handler, which sleeps a millisecond or more per retry.
	writeMu sync.Mutex

	mu          sync.Mutex
	pausedUntil time.Time
	failures    int    // transport failures in a row
	waiting     string // why entries wait, as last noted
}

// NewWorker returns a worker with the default tuning.
func NewWorker(queue Queue, source ConfigSource, log *logrus.Logger) *Worker {
	return &Worker{
		Queue: queue, Source: source, Log: log,
		Connections: DefaultConnections, MaxAttempts: DefaultMaxAttempts,
		Backoff: DefaultBackoff, MaxBackoff: DefaultMaxBackoff, IdlePoll: DefaultIdlePoll,
		wake: make(chan struct{}, 1),
	}
}

// Notify wakes the worker: new entries were queued, one was retried, or the
// settings changed (Service then made the entries that failed to connect due
// at once). A pause after a connection failure ends, so the worker tries at
// once. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run works through the queue until ctx ends. Messages being sent when ctx
// ends are finished (each step has a deadline) and marked; entries claimed
// but not started stay "sending" until RecoverOutbox at the next start.
func (w *Worker) Run(ctx context.Context) {
	if w.wake == nil {
		w.wake = make(chan struct{}, 1)
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-w.wake:
			w.mu.Lock()
			w.pausedUntil = time.Time{}
			w.mu.Unlock()
		}
		timer.Reset(w.cycle(ctx))
	}
}

// cycle sends what is due and returns how long to wait before looking again.
func (w *Worker) cycle(ctx context.Context) time.Duration {
	w.mu.Lock()
	paused := time.Until(w.pausedUntil)
	w.mu.Unlock()
	if paused > 0 {
		return paused
	}
	idle := w.IdlePoll
	if idle <= 0 {
		idle = DefaultIdlePoll
	}
	cfg, err := w.Source.SendConfig(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return idle
		}
		w.noteWaiting(ctx, err)
		return idle
	}
	w.noteWaiting(ctx, nil)
	w.limiter.setRate(cfg.Settings.RateLimit)

	b := &burst{w: w, cfg: cfg, now: time.Now}
	perr := b.run(ctx)
	if b.claimErr != nil {
		// The keyring that holds the outbox's key is locked: wait, as for
		// the password.
		w.noteWaiting(ctx, b.claimErr)
		return idle
	}
	if perr != nil {
		w.mu.Lock()
		pause := w.backoff(w.failures)
		w.failures++
		w.pausedUntil = time.Now().Add(pause)
		w.mu.Unlock()
		w.Log.WithFields(logrus.Fields{"category": perr.Category, "stage": perr.Stage, "smtpCode": perr.Code, "retryIn": pause.Round(time.Second).String()}).
			Warn("mail: cannot reach the SMTP server; pausing: " + perr.Error())
		return pause
	} else if b.claimed {
		w.mu.Lock()
		w.failures = 0
		w.mu.Unlock()
	}
	if ctx.Err() != nil {
		return idle
	}
	stats, err := w.Queue.FindOutboxStats(ctx)
	if err != nil {
		if ctx.Err() == nil {
			w.Log.WithError(err).Error("mail: cannot read the outbox")
		}
		return idle
	}
	if stats.NextAttemptAt != nil {
		if d := time.Until(*stats.NextAttemptAt); d < idle {
			return max(d, 10*time.Millisecond)
		}
	}
	return idle
}

// noteWaiting records on the queued entries why they wait (err), also on
// entries queued since the last look; it logs only when the reason changes.
func (w *Worker) noteWaiting(ctx context.Context, err error) {
	reason := ""
	if err != nil {
		reason = backend.ErrorMessage(err)
	}
	w.mu.Lock()
	changed := reason != w.waiting
	w.waiting = reason
	w.mu.Unlock()
	if reason == "" {
		return
	}
	if changed {
		w.Log.WithField("code", backend.ErrorCode(err)).WithError(err).Warn("mail: not sending; entries stay queued")
	}
	if err := w.Queue.NoteOutboxWaiting(ctx, reason); err != nil && ctx.Err() == nil {
		w.Log.WithError(err).Error("mail: cannot note why the outbox waits")
	}
}

// backoff is the delay before retry number n+1: Backoff·2ⁿ, at most
// MaxBackoff, plus up to 10% so that many entries do not retry in lockstep.
func (w *Worker) backoff(n int) time.Duration {
	base, ceil := w.Backoff, w.MaxBackoff
	if base <= 0 {
		base = DefaultBackoff
	}
	if ceil <= 0 {
		ceil = DefaultMaxBackoff
	}
	d := base
	for i := 0; i < n && d < ceil; i++ {
		d *= 2
	}
	d = min(d, ceil)
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

// burst is one run: from the first due entry until none is due.
type burst struct {
	w   *Worker
	cfg *Config
	now func() time.Time

	refreshed time.Time // when queued was last read
	claimErr  error     // the keyring cannot open the claimed entries now

	mu      sync.Mutex
	claimed bool
	sent    int
	failed  int
	queued  int
	pause   *SendError
}

// run claims due entries within the rate limit and hands them to one sender
// per connection, until nothing is due, the server cannot be reached (the
// error is returned), or ctx ends.
func (b *burst) run(ctx context.Context) *SendError {
	w := b.w
	conns := max(w.Connections, 1)
	batch := w.BatchSize
	if batch <= 0 {
		batch = 4 * conns
	}
	// A batch waits in jobs while the senders work on the previous one, so
	// they never wait for a claim.
	jobs := make(chan *backend.OutboxEntry, batch)
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.sender(ctx, jobs)
		}()
	}
dispatch:
	for ctx.Err() == nil && b.paused() == nil {
		n, err := w.limiter.take(ctx, batch)
		if err != nil {
			break
		}
		w.writeMu.Lock()
		entries, err := w.Queue.ClaimOutboxEntries(ctx, n)
		w.writeMu.Unlock()
		w.limiter.refund(n - len(entries))
		if err != nil {
			if backend.ErrorCode(err) == backend.EUNAVAILABLE {
				b.claimErr = err
			} else if ctx.Err() == nil {
				w.Log.WithError(err).Error("mail: cannot claim outbox entries")
			}
			break
		}
		if len(entries) == 0 {
			break
		}
		if !b.claimed || time.Since(b.refreshed) > time.Second {
			b.refresh(ctx, !b.claimed)
		}
		for _, e := range entries {
			select {
			case jobs <- e:
			case <-ctx.Done():
				// Claimed but not started: RecoverOutbox queues it at the next start.
				break dispatch
			}
		}
	}
	close(jobs)
	wg.Wait()
	if b.claimed {
		ctx := context.WithoutCancel(ctx)
		if b.sent > 0 {
			w.writeMu.Lock()
			err := w.Queue.CompactOutbox(ctx)
			w.writeMu.Unlock()
			if err != nil {
				w.Log.WithError(err).Warn("mail: cannot compact the database's log")
			}
		}
		b.refresh(ctx, false)
		b.report(true)
	}
	return b.paused()
}

// refresh reads how many entries wait; the first call of a run reports.
func (b *burst) refresh(ctx context.Context, first bool) {
	b.refreshed = time.Now()
	b.mu.Lock()
	b.claimed = true
	b.mu.Unlock()
	b.w.writeMu.Lock() // no results recorded but not yet counted
	stats, err := b.w.Queue.FindOutboxStats(ctx)
	if err == nil {
		b.mu.Lock()
		b.queued = stats.Queued + stats.Sending
		b.mu.Unlock()
	}
	b.w.writeMu.Unlock()
	if err != nil {
		return
	}
	if first {
		b.report(false)
	}
}

func (b *burst) paused() *SendError {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pause
}

// report passes the counts to the Progress callback.
func (b *burst) report(done bool) {
	if b.w.Progress == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock() // keeps the reports in order
	b.w.Progress(Progress{Sent: b.sent, Failed: b.failed, Queued: max(b.queued, 0), Done: done})
}

// sender sends the entries it is handed over its own connection, opened on
// first use and closed (QUIT) when the run ends.
func (b *burst) sender(ctx context.Context, jobs <-chan *backend.OutboxEntry) {
	var sess *session
	defer func() {
		if sess != nil {
			sess.close()
		}
	}()
	for e := range jobs {
		if ctx.Err() != nil {
			continue // stopping: RecoverOutbox queues it at the next start
		}
		if p := b.paused(); p != nil {
			b.outcome(e, p) // not tried: the server cannot be reached
			continue
		}
		msg, err := b.w.compose(b.cfg, e, b.now())
		if err != nil {
			b.failForGood(e, "This email could not be written: "+err.Error())
			continue
		}
		sess, err = b.deliver(ctx, sess, msg)
		b.outcome(e, err)
	}
}

// deliver sends msg, connecting first if needed. A reused connection that
// fails before the server answered anything (an idle connection the server
// dropped) is replaced once: nothing was sent on it.
func (b *burst) deliver(ctx context.Context, sess *session, msg *message) (*session, error) {
	for try := 0; ; try++ {
		if sess == nil {
			s, err := dial(ctx, b.cfg)
			if err != nil {
				return nil, err
			}
			sess = s
		}
		reused := sess.messages > 0
		err := sess.send(msg)
		if err == nil {
			return sess, nil
		}
		if !sess.reset(err) {
			sess = nil
		}
		var se *SendError
		if try == 0 && reused && sess == nil && errors.As(err, &se) && se.Code == 0 && se.Stage == StageMail {
			continue
		}
		return sess, err
	}
}

// result is what became of one entry, to record.
type result struct {
	entry *backend.OutboxEntry
	state backend.DeliveryState // sent, queued (retry) or failed
	next  time.Time             // when a retry is due
	why   backend.DeliveryFailure
}

// outcome decides what becomes of an entry after an attempt and records it
// before the sender goes on: a message the server accepted is marked sent
// at once, so a crash can send again only the messages in flight, at most
// one per connection.
func (b *burst) outcome(e *backend.OutboxEntry, err error) {
	if err == nil {
		b.record(result{entry: e, state: backend.DeliverySent})
		return
	}
	var se *SendError
	if !errors.As(err, &se) {
		se = classify(err, StageData, b.cfg.Settings.Address(), b.cfg.Password)
	}
	if se.transport() {
		b.mu.Lock()
		if b.pause == nil {
			b.pause = se
		}
		b.mu.Unlock()
	}
	maxAttempts := b.w.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	log := b.w.Log.WithFields(logrus.Fields{"outbox": e.ID, "kind": e.Kind, "attempt": e.Attempts + 1,
		"category": se.Category, "stage": se.Stage, "smtpCode": se.Code})
	why := backend.DeliveryFailure{Message: se.Error()}
	if se.transport() {
		why.Category = se.Category // new settings or a trusted certificate may fix it
	}
	switch {
	case !se.Temporary():
		log.Warn("mail: refused for good: " + se.Error())
		b.record(result{entry: e, state: backend.DeliveryFailed, why: why})
	case e.Attempts+1 >= maxAttempts:
		log.Warn("mail: giving up: " + se.Error())
		why.Message = fmt.Sprintf("Gave up after %d attempts. %s", e.Attempts+1, se.Error())
		b.record(result{entry: e, state: backend.DeliveryFailed, why: why})
	default:
		next := b.now().Add(b.w.backoff(e.Attempts))
		log.WithField("retryAt", next.UTC().Format(time.RFC3339)).Info("mail: will retry: " + se.Error())
		b.record(result{entry: e, state: backend.DeliveryQueued, next: next, why: why})
	}
}

// failForGood gives up on an entry that cannot be sent at all.
func (b *burst) failForGood(e *backend.OutboxEntry, reason string) {
	b.w.Log.WithFields(logrus.Fields{"outbox": e.ID, "kind": e.Kind}).Warn("mail: cannot send: " + reason)
	b.record(result{entry: e, state: backend.DeliveryFailed, why: backend.DeliveryFailure{Message: reason}})
}

// record writes one result and counts it. A result is recorded even while
// shutting down.
func (b *burst) record(r result) {
	ctx := context.Background()
	var err error
	b.w.writeMu.Lock()
	switch r.state {
	case backend.DeliverySent:
		err = b.w.Queue.MarkOutboxSent(ctx, r.entry.ID)
	case backend.DeliveryQueued:
		err = b.w.Queue.MarkOutboxRetry(ctx, r.entry.ID, r.next, r.why)
	default:
		err = b.w.Queue.MarkOutboxFailed(ctx, r.entry.ID, r.why)
	}
	if err != nil {
		b.w.Log.WithError(err).WithFields(logrus.Fields{"outbox": r.entry.ID, "state": r.state}).Error("mail: cannot record the result")
	}
	// Counted before writeMu is released, so a refresh never sees it
	// recorded but not counted.
	b.mu.Lock()
	switch r.state {
	case backend.DeliverySent:
		b.sent++
		b.queued--
	case backend.DeliveryFailed:
		b.failed++
		b.queued--
	}
	b.mu.Unlock()
	b.w.writeMu.Unlock()
	b.report(false)
}

// errLinkExpired fails an entry whose link stopped working while it waited.
var errLinkExpired = errors.New("the link expired before the email could be sent; send a new one")

// compose renders an entry and composes its message.
func (w *Worker) compose(cfg *Config, e *backend.OutboxEntry, now time.Time) (m *message, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering failed: %v", r)
		}
	}()
	if raw := e.Data[backend.MailDataExpiresAt]; raw != "" {
		if exp, perr := time.Parse(time.RFC3339Nano, raw); perr == nil && !exp.After(now) {
			return nil, errLinkExpired
		}
	}
	settings := cfg.Settings
	settings.Language = entryLanguage(e.Data, &settings)
	d, err := entryData(e.Kind, e.Data, &settings, w.Location)
	if err != nil {
		return nil, err
	}
	r, err := parsedTemplates.render(string(e.Kind), settings.Language, d)
	if err != nil {
		return nil, err
	}
	return compose(&settings, e.To, r, e)
}
