package sqlite_test

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/internal/heappeak"
	"roster/backend/sqlite"
)

// longAddress is the i-th address of a maximum-size import: 254 characters,
// the longest allowed (a 64-character local part, a domain of four labels).
func longAddress(i int) string {
	local := fmt.Sprintf("firstname.lastname.department.region.%06d", i)
	local += strings.Repeat("x", 64-len(local))
	domain := strings.Repeat("d", 62) + "." + strings.Repeat("e", 62) + "." + strings.Repeat("f", 51) + ".example.org"
	return local + "@" + domain
}

// BenchmarkStoreMaxImport stores the largest allowed import (199,999 rows
// of 254-character addresses, ROSTER_BENCH_ROWS to change) into a new
// database, while another writer invites one user every 50 ms and the mail
// worker claims emails every 50 ms. It reports the longest call of each
// (max-wait-ms, max-claim-ms), the peak heap sampled
// every 20 ms (peak-heap-MB) and the process's peak RSS (VmHWM-MB, so run
// it alone: -bench 'StoreMaxImport$'). BenchmarkStoreMaxImportBare is the
// baseline: the same rows inserted by a bare prepared loop.
func BenchmarkStoreMaxImport(b *testing.B) {
	params := maxImportParams()
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b)
		b.StartTimer()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var maxWait, writes atomic.Int64
		wg.Add(1)
		go func() { // another administrator invites one user every 50 ms
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
				start := time.Now()
				if _, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: fmt.Sprintf("other%d@example.net", i), Role: "user"}); err != nil {
					b.Errorf("concurrent invite: %v", err)
					return
				}
				writes.Add(1)
				if w := time.Since(start).Nanoseconds(); w > maxWait.Load() {
					maxWait.Store(w)
				}
			}
		}()
		var maxLock atomic.Int64
		wg.Add(1)
		go func() { // the mail worker claims due emails every 50 ms
			defer wg.Done()
			outbox := sqlite.NewOutboxService(e.db)
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
				start := time.Now()
				if _, err := outbox.ClaimOutboxEntries(e.ctx, 4); err != nil {
					b.Errorf("concurrent write: %v", err)
					return
				}
				if w := time.Since(start).Nanoseconds(); w > maxLock.Load() {
					maxLock.Store(w)
				}
			}
		}()
		stopSampling := heappeak.Start(20 * time.Millisecond)
		res, err := e.invitations.InviteUsers(e.ctx, params, nil)
		close(stop)
		wg.Wait()
		peak := stopSampling()
		if err != nil || res.Invited != len(params) {
			b.Fatalf("import: %v", err)
		}
		b.ReportMetric(float64(maxWait.Load())/1e6, "max-wait-ms")
		b.ReportMetric(float64(maxLock.Load())/1e6, "max-claim-ms")
		b.ReportMetric(float64(writes.Load()), "concurrent-writes")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(vmHWM(b), "VmHWM-MB")
	}
}

// BenchmarkStoreMaxImportBare is the baseline of BenchmarkStoreMaxImport:
// the same invitation and outbox rows, computed before the clock starts,
// inserted by a bare prepared loop in one transaction.
func BenchmarkStoreMaxImportBare(b *testing.B) {
	rows := newBareInvitations(maxImportParams())
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b)
		b.StartTimer()
		insertBareInvitations(b, e, rows, true)
	}
}

func maxImportParams() []backend.InviteParams {
	return benchInviteParams(199_999, longAddress)
}

// vmHWM is the process's peak resident set size in MB (Linux), or 0.
func vmHWM(b *testing.B) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	return 0
}
