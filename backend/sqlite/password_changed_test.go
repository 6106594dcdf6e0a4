package sqlite_test

import (
	"context"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/sqlite"
)

// changedNotices returns the queued password_changed emails, oldest first.
func changedNotices(t testing.TB, e *env) []*backend.OutboxEntry {
	t.Helper()
	entries, err := sqlite.NewOutboxService(e.db).ClaimOutboxEntries(e.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []*backend.OutboxEntry
	for _, m := range entries {
		if m.Kind == backend.MailPasswordChanged {
			out = append(out, m)
		}
	}
	return out
}

func TestPasswordChangedNotice(t *testing.T) {
	const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
	// resetToken issues a reset for u and returns its token.
	resetToken := func(t *testing.T, e *env, u *backend.User) string {
		t.Helper()
		r, err := e.resets.SendPasswordReset(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, data := e.mailOf(t, r.OutboxID)
		return data[backend.MailDataToken]
	}
	t.Run("OKReset", func(t *testing.T) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		token := resetToken(t, e, u)
		before := time.Now().Add(-time.Second)
		ctx := backend.NewContextWithLanguage(context.Background(), "de")
		if err := e.resets.ResetPassword(ctx, backend.ResetParams{Token: token, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
		got := changedNotices(t, e)
		if len(got) != 1 {
			t.Fatalf("%d password_changed notices, want 1", len(got))
		}
		m := got[0]
		if m.To != "sam@example.com" || m.InvitationID != "" || m.PasswordResetID != "" || m.Data[backend.MailDataToken] != "" {
			t.Fatalf("notice %+v", m)
		}
		if m.Data[backend.MailDataRecipient] != "Sam Member" || m.Data[backend.MailDataOrganisation] != "Example Ltd" ||
			m.Data[backend.MailDataLanguage] != "de" {
			t.Fatalf("notice data %v", m.Data)
		}
		at, err := time.Parse(time.RFC3339Nano, m.Data[backend.MailDataChangedAt])
		if err != nil || at.Before(before) {
			t.Fatalf("changedAt %q, %v", m.Data[backend.MailDataChangedAt], err)
		}
	})
	t.Run("OKChange", func(t *testing.T) {
		e := newEnv(t)
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		if err := sqlite.NewCredentialService(e.db).ChangePassword(context.Background(), u.ID, hash, ""); err != nil {
			t.Fatal(err)
		}
		got := changedNotices(t, e)
		if len(got) != 1 || got[0].To != "sam@example.com" {
			t.Fatalf("notices %v", got)
		}
		if lang, ok := got[0].Data[backend.MailDataLanguage]; ok {
			t.Fatalf("a notice without a member's language names %q; the settings' language should decide", lang)
		}
	})
	t.Run("ErrExpiredQueuesNothing", func(t *testing.T) {
		e := newEnv(t)
		clock := time.Now()
		e.db.Now = func() time.Time { return clock }
		u := e.join(t, e.invite(t, "sam@example.com", "user"), "Sam Member")
		token := resetToken(t, e, u)
		clock = clock.Add(backend.PasswordResetLifetime + time.Minute)
		err := e.resets.ResetPassword(context.Background(), backend.ResetParams{Token: token, PasswordHash: hash})
		assertCode(t, err, backend.EFORBIDDEN)
		if err := sqlite.NewCredentialService(e.db).ChangePassword(context.Background(), u.ID, " ", ""); backend.ErrorCode(err) != backend.EINVALID {
			t.Fatalf("ChangePassword with no hash = %v", err)
		}
		if n := e.count(t, `SELECT count(*) FROM outbox WHERE kind = 'password_changed'`); n != 0 {
			t.Fatalf("%d notices for a password that did not change", n)
		}
	})
}
