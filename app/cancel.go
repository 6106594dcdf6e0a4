package app

import (
	"context"
	"sync"
)

// calls keeps the cancel funcs of the calls of one kind under way (bulk
// actions, import previews), so that one bound method can stop them all.
// The zero value is ready to use.
type calls struct {
	mu      sync.Mutex
	running map[int]context.CancelFunc
	next    int
}

// start returns a context that cancelAll cancels, and the func that ends
// the call: it forgets the call and releases its context.
func (c *calls) start(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	c.mu.Lock()
	if c.running == nil {
		c.running = make(map[int]context.CancelFunc)
	}
	c.next++
	no := c.next
	c.running[no] = cancel
	c.mu.Unlock()
	return ctx, func() {
		c.mu.Lock()
		delete(c.running, no)
		c.mu.Unlock()
		cancel()
	}
}

// cancelAll cancels every call under way. It does nothing when none runs.
func (c *calls) cancelAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cancel := range c.running {
		cancel()
	}
}
