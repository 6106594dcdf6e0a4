package server_test

import (
	"context"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/server"
	"roster/backend/sqlite"
)

func TestRunJanitor(t *testing.T) {
	e := newEnv(t, nil)
	sessions := sqlite.NewSessionService(e.db)
	if _, _, err := sessions.CreateSession(context.Background(), e.admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewRateLimitService(e.db).HitRateLimit(context.Background(), "login:x", 1, time.Minute); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(backend.SessionIdleTimeout + time.Hour)
	e.db.Now = func() time.Time { return later }
	u, _ := url.Parse(e.base)
	log := logrus.New()
	log.SetOutput(io.Discard)
	srv, err := server.New(server.Config{BaseURL: u}, services(e.db), log)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sqliteRaw(e)
	if err != nil {
		t.Fatal(err)
	}
	left := func() int {
		var n int
		raw.QueryRow(`SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM rate_limits)`).Scan(&n)
		return n
	}
	runJanitorUntilEmpty(t, srv, left)
}

// runJanitorUntilEmpty runs srv's janitor every millisecond until left()
// counts no rows (for at most 10 s), stops it, and fails t unless none is
// left.
func runJanitorUntilEmpty(t *testing.T, srv *server.Server, left func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.RunJanitor(ctx, time.Millisecond); close(done) }()
	for deadline := time.Now().Add(10 * time.Second); left() > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if n := left(); n != 0 {
		t.Fatalf("%d expired rows left after the janitor ran", n)
	}
}
