package sqlite_test

import (
	"testing"

	"roster/backend"
)

// TestPasswordResetLanguage: the reset email is in the language of the
// member who asked for it on the directory server (the context's), and
// without one in the organisation's (no language of its own).
func TestPasswordResetLanguage(t *testing.T) {
	e := newEnv(t)
	u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
	t.Run("OKLanguage", func(t *testing.T) {
		r, err := e.resets.SendPasswordReset(backend.NewContextWithLanguage(e.ctx, "de"), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, data := e.mailOf(t, r.OutboxID); data[backend.MailDataLanguage] != "de" || data[backend.MailDataToken] == "" {
			t.Fatalf("reset email data language %q", data[backend.MailDataLanguage])
		}
	})
	t.Run("OKNone", func(t *testing.T) {
		r, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, data := e.mailOf(t, r.OutboxID); data[backend.MailDataLanguage] != "" {
			t.Fatalf("reset email data language %q, want none", data[backend.MailDataLanguage])
		}
	})
}
