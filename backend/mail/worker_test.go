package mail_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/mail"
	"roster/backend/sqlite"
)

// adminContext acts as the organisation's administrator, Ada Admin.
func adminContext() context.Context {
	return backend.NewContextWithActor(context.Background(), backend.Actor{Name: "Ada Admin"})
}

// setupOrganisation names the organisation "Example Ltd" with Ada Admin, at
// a unique address, as its administrator, and returns her.
func setupOrganisation(tb testing.TB, db *sqlite.DB) *backend.User {
	tb.Helper()
	_, admin, err := sqlite.NewOrganisationService(db).SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: uniqueAddress("ada"),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return admin
}

// enqueue invites the addresses as Administrators, in one bulk as an import
// does, and returns their queued emails.
func enqueue(tb testing.TB, db *sqlite.DB, to ...string) []*backend.OutboxEntry {
	tb.Helper()
	params := make([]backend.InviteParams, len(to))
	for i, addr := range to {
		params[i] = backend.InviteParams{Email: addr, Role: "Administrator"}
	}
	invitations := sqlite.NewInvitationService(db)
	if _, err := invitations.InviteUsers(adminContext(), params, func(int, int) {}); err != nil {
		tb.Fatal(err)
	}
	// InviteUsers reports a count only, so the emails are found by address.
	stored, _, err := invitations.FindInvitations(adminContext(), backend.InvitationFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	byEmail := make(map[string]*backend.Invitation, len(stored))
	for _, inv := range stored {
		byEmail[strings.ToLower(inv.Email)] = inv
	}
	entries := make([]*backend.OutboxEntry, len(to))
	for i, addr := range to {
		inv := byEmail[strings.ToLower(addr)]
		if inv == nil {
			tb.Fatalf("no invitation stored for %s", addr)
		}
		entries[i] = &backend.OutboxEntry{ID: inv.OutboxID, Kind: backend.MailInvitation, To: inv.Email, InvitationID: inv.ID}
	}
	return entries
}

// linkToken returns the token of the link to base+"/invite/" or "/reset/" in
// a message's text, or fails the test.
func linkToken(tb testing.TB, text, path string) string {
	tb.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta("https://chat.example.com"+path) + `([A-Za-z0-9_-]{43})\b`).FindStringSubmatch(text)
	if m == nil {
		tb.Fatalf("no %s link in:\n%s", path, text)
	}
	return m[1]
}

// fixedKeys is one outbox key that a test hands to its child processes.
type fixedKeys struct{ key *backend.DataKey }

func (k fixedKeys) SealingKey() *backend.DataKey { return k.key }

func (k fixedKeys) OpeningKey(id string) (*backend.DataKey, error) {
	if id != k.key.ID {
		return nil, backend.Errorf(backend.ENOTFOUND, "no such key")
	}
	return k.key, nil
}

// fastWorker returns a worker that retries within a second, not minutes.
func fastWorker(tb testing.TB, outbox *sqlite.OutboxService, src mail.ConfigSource) *mail.Worker {
	w := mail.NewWorker(outbox, src, testLog(tb))
	w.Backoff, w.MaxBackoff, w.IdlePoll = 100*time.Millisecond, 500*time.Millisecond, 500*time.Millisecond
	w.MaxAttempts = 1000 // attempts come fast here; TestWorker_Replies checks the limit
	return w
}

// runWorker runs w until the returned stop is called (or the test ends).
func runWorker(tb testing.TB, w *mail.Worker) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	tb.Cleanup(stop)
	return stop
}

// waitStats waits until the outbox's counts satisfy ok.
func waitStats(tb testing.TB, outbox *sqlite.OutboxService, what string, ok func(*backend.OutboxStats) bool) *backend.OutboxStats {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err := outbox.FindOutboxStats(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			tb.Fatalf("waiting for %s: outbox is %+v", what, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// countByRecipient counts mailpit's messages per recipient.
func countByRecipient(tb testing.TB, m *mailpit) map[string]int {
	counts := map[string]int{}
	for _, msg := range m.all(tb) {
		for _, to := range msg.To {
			counts[to.Address]++
		}
	}
	return counts
}

func TestWorker_DeliversInvitationAndReset(t *testing.T) {
	m := sharedMailpit(t)
	db := openDB(t)
	ctx := context.Background()
	svc := newService(t, db, settingsFor(m, backend.SecurityNone), "any-password")
	outbox := sqlite.NewOutboxService(db)
	admin := setupOrganisation(t, db)
	invitee, member := uniqueAddress("invitee"), admin.Email
	inv := enqueue(t, db, invitee)[0]
	r, err := sqlite.NewPasswordResetService(db).SendPasswordReset(adminContext(), admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	reset := &backend.OutboxEntry{ID: r.OutboxID, Kind: backend.MailPasswordReset, To: member}

	var mu sync.Mutex
	var progress []mail.Progress
	w := fastWorker(t, outbox, svc)
	w.Progress = func(p mail.Progress) { mu.Lock(); progress = append(progress, p); mu.Unlock() }
	stop := runWorker(t, w)
	waitStats(t, outbox, "both sent", func(s *backend.OutboxStats) bool { return s.Sent == 2 })
	stop()

	for _, tt := range []struct {
		entry                   *backend.OutboxEntry
		to, subject, path, text string
	}{
		{inv, invitee, "Ada Admin invited you to join Example Ltd", "/invite/", "as Administrator"},
		{reset, member, "Reset your password for Example Ltd", "/reset/", "Hello Ada Admin"},
	} {
		found := m.waitFor(t, `to:"`+tt.to+`"`, 1)
		if len(found) != 1 {
			t.Fatalf("%d messages to %s, want 1", len(found), tt.to)
		}
		msg := m.message(t, found[0].ID)
		if len(msg.To) != 1 || msg.To[0].Address != tt.to {
			t.Errorf("To = %+v, want %s", msg.To, tt.to)
		}
		if msg.From.Address != "noreply@example.com" || msg.From.Name != "Jörg Müller, Example Ltd" {
			t.Errorf("From = %+v", msg.From)
		}
		if msg.Subject != tt.subject {
			t.Errorf("Subject = %q, want %q", msg.Subject, tt.subject)
		}
		link := "https://chat.example.com" + tt.path + linkToken(t, msg.Text, tt.path)
		if !strings.Contains(msg.Text, tt.text) {
			t.Errorf("text body lacks %q:\n%s", tt.text, msg.Text)
		}
		if !strings.Contains(msg.HTML, `href="`+link+`"`) {
			t.Errorf("HTML body lacks the link %q:\n%s", link, msg.HTML)
		}
		// The entry's own Message-ID, in the sender's domain.
		if !regexp.MustCompile(fmt.Sprintf(`^roster\.%d\.[0-9A-V]{24}@example\.com$`, tt.entry.ID)).MatchString(msg.MessageID) {
			t.Errorf("Message-ID = %q", msg.MessageID)
		}
	}
	for _, e := range []*backend.OutboxEntry{inv, reset} {
		got, err := outbox.FindOutboxEntryByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != backend.DeliverySent || got.Data != nil || got.SentAt == nil || got.Attempts != 1 {
			t.Errorf("entry after sending = %+v", got)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(progress) == 0 || !progress[len(progress)-1].Done || progress[len(progress)-1].Sent != 2 {
		t.Fatalf("progress = %+v, want a final Done with 2 sent", progress)
	}
}

func TestWorker_ServerDownThenUp(t *testing.T) {
	mailpitBin(t)
	port := freePort(t) // nothing listens here yet
	db := openDB(t)
	outbox := sqlite.NewOutboxService(db)
	down := &mailpit{Host: "127.0.0.1", Port: port}
	svc := newService(t, db, settingsFor(down, backend.SecurityNone), "")

	var to []string
	for i := range 20 {
		to = append(to, uniqueAddress(fmt.Sprintf("down%d", i)))
	}
	entries := enqueue(t, db, to...)
	stop := runWorker(t, fastWorker(t, outbox, svc))

	// While the server is down, entries stay queued and say why.
	waitStats(t, outbox, "a failed attempt", func(*backend.OutboxStats) bool {
		e, _ := outbox.FindOutboxEntryByID(context.Background(), entries[0].ID)
		return e.Attempts > 0
	})
	st, _ := outbox.FindOutboxStats(context.Background())
	if st.Sent != 0 || st.Failed != 0 || st.Queued+st.Sending != 20 {
		t.Fatalf("while down: %+v, want all 20 waiting", st)
	}
	e, _ := outbox.FindOutboxEntryByID(context.Background(), entries[0].ID)
	if !strings.Contains(e.LastError, "connection refused") {
		t.Fatalf("last error while down = %q", e.LastError)
	}

	up := startMailpit(t, port)
	waitStats(t, outbox, "all sent", func(s *backend.OutboxStats) bool { return s.Sent == 20 })
	stop()
	counts := countByRecipient(t, up)
	for _, addr := range to {
		if counts[addr] != 1 {
			t.Errorf("%s got %d messages, want 1", addr, counts[addr])
		}
	}
}

func TestWorker_Replies(t *testing.T) {
	m := startMailpit(t, 0, "--smtp-allowed-recipients", "^ok-", "--enable-chaos")
	db := openDB(t)
	ctx := context.Background()
	outbox := sqlite.NewOutboxService(db)
	svc := newService(t, db, settingsFor(m, backend.SecurityNone), "")
	ok, bad := uniqueAddress("ok-greylisted"), uniqueAddress("bad")

	t.Run("5xxFailsForGood", func(t *testing.T) {
		e := enqueue(t, db, bad)[0]
		stop := runWorker(t, fastWorker(t, outbox, svc))
		waitStats(t, outbox, "failed", func(s *backend.OutboxStats) bool { return s.Failed == 1 })
		stop()
		got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
		if got.State != backend.DeliveryFailed || !strings.Contains(got.LastError, "550 5.1.0 Requested action not taken") || got.Data == nil {
			t.Fatalf("entry = %+v", got)
		}
	})

	t.Run("4xxRetries", func(t *testing.T) {
		m.setChaos(t, 451)
		e := enqueue(t, db, ok)[0]
		w := fastWorker(t, outbox, svc)
		stop := runWorker(t, w)
		waitStats(t, outbox, "a 451", func(*backend.OutboxStats) bool {
			got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
			return got.Attempts >= 2
		})
		got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
		if got.State == backend.DeliveryFailed || got.State == backend.DeliverySent || !strings.Contains(got.LastError, "451 Chaos recipient error") {
			t.Fatalf("entry after 451 replies = %+v", got)
		}
		m.setChaos(t, 0)
		w.Notify()
		waitStats(t, outbox, "sent", func(s *backend.OutboxStats) bool { return s.Sent == 1 })
		stop()
		if n := len(m.search(t, `to:"`+ok+`"`)); n != 1 {
			t.Fatalf("%d messages to %s, want 1", n, ok)
		}
	})

	t.Run("GivesUpAfterMaxAttempts", func(t *testing.T) {
		m.setChaos(t, 451)
		defer m.setChaos(t, 0)
		e := enqueue(t, db, uniqueAddress("ok-never"))[0]
		w := fastWorker(t, outbox, svc)
		w.MaxAttempts = 2
		stop := runWorker(t, w)
		waitStats(t, outbox, "failed", func(s *backend.OutboxStats) bool { return s.Failed == 2 })
		stop()
		got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
		if got.State != backend.DeliveryFailed || got.Attempts != 2 || !strings.HasPrefix(got.LastError, "Gave up after 2 attempts.") {
			t.Fatalf("entry = %+v", got)
		}
	})
}

func TestWorker_NotSetUp(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	outbox := sqlite.NewOutboxService(db)
	store := sqlite.NewEmailSettingStore(db)
	svc := mail.NewService(store, nil, nil, testLog(t)) // no keyring: it is not needed to find out
	e := enqueue(t, db, uniqueAddress("waiting"))[0]
	stop := runWorker(t, fastWorker(t, outbox, svc))
	waitStats(t, outbox, "a note", func(*backend.OutboxStats) bool {
		got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
		return got.LastError != ""
	})
	stop()
	got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
	if got.State != backend.DeliveryQueued || got.Attempts != 0 || got.LastError != "Email is not set up." {
		t.Fatalf("entry = %+v", got)
	}
}

func TestWorker_NoPassword(t *testing.T) {
	m := sharedMailpit(t)
	k := testKeyring(t)
	db := openDB(t)
	ctx := context.Background()
	outbox := sqlite.NewOutboxService(db)
	svc := mail.NewService(sqlite.NewEmailSettingStore(db), k, nil, testLog(t))
	s := settingsFor(m, backend.SecurityNone)
	s.Username = "roster"
	if _, err := svc.UpdateEmailSettings(ctx, backend.EmailSettingsUpdate{Settings: s}); err != nil {
		t.Fatal(err)
	}
	to := uniqueAddress("nopassword")
	e := enqueue(t, db, to)[0]
	w := fastWorker(t, outbox, svc)
	stop := runWorker(t, w)
	waitStats(t, outbox, "a note", func(*backend.OutboxStats) bool {
		got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
		return got.LastError != ""
	})
	got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
	if got.State != backend.DeliveryQueued || got.Attempts != 0 || !strings.HasPrefix(got.LastError, "Email is not set up") {
		t.Fatalf("entry = %+v", got)
	}
	// Saving the password (to the real keyring) lets it go.
	if _, err := svc.UpdateEmailSettings(ctx, backend.EmailSettingsUpdate{Settings: s, Password: "now-set"}); err != nil {
		t.Fatal(err)
	}
	w.Notify()
	waitStats(t, outbox, "sent", func(s *backend.OutboxStats) bool { return s.Sent == 1 })
	stop()
	m.waitFor(t, `to:"`+to+`"`, 1)
}

func TestWorker_RateLimit(t *testing.T) {
	m := sharedMailpit(t)
	db := openDB(t)
	outbox := sqlite.NewOutboxService(db)
	s := settingsFor(m, backend.SecurityNone)
	s.RateLimit = 1 // one a minute: the second message is due only after a minute
	svc := newService(t, db, s, "")
	enqueue(t, db, uniqueAddress("rate1"), uniqueAddress("rate2"))
	stop := runWorker(t, fastWorker(t, outbox, svc))
	waitStats(t, outbox, "one sent", func(s *backend.OutboxStats) bool { return s.Sent == 1 })
	time.Sleep(time.Second) // a bug would send the second one at once
	st, _ := outbox.FindOutboxStats(context.Background())
	stop()
	if st.Sent != 1 || st.Queued != 1 {
		t.Fatalf("outbox = %+v, want 1 sent and 1 waiting for the rate limit", st)
	}
}

// TestWorker_StoppedMidBatch stops the worker (cancels its context) in the
// middle of a bulk send, restarts it as Roster does at start, and checks
// that every email went out exactly once.
func TestWorker_StoppedMidBatch(t *testing.T) {
	m := startMailpit(t, 0)
	db := openDB(t)
	ctx := context.Background()
	outbox := sqlite.NewOutboxService(db)
	svc := newService(t, db, settingsFor(m, backend.SecurityNone), "")
	var to []string
	for i := range 300 {
		to = append(to, fmt.Sprintf("stopped%d-%d@example.com", i, time.Now().UnixNano()))
	}
	enqueue(t, db, to...)

	runCtx, cancel := context.WithCancel(ctx)
	w := fastWorker(t, outbox, svc)
	w.Progress = func(p mail.Progress) {
		if p.Sent >= 100 {
			cancel()
		}
	}
	w.Run(runCtx) // returns once cancelled and the messages in flight are marked
	st, _ := outbox.FindOutboxStats(ctx)
	t.Logf("stopped with %+v", st)
	if st.Sent < 100 || st.Sent == 300 {
		t.Fatalf("stopped at %+v, want it stopped mid-batch", st)
	}

	if _, err := outbox.RecoverOutbox(ctx); err != nil {
		t.Fatal(err)
	}
	stop := runWorker(t, fastWorker(t, outbox, svc))
	waitStats(t, outbox, "all sent", func(s *backend.OutboxStats) bool { return s.Sent == 300 })
	stop()
	counts := countByRecipient(t, m)
	for _, addr := range to {
		if counts[addr] != 1 {
			t.Errorf("%s got %d messages, want exactly 1", addr, counts[addr])
		}
	}
}

// TestWorker_ProcessKilled kills a process that runs the worker (SIGKILL,
// no chance to finish anything) six times during a bulk send. After the
// restarts nothing is lost, nothing that was marked sent goes out again, and
// only the messages in flight at a kill arrive twice: each message is marked
// sent as soon as the server accepted it, so that is at most one per open
// connection. A copy sent again has the same Message-ID.
func TestWorker_ProcessKilled(t *testing.T) {
	m := startMailpit(t, 0)
	db := openDB(t)
	// The children open the data the parent sealed: they share its key, as
	// Roster's runs share the keyring's.
	secret := make([]byte, 32)
	rand.Read(secret)
	db.Keys = fixedKeys{backend.NewDataKey(secret, false)}
	ctx := context.Background()
	outbox := sqlite.NewOutboxService(db)
	newService(t, db, settingsFor(m, backend.SecurityNone), "")
	// The children run the same worker as this one, which finishes the send.
	w := fastWorker(t, outbox, mail.NewService(sqlite.NewEmailSettingStore(db), nil, nil, testLog(t)))
	const total = 700
	var to []string
	for i := range total {
		to = append(to, fmt.Sprintf("killed%d-%d@example.com", i, time.Now().UnixNano()))
	}
	entries := enqueue(t, db, to...)

	// sending[k] holds the recipients of the entries left "sending" by kill
	// k; started[k] is when child k started (and then the last run).
	var sending []map[string]bool
	var started []time.Time
	recovered := 0
	for kill, atLeast := range []int{100, 180, 260, 340, 420, 500} {
		child := exec.Command(os.Args[0], "-test.run=^TestWorkerChild$", "-test.v")
		child.Env = append(os.Environ(), "ROSTER_TEST_WORKER_CHILD="+db.Path(), "ROSTER_TEST_WORKER_KEY="+hex.EncodeToString(secret))
		out := &strings.Builder{}
		child.Stdout, child.Stderr = out, out
		started = append(started, time.Now())
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		waitStats(t, outbox, "the child to send some", func(s *backend.OutboxStats) bool { return s.Sent >= atLeast })
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		st, _ := outbox.FindOutboxStats(ctx)
		t.Logf("kill %d with %+v", kill+1, st)
		if st.Sent == total {
			t.Fatalf("the child finished before it was killed:\n%s", out)
		}
		left := map[string]bool{}
		for _, e := range entries {
			got, err := outbox.FindOutboxEntryByID(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State == backend.DeliverySending {
				left[got.To] = true
			}
		}
		sending = append(sending, left)
		n, err := outbox.RecoverOutbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		recovered += n
	}

	started = append(started, time.Now())
	stop := runWorker(t, w)
	waitStats(t, outbox, "all sent", func(s *backend.OutboxStats) bool { return s.Sent == total })
	stop()

	byRecipient := map[string][]summary{}
	for _, msg := range m.all(t) {
		for _, rcpt := range msg.To {
			byRecipient[rcpt.Address] = append(byRecipient[rcpt.Address], msg)
		}
	}
	twice := 0
	for _, addr := range to {
		got := byRecipient[addr]
		switch {
		case len(got) == 0:
			t.Errorf("%s got no message", addr)
		case len(got) > 2:
			t.Errorf("%s got %d messages", addr, len(got))
		case len(got) == 2:
			twice++
			if got[0].MessageID == "" || got[0].MessageID != got[1].MessageID {
				t.Errorf("%s got two copies with Message-IDs %q and %q, want the same", addr, got[0].MessageID, got[1].MessageID)
			}
		}
	}
	// A message the server took during run k for an entry still "sending"
	// at kill k was in flight then: it is sent again after the restart.
	inFlight := 0
	for k, left := range sending {
		n := 0
		for addr := range left {
			for _, msg := range byRecipient[addr] {
				if !msg.Created.Before(started[k]) && msg.Created.Before(started[k+1]) {
					n++
				}
			}
		}
		t.Logf("kill %d: %d messages in flight", k+1, n)
		if n > w.Connections {
			t.Errorf("kill %d: the server had taken %d messages not yet marked sent, more than one per connection (%d)", k+1, n, w.Connections)
		}
		inFlight += n
	}
	t.Logf("recovered %d entries left sending; %d messages arrived twice", recovered, twice)
	if twice != inFlight {
		t.Errorf("%d messages arrived twice, want the %d in flight at the kills", twice, inFlight)
	}
}

// TestWorkerChild is the worker process TestWorker_ProcessKilled kills.
func TestWorkerChild(t *testing.T) {
	path := os.Getenv("ROSTER_TEST_WORKER_CHILD")
	if path == "" {
		t.Skip("runs only as TestWorker_ProcessKilled's child process")
	}
	db := sqlite.NewDB(path)
	secret, err := hex.DecodeString(os.Getenv("ROSTER_TEST_WORKER_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	db.Keys = fixedKeys{backend.NewDataKey(secret, false)}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	outbox := sqlite.NewOutboxService(db)
	svc := mail.NewService(sqlite.NewEmailSettingStore(db), nil, nil, testLog(t))
	fastWorker(t, outbox, svc).Run(context.Background()) // until killed
}
