package mail_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jordan-wright/email"

	"roster/backend"
	"roster/backend/mail"
	"roster/backend/sqlite"
)

const (
	benchMessages    = 2000
	benchConnections = 4
)

// benchEmails are the invitation emails the bare loops send: the ones the
// outbox would render for the same 2,000 entries, composed with
// jordan-wright/email before the clock starts.
func benchEmails(tb testing.TB, svc *mail.Service) []*email.Email {
	emails := make([]*email.Email, benchMessages)
	for i := range emails {
		p, err := svc.PreviewTemplate(context.Background(), backend.MailInvitation, "en")
		if err != nil {
			tb.Fatal(err)
		}
		e := email.NewEmail()
		e.From = "=?utf-8?q?J=C3=B6rg_M=C3=BCller=2C_Example_Ltd?= <noreply@example.com>"
		e.To = []string{benchRecipient(i)}
		e.Subject, e.Text, e.HTML = p.Subject, []byte(p.Text), []byte(p.HTML)
		e.Headers.Set("Auto-Submitted", "auto-generated")
		emails[i] = e
	}
	return emails
}

func benchRecipient(i int) string { return fmt.Sprintf("bench%d@example.com", i) }

// BenchmarkEmail2000 sends 2,000 invitation emails to a local mailpit three
// ways in one run: a bare loop that opens one connection per message
// (email.Send, that is smtp.SendMail), a bare email.Pool loop with 4
// connections, and Roster's outbox (2,000 entries in a real SQLite file, the
// worker with 4 connections running until all are marked sent). The metric
// is msgs/s; the outbox should reach at least 80% of the bare pool.
//
// Every run gets a fresh mailpit on the same port, so none inherits the
// previous one's stored messages (mailpit is the ceiling here).
func BenchmarkEmail2000(b *testing.B) {
	mailpitBin(b)
	port := freePort(b)
	m := &mailpit{Host: "127.0.0.1", Port: port}
	addr := fmt.Sprintf("%s:%d", m.Host, m.Port)
	settings := settingsFor(m, backend.SecurityNone)
	emails := benchEmails(b, newService(b, openDB(b), settings, ""))

	report := func(b *testing.B, elapsed time.Duration) {
		b.ReportMetric(float64(benchMessages*b.N)/elapsed.Seconds(), "msgs/s")
		b.ReportMetric(0, "ns/op")
	}

	b.Run("BareOneConnectionPerMessage", func(b *testing.B) {
		var elapsed time.Duration
		for b.Loop() {
			fresh := startMailpit(b, port)
			start := time.Now()
			for _, e := range emails {
				if err := e.Send(addr, nil); err != nil {
					b.Fatal(err)
				}
			}
			elapsed += time.Since(start)
			fresh.Stop()
		}
		report(b, elapsed)
	})

	b.Run(fmt.Sprintf("BarePool%d", benchConnections), func(b *testing.B) {
		var elapsed time.Duration
		for b.Loop() {
			fresh := startMailpit(b, port)
			pool, err := email.NewPool(addr, benchConnections, nil)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, benchConnections)
			for range benchConnections {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := next.Add(1) - 1; i < benchMessages; i = next.Add(1) - 1 {
						if err := pool.Send(emails[i], 10*time.Second); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			elapsed += time.Since(start)
			pool.Close()
			fresh.Stop()
			close(errs)
			if err := <-errs; err != nil {
				b.Fatal(err)
			}
		}
		report(b, elapsed)
	})

	b.Run(fmt.Sprintf("Outbox%d", benchConnections), func(b *testing.B) {
		var elapsed time.Duration
		for b.Loop() {
			fresh := startMailpit(b, port)
			db := openDB(b)
			svc := newService(b, db, settings, "")
			outbox := sqlite.NewOutboxService(db)
			to := make([]string, benchMessages)
			for i := range to {
				to[i] = benchRecipient(i)
			}
			enqueue(b, db, to...)
			w := mail.NewWorker(outbox, svc, testLog(b))
			w.Connections = benchConnections
			done := make(chan struct{})
			var once sync.Once
			w.Progress = func(p mail.Progress) {
				if p.Done && p.Sent+p.Failed >= benchMessages {
					once.Do(func() { close(done) })
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			finished := make(chan struct{})
			start := time.Now()
			go func() { defer close(finished); w.Run(ctx) }()
			<-done
			elapsed += time.Since(start)
			cancel()
			<-finished
			fresh.Stop()
			st, err := outbox.FindOutboxStats(context.Background())
			if err != nil || st.Sent != benchMessages {
				b.Fatalf("outbox after the run: %+v, %v", st, err)
			}
		}
		report(b, elapsed)
	})
}
