package mail

import (
	"context"
	"crypto/x509"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sirupsen/logrus"

	"roster/backend"
)

// SettingsStore keeps the email settings and audits their changes
// (sqlite.EmailSettingStore).
type SettingsStore interface {
	// FindEmailSettings returns the saved settings. ENOTFOUND.
	FindEmailSettings(ctx context.Context) (*backend.EmailSettings, error)
	// UpdateEmailSettings stores validated settings and writes the audit entry.
	UpdateEmailSettings(ctx context.Context, s *backend.EmailSettings, passwordChanged bool) error
}

// Ensure the interfaces are implemented.
var (
	_ backend.EmailService = (*Service)(nil)
	_ ConfigSource         = (*Service)(nil)
)

// MaxPasswordLength bounds the SMTP password.
const MaxPasswordLength = 1024

// TestEmailTimeout bounds each step of the test email's conversation (the
// connect has DefaultDialTimeout).
const TestEmailTimeout = 15 * time.Second

// Service implements backend.EmailService and gives the worker its
// configuration. It holds the password in memory only: read from the keyring
// once, or given for this session.
type Service struct {
	Store   SettingsStore
	Secrets backend.SecretStore
	// Organisations names the organisation in previews and test emails; optional.
	Organisations backend.OrganisationService
	// Outbox, if set, is told when settings change, so the emails that
	// failed to connect are tried again at once (the caller then wakes the
	// worker with Notify).
	Outbox backend.OutboxService
	Log    *logrus.Logger
	// Location is the time zone of dates in emails (default Local).
	Location *time.Location
	// Test-only knobs: certificate roots, and the test email's timeouts.
	RootCAs        *x509.CertPool
	DialTimeout    time.Duration
	CommandTimeout time.Duration

	mu          sync.Mutex
	session     string // the password kept for this session only
	haveSession bool
	keyring     string // the keyring's password, once read
	haveKeyring bool
}

// NewService returns the email service.
func NewService(store SettingsStore, secrets backend.SecretStore, orgs backend.OrganisationService, log *logrus.Logger) *Service {
	return &Service{Store: store, Secrets: secrets, Organisations: orgs, Log: log}
}

// FindEmailSettings returns the saved settings. ENOTFOUND.
func (s *Service) FindEmailSettings(ctx context.Context) (*backend.EmailSettings, error) {
	return s.Store.FindEmailSettings(ctx)
}

// UpdateEmailSettings validates and saves the settings and the password.
func (s *Service) UpdateEmailSettings(ctx context.Context, u backend.EmailSettingsUpdate) (*backend.EmailSettings, error) {
	if u.KeepTrustedFingerprint {
		u.Settings.TrustedFingerprint = ""
		saved, err := s.Store.FindEmailSettings(ctx)
		if err == nil {
			u.Settings.TrustedFingerprint = saved.TrustedFingerprint
		} else if backend.ErrorCode(err) != backend.ENOTFOUND {
			return nil, err
		}
	}
	settings, err := u.Settings.Normalize()
	if err != nil {
		return nil, err
	}
	if err := checkPassword(u.Password); err != nil {
		return nil, err
	}
	changed := u.Password != ""
	if changed {
		if u.SessionOnly {
			s.mu.Lock()
			s.session, s.haveSession = u.Password, true
			s.mu.Unlock()
			s.Log.Info("email: the SMTP password is kept for this session only")
		} else {
			if err := s.Secrets.SetSecret(backend.SecretSMTPPassword, u.Password); err != nil {
				s.Log.WithError(err).Warn("email: cannot store the SMTP password in the keyring")
				if e := backend.AsError(err); e != nil {
					return nil, e.WithField("password")
				}
				return nil, err
			}
			s.mu.Lock()
			s.keyring, s.haveKeyring = u.Password, true
			s.session, s.haveSession = "", false
			s.mu.Unlock()
		}
	}
	if err := s.Store.UpdateEmailSettings(ctx, &settings, changed); err != nil {
		return nil, err
	}
	s.Log.WithFields(logrus.Fields{"host": settings.Host, "port": settings.Port, "security": settings.Security, "passwordChanged": changed}).
		Info("email: settings saved")
	s.retryConnectionFailures(ctx)
	return &settings, nil
}

// checkPassword accepts what AUTH PLAIN and LOGIN can carry.
func checkPassword(p string) error {
	switch {
	case strings.ContainsAny(p, "\x00\r\n"):
		return backend.MsgEmailSettingsPasswordInvalid.FieldError(backend.EINVALID, "password")
	case len(p) > MaxPasswordLength, !utf8.ValidString(p):
		return backend.MsgEmailSettingsPasswordTooLong.FieldError(backend.EINVALID, "password")
	}
	return nil
}

// TrustCertificate pins the certificate with this fingerprint ("" unpins).
func (s *Service) TrustCertificate(ctx context.Context, fingerprint string) (*backend.EmailSettings, error) {
	fp, err := backend.NormalizeFingerprint(fingerprint)
	if err != nil {
		return nil, err
	}
	settings, err := s.Store.FindEmailSettings(ctx)
	if err != nil {
		return nil, err
	}
	settings.TrustedFingerprint = fp
	if err := s.Store.UpdateEmailSettings(ctx, settings, false); err != nil {
		return nil, err
	}
	s.Log.WithField("fingerprint", fp).Info("email: trusted certificate changed")
	s.retryConnectionFailures(ctx)
	return settings, nil
}

// retryConnectionFailures makes the emails that failed to connect due now:
// the settings just saved may let them through. The settings are saved
// whatever happens here; a failure is logged.
func (s *Service) retryConnectionFailures(ctx context.Context) {
	if s.Outbox == nil {
		return
	}
	n, err := s.Outbox.RetryOutboxConnectionFailures(ctx)
	if err != nil {
		s.Log.WithError(err).Error("email: cannot queue the emails that failed to connect again")
		return
	}
	if n > 0 {
		s.Log.WithField("entries", n).Info("email: emails that failed to connect are due again")
	}
}

// FindPasswordStatus says whether and where the password is saved.
func (s *Service) FindPasswordStatus(ctx context.Context) (*backend.PasswordStatus, error) {
	_, store, err := s.password()
	st := &backend.PasswordStatus{Store: store}
	if err != nil {
		e := backend.AsError(err)
		if e == nil || e.Code != backend.EUNAVAILABLE {
			return nil, err
		}
		st.KeyringProblem = e
	}
	return st, nil
}

// password returns the password and where it is: the session's, else the
// keyring's (read once). A keyring without one gives PasswordNone and no
// error; an unusable keyring its EUNAVAILABLE error.
func (s *Service) password() (string, backend.PasswordStore, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.haveSession {
		return s.session, backend.PasswordSession, nil
	}
	if s.haveKeyring {
		return s.keyring, backend.PasswordKeyring, nil
	}
	if s.Secrets == nil {
		return "", backend.PasswordNone, nil
	}
	p, err := s.Secrets.GetSecret(backend.SecretSMTPPassword)
	switch backend.ErrorCode(err) {
	case "":
		s.keyring, s.haveKeyring = p, true
		return p, backend.PasswordKeyring, nil
	case backend.ENOTFOUND:
		return "", backend.PasswordNone, nil
	}
	return "", backend.PasswordNone, err
}

// SendConfig returns the saved settings and the password for sending.
// ENOTFOUND ("Email is not set up.") before the settings are saved;
// EUNAVAILABLE when a username is set but no password can be had.
func (s *Service) SendConfig(ctx context.Context) (*Config, error) {
	settings, err := s.Store.FindEmailSettings(ctx)
	if err != nil {
		return nil, err
	}
	cfg := &Config{Settings: *settings, RootCAs: s.RootCAs, DialTimeout: s.DialTimeout, CommandTimeout: s.CommandTimeout}
	if settings.Username == "" {
		return cfg, nil
	}
	p, store, err := s.password()
	if err != nil {
		return nil, err
	}
	if store == backend.PasswordNone {
		return nil, backend.MsgEmailNoPassword.FieldError(backend.EUNAVAILABLE, "password")
	}
	cfg.Password = p
	return cfg, nil
}

// SendTestEmail sends the test email over one new connection with the
// saved settings.
func (s *Service) SendTestEmail(ctx context.Context, to string) error {
	addr, err := backend.ParseEmail(to)
	if err != nil {
		return backend.AsError(err).WithField("to")
	}
	cfg, err := s.SendConfig(ctx)
	if err != nil {
		return err
	}
	d := &mailData{
		Organisation: s.organisationName(ctx),
		Server:       cfg.Settings.Address(),
		Security:     securityLabel(cfg.Settings.Security),
		LinkHint:     linkHint[cfg.Settings.Language],
	}
	r, err := parsedTemplates.render(templateTest, cfg.Settings.Language, d)
	if err != nil {
		return err
	}
	msg, err := compose(&cfg.Settings, addr.Address, r, nil)
	if err != nil {
		return err
	}
	if cfg.CommandTimeout == 0 {
		cfg.CommandTimeout = TestEmailTimeout // the administrator is waiting
	}
	log := s.Log.WithFields(logrus.Fields{"server": cfg.Settings.Address(), "security": cfg.Settings.Security})
	sess, err := dial(ctx, cfg)
	if err == nil {
		err = sess.send(msg)
		sess.close()
	}
	var se *SendError
	if errors.As(err, &se) {
		log.WithFields(logrus.Fields{"category": se.Category, "stage": se.Stage, "smtpCode": se.Code}).Warn("email: test email failed: " + se.Error())
		return se.Coded()
	} else if err != nil {
		return err
	}
	log.Info("email: test email sent")
	return nil
}

// securityLabel names a security mode as the settings screen does.
func securityLabel(m backend.MailSecurity) string {
	switch m {
	case backend.SecuritySTARTTLS:
		return "STARTTLS"
	case backend.SecurityTLS:
		return "TLS"
	}
	return "none"
}

// PreviewTemplate renders an email of the kind with sample data, the saved
// settings' platform URL (or an example) and the organisation's name.
func (s *Service) PreviewTemplate(ctx context.Context, kind backend.MailKind, language string) (*backend.MailPreview, error) {
	if !slices.Contains(backend.MailKinds, kind) {
		return nil, backend.MsgEmailTemplateKind.FieldError(backend.EINVALID, "kind")
	}
	if language != "en" && language != "de" {
		return nil, backend.MsgEmailSettingsLanguage.FieldError(backend.EINVALID, "language")
	}
	settings := backend.DefaultEmailSettings()
	settings.PlatformURL = "https://chat.example.com"
	if saved, err := s.Store.FindEmailSettings(ctx); err == nil {
		settings = *saved
	} else if backend.ErrorCode(err) != backend.ENOTFOUND {
		return nil, err
	}
	inviter := backend.ActorFromContext(ctx).Name
	if inviter == backend.SystemActor.Name {
		inviter = "Ada Admin"
	}
	d, err := sampleData(kind, language, s.organisationName(ctx), inviter, &settings, time.Now(), s.Location)
	if err != nil {
		return nil, err
	}
	return parsedTemplates.render(string(kind), language, d)
}

// organisationName returns the organisation's name, or an example.
func (s *Service) organisationName(ctx context.Context) string {
	if s.Organisations != nil {
		if org, err := s.Organisations.FindOrganisation(ctx); err == nil {
			return org.Name
		}
	}
	return "Example Ltd"
}
