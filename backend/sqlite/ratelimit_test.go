package sqlite_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"roster/backend/sqlite"
)

func TestRateLimitService(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		now := fixedClock(db)
		s := sqlite.NewRateLimitService(db)
		ctx := context.Background()
		for i := 1; i <= 4; i++ {
			r, err := s.HitRateLimit(ctx, "login:sam@example.com", 3, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if r.Hits != i || r.Allowed != (i <= 3) || !r.ResetAt.Equal(now.Add(time.Minute)) {
				t.Fatalf("attempt %d: %+v", i, r)
			}
		}
		if r, _ := s.HitRateLimit(ctx, "login:other@example.com", 3, time.Minute); !r.Allowed {
			t.Fatal("another key is limited too")
		}
		*now = now.Add(time.Minute)
		r, err := s.HitRateLimit(ctx, "login:sam@example.com", 3, time.Minute)
		if err != nil || !r.Allowed || r.Hits != 1 {
			t.Fatalf("after the window: %+v, %v", r, err)
		}
		*now = now.Add(time.Minute)
		if n, err := s.PurgeRateLimits(ctx); err != nil || n != 2 {
			t.Fatalf("PurgeRateLimits = %d, %v; want 2", n, err)
		}
	})
	t.Run("SharedByProcesses", func(t *testing.T) {
		// Two DB handles on one file stand for two server processes.
		a := MustOpenDB(t)
		b := sqlite.NewDB(a.Path())
		if err := b.Open(); err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		var wg sync.WaitGroup
		for _, db := range []*sqlite.DB{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					if _, err := sqlite.NewRateLimitService(db).HitRateLimit(context.Background(), "k", 100, time.Hour); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		r, err := sqlite.NewRateLimitService(b).HitRateLimit(context.Background(), "k", 20, time.Hour)
		if err != nil || r.Hits != 21 || r.Allowed {
			t.Fatalf("after 20 hits from two handles: %+v, %v", r, err)
		}
	})
}
