package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/postgres"
	"roster/backend/postgres/pgtest"
)

// queueInvitations sets up the organisation of db and queues n invitation
// emails.
func queueInvitations(t *testing.T, db *postgres.DB, n int) {
	t.Helper()
	ctx := context.Background()
	_, admin, err := postgres.NewServices(db).Organisations.SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: "Acme", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name})
	for i := range n {
		if _, err := postgres.NewInvitationService(db).InviteUser(ctx, backend.InviteParams{
			Email: fmt.Sprintf("guest%02d@example.com", i), Role: "User"}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOutboxService(t *testing.T) {
	ctx := context.Background()

	// Workers of two processes claim from one outbox at once: each entry
	// is claimed by one of them, once.
	t.Run("OKClaimedOnce", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		keys := backend.NewSessionOutboxKeys()
		dbs := []*postgres.DB{mustOpen(t, url), mustOpen(t, url)}
		for _, db := range dbs {
			db.Keys = keys
		}
		const n = 60
		queueInvitations(t, dbs[0], n)
		var mu sync.Mutex
		claims := map[int64]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := postgres.NewOutboxService(dbs[w%2])
				for {
					batch, err := s.ClaimOutboxEntries(ctx, 3)
					if err != nil {
						errs <- err
						return
					}
					if len(batch) == 0 {
						return
					}
					for _, e := range batch {
						if e.Data[backend.MailDataToken] == "" {
							errs <- fmt.Errorf("entry %d claimed without its data", e.ID)
							return
						}
						mu.Lock()
						claims[e.ID]++
						mu.Unlock()
						if err := s.MarkOutboxSent(ctx, e.ID); err != nil {
							errs <- err
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(claims) != n {
			t.Fatalf("%d entries claimed, want %d", len(claims), n)
		}
		for id, c := range claims {
			if c != 1 {
				t.Fatalf("entry %d claimed %d times", id, c)
			}
		}
		st, err := postgres.NewOutboxService(dbs[1]).FindOutboxStats(ctx)
		if err != nil || st.Sent != n || st.Queued != 0 || st.Sending != 0 {
			t.Fatalf("stats %+v, %v", st, err)
		}
	})

	// A process that starts leaves the entries another one is sending
	// alone; those of a process that stopped go back to the queue once
	// their lease ends.
	t.Run("OKRecoverAfterLease", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		keys := backend.NewSessionOutboxKeys()
		a, b := mustOpen(t, url), mustOpen(t, url)
		a.Keys, b.Keys = keys, keys
		queueInvitations(t, a, 2)
		claimed, err := postgres.NewOutboxService(a).ClaimOutboxEntries(ctx, 10)
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		sb := postgres.NewOutboxService(b)
		if n, err := sb.RecoverOutbox(ctx); err != nil || n != 0 {
			t.Fatalf("recover during the lease: %d, %v", n, err)
		}
		if again, err := sb.ClaimOutboxEntries(ctx, 10); err != nil || len(again) != 0 {
			t.Fatalf("claimed %d entries another process holds (%v)", len(again), err)
		}
		if err := postgres.NewOutboxService(a).MarkOutboxSent(ctx, claimed[0].ID); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(postgres.OutboxLease + time.Minute)
		b.Now = func() time.Time { return later }
		again, err := sb.ClaimOutboxEntries(ctx, 10)
		if err != nil || len(again) != 1 || again[0].ID != claimed[1].ID {
			t.Fatalf("after the lease: %v, %v", again, err)
		}
	})

	t.Run("OKPasswordChanged", func(t *testing.T) {
		db := mustOpen(t, pgtest.NewDatabase(t))
		_, admin, err := postgres.NewServices(db).Organisations.SetupOrganisation(ctx, backend.SetupParams{
			OrganisationName: "Acme", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
		if err := postgres.NewServices(db).Credentials.ChangePassword(backend.NewContextWithLanguage(ctx, "de"), admin.ID, hash, ""); err != nil {
			t.Fatal(err)
		}
		s := postgres.NewOutboxService(db)
		entries, err := s.ClaimOutboxEntries(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var notice *backend.OutboxEntry
		for _, e := range entries {
			if e.Kind == backend.MailPasswordChanged {
				notice = e
			}
		}
		if notice == nil || notice.To != "ada@example.com" || notice.Data[backend.MailDataRecipient] != "Ada Admin" ||
			notice.Data[backend.MailDataLanguage] != "de" || notice.Data[backend.MailDataOrganisation] != "Acme" {
			t.Fatalf("password changed notice %+v", notice)
		}
	})
}
