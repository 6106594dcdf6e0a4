// Package heappeak samples the heap in use while a benchmark runs, for the
// benchmarks that report its peak (the import's, the server's load test).
package heappeak

import (
	"runtime"
	"sync"
	"time"
)

// Start samples runtime.MemStats.HeapInuse at once and then every interval
// until the returned stop is called; stop waits for the sampler to end and
// returns the highest value seen, in bytes.
func Start(every time.Duration) (stop func() uint64) {
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}
