package sqlite

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

// HitRateLimit counts one attempt for key in one statement, so processes
// sharing the database count together.
func (s *RateLimitService) HitRateLimit(ctx context.Context, key string, limit int, window time.Duration) (*backend.RateLimit, error) {
	now := s.db.Now().UTC()
	nowText := formatTime(now)
	r := &backend.RateLimit{}
	var end string
	// SQLite evaluates every SET expression on the row as it was.
	err := s.db.db.QueryRowContext(ctx, `INSERT INTO rate_limits (key, window_end, hits) VALUES (?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN window_end > ? THEN hits + 1 ELSE 1 END,
			window_end = CASE WHEN window_end > ? THEN window_end ELSE excluded.window_end END
		RETURNING hits, window_end`, key, formatTime(now.Add(window)), nowText, nowText).Scan(&r.Hits, &end)
	if err != nil {
		return nil, fmt.Errorf("rate limit: %w", mapError(err))
	}
	if r.ResetAt, err = parseTime(end); err != nil {
		return nil, err
	}
	r.Allowed = r.Hits <= limit
	return r, nil
}

// PurgeRateLimits forgets the windows that ended.
func (s *RateLimitService) PurgeRateLimits(ctx context.Context) (int, error) {
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_end <= ?`, formatTime(s.db.Now()))
	if err != nil {
		return 0, fmt.Errorf("purge rate limits: %w", mapError(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
