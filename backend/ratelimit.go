package backend

import (
	"context"
	"time"
)

// RateLimit is the outcome of counting one attempt.
type RateLimit struct {
	// Allowed is false once more than the limit's attempts fell in the window.
	Allowed bool
	// Hits counts the attempts in the current window, this one included.
	Hits int
	// ResetAt is when the current window ends.
	ResetAt time.Time
}

// RateLimitService counts attempts per key (an account, a link) in fixed
// windows, in storage that every server process shares.
type RateLimitService interface {
	// HitRateLimit counts one attempt for key and says whether it is within
	// limit attempts per window.
	HitRateLimit(ctx context.Context, key string, limit int, window time.Duration) (*RateLimit, error)

	// PurgeRateLimits forgets the windows that ended and says how many.
	PurgeRateLimits(ctx context.Context) (int, error)
}
