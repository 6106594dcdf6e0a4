package mail

import (
	"context"
	"math"
	"sync"
	"time"
)

// bucket is a token bucket over messages per minute. It holds at most one
// second's worth of tokens (at least one), so a burst never exceeds what the
// limit allows in a second, and over any minute at most the limit plus that
// second's worth go out.
type bucket struct {
	mu        sync.Mutex
	perMinute int
	rate      float64 // tokens per second
	capacity  float64
	tokens    float64
	last      time.Time
}

// setRate changes the limit; the bucket starts full.
func (b *bucket) setRate(perMinute int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if perMinute < 1 {
		perMinute = 1
	}
	if perMinute == b.perMinute {
		return
	}
	b.perMinute = perMinute
	b.rate = float64(perMinute) / 60
	b.capacity = math.Max(1, math.Ceil(b.rate))
	b.tokens = b.capacity
	b.last = time.Now()
}

// take waits until a token is available and takes as many as are, up to
// max. It returns ctx's error when ctx ends first.
func (b *bucket) take(ctx context.Context, max int) (int, error) {
	for {
		b.mu.Lock()
		now := time.Now()
		b.tokens = math.Min(b.capacity, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
		if b.tokens >= 1 {
			n := int(math.Min(float64(max), math.Floor(b.tokens)))
			b.tokens -= float64(n)
			b.mu.Unlock()
			return n, nil
		}
		wait := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, ctx.Err()
		case <-t.C:
		}
	}
}

// refund returns tokens that were taken but not used.
func (b *bucket) refund(n int) {
	if n <= 0 {
		return
	}
	b.mu.Lock()
	b.tokens = math.Min(b.capacity, b.tokens+float64(n))
	b.mu.Unlock()
}
