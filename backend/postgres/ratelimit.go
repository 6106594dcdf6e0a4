package postgres

import (
	"context"
	"fmt"
	"time"

	"roster/backend"
)

var _ backend.RateLimitService = (*RateLimitService)(nil)

// RateLimitService implements backend.RateLimitService: a window starts with
// the first attempt of a key and lasts window; attempts in it are counted.
type RateLimitService struct {
	db *DB
}

// NewRateLimitService returns the rate limit service of db.
func NewRateLimitService(db *DB) *RateLimitService {
	return &RateLimitService{db: db}
}

// HitRateLimit counts one attempt for key in one statement. INSERT … ON
// CONFLICT DO UPDATE locks the key's row, so processes counting at once
// each add one; the SET expressions read the row as it was.
func (s *RateLimitService) HitRateLimit(ctx context.Context, key string, limit int, window time.Duration) (*backend.RateLimit, error) {
	now := s.db.now()
	r := &backend.RateLimit{}
	err := s.db.db.QueryRowContext(ctx, `INSERT INTO rate_limits AS l (key, window_end, hits) VALUES ($1, $2, 1)
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN l.window_end > $3 THEN l.hits + 1 ELSE 1 END,
			window_end = CASE WHEN l.window_end > $3 THEN l.window_end ELSE excluded.window_end END
		RETURNING hits, window_end`, key, now.Add(window), now).Scan(&r.Hits, timeCol{&r.ResetAt})
	if err != nil {
		return nil, fmt.Errorf("rate limit: %w", mapError(err))
	}
	r.Allowed = r.Hits <= limit
	return r, nil
}

// PurgeRateLimits forgets the windows that ended.
func (s *RateLimitService) PurgeRateLimits(ctx context.Context) (int, error) {
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_end <= $1`, s.db.now())
	if err != nil {
		return 0, fmt.Errorf("purge rate limits: %w", mapError(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
