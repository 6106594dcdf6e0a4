package server

import (
	"fmt"
	"net/http"

	"roster/backend"
)

// accountData is the account page's Data.
type accountData struct {
	Name, Email, Role string
	Joined            dateTime
	PasswordAction    string
	LogoutAction      string
}

// session returns the session of a request's cookie and its member, as they
// are now; ok is false when there is none. A member who was deactivated or
// removed has no session any more. err is set when the session could not
// be checked (the database is busy): the session is not ended for that.
func (s *Server) session(r *http.Request) (sess *backend.Session, u *backend.User, ok bool, err error) {
	c, err := r.Cookie(s.cookie)
	if err != nil || c.Value == "" {
		return nil, nil, false, nil
	}
	sess, u, err = s.svc.Sessions.AuthenticateSession(r.Context(), c.Value)
	switch backend.ErrorCode(err) {
	case "":
		return sess, u, true, nil
	case backend.ENOTFOUND:
		return nil, nil, false, nil
	}
	return nil, nil, false, fmt.Errorf("authenticate session: %w", err)
}

// requireSession returns the request's session, or sends the browser to
// the sign-in page (saying the session ended, if there was a cookie), or
// answers the error that kept the session from being checked.
func (s *Server) requireSession(w http.ResponseWriter, r *http.Request) (*backend.Session, *backend.User, bool) {
	sess, u, ok, err := s.session(r)
	if err != nil {
		s.internalError(w, r, err)
		return nil, nil, false
	}
	if ok {
		return sess, u, true
	}
	if c, err := r.Cookie(s.cookie); err == nil && c.Value != "" {
		s.clearSession(w)
		s.setFlash(w, "session_ended")
	}
	s.redirect(w, r, "/login")
	return nil, nil, false
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	_, u, ok := s.requireSession(w, r)
	if !ok {
		return
	}
	v := s.newView(r)
	if key := s.takeFlash(w, r); key != "" {
		v.Notice = v.T(key, "name", u.Name)
	}
	s.renderAccount(w, r, http.StatusOK, v, u)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, v *view, u *backend.User) {
	v.Title = v.T("server.account.title")
	v.Data = accountData{Name: u.Name, Email: u.Email, Role: u.RoleName, Joined: v.formatDateTime(u.JoinedAt),
		PasswordAction: s.url("/account/password"), LogoutAction: s.url("/logout")}
	s.render(w, r, status, "account", v)
}

func (s *Server) postPassword(w http.ResponseWriter, r *http.Request) {
	sess, u, ok := s.requireSession(w, r)
	if !ok {
		return
	}
	v := s.newView(r)
	if !s.allowAddress(w, r, v) || !s.parseForm(w, r, v) || !s.allowAccount(w, r, v, "password:"+u.ID) {
		return
	}
	current, _ := v.formValue(r, "current")
	cred, err := s.svc.Credentials.FindCredentialByUserID(r.Context(), u.ID)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if match, _, err := s.hasher.Verify(cred.PasswordHash, current); err != nil || !match {
		if cred.PasswordHash == "" {
			s.hasher.VerifyNothing(current)
		}
		v.addError("current", v.T("server.account.current_wrong"))
	}
	pw := s.checkNewPassword(r, v, u.Email, u.Name, v.Org)
	if len(v.Errors) > 0 {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, v, u)
		return
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if err := s.svc.Credentials.ChangePassword(mailContext(r), u.ID, hash, sess.ID); err != nil {
		if backend.ErrorCode(err) == backend.EFORBIDDEN {
			s.clearSession(w)
			s.setFlash(w, "session_ended")
			s.redirect(w, r, "/login")
			return
		}
		s.internalError(w, r, err)
		return
	}
	s.logger(r).WithField("user", u.ID).Info("password changed")
	s.mailQueued()
	s.setFlash(w, "password_changed")
	s.redirect(w, r, "/account")
}
