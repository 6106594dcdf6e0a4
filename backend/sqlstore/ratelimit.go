package sqlstore

import (
	"context"
	"time"

	"roster/backend"
)

// RateLimitService implements backend.RateLimitService: a window starts with
// the first attempt of a key and lasts window; attempts in it are counted.
type RateLimitService struct {
	s *Store
}

var _ backend.RateLimitService = (*RateLimitService)(nil)

// NewRateLimitService returns the rate limit service of s.
func NewRateLimitService(s *Store) *RateLimitService {
	return &RateLimitService{s: s}
}

// HitRateLimit counts one attempt for key in one statement, so processes
// sharing the database count together: INSERT … ON CONFLICT DO UPDATE
// locks the key's row (where writers run at once), and every SET
// expression reads the row as it was.
func (r *RateLimitService) HitRateLimit(ctx context.Context, key string, limit int, window time.Duration) (*backend.RateLimit, error) {
	s := r.s
	now := s.now()
	t := s.Time(now)
	l := &backend.RateLimit{}
	err := s.DB.QueryRowContext(ctx, `INSERT INTO rate_limits AS l (key, window_end, hits) VALUES (?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN l.window_end > ? THEN l.hits + 1 ELSE 1 END,
			window_end = CASE WHEN l.window_end > ? THEN l.window_end ELSE excluded.window_end END
		RETURNING hits, window_end`, key, s.Time(now.Add(window)), t, t).Scan(&l.Hits, Time(&l.ResetAt))
	if err != nil {
		return nil, s.wrap("rate limit", err)
	}
	l.Allowed = l.Hits <= limit
	return l, nil
}

// PurgeRateLimits forgets the windows that ended.
func (r *RateLimitService) PurgeRateLimits(ctx context.Context) (int, error) {
	res, err := r.s.DB.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_end <= ?`, r.s.Time(r.s.now()))
	if err != nil {
		return 0, r.s.wrap("purge rate limits", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
