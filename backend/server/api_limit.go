package server

import (
	"net/http"
	"strings"

	"roster/backend"
)

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
		s.apiError(w, r, http.StatusForbidden, backend.MsgApiCrossOrigin.Error(backend.EFORBIDDEN))
		return
	}
	s.crossOrigin(w, r)
}
