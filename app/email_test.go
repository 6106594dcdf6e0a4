package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/mail"
	"roster/backend/sqlite"
)

// memoryKeyring is a unit-test keyring: it keeps secrets in a map, or
// fails as a locked keyring does. The real one is tested in backend/secret
// and backend/mail.
type memoryKeyring struct {
	mu      sync.Mutex
	secrets map[string]string
	locked  bool
}

func (k *memoryKeyring) GetSecret(key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locked {
		return "", &backend.Error{Code: backend.EUNAVAILABLE, Message: "The system keyring is locked.", Key: "keyring.locked"}
	}
	v, ok := k.secrets[key]
	if !ok {
		return "", &backend.Error{Code: backend.ENOTFOUND, Message: "none"}
	}
	return v, nil
}

func (k *memoryKeyring) SetSecret(key, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locked {
		return &backend.Error{Code: backend.EUNAVAILABLE, Message: "The system keyring is locked.", Key: "keyring.locked"}
	}
	k.secrets[key] = value
	return nil
}

func (k *memoryKeyring) DeleteSecret(key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.secrets, key)
	return nil
}

type countingNotifier struct{ n int }

func (c *countingNotifier) Notify() { c.n++ }

// newEmailApp returns an App whose Email facade works on a real database.
func newEmailApp(t *testing.T, keyring *memoryKeyring) (*App, *sqlite.DB, *countingNotifier) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	orgs := sqlite.NewOrganisationService(db)
	notifier := &countingNotifier{}
	a := New(Deps{
		Log: log, Organisations: orgs, Settings: sqlite.NewSettingService(db),
		Email:  mail.NewService(sqlite.NewEmailSettingStore(db), keyring, orgs, log),
		Outbox: sqlite.NewOutboxService(db), Mail: notifier,
	})
	return a, db, notifier
}

func validParams() EmailSettingsParams {
	return EmailSettingsParams{EmailServerDTO: EmailServerDTO{
		Host: "smtp.example.com", Port: 587, Security: "starttls", Username: "roster", FromName: "Example Ltd",
		FromAddress: "noreply@example.com", PlatformURL: "https://chat.example.com", Language: "de", RateLimit: 120,
	}}
}

func TestEmail_Settings(t *testing.T) {
	t.Run("DefaultsBeforeSaving", func(t *testing.T) {
		a, _, _ := newEmailApp(t, &memoryKeyring{secrets: map[string]string{}})
		got, err := a.Email.GetEmailSettings()
		if err != nil {
			t.Fatal(err)
		}
		if got.Configured || got.Port != 587 || got.Security != "starttls" || got.Language != "en" || got.RateLimit != 60 || got.PasswordSet || got.PasswordStore != "" {
			t.Fatalf("defaults = %+v", got)
		}
	})

	t.Run("SaveWithPasswordToKeyring", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}}
		a, _, notifier := newEmailApp(t, keyring)
		p := validParams()
		p.Password = "s3cret-Passw0rd"
		got, err := a.Email.SaveEmailSettings(p)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Configured || got.Host != "smtp.example.com" || got.Language != "de" || got.RateLimit != 120 ||
			!got.PasswordSet || got.PasswordStore != "keyring" || got.KeyringProblem != nil {
			t.Fatalf("saved = %+v", got)
		}
		if keyring.secrets[backend.SecretSMTPPassword] != "s3cret-Passw0rd" {
			t.Fatal("the password is not in the keyring")
		}
		if notifier.n != 1 {
			t.Fatalf("the worker was woken %d times, want 1", notifier.n)
		}
		// Saving without a password keeps it.
		p.Password, p.Host = "", "mail.example.com"
		if got, err = a.Email.SaveEmailSettings(p); err != nil || got.PasswordStore != "keyring" || got.Host != "mail.example.com" {
			t.Fatalf("second save = %+v, %v", got, err)
		}
		b, _ := json.Marshal(got)
		if strings.Contains(string(b), "s3cret") || strings.Contains(strings.ToLower(string(b)), `"password"`) {
			t.Fatalf("the DTO carries the password: %s", b)
		}
	})

	t.Run("KeyringLockedThenSessionOnly", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}, locked: true}
		a, _, _ := newEmailApp(t, keyring)
		p := validParams()
		p.Password = "pw"
		_, err := a.Email.SaveEmailSettings(p)
		dto := a.FormatError(err).(ErrorDTO)
		if dto.Code != backend.EUNAVAILABLE || dto.Key != "keyring.locked" || dto.Field != "password" {
			t.Fatalf("error = %+v", dto)
		}
		got, err := a.Email.GetEmailSettings()
		if err != nil {
			t.Fatal(err)
		}
		if got.Configured || got.KeyringProblem == nil || got.KeyringProblem.Key != "keyring.locked" {
			t.Fatalf("after the refused save = %+v", got)
		}
		p.SessionOnly = true
		if got, err = a.Email.SaveEmailSettings(p); err != nil {
			t.Fatal(err)
		}
		if !got.PasswordSet || got.PasswordStore != "session" {
			t.Fatalf("session-only save = %+v", got)
		}
	})

	t.Run("FieldErrorsNameTheParams", func(t *testing.T) {
		a, _, _ := newEmailApp(t, &memoryKeyring{secrets: map[string]string{}})
		fields := map[string]bool{}
		for _, f := range reflect.VisibleFields(reflect.TypeOf(EmailSettingsParams{})) {
			if !f.Anonymous {
				fields[strings.Split(f.Tag.Get("json"), ",")[0]] = true
			}
		}
		for _, edit := range []func(*EmailSettingsParams){
			func(p *EmailSettingsParams) { p.Host = "" },
			func(p *EmailSettingsParams) { p.Port = 0 },
			func(p *EmailSettingsParams) { p.Security = "none" },
			func(p *EmailSettingsParams) { p.Username = "a\nb" },
			func(p *EmailSettingsParams) { p.FromName = "a\r\nBcc: x@example.com" },
			func(p *EmailSettingsParams) { p.FromAddress = "nope" },
			func(p *EmailSettingsParams) { p.PlatformURL = "http://chat.example.com" },
			func(p *EmailSettingsParams) { p.Language = "fr" },
			func(p *EmailSettingsParams) { p.RateLimit = 0 },
			func(p *EmailSettingsParams) { bad := "abc"; p.TrustedFingerprint = &bad },
			func(p *EmailSettingsParams) { p.Password = "a\nb" },
		} {
			p := validParams()
			edit(&p)
			_, err := a.Email.SaveEmailSettings(p)
			dto := a.FormatError(err).(ErrorDTO)
			if dto.Code != backend.EINVALID || !fields[dto.Field] || dto.Key == "" {
				t.Errorf("error = %+v; want invalid with a field of EmailSettingsParams", dto)
			}
		}
	})

	t.Run("TrustCertificate", func(t *testing.T) {
		a, _, _ := newEmailApp(t, &memoryKeyring{secrets: map[string]string{}})
		fp := strings.Repeat("0f", 32)
		_, err := a.Email.TrustCertificate(TrustCertificateParams{Fingerprint: fp})
		if backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("before saving: %v", err)
		}
		if _, err := a.Email.SaveEmailSettings(validParams()); err != nil {
			t.Fatal(err)
		}
		got, err := a.Email.TrustCertificate(TrustCertificateParams{Fingerprint: fp})
		want := strings.TrimSuffix(strings.Repeat("0F:", 32), ":")
		if err != nil || got.TrustedFingerprint != want {
			t.Fatalf("trusted = %+v, %v", got, err)
		}
		// A save that leaves the fingerprint out keeps it; "" clears it.
		if got, err = a.Email.SaveEmailSettings(validParams()); err != nil || got.TrustedFingerprint != want {
			t.Fatalf("save without a fingerprint = %+v, %v", got, err)
		}
		none := ""
		p := validParams()
		p.TrustedFingerprint = &none
		if got, err = a.Email.SaveEmailSettings(p); err != nil || got.TrustedFingerprint != "" {
			t.Fatalf("save with an empty fingerprint = %+v, %v", got, err)
		}
		_, err = a.Email.TrustCertificate(TrustCertificateParams{Fingerprint: "xyz"})
		if dto := a.FormatError(err).(ErrorDTO); dto.Field != "fingerprint" {
			t.Fatalf("error = %+v", dto)
		}
	})
}

func TestEmail_PreviewTemplate(t *testing.T) {
	a, _, _ := newEmailApp(t, &memoryKeyring{secrets: map[string]string{}})
	got, err := a.Email.PreviewTemplate(PreviewTemplateParams{Kind: "password_reset", Language: "de"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.Subject, "Neues Passwort") || !strings.Contains(got.Text, "/reset/") || !strings.Contains(got.HTML, "<html") {
		t.Fatalf("preview = %+v", got)
	}
	_, err = a.Email.PreviewTemplate(PreviewTemplateParams{Kind: "nope", Language: "en"})
	if dto := a.FormatError(err).(ErrorDTO); dto.Code != backend.EINVALID || dto.Field != "kind" {
		t.Fatalf("error = %+v", dto)
	}
}

func TestEmail_MailQueue(t *testing.T) {
	a, db, notifier := newEmailApp(t, &memoryKeyring{secrets: map[string]string{}})
	ctx := context.Background()
	outbox := sqlite.NewOutboxService(db)
	inv, err := sqlite.NewInvitationService(db).InviteUser(ctx, backend.InviteParams{Email: "jane@example.com", Role: "User"})
	if err != nil {
		t.Fatal(err)
	}
	e := &backend.OutboxEntry{ID: inv.OutboxID}
	q, err := a.Email.GetMailQueue()
	if err != nil || q.Queued != 1 || q.NextAttemptAt == "" {
		t.Fatalf("queue = %+v, %v", q, err)
	}
	_, err = a.Email.RetryMail(e.ID)
	if dto := a.FormatError(err).(ErrorDTO); dto.Code != backend.ECONFLICT || dto.Key != "outbox.not_failed" {
		t.Fatalf("retry of a queued email: %+v", dto)
	}
	outbox.ClaimOutboxEntries(ctx, 1)
	outbox.MarkOutboxFailed(ctx, e.ID, backend.DeliveryFailure{Message: "550 no such user"})
	q, err = a.Email.RetryMail(e.ID)
	if err != nil || q.Queued != 1 || q.Failed != 0 || notifier.n != 1 {
		t.Fatalf("after retry: %+v, %v (woken %d times)", q, err, notifier.n)
	}
	_, err = a.Email.RetryMail(9999)
	if backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("retry of an unknown email: %v", err)
	}
}

func TestEmail_OutboxProgressThrottle(t *testing.T) {
	a, _, _ := newEmailApp(t, &memoryKeyring{secrets: map[string]string{}})
	report := a.MailProgress()
	// Without a window there is nowhere to emit to; the throttle still decides.
	report(mail.Progress{Sent: 1, Queued: 9})
	if a.Email.progress.allow(false) {
		t.Fatal("a second event within 100 ms was allowed")
	}
	if !a.Email.progress.allow(true) {
		t.Fatal("the final event was dropped")
	}
}
