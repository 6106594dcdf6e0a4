package main

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"roster/backend/server/servertest"
)

// TestServeWaitsForTheWriteLock: under a burst, a request's write queues
// behind others for longer than the desktop's 5 s; serve's database waits
// (server.BusyTimeout) instead of answering 500. Here another connection
// holds the write lock for 6 s while a sign-in attempt (which writes its
// rate limit count) comes in.
func TestServeWaitsForTheWriteLock(t *testing.T) {
	db := initDB(t)
	addr, logs, stop := serveInProcess(t, "--db", db, "--base-url", base)
	defer stop()
	release := servertest.HoldWriteLock(t, db)
	answer := make(chan int, 1)
	go func() {
		res, err := http.PostForm("http://"+addr+"/login", url.Values{"email": {"ada@example.com"}, "password": {pw1}})
		if err != nil {
			answer <- 0
			return
		}
		res.Body.Close()
		answer <- res.StatusCode
	}()
	time.Sleep(6 * time.Second)
	release()
	if code := <-answer; code != http.StatusUnauthorized {
		t.Fatalf("sign-in while another writer held the database for 6 s: %d, want 401\n%s", code, logs.String())
	}
}
