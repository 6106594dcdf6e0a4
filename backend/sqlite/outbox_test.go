package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

// mustEnqueue queues an invitation email to each address.
func mustEnqueue(tb testing.TB, s *sqlite.OutboxService, to ...string) []*backend.OutboxEntry {
	tb.Helper()
	var entries []*backend.OutboxEntry
	for _, addr := range to {
		e := &backend.OutboxEntry{Kind: backend.MailInvitation, To: addr, Data: map[string]string{
			backend.MailDataToken: "token-" + addr, backend.MailDataRole: "User",
		}}
		if err := s.EnqueueOutboxEntry(context.Background(), e); err != nil {
			tb.Fatal(err)
		}
		entries = append(entries, e)
	}
	return entries
}

func mustFindEntry(tb testing.TB, s *sqlite.OutboxService, id int64) *backend.OutboxEntry {
	tb.Helper()
	e, err := s.FindOutboxEntryByID(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestOutboxService_Claim(t *testing.T) {
	ctx := context.Background()

	t.Run("OldestDueFirstAndOnlyOnce", func(t *testing.T) {
		db := MustOpenDB(t)
		now := fixedClock(db)
		s := sqlite.NewOutboxService(db)
		entries := mustEnqueue(t, s, "a@example.com", "b@example.com", "c@example.com")
		if entries[0].State != backend.DeliveryQueued || entries[0].ID == 0 {
			t.Fatalf("enqueued entry = %+v", entries[0])
		}
		got, err := s.ClaimOutboxEntries(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != entries[0].ID || got[1].ID != entries[1].ID {
			t.Fatalf("claimed %+v, want the first two", got)
		}
		if got[0].State != backend.DeliverySending || got[0].Data[backend.MailDataToken] != "token-a@example.com" || got[0].To != "a@example.com" {
			t.Fatalf("claimed entry = %+v", got[0])
		}
		rest, err := s.ClaimOutboxEntries(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest) != 1 || rest[0].ID != entries[2].ID {
			t.Fatalf("second claim = %+v, want only the third", rest)
		}
		none, err := s.ClaimOutboxEntries(ctx, 10)
		if err != nil || len(none) != 0 {
			t.Fatalf("third claim = %v, %v; want nothing", none, err)
		}
		st, err := s.FindOutboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Queued != 0 || st.Sending != 3 || st.NextAttemptAt != nil {
			t.Fatalf("stats = %+v", st)
		}
		_ = now
	})

	t.Run("NotBeforeDue", func(t *testing.T) {
		db := MustOpenDB(t)
		now := fixedClock(db)
		s := sqlite.NewOutboxService(db)
		e := mustEnqueue(t, s, "a@example.com")[0]
		claimed, _ := s.ClaimOutboxEntries(ctx, 1)
		if len(claimed) != 1 {
			t.Fatal("not claimed")
		}
		next := now.Add(time.Minute)
		if err := s.MarkOutboxRetry(ctx, e.ID, next, backend.DeliveryFailure{Message: "451 4.7.1 Try again later"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ClaimOutboxEntries(ctx, 1); len(got) != 0 {
			t.Fatal("claimed an entry before it was due")
		}
		st, _ := s.FindOutboxStats(ctx)
		if st.Queued != 1 || st.NextAttemptAt == nil || !st.NextAttemptAt.Equal(next) {
			t.Fatalf("stats = %+v, want one queued, due %v", st, next)
		}
		*now = next
		got, _ := s.ClaimOutboxEntries(ctx, 1)
		if len(got) != 1 || got[0].Attempts != 1 || got[0].LastError != "451 4.7.1 Try again later" {
			t.Fatalf("claimed when due: %+v", got)
		}
	})
}

func TestOutboxService_Mark(t *testing.T) {
	ctx := context.Background()

	t.Run("SentClearsDataAndIsFinal", func(t *testing.T) {
		db := MustOpenDB(t)
		now := fixedClock(db)
		s := sqlite.NewOutboxService(db)
		e := mustEnqueue(t, s, "a@example.com")[0]
		s.ClaimOutboxEntries(ctx, 1)
		if err := s.MarkOutboxSent(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		got := mustFindEntry(t, s, e.ID)
		if got.State != backend.DeliverySent || got.Data != nil || got.Attempts != 1 || got.SentAt == nil || !got.SentAt.Equal(*now) {
			t.Fatalf("sent entry = %+v", got)
		}
		// A late answer for the same entry cannot change it.
		assertCode(t, s.MarkOutboxRetry(ctx, e.ID, *now, backend.DeliveryFailure{Message: "late"}), backend.ECONFLICT)
		assertCode(t, s.MarkOutboxFailed(ctx, e.ID, backend.DeliveryFailure{Message: "late"}), backend.ECONFLICT)
		assertCode(t, s.MarkOutboxSent(ctx, e.ID), backend.ECONFLICT)
		if n, err := s.RecoverOutbox(ctx); err != nil || n != 0 {
			t.Fatalf("RecoverOutbox = %d, %v", n, err)
		}
		if got, _ := s.ClaimOutboxEntries(ctx, 10); len(got) != 0 {
			t.Fatal("a sent entry was claimed again")
		}
	})

	t.Run("FailedKeepsDataAndError", func(t *testing.T) {
		db := MustOpenDB(t)
		fixedClock(db)
		s := sqlite.NewOutboxService(db)
		e := mustEnqueue(t, s, "a@example.com")[0]
		s.ClaimOutboxEntries(ctx, 1)
		if err := s.MarkOutboxFailed(ctx, e.ID, backend.DeliveryFailure{Message: "550 5.1.1 No such user"}); err != nil {
			t.Fatal(err)
		}
		got := mustFindEntry(t, s, e.ID)
		if got.State != backend.DeliveryFailed || got.Data[backend.MailDataToken] == "" || got.LastError != "550 5.1.1 No such user" || got.Attempts != 1 {
			t.Fatalf("failed entry = %+v", got)
		}
		st, _ := s.FindOutboxStats(ctx)
		if st.Failed != 1 || st.Queued != 0 {
			t.Fatalf("stats = %+v", st)
		}
	})

	t.Run("ErrNotSending", func(t *testing.T) {
		db := MustOpenDB(t)
		s := sqlite.NewOutboxService(db)
		e := mustEnqueue(t, s, "a@example.com")[0]
		assertCode(t, s.MarkOutboxSent(ctx, e.ID), backend.ECONFLICT)
		assertCode(t, s.MarkOutboxSent(ctx, 999), backend.ECONFLICT)
	})

	t.Run("NoteWaiting", func(t *testing.T) {
		db := MustOpenDB(t)
		s := sqlite.NewOutboxService(db)
		entries := mustEnqueue(t, s, "a@example.com", "b@example.com")
		s.ClaimOutboxEntries(ctx, 1)
		if err := s.NoteOutboxWaiting(ctx, "Email is not set up."); err != nil {
			t.Fatal(err)
		}
		if got := mustFindEntry(t, s, entries[1].ID); got.LastError != "Email is not set up." || got.Attempts != 0 || got.State != backend.DeliveryQueued {
			t.Fatalf("waiting entry = %+v", got)
		}
		if got := mustFindEntry(t, s, entries[0].ID); got.LastError != "" {
			t.Fatalf("an entry being sent got the note: %+v", got)
		}
	})
}

func TestOutboxService_Recover(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := fixedClock(db)
	s := sqlite.NewOutboxService(db)
	entries := mustEnqueue(t, s, "a@example.com", "b@example.com", "c@example.com")
	s.ClaimOutboxEntries(ctx, 3)
	s.MarkOutboxSent(ctx, entries[0].ID)
	*now = now.Add(time.Hour)
	n, err := s.RecoverOutbox(ctx)
	if err != nil || n != 2 {
		t.Fatalf("RecoverOutbox = %d, %v; want 2", n, err)
	}
	got, err := s.ClaimOutboxEntries(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != entries[1].ID || got[1].ID != entries[2].ID || got[0].Data == nil {
		t.Fatalf("after recovery claimed %+v", got)
	}
}

func TestOutboxService_Retry(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		now := fixedClock(db)
		s := sqlite.NewOutboxService(db)
		e := mustEnqueue(t, s, "a@example.com")[0]
		for i := 0; i < 3; i++ {
			s.ClaimOutboxEntries(ctx, 1)
			s.MarkOutboxRetry(ctx, e.ID, *now, backend.DeliveryFailure{Message: fmt.Sprintf("451 try %d", i)})
		}
		s.ClaimOutboxEntries(ctx, 1)
		s.MarkOutboxFailed(ctx, e.ID, backend.DeliveryFailure{Message: "550 no"})
		*now = now.Add(time.Hour)
		if err := s.RetryOutboxEntry(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		got := mustFindEntry(t, s, e.ID)
		if got.State != backend.DeliveryQueued || got.Attempts != 0 || !got.NextAttemptAt.Equal(*now) || got.Data == nil {
			t.Fatalf("retried entry = %+v", got)
		}
		if claimed, _ := s.ClaimOutboxEntries(ctx, 1); len(claimed) != 1 {
			t.Fatal("a retried entry is not due")
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		assertCode(t, sqlite.NewOutboxService(MustOpenDB(t)).RetryOutboxEntry(ctx, 42), backend.ENOTFOUND)
	})

	t.Run("ErrNotFailed", func(t *testing.T) {
		s := sqlite.NewOutboxService(MustOpenDB(t))
		e := mustEnqueue(t, s, "a@example.com")[0]
		assertCode(t, s.RetryOutboxEntry(ctx, e.ID), backend.ECONFLICT)
		s.ClaimOutboxEntries(ctx, 1)
		s.MarkOutboxSent(ctx, e.ID)
		err := s.RetryOutboxEntry(ctx, e.ID)
		assertCode(t, err, backend.ECONFLICT)
		if backend.AsError(err).Key != "outbox.not_failed" {
			t.Fatalf("key = %q", backend.AsError(err).Key)
		}
	})
}
