package password

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHasherBoundsConcurrency: with Concurrency slots held, another hash,
// verification or dummy verification waits for a slot instead of running
// (and allocating its memory) beside them.
func TestHasherBoundsConcurrency(t *testing.T) {
	params := Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	stored, err := (&Hasher{Params: params}).Hash("violet tractor mumbles softly")
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func(h *Hasher){
		"Hash":          func(h *Hasher) { h.Hash("seven quiet herons fold maps") },
		"Verify":        func(h *Hasher) { h.Verify(stored, "violet tractor mumbles softly") },
		"VerifyNothing": func(h *Hasher) { h.VerifyNothing("violet tractor mumbles softly") },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			const limit = 2
			h := &Hasher{Params: params, Concurrency: limit}
			gate := make(chan struct{})
			var in, most atomic.Int32
			h.held = func() {
				n := in.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				<-gate
				in.Add(-1)
			}
			var wg sync.WaitGroup
			for range limit {
				wg.Go(func() { h.Hash("brass kettle under orange moss") })
			}
			waitUntil(t, "the first hashes hold every slot", func() bool { return in.Load() == limit })
			wg.Go(func() { call(h) })
			// Either the extra call waits for a slot, or it got in beside
			// the others: one of the two happens whatever the scheduling.
			waitUntil(t, "the extra call waits or runs", func() bool { return h.waiting.Load() == 1 || in.Load() > limit })
			if n := in.Load(); n > limit {
				t.Fatalf("%d hashes ran at once, limit %d", n, limit)
			}
			close(gate)
			wg.Wait()
			if m := most.Load(); m != limit {
				t.Fatalf("at most %d ran at once, want %d", m, limit)
			}
			if len(h.slots) != 0 || h.waiting.Load() != 0 {
				t.Fatalf("slots held after every call ended: %d, waiting %d", len(h.slots), h.waiting.Load())
			}
		})
	}
	t.Run("NewHasherPerCPU", func(t *testing.T) {
		if got := NewHasher().Concurrency; got != runtime.GOMAXPROCS(0) || got < 1 {
			t.Fatalf("NewHasher().Concurrency = %d, want %d", got, runtime.GOMAXPROCS(0))
		}
	})
	t.Run("ZeroIsUnbounded", func(t *testing.T) {
		h := &Hasher{Params: params}
		gate := make(chan struct{})
		var in atomic.Int32
		h.held = func() { in.Add(1); <-gate }
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() { h.Hash("brass kettle under orange moss") })
		}
		waitUntil(t, "four hashes run at once", func() bool { return in.Load() == 4 })
		close(gate)
		wg.Wait()
	})
}

// waitUntil polls cond until it holds; it fails the test after a long
// while (a hang, never a measure of speed).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}
