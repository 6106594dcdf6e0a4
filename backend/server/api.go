package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sirupsen/logrus"

	"roster/backend"
)

// The admin API lives under apiPrefix; its description is at apiPrefix + "/openapi.json".
const apiPrefix = "/api/v1"

// codeUnauthorized is the API's error code for a missing, unknown or
// revoked token. The other codes are the backend's.
const codeUnauthorized = "unauthorized"

// maxAPIBody bounds the body of an API request; every request body of the
// API is one small object.
const maxAPIBody = 64 << 10

// maxClientLength bounds the Roster-Client header, in characters.
const maxClientLength = 200

// clientHeader names the program that calls the API, such as "Roster
// desktop 1.4 on ada-laptop". It is recorded with the actor.
const clientHeader = "Roster-Client"

// apiHandler handles one API operation. It returns the status and the body
// to send as JSON (nil for none), or an error.
type apiHandler func(w http.ResponseWriter, r *http.Request) (int, any, error)

// apiRoute is one operation of the admin API: a method and a path pattern
// of http.ServeMux below apiPrefix.
type apiRoute struct {
	method, path string
	handle       apiHandler
	// public operations need no token.
	public bool
}

// apiRoutes is every operation of the admin API; the router serves exactly
// these, and the description at /api/v1/openapi.json describes exactly these.
func (s *Server) apiRoutes() []apiRoute {
	return []apiRoute{
		{method: "GET", path: "/openapi.json", handle: s.apiDescription, public: true},
		{method: "GET", path: "/users", handle: s.apiFindUsers},
		{method: "GET", path: "/users/{id}", handle: s.apiFindUser},
		{method: "PATCH", path: "/users/{id}", handle: s.apiUpdateUser},
		{method: "DELETE", path: "/users/{id}", handle: s.apiRemoveUser},
		{method: "POST", path: "/users/{id}/password-resets", handle: s.apiSendPasswordReset},
		{method: "GET", path: "/roles", handle: s.apiFindRoles},
		{method: "POST", path: "/roles", handle: s.apiCreateRole},
		{method: "PATCH", path: "/roles/{id}", handle: s.apiUpdateRole},
		{method: "DELETE", path: "/roles/{id}", handle: s.apiDeleteRole},
		{method: "GET", path: "/invitations", handle: s.apiFindInvitations},
		{method: "POST", path: "/invitations", handle: s.apiInviteUser},
		{method: "GET", path: "/invitations/{id}", handle: s.apiFindInvitation},
		{method: "DELETE", path: "/invitations/{id}", handle: s.apiDeleteInvitation},
		{method: "POST", path: "/invitations/{id}/resend", handle: s.apiResendInvitation},
		{method: "GET", path: "/audit", handle: s.apiFindAuditEntries},
		{method: "POST", path: "/sync/push", handle: s.apiSyncPush},
		{method: "GET", path: "/sync/hello", handle: s.apiSyncHello},
		{method: "GET", path: "/sync/pull", handle: s.apiSyncPull},
	}
}

// checkAPIServices says which service the admin API lacks, if any.
func checkAPIServices(svc Services) error {
	for name, missing := range map[string]bool{"Roles": svc.Roles == nil, "Audit": svc.Audit == nil,
		"HashedLinks": svc.HashedLinks == nil, "Users": svc.Users == nil, "Invitations": svc.Invitations == nil,
		"SyncFeed": svc.SyncFeed == nil} {
		if missing {
			return fmt.Errorf("the admin API needs the %s service", name)
		}
	}
	return nil
}

// mountAPI adds the admin API's routes to mux.
func (s *Server) mountAPI(mux *http.ServeMux) error {
	if err := checkAPIServices(s.svc); err != nil {
		return err
	}
	desc, err := newAPIDescription(s.base + apiPrefix)
	if err != nil {
		return err
	}
	s.apiDesc = desc
	s.apiTokens = newKeyLimiter(s.cfg.Limits.APIRate, s.cfg.Limits.APIBurst)
	s.apiFails = newSharedLimiter(s.svc.RateLimits, s.cfg.Limits.Address)
	for _, rt := range s.apiRoutes() {
		mux.Handle(rt.method+" "+apiPrefix+rt.path, s.apiServe(rt))
	}
	return nil
}

// apiServe runs an operation: it authenticates the request unless the
// operation is public, and writes the answer or the error as JSON.
func (s *Server) apiServe(rt apiRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !rt.public {
			var ok bool
			if r, ok = s.apiAuthenticate(w, r); !ok {
				return
			}
		}
		status, body, err := rt.handle(w, r)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.writeJSON(w, status, body)
	})
}

// bearerToken returns the token of an Authorization: Bearer header, and
// whether there was such a header at all.
func bearerToken(r *http.Request) (token string, present bool) {
	values := r.Header.Values("Authorization")
	if len(values) == 0 {
		return "", false
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if len(values) > 1 || !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}

// apiAuthenticate checks the request's bearer token and the limits of its
// address and token. It returns the request with the token's Administrator
// as the actor of its context, or answers the request itself.
//
// Failed authentications count against the address in the database; once
// it says the address has none left, this process refuses the address
// before looking at its token, until the window ends. Another process
// learns it at the address's next failure there, so N processes look at
// no more than N-1 tokens beyond the limit per window.
func (s *Server) apiAuthenticate(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	now := time.Now()
	addr := "api:" + addressKey(s.client(r))
	if until, spent := s.apiFails.spentUntil(addr, now); spent {
		s.logger(r).Warn("rate limited: API authentication")
		s.apiTooMany(w, r, until.Sub(now))
		return nil, false
	}
	token, present := bearerToken(r)
	refuse := func(err *backend.Error, challenge string) (*http.Request, bool) {
		if _, herr := s.apiFails.hit(r.Context(), addr, now); herr != nil {
			s.apiFail(w, r, herr)
			return nil, false
		}
		w.Header().Set("WWW-Authenticate", challenge)
		s.apiError(w, r, http.StatusUnauthorized, err)
		return nil, false
	}
	if !present {
		return refuse(backend.MsgApiUnauthorized.Error(codeUnauthorized), `Bearer realm="Roster"`)
	}
	invalid := backend.MsgApiTokenInvalid.Error(codeUnauthorized)
	const invalidChallenge = `Bearer realm="Roster", error="invalid_token"`
	if token == "" || len(token) > 256 {
		return refuse(invalid, invalidChallenge)
	}
	tok, u, err := s.svc.APITokens.AuthenticateAPIToken(r.Context(), token)
	switch backend.ErrorCode(err) {
	case "":
	case backend.ENOTFOUND:
		return refuse(invalid, invalidChallenge)
	case backend.EFORBIDDEN:
		s.apiError(w, r, http.StatusForbidden, backend.AsError(err))
		return nil, false
	default:
		s.apiFail(w, r, err)
		return nil, false
	}
	if !s.apiTokens.take(tok.ID, now) {
		s.logger(r).WithField("token", tok.ID).Warn("rate limited: API token")
		s.apiTooMany(w, r, time.Duration(float64(time.Second)/float64(s.cfg.Limits.APIRate)))
		return nil, false
	}
	client := strings.TrimSpace(r.Header.Get(clientHeader))
	if utf8.RuneCountInString(client) > maxClientLength || strings.IndexFunc(client, unicode.IsControl) >= 0 || !utf8.ValidString(client) {
		s.apiError(w, r, http.StatusBadRequest, backend.MsgApiBadClient.FieldError(backend.EINVALID, clientHeader, "header", clientHeader, "max", maxClientLength))
		return nil, false
	}
	// Until the audit log has a column for it, the client is recorded here,
	// beside the request id that the request's own log line carries.
	s.logger(r).WithFields(logrus.Fields{"actor": u.ID, "token": tok.ID, "client": client}).Info("api call")
	ctx := backend.NewContextWithActor(r.Context(), backend.Actor{ID: u.ID, Name: u.Name, Client: client})
	return r.WithContext(ctx), true
}

// apiTooMany answers 429 with the wait, in whole seconds (at least one),
// until a request is allowed again.
func (s *Server) apiTooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	seconds := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(seconds))
	s.apiError(w, r, http.StatusTooManyRequests, backend.MsgApiRateLimited.Error(backend.EUNAVAILABLE, "seconds", seconds))
}

// requestError is an error in the request itself (its body, its query), with
// the status it is answered with.
type requestError struct {
	status int
	err    *backend.Error
}

func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

func badRequest(status int, e *backend.Error) error {
	return &requestError{status: status, err: e}
}

// apiStatus is the HTTP status of an error code.
func apiStatus(code string) int {
	switch code {
	case backend.EINVALID:
		return http.StatusUnprocessableEntity
	case backend.ENOTFOUND:
		return http.StatusNotFound
	case backend.ECONFLICT:
		return http.StatusConflict
	case backend.EFORBIDDEN:
		return http.StatusForbidden
	case backend.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case codeUnauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// apiFail answers with an error: a request error with its status, a coded
// error with the status of its code, anything else as internal (logged in
// full, answered with a short sentence).
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	if errors.As(err, &re) {
		s.apiError(w, r, re.status, re.err)
		return
	}
	e := backend.AsError(err)
	if e == nil || e.Code == backend.EINTERNAL {
		s.logger(r).WithError(err).Error("internal error in an API call")
		e = backend.MsgInternal.Error(backend.EINTERNAL)
	}
	if e.Code == backend.EUNAVAILABLE {
		s.logger(r).WithError(err).Warn("database unavailable")
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterBusy))
	}
	s.apiError(w, r, apiStatus(e.Code), e)
}

// errorDTO is the body of every error answer of the API.
type errorDTO struct {
	Error errorDetailDTO `json:"error"`
}

// errorDetailDTO is a coded error as the desktop knows it.
type errorDetailDTO struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Key     string         `json:"key"`
	Args    map[string]any `json:"args"`
	Field   string         `json:"field"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, status int, e *backend.Error) {
	args := e.Args
	if args == nil {
		args = map[string]any{}
	}
	s.writeJSON(w, status, errorDTO{Error: errorDetailDTO{Code: e.Code, Message: e.Message, Key: e.Key, Args: args, Field: e.Field}})
}

// writeJSON writes body as JSON with status; a nil body writes none.
func (s *Server) writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// apiNoRoute answers a path of the API that has no operation for the
// method (405 with Allow) or none at all (404).
func (s *Server) apiNoRoute(w http.ResponseWriter, r *http.Request, allowed []string) {
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.apiError(w, r, http.StatusMethodNotAllowed, backend.MsgApiMethod.Error(backend.EINVALID, "method", r.Method, "allowed", strings.Join(allowed, ", ")))
		return
	}
	s.apiError(w, r, http.StatusNotFound, backend.MsgApiNotFound.Error(backend.ENOTFOUND))
}

// decodeJSON reads a request body of one JSON object into dst: bounded,
// with no field dst does not have and nothing after the object.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	return decodeJSONUpTo(w, r, dst, maxAPIBody)
}

// decodeJSONUpTo is decodeJSON for a body of up to limit bytes.
func decodeJSONUpTo(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return badRequest(http.StatusUnsupportedMediaType, backend.MsgApiContentType.Error(backend.EINVALID))
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err = dec.Decode(dst)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			err = errors.New("more than one value")
		}
	}
	if err == nil {
		return nil
	}
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return badRequest(http.StatusRequestEntityTooLarge, backend.MsgApiTooLarge.Error(backend.EINVALID, "max", limit))
	case errors.As(err, &typeErr) && typeErr.Field != "":
		want := jsonType(typeErr.Type.String())
		return badRequest(http.StatusBadRequest, backend.MsgApiWrongType.FieldError(backend.EINVALID, typeErr.Field, "field", typeErr.Field, "type", want))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return badRequest(http.StatusBadRequest, backend.MsgApiUnknownField.FieldError(backend.EINVALID, field, "field", field))
	}
	return badRequest(http.StatusBadRequest, backend.MsgApiBadJson.Error(backend.EINVALID))
}

// jsonType names the JSON type of a Go type the API decodes into.
func jsonType(goType string) string {
	switch {
	case goType == "string" || strings.HasSuffix(goType, "Permission"):
		return "string"
	case goType == "bool":
		return "boolean"
	case strings.HasPrefix(goType, "[]"):
		return "array"
	case strings.HasPrefix(goType, "int"):
		return "number"
	}
	return "object"
}

// queryParams reads a request's query, refusing a parameter that is not
// among names or that is given more than once.
func queryParams(r *http.Request, names ...string) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest(http.StatusBadRequest, backend.MsgApiBadQuery.Error(backend.EINVALID))
	}
	for name, values := range v {
		known := false
		for _, n := range names {
			known = known || n == name
		}
		if !known || len(values) > 1 {
			return nil, badRequest(http.StatusBadRequest, backend.MsgApiUnknownParameter.FieldError(backend.EINVALID, name, "name", name))
		}
	}
	return v, nil
}

// optional returns a query parameter, nil when absent or empty.
func optional(v url.Values, name string) *string {
	if s := v.Get(name); s != "" {
		return &s
	}
	return nil
}

// optionalAs returns a query parameter as a T (an enumeration), nil when
// absent or empty.
func optionalAs[T ~string](v url.Values, name string) *T {
	if s := v.Get(name); s != "" {
		t := T(s)
		return &t
	}
	return nil
}

// The bounds of a list's paging.
const (
	defaultLimit = 100
	maxLimit     = 500
	maxOffset    = 1_000_000_000
)

// intParam reads a whole number from min to max, def when absent.
func intParam(v url.Values, name string, def, min, max int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, badRequest(http.StatusBadRequest, backend.MsgApiBadNumber.FieldError(backend.EINVALID, name, "name", name, "min", min, "max", max))
	}
	return n, nil
}

// boolParam reads true or false, false when absent.
func boolParam(v url.Values, name string) (bool, error) {
	switch v.Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, badRequest(http.StatusBadRequest, backend.MsgApiWrongType.FieldError(backend.EINVALID, name, "field", name, "type", "boolean"))
}

// page reads the offset and limit of a list.
func page(v url.Values) (offset, limit int, err error) {
	if offset, err = intParam(v, "offset", 0, 0, maxOffset); err != nil {
		return 0, 0, err
	}
	limit, err = intParam(v, "limit", defaultLimit, 1, maxLimit)
	return offset, limit, err
}

// sortAndPage reads what orders and pages a list (sort, desc, offset and
// limit) into a filter's fields.
func sortAndPage(v url.Values, sort *backend.SortOrder, offset, limit *int) error {
	sort.Column = v.Get("sort")
	var err error
	if sort.Desc, err = boolParam(v, "desc"); err != nil {
		return err
	}
	*offset, *limit, err = page(v)
	return err
}

// apiTime renders a time as the API sends it: RFC 3339, UTC, milliseconds.
func apiTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// apiTimePtr renders an optional time, nil when absent.
func apiTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := apiTime(*t)
	return &s
}
