// Package server is Roster's directory server over HTTP: the pages where
// invitees register (/invite/{token}), members reset their password
// (/reset/{token}) or ask for a link to do so (/forgot), sign in (/login)
// and see their account (/account), and the admin API for Roster desktops
// (/api/v1, described at /api/v1/openapi.json). Its handlers call the
// backend's service interfaces, never storage directly, and render every
// text through package msg.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/time/rate"

	"roster/backend"
	"roster/backend/password"
)

// Config is how the server is set up.
type Config struct {
	// BaseURL is the public URL every link and redirect is built from; the
	// Host header of a request is never used for that.
	BaseURL *url.URL
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// when the client's address is needed (rate limits, logs).
	TrustedProxies []netip.Prefix
	// Hasher hashes new passwords; nil means password.NewHasher().
	Hasher *password.Hasher
	// Limits are the rate limits; the zero value means DefaultLimits.
	Limits Limits
	// MailQueued, if set, is called after a request queued an email (the
	// password-changed notice), to wake the mail worker.
	MailQueued func()
	// OIDC, if set, makes the server an OpenID Connect provider (oidc.go).
	OIDC *OIDCConfig
}

// Limits are the rate limits (see limit.go for where each one is kept).
// Every form post, and every failed authentication of the admin API,
// counts against its client address; sign-in, registration, reset and
// password change attempts also count against their account or link. Those
// counts are in the database, so every server process on it shares them.
type Limits struct {
	Address Window
	Account Window
	// Forgot limits the reset emails that "Forgot your password?" sends
	// to one address (forgot.go).
	Forgot Window
	// APIRate and APIBurst limit the admin API's requests per token, in
	// this process.
	APIRate  rate.Limit
	APIBurst int
}

// Window is a limit of Attempts per Per, counted in fixed windows.
type Window struct {
	Attempts int
	Per      time.Duration
}

// DefaultLimits allow 60 form posts (or failed API authentications) per
// address in 10 minutes, 10 attempts per account or link in 15 minutes,
// 3 reset emails per account in an hour, and a burst of 200 API requests
// per token, then 20 a second.
var DefaultLimits = Limits{
	Address: Window{Attempts: 60, Per: 10 * time.Minute},
	Account: Window{Attempts: 10, Per: 15 * time.Minute},
	Forgot:  Window{Attempts: 3, Per: time.Hour},
	APIRate: 20, APIBurst: 200,
}

// withDefaults returns l with DefaultLimits' values for each limit left
// zero, in whole or in part.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	for _, w := range []struct{ got, def *Window }{{&l.Address, &d.Address}, {&l.Account, &d.Account}, {&l.Forgot, &d.Forgot}} {
		if w.got.Attempts == 0 || w.got.Per == 0 {
			*w.got = *w.def
		}
	}
	if l.APIRate == 0 || l.APIBurst == 0 {
		l.APIRate, l.APIBurst = d.APIRate, d.APIBurst
	}
	return l
}

// Services are the backend services the handlers use: a storage's. Without
// APITokens the server has no admin API; with it, the API also needs
// Roles, Audit and HashedLinks. Ping reports whether the storage answers,
// for /readyz.
type Services = backend.Storage

// Server is the directory server's HTTP handler.
type Server struct {
	cfg      Config
	svc      Services
	log      *logrus.Logger
	hasher   *password.Hasher
	base     string // BaseURL without a trailing slash
	basePath string // BaseURL's path without a trailing slash, "" at the root
	secure   bool   // BaseURL is https: cookies are Secure, HSTS is sent
	cookie   string // the session cookie's name
	handler  http.Handler
	// The limits of form posts per address and of attempts per account or
	// link, shared through the database.
	addresses *sharedLimiter
	accounts  *sharedLimiter
	// The limit of reset emails per address, and the requests for them
	// handled after their answer (forgot.go).
	forgotLimit *sharedLimiter
	forgotWork  *background
	// The admin API's description and its limits per token (in this
	// process) and per address of failed authentications (shared).
	apiDesc   []byte
	apiTokens *keyLimiter
	apiFails  *sharedLimiter
	// oidc is the OpenID Connect provider, if there is one.
	oidc *oidcProvider
}

// New returns a Server, or an error for an unusable configuration. A nil
// log discards the log.
func New(cfg Config, svc Services, log *logrus.Logger) (*Server, error) {
	if log == nil {
		log = logrus.New()
		log.SetOutput(io.Discard)
	}
	u := cfg.BaseURL
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, errors.New("the base URL must be an absolute http or https URL without user, query or fragment, like https://id.example.com")
	}
	if cfg.Hasher == nil {
		cfg.Hasher = password.NewHasher()
	}
	cfg.Limits = cfg.Limits.withDefaults()
	s := &Server{cfg: cfg, svc: svc, log: log, hasher: cfg.Hasher,
		basePath: strings.TrimSuffix(u.EscapedPath(), "/"), secure: u.Scheme == "https"}
	s.base = u.Scheme + "://" + u.Host + s.basePath
	switch {
	case s.secure && s.basePath == "":
		s.cookie = "__Host-roster_session"
	case s.secure:
		s.cookie = "__Secure-roster_session"
	default:
		s.cookie = "roster_session"
	}
	s.addresses = newSharedLimiter(svc.RateLimits, cfg.Limits.Address)
	s.accounts = newSharedLimiter(svc.RateLimits, cfg.Limits.Account)
	s.forgotLimit = newSharedLimiter(svc.RateLimits, cfg.Limits.Forgot)
	s.forgotWork = newBackground(maxForgotInFlight)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /static/style.css", s.styleCSS)
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /invite/{token}", s.getInvite)
	mux.HandleFunc("POST /invite/{token}", s.postInvite)
	mux.HandleFunc("GET /reset/{token}", s.getReset)
	mux.HandleFunc("POST /reset/{token}", s.postReset)
	mux.HandleFunc("GET /login", s.getLogin)
	mux.HandleFunc("POST /login", s.postLogin)
	mux.HandleFunc("GET /forgot", s.getForgot)
	mux.HandleFunc("POST /forgot", s.postForgot)
	mux.HandleFunc("GET /account", s.getAccount)
	mux.HandleFunc("POST /account/password", s.postPassword)
	mux.HandleFunc("POST /logout", s.postLogout)
	if svc.APITokens != nil {
		if err := s.mountAPI(mux); err != nil {
			return nil, err
		}
	}
	if cfg.OIDC != nil {
		p, err := s.newOIDC(*cfg.OIDC)
		if err != nil {
			return nil, err
		}
		s.oidc = p
		s.mountOIDC(mux)
	}
	mux.HandleFunc("/", s.noRoute(mux, "/"))

	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	cop.SetDenyHandler(http.HandlerFunc(s.denyCrossOrigin))
	if s.oidc != nil {
		for _, path := range oidcBypass {
			cop.AddInsecureBypassPattern(path)
		}
	}
	var h http.Handler = cop.Handler(mux)
	if s.basePath != "" {
		h = http.StripPrefix(s.basePath, h)
	}
	s.handler = s.logRequests(s.recoverPanics(securityHeaders(h, s.secure)))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// url returns the public URL of a path of the server.
func (s *Server) url(path string) string {
	return s.base + path
}

// ShutdownTimeout is how long Serve waits for requests in flight to finish.
const ShutdownTimeout = 20 * time.Second

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully, waiting also for the reset requests still being handled
// after their answer. With certFile and keyFile it serves TLS.
func (s *Server) Serve(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	s.forgotWork.wait()
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// RunJanitor deletes expired sessions, ended rate limit windows and the
// OpenID Connect provider's expired requests, tokens and keys every
// interval until ctx is done.
func (s *Server) RunJanitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := s.svc.Sessions.PurgeSessions(ctx); err != nil {
			s.log.WithError(err).Error("purge sessions")
		} else if n > 0 {
			s.log.WithField("sessions", n).Info("purged expired sessions")
		}
		if _, err := s.svc.RateLimits.PurgeRateLimits(ctx); err != nil {
			s.log.WithError(err).Error("purge rate limits")
		}
		if s.oidc != nil {
			if n, err := s.svc.OIDC.PurgeOIDC(ctx); err != nil {
				s.log.WithError(err).Error("purge openid connect state")
			} else if n > 0 {
				s.log.WithField("rows", n).Info("purged expired openid connect requests, tokens and keys")
			}
		}
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.logger(r).WithError(err).Error("not ready")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ready")
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.url("/account"), http.StatusSeeOther)
}
