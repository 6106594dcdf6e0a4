package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
)

// contentSecurityPolicy allows the server's own style sheet and forms and
// nothing else: no script at all, no framing.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every answer carries. Referrer-Policy
// no-referrer keeps the link tokens of /invite and /reset out of Referer
// headers; it is set everywhere, so no page can leak its address.
func securityHeaders(next http.Handler, secure bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type requestInfoKey struct{}

// requestInfo is what the log knows of a request.
type requestInfo struct {
	id     string
	client netip.Addr
}

// statusWriter remembers the status of an answer for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// newRequestID returns 16 random hex digits.
func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// redactPath returns a request path fit for the log: the token of a link
// is replaced, as is anything unknown that is long enough to be a secret.
func redactPath(basePath, path string) string {
	p := strings.TrimPrefix(path, basePath)
	for _, prefix := range []string{"/invite/", "/reset/"} {
		if strings.HasPrefix(p, prefix) {
			return basePath + prefix + "[token]"
		}
	}
	if len(p) > 100 {
		return basePath + p[:40] + "[cut]"
	}
	return path
}

// logRequests gives each request an id (also in the X-Request-Id header) and
// writes one JSON line per request: never a query, a form value or a token.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: newRequestID(), client: s.clientAddr(r)}
		w.Header().Set("X-Request-Id", info.id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		s.log.WithFields(logrus.Fields{
			"request_id":  info.id,
			"method":      r.Method,
			"path":        redactPath(s.basePath, r.URL.Path),
			"status":      sw.status,
			"duration_ms": time.Since(start).Milliseconds(),
			"client":      info.client.String(),
		}).Info("request")
	})
}

// logger returns the log entry of a request, with its id.
func (s *Server) logger(r *http.Request) *logrus.Entry {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return s.log.WithField("request_id", info.id)
	}
	return logrus.NewEntry(s.log)
}

// client returns the client address found for a request.
func (s *Server) client(r *http.Request) netip.Addr {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return info.client
	}
	return s.clientAddr(r)
}

// recoverPanics turns a panic in a handler into a logged error and a 500 page.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger(r).WithField("panic", v).Error("handler panicked")
				s.internalError(w, r, nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the address of the client: the peer, unless the peer is a
// trusted proxy; then the right-most address of X-Forwarded-For that is not
// a trusted proxy itself.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	var ip netip.Addr
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		ip = ap.Addr().Unmap()
	} else if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		ip = a.Unmap()
	}
	if !s.trusted(ip) {
		return ip
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return ip
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a
		}
		ip = a
	}
	return ip
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if ip.IsValid() && p.Contains(ip) {
			return true
		}
	}
	return false
}
