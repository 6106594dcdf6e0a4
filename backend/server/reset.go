package server

import (
	"net/http"

	"roster/backend"
)

// resetData is the reset page's Data.
type resetData struct {
	Email, Action string
}

// findReset looks up the reset of a link and its member, and answers the
// request itself when the link cannot be used.
func (s *Server) findReset(w http.ResponseWriter, r *http.Request, v *view, token string) *backend.User {
	if !validTokenShape(token) {
		s.resetInvalid(w, r, v)
		return nil
	}
	reset, err := s.svc.Links.FindPasswordResetByToken(r.Context(), token)
	switch backend.ErrorCode(err) {
	case "":
	case backend.ENOTFOUND:
		s.resetInvalid(w, r, v)
		return nil
	case backend.EFORBIDDEN:
		s.resetExpired(w, r, v)
		return nil
	default:
		s.internalError(w, r, err)
		return nil
	}
	u, err := s.svc.Users.FindUserByID(r.Context(), reset.UserID)
	if err != nil {
		s.internalError(w, r, err)
		return nil
	}
	return u
}

func (s *Server) resetInvalid(w http.ResponseWriter, r *http.Request, v *view) {
	s.renderMessage(w, r, http.StatusNotFound, v, message{Heading: v.T("server.reset.invalid_title"),
		Text: v.T("server.reset.invalid"), LinkURL: s.url("/login"), LinkText: v.T("server.login.title")})
}

func (s *Server) resetExpired(w http.ResponseWriter, r *http.Request, v *view) {
	text := v.T("server.reset.expired_admin")
	if v.Org != "" {
		text = v.T("server.reset.expired", "organisation", v.Org)
	}
	s.renderMessage(w, r, http.StatusGone, v, message{Heading: v.T("server.reset.expired_title"), Text: text})
}

func (s *Server) getReset(w http.ResponseWriter, r *http.Request) {
	getLinkPage(s, w, r, s.findReset, s.renderReset)
}

func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, v *view, u *backend.User, token string) {
	v.Title = v.T("server.reset.title")
	v.Data = resetData{Email: u.Email, Action: s.url("/reset/" + token)}
	s.render(w, r, status, "reset", v)
}

func (s *Server) postReset(w http.ResponseWriter, r *http.Request) {
	v, token, u, ok := beginLinkPost(s, w, r, "reset", s.findReset)
	if !ok {
		return
	}
	pw := s.checkNewPassword(r, v, u.Email, u.Name, v.Org)
	if len(v.Errors) > 0 {
		s.renderReset(w, r, http.StatusUnprocessableEntity, v, u, token)
		return
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	// Redeeming the reset ends every session of the member (SessionService).
	err = s.svc.Resets.ResetPassword(mailContext(r), backend.ResetParams{Token: token, PasswordHash: hash})
	switch backend.ErrorCode(err) {
	case "":
	case backend.ENOTFOUND:
		s.resetInvalid(w, r, v)
		return
	case backend.EFORBIDDEN:
		s.resetExpired(w, r, v)
		return
	default:
		s.internalError(w, r, err)
		return
	}
	s.logger(r).WithField("user", u.ID).Info("password reset")
	s.mailQueued()
	s.clearSession(w)
	s.setFlash(w, "reset_done")
	s.redirect(w, r, "/login")
}
