package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"roster/backend"
	"roster/backend/msg"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// pageNames are the page templates; each is parsed with layout.html.
var pageNames = []string{"invite", "reset", "login", "forgot", "account", "message"}

var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range pageNames {
		m[name] = template.Must(template.New("layout.html").Option("missingkey=error").
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}()

// formError is one entry of a form's error summary. Field is the id of the
// input it is about, "" for the form as a whole.
type formError struct {
	Field   string
	Message string
}

// view is what a page template sees.
type view struct {
	Lang   string
	Title  string
	Org    string
	Base   string
	Notice string
	Errors []formError
	// fieldErrors and values are by input id; values never hold a password.
	fieldErrors map[string]string
	values      map[string]string
	Data        any
}

// newView starts the view of a request, in the language it accepts.
func (s *Server) newView(r *http.Request) *view {
	v := &view{Lang: msg.Match(r.Header.Get("Accept-Language")), Base: s.base,
		fieldErrors: map[string]string{}, values: map[string]string{}}
	if org, err := s.svc.Organisations.FindOrganisation(r.Context()); err == nil {
		v.Org = org.Name
	}
	return v
}

// T renders a catalogue text; args come as name, value pairs.
func (v *view) T(key string, args ...any) string {
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		m[fmt.Sprint(args[i])] = args[i+1]
	}
	return msg.T(v.Lang, key, m)
}

// URL returns the public URL of a path.
func (v *view) URL(path string) string {
	return v.Base + path
}

// addError records a message about a field (or the form, for "").
func (v *view) addError(field, message string) {
	if field != "" {
		if _, ok := v.fieldErrors[field]; ok {
			return
		}
		v.fieldErrors[field] = message
	}
	v.Errors = append(v.Errors, formError{Field: field, Message: message})
}

// fieldView is one input as the "field" template draws it.
type fieldView struct {
	ID, Type, Label, Hint, Error, ErrorLabel, Value, Autocomplete string
}

// Field describes an input for the "field" template. The values of
// password inputs are never written back into the page.
func (v *view) Field(id, typ, labelKey, autocomplete, hintKey string) fieldView {
	f := fieldView{ID: id, Type: typ, Label: v.T(labelKey), Error: v.fieldErrors[id],
		ErrorLabel: v.T("server.form.error_label"), Autocomplete: autocomplete}
	if hintKey != "" {
		f.Hint = v.T(hintKey, "min", 15)
	}
	if typ != "password" {
		f.Value = v.values[id]
	}
	return f
}

// render writes a page with a status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	var buf bytes.Buffer
	if err := pages[page].Execute(&buf, v); err != nil {
		s.logger(r).WithError(err).Error("render " + page)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// message is the Data of the message page: a heading, a paragraph and
// perhaps a link onwards.
type message struct {
	Heading, Text, LinkURL, LinkText string
}

// renderMessage writes the message page.
func (s *Server) renderMessage(w http.ResponseWriter, r *http.Request, status int, v *view, m message) {
	v.Title = m.Heading
	v.Data = m
	s.render(w, r, status, "message", v)
}

// internalError logs err (if any) and writes the generic error page (500);
// an EUNAVAILABLE error gets the busy page (503) instead.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	if backend.ErrorCode(err) == backend.EUNAVAILABLE {
		s.unavailable(w, r, err)
		return
	}
	if err != nil {
		s.logger(r).WithError(err).Error("internal error")
	}
	v := s.newView(r)
	s.renderMessage(w, r, http.StatusInternalServerError, v, message{
		Heading: v.T("server.error.internal_title"), Text: v.T("server.error.internal")})
}

// retryAfterBusy is the Retry-After, in seconds, of an answer that the
// database was too busy to give: about the time a burst of writes takes to
// drain.
const retryAfterBusy = 5

// unavailable answers a request that the database could not serve for now
// (EUNAVAILABLE: busy, key "busy"): 503 with Retry-After and the error's own
// text ("try again in a moment") in the page's language.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.logger(r).WithError(err).Warn("database unavailable")
	v := s.newView(r)
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterBusy))
	s.renderMessage(w, r, http.StatusServiceUnavailable, v, message{Heading: v.T("server.error.busy_title"),
		Text: msg.Error(v.Lang, err)})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	v := s.newView(r)
	s.renderMessage(w, r, http.StatusNotFound, v, message{Heading: v.T("server.error.not_found_title"),
		Text: v.T("server.error.not_found"), LinkURL: s.url("/login"), LinkText: v.T("server.login.title")})
}

// crossOrigin answers a form post that came from another site.
func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	s.logger(r).Warn("cross-origin request refused")
	v := s.newView(r)
	s.renderMessage(w, r, http.StatusForbidden, v, message{Heading: v.T("server.error.cross_origin_title"),
		Text: v.T("server.error.cross_origin")})
}

func (s *Server) styleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(styleCSS)
}

// maxFormBytes bounds a form post; every form here is a few fields.
const maxFormBytes = 64 << 10

// maxFieldBytes bounds one field before it is looked at further: the
// longest password (1024 characters of up to 4 bytes).
const maxFieldBytes = 4096

// parseForm reads a posted form. It answers the request itself (and returns
// false) when the form is too large or malformed.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, v *view) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.renderMessage(w, r, http.StatusRequestEntityTooLarge, v, message{Heading: v.T("server.error.too_large_title"),
				Text: v.T("server.error.too_large")})
			return false
		}
		s.renderMessage(w, r, http.StatusBadRequest, v, message{Heading: v.T("server.error.bad_request_title"),
			Text: v.T("server.error.bad_request")})
		return false
	}
	return true
}

// formValue returns a posted field, and records an error when it is longer
// than any valid value could be.
func (v *view) formValue(r *http.Request, field string) (string, bool) {
	s := r.PostForm.Get(field)
	if len(s) > maxFieldBytes {
		v.addError(field, v.T("server.error.field_too_long"))
		return "", false
	}
	return s, true
}

// fieldError records a coded error from a service on the field it names
// (mapped to the page's input ids), rendered in the page's language.
func (v *view) fieldError(err error, fields map[string]string) {
	field := ""
	if e := backend.AsError(err); e != nil {
		field = fields[e.Field]
	}
	v.addError(field, msg.Error(v.Lang, err))
}

// allowAddress applies the shared per-address limit to a form post.
func (s *Server) allowAddress(w http.ResponseWriter, r *http.Request, v *view) bool {
	return s.allowShared(w, r, v, s.addresses, "addr:"+addressKey(s.client(r)), "address")
}

// allowAccount applies the shared per-account (or per-link) limit.
func (s *Server) allowAccount(w http.ResponseWriter, r *http.Request, v *view, key string) bool {
	return s.allowShared(w, r, v, s.accounts, key, strings.SplitN(key, ":", 2)[0])
}

// allowShared counts an attempt against key's shared limit, or answers
// 429 when it has none left; what names the limit in the log.
func (s *Server) allowShared(w http.ResponseWriter, r *http.Request, v *view, l *sharedLimiter, key, what string) bool {
	now := time.Now()
	until, spent := l.spentUntil(key, now)
	if !spent {
		lim, err := l.hit(r.Context(), key, now)
		if err != nil {
			s.internalError(w, r, err)
			return false
		}
		if lim.Allowed {
			return true
		}
		until = lim.ResetAt
	}
	s.logger(r).WithField("limit", what).Warn("rate limited")
	s.tooMany(w, r, v, until.Sub(now))
	return false
}

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, v *view, wait time.Duration) {
	minutes := max(1, int((wait+time.Minute-1)/time.Minute))
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()))))
	s.renderMessage(w, r, http.StatusTooManyRequests, v, message{Heading: v.T("server.error.rate_limited_title"),
		Text: v.T("server.error.rate_limited", "minutes", minutes)})
}

// findLink finds what the token of a link page opens (an invitation, the
// member of a reset), or answers the request itself and returns nil.
type findLink[T any] func(w http.ResponseWriter, r *http.Request, v *view, token string) *T

// renderLink renders a link page's form for what its token opened.
type renderLink[T any] func(w http.ResponseWriter, r *http.Request, status int, v *view, found *T, token string)

// getLinkPage answers GET on a link page (/invite/{token}, /reset/{token}).
func getLinkPage[T any](s *Server, w http.ResponseWriter, r *http.Request, find findLink[T], render renderLink[T]) {
	v := s.newView(r)
	token := r.PathValue("token")
	if found := find(w, r, v, token); found != nil {
		render(w, r, http.StatusOK, v, found, token)
	}
}

// beginLinkPost begins a post to the link page of kind ("invite" or
// "reset"): the per-address limit, the lookup of the token, the form, then
// the link's own limit. It returns false when it answered the request.
func beginLinkPost[T any](s *Server, w http.ResponseWriter, r *http.Request, kind string, find findLink[T]) (*view, string, *T, bool) {
	v := s.newView(r)
	token := r.PathValue("token")
	if !s.allowAddress(w, r, v) {
		return nil, "", nil, false
	}
	found := find(w, r, v, token)
	if found == nil || !s.parseForm(w, r, v) || !s.allowAccount(w, r, v, linkKey(kind, token)) {
		return nil, "", nil, false
	}
	return v, token, found, true
}

// linkKey is the rate limit key of a link token: its SHA-256, never the token.
func linkKey(kind, token string) string {
	h := sha256.Sum256([]byte(token))
	return kind + ":" + hex.EncodeToString(h[:])
}

// validTokenShape reports whether a link token looks like one Roster mints
// (256 bits, base64url), so that nonsense is refused before any lookup.
func validTokenShape(token string) bool {
	if len(token) != 43 {
		return false
	}
	for _, c := range token {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// dateTime is a moment as a page shows it: the text, and the machine
// form for a <time> element's datetime.
type dateTime struct {
	Text, ISO string
}

// formatDateTime renders a moment in the page's language, in UTC, saying
// so: the server does not know the reader's time zone (it would take
// script to learn it), and an unlabelled UTC date can be a day off theirs.
func (v *view) formatDateTime(t time.Time) dateTime {
	t = t.UTC()
	date := v.T("server.date", "day", t.Day(), "month", v.T("server.month."+strings.ToLower(t.Month().String())), "year", t.Year())
	return dateTime{Text: v.T("server.date_utc", "date", date, "time", t.Format("15:04")), ISO: t.Format(time.RFC3339)}
}
