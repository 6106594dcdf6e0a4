package server

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"roster/backend"
)

// The server's rate limits, and where their state lives:
//
//   - Form posts and failed API authentications per client address, and
//     sign-in, registration, reset and password attempts per account or
//     link, are counted in the database (backend.RateLimitService), so
//     every server process on it counts together: a client that spreads its
//     attempts over the processes behind a load balancer gets no more.
//     Each process remembers which keys the database said are spent, until
//     their window ends, and refuses those without asking again
//     (sharedLimiter), so a flood costs the database nothing once refused.
//   - The admin API's requests per token stay in the process (keyLimiter).
//     That limit guards each process's capacity against a runaway desktop;
//     the token is an Administrator's, already authenticated, so nothing is
//     gained by sharing it, and counting every API call in the database
//     would add a write to every read.

// sharedLimiter counts attempts per key in fixed windows, in the database
// that every server process shares.
type sharedLimiter struct {
	store  backend.RateLimitService
	limit  int
	window time.Duration

	mu        sync.Mutex
	spent     map[string]time.Time // keys out of attempts, until their window ends
	lastSweep time.Time
}

func newSharedLimiter(store backend.RateLimitService, w Window) *sharedLimiter {
	return &sharedLimiter{store: store, limit: w.Attempts, window: w.Per, spent: map[string]time.Time{}}
}

// spentUntil says whether key has no attempt left, as this process last
// heard from the database, and until when.
func (l *sharedLimiter) spentUntil(key string, now time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until, ok := l.spent[key]
	if ok && !now.Before(until) {
		delete(l.spent, key)
		return time.Time{}, false
	}
	return until, ok
}

// hit counts one attempt for key in the database and says whether it is
// within the limit. Once the window has no attempt left, the key is
// remembered as spent until the window ends.
func (l *sharedLimiter) hit(ctx context.Context, key string, now time.Time) (*backend.RateLimit, error) {
	r, err := l.store.HitRateLimit(ctx, key, l.limit, l.window)
	if err != nil {
		return nil, err
	}
	if r.Hits >= l.limit {
		l.mu.Lock()
		if now.Sub(l.lastSweep) > time.Minute {
			for k, until := range l.spent {
				if !now.Before(until) {
					delete(l.spent, k)
				}
			}
			l.lastSweep = now
		}
		l.spent[key] = r.ResetAt
		l.mu.Unlock()
	}
	return r, nil
}

// keyLimiter is a token bucket of golang.org/x/time/rate per key (an API
// token), in this process. Buckets unused for bucketIdle are forgotten; by
// then they have filled up again.
type keyLimiter struct {
	limit rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

// bucketIdle is how long a bucket is kept unused; by then it has filled up
// again, so forgetting it changes nothing.
const bucketIdle = 10 * time.Minute

func newKeyLimiter(limit rate.Limit, burst int) *keyLimiter {
	return &keyLimiter{limit: limit, burst: burst, buckets: map[string]*bucket{}}
}

// take takes one request from key's bucket and says whether there was one.
func (k *keyLimiter) take(key string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if now.Sub(k.lastSweep) > time.Minute {
		for key, b := range k.buckets {
			if now.Sub(b.last) > bucketIdle {
				delete(k.buckets, key)
			}
		}
		k.lastSweep = now
	}
	b, ok := k.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(k.limit, k.burst)}
		k.buckets[key] = b
	}
	b.last = now
	return b.lim.AllowN(now, 1)
}

// addressKey is the limit key of a client address: the address, or for
// IPv6 its /64, which one subscriber usually has whole.
func addressKey(ip netip.Addr) string {
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits)
	return p.String()
}
