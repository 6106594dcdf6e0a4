package app

import (
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Event names the frontend subscribes to. Payloads are the structs below,
// sent at most about ten times a second, always with a final event.
const (
	// EventImportProgress reports reading, validating and sending an import: ImportProgress.
	EventImportProgress = "import:progress"
	// EventOutboxProgress reports the mail queue as it works: OutboxProgress.
	EventOutboxProgress = "outbox:progress"
	// EventBulkProgress reports a bulk action row by row: BulkProgress.
	EventBulkProgress = "bulk:progress"
	// EventOpenScreen asks the window to open a screen (a second launch's --open): OpenScreenEvent.
	EventOpenScreen = "app:open"
)

// throttle calls emit at most once per interval, dropping calls in between,
// except that a final call (last == true) is never dropped.
type throttle struct {
	mu       sync.Mutex
	interval time.Duration
	last     time.Time
}

// allow reports whether an event may go out now.
func (t *throttle) allow(final bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if !final && now.Sub(t.last) < t.interval {
		return false
	}
	t.last = now
	return true
}

// emit sends an event to the window, if there is one.
func (a *App) emit(name string, payload any) {
	ctx := a.wailsContext()
	if ctx.Value("events") == nil {
		return // no window (tests, bindings generation)
	}
	runtime.EventsEmit(ctx, name, payload)
}

// BulkProgress is the payload of EventBulkProgress. Done counts the rows
// tried (Failed of them failed) out of Total.
type BulkProgress struct {
	Action BulkAction `json:"action"`
	Done   int        `json:"done"`
	Total  int        `json:"total"`
	Failed int        `json:"failed"`
	// Final marks the last event of an action.
	Final bool `json:"final"`
}
