package server

import (
	"net/http"
	"time"
)

// flashCookie carries one notice across a redirect: a key of flashes, never
// anything secret or personal.
const flashCookie = "roster_flash"

// flashes are the notices a redirect can carry, with their catalogue keys.
var flashes = map[string]string{
	"welcome":          "server.account.welcome",
	"password_changed": "server.account.password_changed",
	"signed_out":       "server.login.signed_out",
	"signed_out_all":   "server.login.signed_out_everywhere",
	"session_ended":    "server.login.session_ended",
	"reset_done":       "server.reset.done",
}

func (s *Server) cookiePath() string {
	if s.basePath == "" {
		return "/"
	}
	return s.basePath + "/"
}

// setSession sets the session cookie: only the random token, HttpOnly,
// SameSite=Lax, Secure when the server is served over https.
func (s *Server) setSession(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: token, Path: s.cookiePath(), Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: "", Path: s.cookiePath(), MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: s.cookiePath(), MaxAge: 60,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// takeFlash returns the catalogue key of the notice a redirect carried (or
// "") and clears it.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: s.cookiePath(), MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	return flashes[c.Value]
}

// redirect sends the browser to a path of the server, by its public URL.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, s.url(path), http.StatusSeeOther)
}
