package server

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"roster/backend"
)

// authRequestParam is the query parameter, and the sign-in form's hidden
// field, that carry a pending OpenID Connect authorization request through
// the sign-in page.
const authRequestParam = "auth_request"

// loginData is the sign-in page's Data.
type loginData struct {
	Action string
	// AuthRequest is the pending authorization request's id, if any.
	AuthRequest string
}

func (s *Server) getLogin(w http.ResponseWriter, r *http.Request) {
	v := s.newView(r)
	ar, ok := s.loginAuthRequest(w, r, v, r.URL.Query().Get(authRequestParam))
	if !ok {
		return
	}
	sess, u, ok, err := s.session(r)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	switch {
	case ar != nil && ok && !ar.prompts(oidc.PromptLogin) && !tooOld(ar, sess.CreatedAt):
		s.finishAuthRequest(w, r, v, ar, u.ID, sess.CreatedAt)
		return
	case ar != nil && ar.prompts(oidc.PromptNone):
		op.AuthRequestError(w, r, ar, oidc.ErrLoginRequired(), s.oidc.provider)
		return
	case ar == nil && ok:
		s.redirect(w, r, "/account")
		return
	}
	if key := s.takeFlash(w, r); key != "" {
		v.Notice = v.T(key)
	}
	s.renderLogin(w, r, http.StatusOK, v, ar)
}

// tooOld reports whether a session that began at start is older than the
// request's max_age allows.
func tooOld(ar *authRequest, start time.Time) bool {
	return ar.req.MaxAge != nil && time.Since(start) > time.Duration(*ar.req.MaxAge)*time.Second
}

// loginAuthRequest returns the pending authorization request of id (nil
// for none). An unknown or expired one is said on the page, which is then
// the plain sign-in page; false when the answer was sent.
func (s *Server) loginAuthRequest(w http.ResponseWriter, r *http.Request, v *view, id string) (*authRequest, bool) {
	if id == "" || s.oidc == nil {
		return nil, true
	}
	ar, err := s.oidc.storage.authRequest(r.Context(), id)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		v.addError("", v.T("server.login.request_expired"))
		return nil, true
	} else if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	return ar, true
}

// finishAuthRequest records that the member signed in for ar and sends the
// browser to op's callback, which sends it back to the relying party with
// the code; a member who is not active is refused (access_denied).
func (s *Server) finishAuthRequest(w http.ResponseWriter, r *http.Request, v *view, ar *authRequest, userID string, at time.Time) {
	err := s.oidc.storage.store.CompleteOIDCAuthRequest(r.Context(), ar.GetID(), userID, at)
	switch backend.ErrorCode(err) {
	case "":
		s.logger(r).WithFields(map[string]any{"user": userID, "client": ar.GetClientID()}).Info("openid connect sign-in")
		http.Redirect(w, r, s.authCallbackURL(ar.GetID()), http.StatusSeeOther)
	case backend.EFORBIDDEN:
		op.AuthRequestError(w, r, ar, oidc.ErrAccessDenied(), s.oidc.provider)
	case backend.ENOTFOUND:
		v.addError("", v.T("server.login.request_expired"))
		s.renderLogin(w, r, http.StatusGone, v, nil)
	default:
		s.internalError(w, r, err)
	}
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v *view, ar *authRequest) {
	v.Title = v.T("server.login.title")
	data := loginData{Action: s.url("/login")}
	if ar != nil {
		data.AuthRequest = ar.GetID()
		// The form's answer redirects to the relying party, which
		// browsers check against form-action.
		if u, err := url.Parse(ar.GetRedirectURI()); err == nil && u.Host != "" && !strings.ContainsAny(u.Host, " ;,'") {
			w.Header().Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy,
				"form-action 'self'", "form-action 'self' "+u.Scheme+"://"+u.Host, 1))
		}
	}
	v.Data = data
	s.render(w, r, status, "login", v)
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	v := s.newView(r)
	if !s.allowAddress(w, r, v) || !s.parseForm(w, r, v) {
		return
	}
	ar, ok := s.loginAuthRequest(w, r, v, r.PostForm.Get(authRequestParam))
	if !ok {
		return
	}
	renderLogin := func(w http.ResponseWriter, r *http.Request, status int, v *view) {
		s.renderLogin(w, r, status, v, ar)
	}
	email, ok := v.formValue(r, "email")
	v.values["email"] = email
	pw, ok2 := v.formValue(r, "password")
	if !ok || !ok2 {
		renderLogin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	addr, err := backend.ParseEmail(email)
	if err != nil {
		v.fieldError(err, map[string]string{"email": "email"})
		renderLogin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if pw == "" {
		v.addError("password", v.T("errors.password.missing"))
		renderLogin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if !s.allowAccount(w, r, v, "login:"+addr.Key) {
		return
	}
	failed := func() {
		s.logger(r).Info("sign-in failed")
		v.addError("", v.T("server.login.failed"))
		renderLogin(w, r, http.StatusUnauthorized, v)
	}
	cred, err := s.svc.Credentials.FindCredentialByEmail(r.Context(), addr.Address)
	if backend.ErrorCode(err) == backend.ENOTFOUND || err == nil && cred.PasswordHash == "" {
		s.hasher.VerifyNothing(pw) // as long as a wrong password takes
		failed()
		return
	} else if err != nil {
		s.internalError(w, r, err)
		return
	}
	match, rehash, err := s.hasher.Verify(cred.PasswordHash, pw)
	if err != nil {
		s.logger(r).WithError(err).WithField("user", cred.User.ID).Error("stored password hash unusable")
	}
	if !match {
		failed()
		return
	}
	if cred.User.Status != backend.UserActive {
		s.logger(r).WithField("user", cred.User.ID).Info("sign-in refused: not active")
		v.addError("", v.T("server.login.inactive"))
		renderLogin(w, r, http.StatusForbidden, v)
		return
	}
	if rehash {
		if h, err := s.hasher.Hash(pw); err != nil {
			s.logger(r).WithError(err).Error("rehash password")
		} else if err := s.svc.Credentials.RehashPassword(r.Context(), cred.User.ID, cred.PasswordHash, h); err != nil {
			s.logger(r).WithError(err).Error("rehash password")
		}
	}
	s.logger(r).WithField("user", cred.User.ID).Info("signed in")
	if ar == nil {
		s.signIn(w, r, cred.User.ID, "")
		return
	}
	sess, ok := s.startSession(w, r, cred.User.ID)
	if ok {
		s.finishAuthRequest(w, r, v, ar, cred.User.ID, sess.CreatedAt)
	}
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r, s.newView(r)) {
		return
	}
	sess, u, ok, err := s.session(r)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	flash := "signed_out"
	if ok {
		if strings.EqualFold(r.PostForm.Get("scope"), "everywhere") {
			_, err = s.svc.Sessions.DeleteUserSessions(r.Context(), u.ID, "")
			flash = "signed_out_all"
		} else {
			c, _ := r.Cookie(s.cookie)
			err = s.svc.Sessions.DeleteSession(r.Context(), c.Value)
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		s.logger(r).WithFields(map[string]any{"user": u.ID, "session": sess.ID}).Info("signed out")
	}
	s.clearSession(w)
	s.setFlash(w, flash)
	s.redirect(w, r, "/login")
}
