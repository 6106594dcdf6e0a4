package server

import (
	"net/http"
	"strings"

	"roster/backend"
)

// loginData is the sign-in page's Data.
type loginData struct {
	Action string
}

func (s *Server) getLogin(w http.ResponseWriter, r *http.Request) {
	v := s.newView(r)
	if _, _, ok, err := s.session(r); err != nil {
		s.internalError(w, r, err)
		return
	} else if ok {
		s.redirect(w, r, "/account")
		return
	}
	if key := s.takeFlash(w, r); key != "" {
		v.Notice = v.T(key)
	}
	s.renderLogin(w, r, http.StatusOK, v)
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v *view) {
	v.Title = v.T("server.login.title")
	v.Data = loginData{Action: s.url("/login")}
	s.render(w, r, status, "login", v)
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	v := s.newView(r)
	if !s.allowAddress(w, r, v) || !s.parseForm(w, r, v) {
		return
	}
	email, ok := v.formValue(r, "email")
	v.values["email"] = email
	pw, ok2 := v.formValue(r, "password")
	if !ok || !ok2 {
		s.renderLogin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	addr, err := backend.ParseEmail(email)
	if err != nil {
		v.fieldError(err, map[string]string{"email": "email"})
		s.renderLogin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if pw == "" {
		v.addError("password", v.T("errors.password.missing"))
		s.renderLogin(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if !s.allowAccount(w, r, v, "login:"+addr.Key) {
		return
	}
	failed := func() {
		s.logger(r).Info("sign-in failed")
		v.addError("", v.T("server.login.failed"))
		s.renderLogin(w, r, http.StatusUnauthorized, v)
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
		s.renderLogin(w, r, http.StatusForbidden, v)
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
	s.signIn(w, r, cred.User.ID, "")
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
