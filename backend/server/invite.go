package server

import (
	"net/http"

	"roster/backend"
	"roster/backend/password"
)

// inviteData is the registration page's Data.
type inviteData struct {
	Email, Role, Action string
}

// inviteFields maps the fields of AcceptInvitation's errors to inputs.
var inviteFields = map[string]string{"name": "name", "passwordHash": "password"}

// findInvitation looks up the invitation of a link and answers the request
// itself when the link cannot be used.
func (s *Server) findInvitation(w http.ResponseWriter, r *http.Request, v *view, token string) *backend.Invitation {
	if !validTokenShape(token) {
		s.inviteInvalid(w, r, v)
		return nil
	}
	inv, err := s.svc.Links.FindInvitationByToken(r.Context(), token)
	switch {
	case backend.ErrorCode(err) == backend.ENOTFOUND:
		s.inviteInvalid(w, r, v)
		return nil
	case err != nil:
		s.internalError(w, r, err)
		return nil
	case inv.State == backend.InvitationExpired:
		s.inviteExpired(w, r, v, inv.InvitedByName)
		return nil
	}
	return inv
}

func (s *Server) inviteInvalid(w http.ResponseWriter, r *http.Request, v *view) {
	s.renderMessage(w, r, http.StatusNotFound, v, message{Heading: v.T("server.invite.invalid_title"),
		Text: v.T("server.invite.invalid")})
}

func (s *Server) inviteExpired(w http.ResponseWriter, r *http.Request, v *view, inviter string) {
	text := v.T("server.invite.expired_admin")
	if inviter != "" && inviter != backend.SystemActor.Name {
		text = v.T("server.invite.expired", "inviter", inviter)
	}
	s.renderMessage(w, r, http.StatusGone, v, message{Heading: v.T("server.invite.expired_title"), Text: text})
}

func (s *Server) getInvite(w http.ResponseWriter, r *http.Request) {
	getLinkPage(s, w, r, s.findInvitation, s.renderInvite)
}

func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, status int, v *view, inv *backend.Invitation, token string) {
	v.Title = v.T("server.invite.title")
	v.Data = inviteData{Email: inv.Email, Role: inv.RoleName, Action: s.url("/invite/" + token)}
	s.render(w, r, status, "invite", v)
}

func (s *Server) postInvite(w http.ResponseWriter, r *http.Request) {
	v, token, inv, ok := beginLinkPost(s, w, r, "invite", s.findInvitation)
	if !ok {
		return
	}
	rawName, _ := v.formValue(r, "name")
	v.values["name"] = rawName
	name, err := backend.ParseName(rawName, "name")
	if err != nil {
		v.fieldError(err, inviteFields)
	}
	pw := s.checkNewPassword(r, v, inv.Email, name, v.Org)
	if len(v.Errors) > 0 {
		s.renderInvite(w, r, http.StatusUnprocessableEntity, v, inv, token)
		return
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	u, err := s.svc.Invitations.AcceptInvitation(r.Context(), backend.AcceptParams{Token: token, Name: name, PasswordHash: hash})
	switch backend.ErrorCode(err) {
	case "":
	case backend.ENOTFOUND:
		s.inviteInvalid(w, r, v)
		return
	case backend.EFORBIDDEN:
		s.inviteExpired(w, r, v, inv.InvitedByName)
		return
	case backend.EINVALID, backend.ECONFLICT:
		v.fieldError(err, inviteFields)
		s.renderInvite(w, r, http.StatusUnprocessableEntity, v, inv, token)
		return
	default:
		s.internalError(w, r, err)
		return
	}
	s.logger(r).WithField("user", u.ID).Info("invitation accepted")
	s.signIn(w, r, u.ID, "welcome")
}

// checkNewPassword reads the "password" and "repeat" inputs, records what
// is wrong with them, and returns the password.
func (s *Server) checkNewPassword(r *http.Request, v *view, personal ...string) string {
	pw, ok := v.formValue(r, "password")
	if !ok {
		return ""
	}
	repeat, _ := v.formValue(r, "repeat")
	if err := password.Check(pw, personal...); err != nil {
		v.fieldError(err, map[string]string{"password": "password"})
	} else if repeat != pw {
		v.addError("repeat", v.T("server.error.repeat_mismatch"))
	}
	return pw
}

// signIn starts a session for a member, sets its cookie and goes to their
// account page with a notice.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, userID, flash string) {
	if _, ok := s.startSession(w, r, userID); !ok {
		return
	}
	if flash != "" {
		s.setFlash(w, flash)
	}
	s.redirect(w, r, "/account")
}

// startSession ends the browser's previous session, if any, and begins
// one for userID; false when the error was answered.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID string) (*backend.Session, bool) {
	if c, err := r.Cookie(s.cookie); err == nil && c.Value != "" {
		if err := s.svc.Sessions.DeleteSession(r.Context(), c.Value); err != nil {
			s.logger(r).WithError(err).Error("end previous session")
		}
	}
	sess, token, err := s.svc.Sessions.CreateSession(r.Context(), userID)
	if err != nil {
		s.internalError(w, r, err)
		return nil, false
	}
	s.setSession(w, token, sess.ExpiresAt)
	return sess, true
}
