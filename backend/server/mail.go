package server

import (
	"context"
	"net/http"
	"slices"

	"golang.org/x/text/language"

	"roster/backend"
	"roster/backend/msg"
)

// mailContext returns the request's context with the member's language, for
// the email their action queues: the page's language when their browser
// asks for one Roster writes in, else none (the email then uses the
// organisation's).
func mailContext(r *http.Request) context.Context {
	h := r.Header.Get("Accept-Language")
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil {
		return r.Context()
	}
	for _, t := range tags {
		if base, _ := t.Base(); slices.Contains(msg.Languages, base.String()) {
			return backend.NewContextWithLanguage(r.Context(), msg.Match(h))
		}
	}
	return r.Context()
}

// mailQueued tells the mail worker, if any, that an email was queued.
func (s *Server) mailQueued() {
	if s.cfg.MailQueued != nil {
		s.cfg.MailQueued()
	}
}
