package mail_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/logging"
	"roster/backend/mail"
	"roster/backend/sqlite"
)

// smtpError returns err's coded form and checks it is an smtp.* error.
func smtpError(t *testing.T, err error, category string) *backend.Error {
	t.Helper()
	e := backend.AsError(err)
	if e == nil || e.Code != backend.EUNAVAILABLE || e.Key != "smtp."+category || e.Args["category"] != category {
		t.Fatalf("error = %v (%#v), want unavailable smtp.%s", err, e, category)
	}
	return e
}

func TestSendTestEmail(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		m := sharedMailpit(t)
		svc := newService(t, openDB(t), settingsFor(m, backend.SecurityNone), "any")
		to := uniqueAddress("test")
		if err := svc.SendTestEmail(ctx, to); err != nil {
			t.Fatal(err)
		}
		msg := m.message(t, m.waitFor(t, `to:"`+to+`"`, 1)[0].ID)
		if msg.Subject != "Test email from Roster" || msg.From.Name != "Jörg Müller, Example Ltd" || !strings.Contains(msg.Text, "saved email settings") {
			t.Fatalf("test email = %+v", msg)
		}
	})

	t.Run("ErrAddress", func(t *testing.T) {
		svc := newService(t, openDB(t), settingsFor(&mailpit{Host: "127.0.0.1", Port: 25}, backend.SecurityNone), "")
		err := svc.SendTestEmail(ctx, "not an address")
		if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Field != "to" {
			t.Fatalf("error = %v", err)
		}
	})

	t.Run("ErrNotConfigured", func(t *testing.T) {
		svc := mail.NewService(sqlite.NewEmailSettingStore(openDB(t)), nil, nil, testLog(t))
		err := svc.SendTestEmail(ctx, "jane@example.com")
		if e := backend.AsError(err); e == nil || e.Code != backend.ENOTFOUND || e.Key != "email.not_configured" {
			t.Fatalf("error = %v", err)
		}
	})

	t.Run("ErrConnectionRefused", func(t *testing.T) {
		svc := newService(t, openDB(t), settingsFor(&mailpit{Host: "127.0.0.1", Port: freePort(t)}, backend.SecurityNone), "")
		smtpError(t, svc.SendTestEmail(ctx, "jane@example.com"), mail.CategoryRefused)
	})

	t.Run("ErrDNS", func(t *testing.T) {
		svc := newService(t, openDB(t), settingsFor(&mailpit{Host: "smtp.roster-test.invalid", Port: 587}, backend.SecurityTLS), "")
		smtpError(t, svc.SendTestEmail(ctx, "jane@example.com"), mail.CategoryDNS)
	})

	t.Run("ErrSTARTTLSNotOffered", func(t *testing.T) {
		// The shared mailpit has no certificate, so it offers no STARTTLS:
		// Roster refuses to go on in the clear.
		m := sharedMailpit(t)
		to := uniqueAddress("plain")
		svc := newService(t, openDB(t), settingsFor(m, backend.SecuritySTARTTLS), "secret")
		e := smtpError(t, svc.SendTestEmail(ctx, to), mail.CategoryTLS)
		if !strings.Contains(e.Message, "STARTTLS") {
			t.Fatalf("message = %q", e.Message)
		}
		if n := len(m.search(t, `to:"`+to+`"`)); n != 0 {
			t.Fatalf("a message went out unencrypted")
		}
	})
}

// TestCertificateTrust: a self-signed certificate is refused, with its
// fingerprint in the error, until exactly that fingerprint is trusted.
func TestCertificateTrust(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		security backend.MailSecurity
		flag     string
	}{
		{"STARTTLS", backend.SecuritySTARTTLS, "--smtp-require-starttls"},
		{"TLS", backend.SecurityTLS, "--smtp-require-tls"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cert, key, fingerprint := selfSigned(t, "mail.roster.test")
			m := startMailpit(t, 0, "--smtp-tls-cert", cert, "--smtp-tls-key", key, tt.flag, "--smtp-auth-accept-any")
			db := openDB(t)
			outbox := sqlite.NewOutboxService(db)
			svc := newService(t, db, settingsFor(m, tt.security), "secret")
			to := uniqueAddress("tls")

			e := smtpError(t, svc.SendTestEmail(ctx, to), mail.CategoryCertificate)
			if e.Args["fingerprint"] != fingerprint || !strings.Contains(fmt.Sprint(e.Args["subject"]), "mail.roster.test") ||
				e.Args["notAfter"] == "" || !strings.Contains(e.Message, fingerprint) {
				t.Fatalf("certificate error = %+v", e)
			}

			// The outbox waits too, and says why.
			entry := enqueue(t, db, to)[0]
			w := fastWorker(t, outbox, svc)
			stop := runWorker(t, w)
			waitStats(t, outbox, "an attempt", func(*backend.OutboxStats) bool {
				got, _ := outbox.FindOutboxEntryByID(ctx, entry.ID)
				return got.Attempts > 0
			})
			got, _ := outbox.FindOutboxEntryByID(ctx, entry.ID)
			if got.State != backend.DeliveryQueued && got.State != backend.DeliverySending || !strings.Contains(got.LastError, fingerprint) {
				t.Fatalf("entry = %+v", got)
			}

			// Another certificate's fingerprint does not help.
			other := strings.Repeat("AB:", 31) + "AB"
			if _, err := svc.TrustCertificate(ctx, other); err != nil {
				t.Fatal(err)
			}
			smtpError(t, svc.SendTestEmail(ctx, to), mail.CategoryCertificate)

			saved, err := svc.TrustCertificate(ctx, strings.ToLower(strings.ReplaceAll(fingerprint, ":", "")))
			if err != nil {
				t.Fatal(err)
			}
			if saved.TrustedFingerprint != fingerprint {
				t.Fatalf("trusted %q, want %q", saved.TrustedFingerprint, fingerprint)
			}
			if err := svc.SendTestEmail(ctx, to); err != nil {
				t.Fatal(err)
			}
			w.Notify()
			waitStats(t, outbox, "sent", func(s *backend.OutboxStats) bool { return s.Sent == 1 })
			stop()
			m.waitFor(t, `to:"`+to+`"`, 2) // the test email and the invitation
		})
	}
}

// TestWrongPassword: the server's exact answer reaches the administrator;
// the password does not.
func TestWrongPassword(t *testing.T) {
	ctx := context.Background()
	cert, key, fingerprint := selfSigned(t, "auth.roster.test")
	sum := sha1.Sum([]byte("right-password"))
	authFile := filepath.Join(t.TempDir(), "auth")
	if err := os.WriteFile(authFile, []byte("roster:{SHA}"+base64.StdEncoding.EncodeToString(sum[:])+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := startMailpit(t, 0, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls", "--smtp-auth-file", authFile)
	s := settingsFor(m, backend.SecuritySTARTTLS)
	s.Username, s.TrustedFingerprint = "roster", fingerprint

	svc := newService(t, openDB(t), s, "wrong-password")
	e := smtpError(t, svc.SendTestEmail(ctx, "jane@example.com"), mail.CategoryAuth)
	code, _ := e.Args["smtpCode"].(int)
	if code != 535 || e.Args["reply"] == "" || !strings.Contains(e.Message, fmt.Sprintf("%d %s", code, e.Args["reply"])) {
		t.Fatalf("auth error = %+v", e)
	}
	if strings.Contains(e.Message, "wrong-password") || strings.Contains(fmt.Sprint(e.Args), "wrong-password") {
		t.Fatal("the error shows the password")
	}

	svc = newService(t, openDB(t), s, "right-password")
	to := uniqueAddress("auth")
	if err := svc.SendTestEmail(ctx, to); err != nil {
		t.Fatal(err)
	}
	m.waitFor(t, `to:"`+to+`"`, 1)
}

// TestPassword_Keyring: the password round-trips through the real Secret
// Service and is found in neither the database files nor the log.
func TestPassword_Keyring(t *testing.T) {
	m := sharedMailpit(t)
	k := testKeyring(t)
	ctx := context.Background()
	logDir := t.TempDir()
	log, closeLog, err := logging.New(logging.Options{Dir: logDir, Level: "debug"})
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	outbox := sqlite.NewOutboxService(db)
	password := fmt.Sprintf("pw-%d-Zebra!", time.Now().UnixNano())

	svc := mail.NewService(sqlite.NewEmailSettingStore(db), k, nil, log)
	s := settingsFor(m, backend.SecurityNone)
	s.Username = "roster"
	if _, err := svc.UpdateEmailSettings(ctx, backend.EmailSettingsUpdate{Settings: s, Password: password}); err != nil {
		t.Fatal(err)
	}
	st, err := svc.FindPasswordStatus(ctx)
	if err != nil || st.Store != backend.PasswordKeyring || st.KeyringProblem != nil {
		t.Fatalf("password status = %+v, %v", st, err)
	}
	if got, err := k.GetSecret(backend.SecretSMTPPassword); err != nil || got != password {
		t.Fatalf("keyring holds %q, %v", got, err)
	}
	// A new process reads it from the keyring.
	fresh := mail.NewService(sqlite.NewEmailSettingStore(db), k, nil, log)
	cfg, err := fresh.SendConfig(ctx)
	if err != nil || cfg.Password != password {
		t.Fatalf("fresh service: %v", err)
	}

	// Use it: a test email and an invitation through the worker.
	to := uniqueAddress("keyring")
	if err := fresh.SendTestEmail(ctx, to); err != nil {
		t.Fatal(err)
	}
	enqueue(t, db, to)
	w := mail.NewWorker(outbox, fresh, log)
	stop := runWorker(t, w)
	waitStats(t, outbox, "sent", func(s *backend.OutboxStats) bool { return s.Sent == 1 })
	stop()
	var token string
	for _, found := range m.waitFor(t, `to:"`+to+`"`, 2) {
		if msg := m.message(t, found.ID); strings.Contains(msg.Text, "/invite/") {
			token = linkToken(t, msg.Text, "/invite/")
		}
	}
	// An auth failure is logged too; it must not carry the password either.
	bad := newService(t, db, s, "x")
	bad.Log = log
	_ = bad.SendTestEmail(ctx, uniqueAddress("logged"))
	if _, err := svc.TrustCertificate(ctx, ""); err != nil {
		t.Fatal(err)
	}
	closeLog()

	files := []string{db.Path(), db.Path() + "-wal", db.Path() + "-shm", filepath.Join(logDir, logging.FileName)}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{password, base64.StdEncoding.EncodeToString([]byte("\x00roster\x00" + password))} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains the password", filepath.Base(f))
			}
		}
		if strings.HasSuffix(f, ".log") && bytes.Contains(b, []byte(token)) {
			t.Errorf("the log contains a link token")
		}
		if strings.HasSuffix(f, ".log") && len(b) == 0 {
			t.Errorf("the log is empty; the check proves nothing")
		}
	}
}

// TestPassword_SessionOnly: without a usable keyring the password can be
// kept for the session; the keyring is not asked again.
func TestPassword_SessionOnly(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	svc := mail.NewService(sqlite.NewEmailSettingStore(db), brokenKeyring{}, nil, testLog(t))
	s := settingsFor(&mailpit{Host: "127.0.0.1", Port: 25}, backend.SecurityNone)
	s.Username = "roster"

	_, err := svc.UpdateEmailSettings(ctx, backend.EmailSettingsUpdate{Settings: s, Password: "p"})
	if e := backend.AsError(err); e == nil || e.Code != backend.EUNAVAILABLE || e.Key != "keyring.locked" || e.Field != "password" {
		t.Fatalf("save with a locked keyring = %v", err)
	}
	if _, err := svc.FindEmailSettings(ctx); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("settings were saved although the password was not: %v", err)
	}
	st, _ := svc.FindPasswordStatus(ctx)
	if st.Store != backend.PasswordNone || st.KeyringProblem == nil || st.KeyringProblem.Key != "keyring.locked" {
		t.Fatalf("status = %+v", st)
	}

	if _, err := svc.UpdateEmailSettings(ctx, backend.EmailSettingsUpdate{Settings: s, Password: "p", SessionOnly: true}); err != nil {
		t.Fatal(err)
	}
	st, _ = svc.FindPasswordStatus(ctx)
	if st.Store != backend.PasswordSession {
		t.Fatalf("status = %+v", st)
	}
	cfg, err := svc.SendConfig(ctx)
	if err != nil || cfg.Password != "p" {
		t.Fatalf("SendConfig: %v", err)
	}
}

// brokenKeyring is a keyring that is locked (unit-level fake: the real
// causes are tested in backend/secret).
type brokenKeyring struct{}

func (brokenKeyring) GetSecret(string) (string, error) { return "", lockedErr() }
func (brokenKeyring) SetSecret(string, string) error   { return lockedErr() }
func (brokenKeyring) DeleteSecret(string) error        { return lockedErr() }
func lockedErr() error {
	return &backend.Error{Code: backend.EUNAVAILABLE, Message: "The system keyring is locked.", Key: "keyring.locked"}
}

func TestPreviewTemplate(t *testing.T) {
	ctx := backend.NewContextWithActor(context.Background(), backend.Actor{Name: "Grace Hopper"})
	svc := mail.NewService(sqlite.NewEmailSettingStore(openDB(t)), nil, nil, testLog(t))
	for _, kind := range []backend.MailKind{backend.MailInvitation, backend.MailPasswordReset} {
		for _, lang := range []string{"en", "de"} {
			p, err := svc.PreviewTemplate(ctx, kind, lang)
			if err != nil {
				t.Fatal(err)
			}
			path := "/invite/"
			if kind == backend.MailPasswordReset {
				path = "/reset/"
			}
			if p.Subject == "" || !strings.Contains(p.Text, "https://chat.example.com"+path) || !strings.Contains(p.HTML, "https://chat.example.com"+path) {
				t.Fatalf("%s.%s preview = %+v", kind, lang, p)
			}
			if kind == backend.MailInvitation && !strings.Contains(p.Subject, "Grace Hopper") {
				t.Fatalf("the preview's inviter is not the administrator: %q", p.Subject)
			}
		}
	}
	for _, lang := range []string{"en", "de"} {
		p, err := svc.PreviewTemplate(ctx, backend.MailPasswordChanged, lang)
		if err != nil {
			t.Fatal(err)
		}
		if p.Subject == "" || !strings.Contains(p.Text, "Jane Doe") || !strings.Contains(p.HTML, `<html lang="`+lang+`">`) {
			t.Fatalf("password_changed.%s preview = %+v", lang, p)
		}
	}
	for _, tt := range []struct{ kind, lang, field string }{{"welcome", "en", "kind"}, {"invitation", "fr", "language"}} {
		_, err := svc.PreviewTemplate(ctx, backend.MailKind(tt.kind), tt.lang)
		if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Field != tt.field {
			t.Fatalf("preview %s.%s = %v", tt.kind, tt.lang, err)
		}
	}
}

// TestSettingsChange_RetriesConnectionFailures: emails that failed to connect
// (an untrusted certificate, nothing listening) are due at once when the
// certificate is trusted or new settings are saved, not after their backoff.
func TestSettingsChange_RetriesConnectionFailures(t *testing.T) {
	ctx := context.Background()
	cert, key, fingerprint := selfSigned(t, "queue.roster.test")
	m := startMailpit(t, 0, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls", "--smtp-auth-accept-any")

	for _, tt := range []struct {
		name     string
		settings func(backend.EmailSettings) backend.EmailSettings // what fails
		fix      func(*mail.Service, backend.EmailSettings) error
	}{
		{"TrustCertificate", func(s backend.EmailSettings) backend.EmailSettings { return s },
			func(svc *mail.Service, _ backend.EmailSettings) error {
				_, err := svc.TrustCertificate(ctx, fingerprint)
				return err
			}},
		{"SaveSettings", func(s backend.EmailSettings) backend.EmailSettings {
			s.Port, s.TrustedFingerprint = freePort(t), fingerprint
			return s
		},
			func(svc *mail.Service, s backend.EmailSettings) error {
				s.TrustedFingerprint = fingerprint
				_, err := svc.UpdateEmailSettings(ctx, backend.EmailSettingsUpdate{Settings: s})
				return err
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			now := time.Now().UTC().Truncate(time.Millisecond)
			db.Now = func() time.Time { return now }
			outbox := sqlite.NewOutboxService(db)
			good := settingsFor(m, backend.SecuritySTARTTLS)
			svc := newService(t, db, tt.settings(good), "secret")
			svc.Outbox = outbox

			// One email fails for good on the connection, one waits for its
			// backoff (30 s).
			failed := enqueue(t, db, uniqueAddress("cert-failed"))[0]
			w := mail.NewWorker(outbox, svc, testLog(t))
			w.MaxAttempts = 1
			stop := runWorker(t, w)
			waitStats(t, outbox, "failed", func(s *backend.OutboxStats) bool { return s.Failed == 1 })
			stop()
			waiting := enqueue(t, db, uniqueAddress("cert-waiting"))[0]
			w = mail.NewWorker(outbox, svc, testLog(t))
			stop = runWorker(t, w)
			waitStats(t, outbox, "a retry", func(*backend.OutboxStats) bool {
				got, _ := outbox.FindOutboxEntryByID(ctx, waiting.ID)
				return got.State == backend.DeliveryQueued && got.Attempts == 1
			})
			stop()
			if got, _ := outbox.FindOutboxEntryByID(ctx, failed.ID); got.State != backend.DeliveryFailed || got.LastError == "" {
				t.Fatalf("before the fix: %s, %q; want failed", got.State, got.LastError)
			}
			if got, _ := outbox.FindOutboxEntryByID(ctx, waiting.ID); !got.NextAttemptAt.After(now) || got.LastError == "" {
				t.Fatalf("before the fix: due %v, %q; want a backoff", got.NextAttemptAt, got.LastError)
			}

			now = now.Add(time.Second)
			if err := tt.fix(svc, good); err != nil {
				t.Fatal(err)
			}
			for _, e := range []*backend.OutboxEntry{failed, waiting} {
				got, _ := outbox.FindOutboxEntryByID(ctx, e.ID)
				if got.State != backend.DeliveryQueued || !got.NextAttemptAt.Equal(now) {
					t.Errorf("%s after the fix: %s, due %v; want queued, due now (%v)", got.To, got.State, got.NextAttemptAt, now)
				}
			}
			if got, _ := outbox.FindOutboxEntryByID(ctx, failed.ID); got.Attempts != 0 {
				t.Errorf("the failed email after the fix has %d attempts, want a fresh count", got.Attempts)
			}

			stop = runWorker(t, mail.NewWorker(outbox, svc, testLog(t)))
			waitStats(t, outbox, "both sent", func(s *backend.OutboxStats) bool { return s.Sent == 2 })
			stop()
			m.waitFor(t, `to:"`+failed.To+`"`, 1)
			m.waitFor(t, `to:"`+waiting.To+`"`, 1)
		})
	}
}
