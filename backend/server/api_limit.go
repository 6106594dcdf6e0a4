package server

import (
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"roster/backend"
)

// keyLimiter is a token bucket of golang.org/x/time/rate per key (an API
// token, a client address), in this process. Buckets unused for
// addressIdle are forgotten; by then they have filled up again.
type keyLimiter struct {
	limit rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

func newKeyLimiter(limit rate.Limit, burst int) *keyLimiter {
	return &keyLimiter{limit: limit, burst: burst, buckets: map[string]*bucket{}}
}

// bucketOf returns key's bucket, creating it; the caller holds mu.
func (k *keyLimiter) bucketOf(key string, now time.Time) *bucket {
	if now.Sub(k.lastSweep) > time.Minute {
		for key, b := range k.buckets {
			if now.Sub(b.last) > addressIdle {
				delete(k.buckets, key)
			}
		}
		k.lastSweep = now
	}
	b, ok := k.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(k.limit, k.burst)}
		k.buckets[key] = b
	}
	b.last = now
	return b
}

// take takes one request from key's bucket and says whether there was one.
func (k *keyLimiter) take(key string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.bucketOf(key, now).lim.AllowN(now, 1)
}

// empty reports whether key's bucket has no request left, without taking one.
func (k *keyLimiter) empty(key string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	b, ok := k.buckets[key]
	return ok && b.lim.TokensAt(now) < 1
}

// addressKey is the bucket key of a client address: the address, or for
// IPv6 its /64, which one subscriber usually has whole.
func addressKey(ip netip.Addr) string {
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits)
	return p.String()
}

// probeMethods are the methods a path is probed with for a 405's Allow.
var probeMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

// noRoute answers a request no route of mux took: 405 with Allow when the
// path has routes for other methods, else 404; as JSON under /api/, as a
// page elsewhere. catchAll is the pattern this handler is registered as.
func (s *Server) noRoute(mux *http.ServeMux, catchAll string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range probeMethods {
			probe := *r
			probe.Method = m
			if _, pattern := mux.Handler(&probe); pattern != "" && pattern != catchAll {
				allowed = append(allowed, m)
			}
		}
		if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
			s.apiNoRoute(w, r, allowed)
			return
		}
		if len(allowed) == 0 {
			s.notFound(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		v := s.newView(r)
		s.renderMessage(w, r, http.StatusMethodNotAllowed, v, message{Heading: v.T("server.error.bad_request_title"),
			Text: v.T("server.error.bad_request")})
	}
}

// denyCrossOrigin answers a cross-origin request that
// http.CrossOriginProtection refused: as JSON under /api/, else as a page.
func (s *Server) denyCrossOrigin(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.logger(r).Warn("cross-origin API request refused")
		s.apiError(w, r, http.StatusForbidden, &backend.Error{Code: backend.EFORBIDDEN, Key: "api.cross_origin",
			Message: "The admin API does not take requests from web pages of other sites."})
		return
	}
	s.crossOrigin(w, r)
}
