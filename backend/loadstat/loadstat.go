// Package loadstat holds what the bounded load benchmarks share (the
// server's and the OpenID Connect provider's): their bounds from the
// environment, the members they prepare, and the latencies and errors of a
// run with their percentiles.
package loadstat

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"roster/backend"
)

// Clients reads ROSTER_LOAD_CLIENTS, how many clients run at once (default 200).
func Clients(b *testing.B) int {
	return Env(b, "ROSTER_LOAD_CLIENTS", 200)
}

// Env reads the positive whole number in the environment variable name,
// def when it is unset; anything else fails b.
func Env(b *testing.B, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("%s=%q is not a positive number", name, v)
		}
		return n
	}
	return def
}

// Duration reads ROSTER_LOAD_DURATION, how long a run lasts at most
// (default 5s, at most 10m); anything else fails b.
func Duration(b *testing.B) time.Duration {
	v := os.Getenv("ROSTER_LOAD_DURATION")
	if v == "" {
		return 5 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > 10*time.Minute {
		b.Fatalf("ROSTER_LOAD_DURATION=%q is not a duration up to 10m", v)
	}
	return d
}

// Invite invites email with the role User through st, as the actor in ctx,
// and returns the invitation link's token.
func Invite(b *testing.B, ctx context.Context, st *backend.Storage, email string) string {
	b.Helper()
	inv, err := st.Invitations.InviteUser(ctx, backend.InviteParams{Email: email, Role: backend.RoleUser})
	if err != nil {
		b.Fatal(err)
	}
	token, err := st.Links.TakeInvitationToken(ctx, inv.ID)
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// Member makes email a member named name, whose password is stored as
// passwordHash: invited through st, as the actor in ctx, and accepted.
func Member(b *testing.B, ctx context.Context, st *backend.Storage, email, name, passwordHash string) *backend.User {
	b.Helper()
	u, err := st.Invitations.AcceptInvitation(context.Background(), backend.AcceptParams{
		Token: Invite(b, ctx, st, email), Name: name, PasswordHash: passwordHash})
	if err != nil {
		b.Fatal(err)
	}
	return u
}

// Stats are the answers of a run: the latencies by kind of step, and the
// first errors. Its methods may be called from many goroutines at once.
type Stats struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration
	errors    []string
}

// NewStats returns empty Stats.
func NewStats() *Stats {
	return &Stats{latencies: map[string][]time.Duration{}}
}

// Record adds a latency of a step of the given kind.
func (s *Stats) Record(kind string, d time.Duration) {
	s.mu.Lock()
	s.latencies[kind] = append(s.latencies[kind], d)
	s.mu.Unlock()
}

// Fail notes an error; the first 20 are kept.
func (s *Stats) Fail(format string, args ...any) {
	s.mu.Lock()
	if len(s.errors) < 20 {
		s.errors = append(s.errors, fmt.Sprintf(format, args...))
	}
	s.mu.Unlock()
}

// Errors returns the errors noted, the first 20.
func (s *Stats) Errors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.errors)
}

// Report ends a run of elapsed time: it reports to b the steps per second
// (as unit, such as "req/s") and the 50th and 99th percentile latencies of
// all kinds together (p50-ms, p99-ms), and returns a line per kind, in the
// order given: "kind n=… p50=… p99=…".
func (s *Stats) Report(b *testing.B, kinds []string, elapsed time.Duration, unit string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []time.Duration
	lines := []string{}
	for _, kind := range kinds {
		l := s.latencies[kind]
		slices.Sort(l)
		all = append(all, l...)
		lines = append(lines, fmt.Sprintf("%s n=%d p50=%v p99=%v", kind, len(l),
			Percentile(l, 0.50).Round(time.Millisecond), Percentile(l, 0.99).Round(time.Millisecond)))
	}
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), unit)
	b.ReportMetric(float64(Percentile(all, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(Percentile(all, 0.99).Microseconds())/1000, "p99-ms")
	return lines
}

// Percentile returns the p-th quantile (0 to 1) of sorted latencies, 0 for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}
