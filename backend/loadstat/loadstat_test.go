package loadstat_test

import (
	"testing"
	"time"

	"roster/backend/loadstat"
)

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var l []time.Duration
		for _, v := range n {
			l = append(l, time.Duration(v)*time.Millisecond)
		}
		return l
	}
	for _, tt := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"None", nil, 0.5, 0},
		{"One", ms(7), 0.99, 7 * time.Millisecond},
		{"Median", ms(1, 2, 3, 4), 0.50, 3 * time.Millisecond},
		{"P99OfHundred", ms(func() []int {
			var n []int
			for i := 1; i <= 100; i++ {
				n = append(n, i)
			}
			return n
		}()...), 0.99, 100 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := loadstat.Percentile(tt.sorted, tt.p); got != tt.want {
				t.Fatalf("Percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestStats(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := loadstat.NewStats()
		for i := range 30 {
			s.Fail("error %d", i)
		}
		if got := len(s.Errors()); got != 20 {
			t.Fatalf("%d errors kept, want 20", got)
		}
	})
}
