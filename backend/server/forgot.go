package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
)

// "Forgot your password?" (/forgot) follows OWASP's Forgot Password Cheat
// Sheet: every well-formed address gets the same answer, in the same time,
// whether or not it belongs to an active member.
//
// The answer is the same page with the same notice, and the request path
// does the same work for every address: the per-address limit, the form,
// the address's syntax, then it hands the address to a goroutine and
// answers. Only that goroutine, after the answer was sent, looks the
// address up; for an active member it issues the reset exactly as an
// administrator's does (SendPasswordReset: older links void, the email with
// the link sealed in the outbox, the audit entry, here by the member
// themself through "self-service"). A fixed minimum duration would not be
// enough: a slow database or a busy machine makes the known path slower
// than any floor chosen in advance, and the difference shows again.
//
// Each account gets at most Limits.Forgot reset emails; the count is kept
// per address (its SHA-256), for known and unknown ones alike, so that a
// mailbox cannot be flooded and the count itself tells nothing. Beyond it
// nothing is sent, with the same answer.

// selfService is the Client of the audit entries of resets a member asked
// for themself.
const selfService = "self-service"

// maxForgotInFlight bounds the reset requests handled at once; beyond it a
// request is dropped (and logged), with the same answer: the per-address
// limit keeps one client far below it.
const maxForgotInFlight = 64

// forgotTimeout bounds the background handling of one reset request.
const forgotTimeout = 30 * time.Second

// forgotData is the "Forgot your password?" page's Data.
type forgotData struct {
	Action, LoginURL string
}

// background tracks the work a request left running after its answer, so
// that Serve can wait for it before it returns.
type background struct {
	slots chan struct{}
	wg    sync.WaitGroup
}

func newBackground(n int) *background {
	return &background{slots: make(chan struct{}, n)}
}

// start runs f in a goroutine of its own, or says it could not because n
// are running already.
func (b *background) start(f func()) bool {
	select {
	case b.slots <- struct{}{}:
	default:
		return false
	}
	b.wg.Add(1)
	go func() {
		defer func() {
			<-b.slots
			b.wg.Done()
		}()
		f()
	}()
	return true
}

// wait waits until every goroutine started has returned.
func (b *background) wait() {
	b.wg.Wait()
}

func (s *Server) getForgot(w http.ResponseWriter, r *http.Request) {
	s.renderForgot(w, r, http.StatusOK, s.newView(r))
}

func (s *Server) renderForgot(w http.ResponseWriter, r *http.Request, status int, v *view) {
	v.Title = v.T("server.forgot.title")
	v.Data = forgotData{Action: s.url("/forgot"), LoginURL: s.url("/login")}
	s.render(w, r, status, "forgot", v)
}

func (s *Server) postForgot(w http.ResponseWriter, r *http.Request) {
	v := s.newView(r)
	if !s.allowAddress(w, r, v) || !s.parseForm(w, r, v) {
		return
	}
	email, ok := v.formValue(r, "email")
	v.values["email"] = email
	if !ok {
		s.renderForgot(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	addr, err := backend.ParseEmail(email)
	if err != nil {
		v.fieldError(err, map[string]string{"email": "email"})
		s.renderForgot(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	// The answer goes out first, the same for every address (not even the
	// address is shown back); the work for the address begins once it was
	// sent.
	delete(v.values, "email")
	v.Notice = v.T("server.forgot.sent", "hours", int(backend.PasswordResetLifetime/time.Hour))
	s.renderForgot(w, r, http.StatusOK, v)
	http.NewResponseController(w).Flush()
	log := s.logger(r)
	ctx := context.WithoutCancel(mailContext(r))
	if !s.forgotWork.start(func() { s.sendForgotten(ctx, log, addr) }) {
		log.WithField("outcome", "dropped").Warn("password reset request not handled: too many at once")
	}
}

// sendForgotten issues a reset for the active member of addr, if there is
// one and the address has an email left, and logs one line saying what
// came of it (never the address).
func (s *Server) sendForgotten(ctx context.Context, log *logrus.Entry, addr backend.Email) {
	ctx, cancel := context.WithTimeout(ctx, forgotTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			log.WithField("panic", v).Error("password reset request panicked")
		}
	}()
	outcome, user, err := s.issueForgotten(ctx, addr)
	entry := log.WithField("outcome", outcome)
	if user != "" {
		entry = entry.WithField("user", user)
	}
	if err != nil {
		entry.WithError(err).Error("password reset request failed")
		return
	}
	entry.Info("password reset request handled")
}

// issueForgotten does sendForgotten's work and says what came of it: "sent"
// (the email is queued), "limited", "no_active_account" or "failed".
func (s *Server) issueForgotten(ctx context.Context, addr backend.Email) (outcome, user string, err error) {
	now := time.Now()
	key := forgotKey(addr)
	if _, spent := s.forgotLimit.spentUntil(key, now); spent {
		return "limited", "", nil
	}
	lim, err := s.forgotLimit.hit(ctx, key, now)
	if err != nil {
		return "failed", "", err
	}
	if !lim.Allowed {
		return "limited", "", nil
	}
	cred, err := s.svc.Credentials.FindCredentialByEmail(ctx, addr.Address)
	switch {
	case backend.ErrorCode(err) == backend.ENOTFOUND:
		return "no_active_account", "", nil
	case err != nil:
		return "failed", "", err
	case cred.User.Status != backend.UserActive:
		return "no_active_account", "", nil
	}
	u := cred.User
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name, Client: selfService})
	switch _, err := s.svc.Resets.SendPasswordReset(ctx, u.ID); backend.ErrorCode(err) {
	case "":
	case backend.ENOTFOUND, backend.EFORBIDDEN: // removed or deactivated meanwhile
		return "no_active_account", u.ID, nil
	default:
		return "failed", u.ID, err
	}
	if s.cfg.MailQueued == nil {
		s.log.WithField("user", u.ID).Info("mail: no SMTP server configured: the reset email waits in the outbox")
	}
	s.mailQueued()
	return "sent", u.ID, nil
}

// forgotKey is the limit key of the reset emails to an address: the
// SHA-256 of its normalized form, so the limits table holds no address.
func forgotKey(addr backend.Email) string {
	h := sha256.Sum256([]byte(addr.Key))
	return "forgot:" + hex.EncodeToString(h[:])
}
