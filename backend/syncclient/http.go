// Package syncclient is the desktop's side of its connection to a directory
// server: the HTTP client of the server's sync endpoints (Client, a
// backend.SyncTransport), and the connection's settings (Service): the
// server's address and this desktop's client id in the settings table, the
// administrator's API token in the OS keyring.
package syncclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"roster/backend"
	"roster/backend/msg"
)

// Ensure the interface is implemented.
var _ backend.SyncTransport = (*Client)(nil)

// ClientHeader names the desktop to the server; the server records it as
// the actor's client in the audit log.
const ClientHeader = "Roster-Client"

// DefaultTimeout bounds one request, from connecting to the answer's last byte.
const DefaultTimeout = 60 * time.Second

// DefaultMaxResponse bounds the body of an answer: a page of 5,000 changes
// with their audit entries' before and after fits many times over.
const DefaultMaxResponse = 64 << 20

// MaxTokenLength is the longest API token the server takes.
const MaxTokenLength = 256

// maxErrorBody bounds the body of an error answer that is read.
const maxErrorBody = 64 << 10

// The paths of the sync endpoints below a server's base address.
const (
	pathHello = "/api/v1/sync/hello"
	pathPush  = "/api/v1/sync/push"
	pathPull  = "/api/v1/sync/pull"
)

// Options adjust a Client; the zero value is fine.
type Options struct {
	// Name is sent as the Roster-Client header (default ClientName()).
	Name string
	// Timeout bounds each request (default DefaultTimeout).
	Timeout time.Duration
	// MaxResponse bounds an answer's body in bytes (default DefaultMaxResponse).
	MaxResponse int64
	// RootCAs, if set, are the certificate authorities trusted for https
	// (tests); the system's by default.
	RootCAs *x509.CertPool
}

// Client is a directory server's sync API, reached at a base address with
// an administrator's API token. The token goes only into the Authorization
// header: never into an error, a log line or a DTO.
type Client struct {
	base        string // normalised, no trailing slash
	token       string
	name        string
	maxResponse int64
	http        *http.Client
}

// maxClientName is the longest Roster-Client header the server takes, in characters.
const maxClientName = 200

// ClientName is the desktop's name for the server's audit log: "Roster on
// <hostname>".
func ClientName() string {
	host, _ := os.Hostname()
	return clientName(host)
}

// clientName names the desktop on host as the server takes it: without
// control characters, at most maxClientName characters.
func clientName(host string) string {
	host = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, host)
	if host == "" {
		return "Roster"
	}
	name := []rune("Roster on " + host)
	if len(name) > maxClientName {
		name = name[:maxClientName]
	}
	return string(name)
}

// New returns the client of the server at rawURL with token. EINVALID with
// field "url" or "token" when either cannot be used (ParseServerURL,
// CheckToken).
func New(rawURL, token string, opt Options) (*Client, error) {
	base, err := ParseServerURL(rawURL)
	if err != nil {
		return nil, err
	}
	if err := CheckToken(token); err != nil {
		return nil, err
	}
	if opt.Name == "" {
		opt.Name = ClientName()
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxResponse <= 0 {
		opt.MaxResponse = DefaultMaxResponse
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if opt.RootCAs != nil {
		transport.TLSClientConfig = &tls.Config{RootCAs: opt.RootCAs, MinVersion: tls.VersionTLS12}
	}
	return &Client{
		base:        base,
		token:       token,
		name:        opt.Name,
		maxResponse: opt.MaxResponse,
		http: &http.Client{
			Transport: transport,
			Timeout:   opt.Timeout,
			// A redirect is reported, not followed: the token goes to the
			// address the administrator entered and nowhere else.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// Server returns the base address the client talks to.
func (c *Client) Server() string { return c.base }

// ParseServerURL checks a directory server's base address and returns it
// normalised (lower-case scheme and host, no trailing slash): an absolute
// https URL, or http for a server on this machine only, since over plain
// http the token would travel unencrypted; no user name, query or
// fragment. EINVALID with field "url".
func ParseServerURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", backend.MsgSyncUrlMissing.FieldError(backend.EINVALID, "url")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 || strings.ContainsAny(s, " \"<>\\^`{|}") {
		return "", backend.MsgSyncUrlInvalid.FieldError(backend.EINVALID, "url")
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return "", backend.MsgSyncUrlInvalid.FieldError(backend.EINVALID, "url")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "https":
	case "http":
		if u.Host != "" && !backend.IsLoopbackHost(u.Hostname()) {
			return "", backend.MsgSyncUrlHttps.FieldError(backend.EINVALID, "url")
		}
	default:
		return "", backend.MsgSyncUrlScheme.FieldError(backend.EINVALID, "url", "scheme", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", backend.MsgSyncUrlInvalid.FieldError(backend.EINVALID, "url")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", backend.MsgSyncUrlInvalid.FieldError(backend.EINVALID, "url")
		}
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", backend.MsgSyncUrlExtra.FieldError(backend.EINVALID, "url")
	}
	u.Host = strings.ToLower(u.Host)
	return strings.TrimRight(u.String(), "/"), nil
}

// CheckToken checks that token can be an API token: not empty, at most
// MaxTokenLength characters, no spaces or control characters. EINVALID
// with field "token"; the error never holds the token.
func CheckToken(token string) error {
	switch {
	case token == "":
		return backend.MsgSyncTokenMissing.FieldError(backend.EINVALID, "token")
	case len(token) > MaxTokenLength, strings.IndexFunc(token, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r > unicode.MaxASCII
	}) >= 0:
		return backend.MsgSyncTokenInvalid.FieldError(backend.EINVALID, "token", "max", MaxTokenLength)
	}
	return nil
}

// Hello asks the server who it is, which organisation it manages and whose
// the token is (GET /api/v1/sync/hello).
func (c *Client) Hello(ctx context.Context) (*backend.SyncHello, error) {
	var h backend.SyncHello
	if err := c.do(ctx, http.MethodGet, pathHello, nil, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// Push sends a batch of operations (POST /api/v1/sync/push). An error
// means the whole request failed and nothing is known about the batch;
// the refusals of single operations are in the result's Conflicts.
func (c *Client) Push(ctx context.Context, req *backend.PushRequest) (*backend.PushResult, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	var res backend.PushResult
	if err := c.do(ctx, http.MethodPost, pathPush, body, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Pull fetches a page of the server's changes after cursor (GET
// /api/v1/sync/pull); limit 0 leaves the page size to the server.
func (c *Client) Pull(ctx context.Context, client string, cursor int64, limit int) (*backend.PullResult, error) {
	q := url.Values{}
	q.Set("client", client)
	q.Set("cursor", strconv.FormatInt(cursor, 10))
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var res backend.PullResult
	if err := c.do(ctx, http.MethodGet, pathPull+"?"+q.Encode(), nil, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// do sends one request and decodes a successful answer into out; any
// failure becomes a coded error (see answerError and transportError).
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("sync %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set(ClientHeader, c.name)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.answerError(resp)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxResponse+1))
	if err != nil {
		return c.transportError(ctx, err)
	}
	if int64(len(data)) > c.maxResponse {
		return backend.MsgSyncAnswerTooLarge.Error(backend.EUNAVAILABLE, "server", c.base, "max", c.maxResponse)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w (%v)", backend.MsgSyncBadAnswer.Error(backend.EUNAVAILABLE, "server", c.base, "status", resp.StatusCode), err)
	}
	return nil
}

// transportError maps a failure to reach the server or to read its answer:
// a timeout, an untrusted certificate, anything else as unreachable, all
// EUNAVAILABLE. The cause (which never holds the token: it is only in a
// header) stays in the chain for the log. A cancelled ctx is returned as it is.
func (c *Client) transportError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("sync: %w", ctx.Err())
	}
	var (
		netErr   net.Error
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		coded    *backend.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		coded = backend.MsgSyncTimeout.Error(backend.EUNAVAILABLE, "server", c.base)
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid):
		coded = backend.MsgSyncCertificate.Error(backend.EUNAVAILABLE, "server", c.base, "reason", certificateReason(err))
	default:
		coded = backend.MsgSyncUnreachable.Error(backend.EUNAVAILABLE, "server", c.base)
	}
	return fmt.Errorf("%w (%v)", coded, err)
}

// certificateReason is the verification's own words, without Go's prefixes.
func certificateReason(err error) string {
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) && verify.Err != nil {
		return verify.Err.Error()
	}
	return err.Error()
}

// errorAnswer is the body of the server's error answers (apiFail).
type errorAnswer struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Key     string         `json:"key"`
		Args    map[string]any `json:"args"`
		Field   string         `json:"field"`
	} `json:"error"`
}

// answerError maps an answer that is not a success: 401 says the token is
// refused; a redirect names where it leads; the server's coded error comes
// back with its code, key and arguments; its internal errors and answers
// that are not the server's JSON become the sentences of this package.
func (c *Client) answerError(resp *http.Response) error {
	status := resp.StatusCode
	if status == http.StatusUnauthorized {
		return backend.MsgSyncTokenRefused.FieldError(backend.EFORBIDDEN, "token", "server", c.base)
	}
	if status >= 300 && status <= 399 {
		location := resp.Header.Get("Location")
		if loc, err := resp.Location(); err == nil {
			location = loc.Redacted()
		}
		return backend.MsgSyncRedirect.FieldError(backend.EINVALID, "url", "server", c.base, "location", location)
	}
	var a errorAnswer
	dec := json.NewDecoder(io.LimitReader(resp.Body, maxErrorBody))
	dec.UseNumber() // 1000000 stays "1000000" in the text, not "1e+06"
	if dec.Decode(&a) != nil || a.Error.Code == "" || a.Error.Key == "" {
		if status >= 500 {
			return backend.MsgSyncServerFailed.Error(backend.EUNAVAILABLE, "server", c.base, "status", status)
		}
		return backend.MsgSyncBadAnswer.Error(backend.EUNAVAILABLE, "server", c.base, "status", status)
	}
	e := a.Error
	switch {
	case status == http.StatusNotFound && e.Key == backend.MsgApiNotFound.Key:
		// A server from before sync has no such route.
		return backend.MsgSyncNotSupported.Error(backend.EUNAVAILABLE, "server", c.base)
	case !knownCode(e.Code) || e.Code == backend.EINTERNAL:
		return backend.MsgSyncServerFailed.Error(backend.EUNAVAILABLE, "server", c.base, "status", status)
	}
	message := e.Message
	if backend.LookupMessage(e.Key) != nil {
		message = msg.T("en", "errors."+e.Key, e.Args)
	}
	return &backend.Error{Code: e.Code, Message: message, Field: e.Field, Key: e.Key, Args: e.Args}
}

// knownCode reports whether code is one of the backend's error codes.
func knownCode(code string) bool {
	switch code {
	case backend.ECANCELED, backend.ECONFLICT, backend.EFORBIDDEN, backend.EINTERNAL,
		backend.EINVALID, backend.ENOTFOUND, backend.EUNAVAILABLE:
		return true
	}
	return false
}
