package app

import (
	"time"

	"roster/backend"
	"roster/backend/mail"
)

// MailNotifier wakes the mail worker (mail.Worker) when there is new work.
type MailNotifier interface {
	Notify()
}

// Email is the facade of Admin Settings → Email: the SMTP settings, the
// password (only ever sent in, never out), the test email, template
// previews, and the mail queue.
type Email struct {
	app      *App
	progress throttle
}

// EmailServerDTO holds the settings the Email screen shows and saves as they are.
type EmailServerDTO struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	// Security is "starttls", "tls" or "none" (none only for localhost).
	Security    string `json:"security"`
	Username    string `json:"username"`
	FromName    string `json:"fromName"`
	FromAddress string `json:"fromAddress"`
	PlatformURL string `json:"platformUrl"`
	// Language of the emails: "en" or "de".
	Language string `json:"language"`
	// RateLimit is the most messages per minute.
	RateLimit int `json:"rateLimit"`
}

// EmailSettingsDTO is the Email settings screen's content. The password is
// never part of it: PasswordSet and PasswordStore say whether and where one
// is saved.
type EmailSettingsDTO struct {
	// Configured is false until the settings were first saved; the other
	// fields then hold the defaults.
	Configured bool `json:"configured"`
	EmailServerDTO
	// TrustedFingerprint is the SHA-256 of the one certificate trusted
	// although it does not verify ("AB:CD:…"), or "".
	TrustedFingerprint string `json:"trustedFingerprint"`
	PasswordSet        bool   `json:"passwordSet"`
	// PasswordStore is "keyring", "session" (kept in memory until Roster
	// quits) or "" (none saved).
	PasswordStore string `json:"passwordStore"`
	// KeyringProblem says why the system keyring cannot be used (code
	// "unavailable", key keyring.no_session / keyring.no_service /
	// keyring.locked / keyring.timeout / keyring.unavailable), or is null.
	KeyringProblem *ErrorDTO `json:"keyringProblem"`
}

// EmailSettingsParams is what the Email settings screen saves.
type EmailSettingsParams struct {
	EmailServerDTO
	// TrustedFingerprint replaces the trusted certificate ("" trusts none);
	// leave it out to keep the saved one (TrustCertificate sets it).
	TrustedFingerprint *string `json:"trustedFingerprint,omitempty"`
	// Password replaces the saved password; "" keeps it.
	Password string `json:"password"`
	// SessionOnly keeps Password in memory until Roster quits instead of in
	// the system keyring: offer it when saving failed with a keyring.* error.
	SessionOnly bool `json:"sessionOnly"`
}

// TestEmailParams is the address the test email goes to.
type TestEmailParams struct {
	To string `json:"to"`
}

// TestEmailResultDTO confirms that the server took the test email.
type TestEmailResultDTO struct {
	To     string `json:"to"`
	SentAt string `json:"sentAt"`
}

// TrustCertificateParams names the certificate to trust by its SHA-256
// fingerprint, as a failed test email reported it; "" stops trusting it.
type TrustCertificateParams struct {
	Fingerprint string `json:"fingerprint"`
}

// PreviewTemplateParams picks the template to preview.
type PreviewTemplateParams struct {
	// Kind is "invitation" or "password_reset".
	Kind string `json:"kind"`
	// Language is "en" or "de".
	Language string `json:"language"`
}

// MailPreviewDTO is a rendered email.
type MailPreviewDTO struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

// MailQueueDTO counts the outbox's emails by state.
type MailQueueDTO struct {
	Queued  int `json:"queued"`
	Sending int `json:"sending"`
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	// NextAttemptAt is when the earliest queued email is due, or "".
	NextAttemptAt string `json:"nextAttemptAt"`
}

// OutboxProgress is the payload of EventOutboxProgress: the mail worker's
// current run (it starts when emails are due and ends, Done, when none are).
type OutboxProgress struct {
	Sent   int  `json:"sent"`
	Failed int  `json:"failed"`
	Queued int  `json:"queued"`
	Done   bool `json:"done"`
}

// GetEmailSettings returns the settings (defaults before the first save)
// and where the password is.
func (e *Email) GetEmailSettings() (EmailSettingsDTO, error) {
	settings, err := e.app.deps.Email.FindEmailSettings(e.app.callContext())
	switch backend.ErrorCode(err) {
	case "":
		return e.settingsDTO(settings, true)
	case backend.ENOTFOUND:
		d := backend.DefaultEmailSettings()
		return e.settingsDTO(&d, false)
	}
	return EmailSettingsDTO{}, err
}

// SaveEmailSettings validates and saves the settings and, if given, the
// password. Errors: invalid (field = the params' JSON name); unavailable
// with field "password" and a keyring.* key when the keyring cannot be used
// (nothing was saved: offer SessionOnly).
func (e *Email) SaveEmailSettings(p EmailSettingsParams) (EmailSettingsDTO, error) {
	ctx := e.app.callContext()
	update := backend.EmailSettingsUpdate{
		Settings: backend.EmailSettings{
			Host: p.Host, Port: p.Port, Security: backend.MailSecurity(p.Security), Username: p.Username,
			FromName: p.FromName, FromAddress: p.FromAddress, PlatformURL: p.PlatformURL,
			Language: p.Language, RateLimit: p.RateLimit,
		},
		Password:               p.Password,
		SessionOnly:            p.SessionOnly,
		KeepTrustedFingerprint: p.TrustedFingerprint == nil,
	}
	if p.TrustedFingerprint != nil {
		update.Settings.TrustedFingerprint = *p.TrustedFingerprint
	}
	settings, err := e.app.deps.Email.UpdateEmailSettings(ctx, update)
	if err != nil {
		return EmailSettingsDTO{}, err
	}
	e.app.notifyMail() // queued emails may be able to go now
	return e.settingsDTO(settings, true)
}

// SendTestEmail sends a test email to the address with the SAVED settings
// (save the form first). Errors: invalid (field "to"); not_found (key
// email.not_configured) before settings are saved; unavailable with key
// email.no_password or keyring.*; unavailable with key smtp.<category> and
// args {category, stage, server, smtpCode?, reply?} — categories auth,
// certificate (args also fingerprint, subject, issuer, notBefore, notAfter,
// reason: offer TrustCertificate), tls, connection_refused, timeout, dns,
// rejected, network.
func (e *Email) SendTestEmail(p TestEmailParams) (TestEmailResultDTO, error) {
	if err := e.app.deps.Email.SendTestEmail(e.app.callContext(), p.To); err != nil {
		return TestEmailResultDTO{}, err
	}
	return TestEmailResultDTO{To: p.To, SentAt: formatTime(time.Now())}, nil
}

// TrustCertificate trusts the certificate with the fingerprint that a failed
// test email reported (args.fingerprint); "" returns to normal verification.
// Errors: invalid (field "fingerprint"); not_found before settings are saved.
func (e *Email) TrustCertificate(p TrustCertificateParams) (EmailSettingsDTO, error) {
	settings, err := e.app.deps.Email.TrustCertificate(e.app.callContext(), p.Fingerprint)
	if err != nil {
		return EmailSettingsDTO{}, err
	}
	e.app.notifyMail()
	return e.settingsDTO(settings, true)
}

// PreviewTemplate renders the invitation or password reset email with
// sample data. Errors: invalid (field "kind" or "language").
func (e *Email) PreviewTemplate(p PreviewTemplateParams) (MailPreviewDTO, error) {
	r, err := e.app.deps.Email.PreviewTemplate(e.app.callContext(), backend.MailKind(p.Kind), p.Language)
	if err != nil {
		return MailPreviewDTO{}, err
	}
	return MailPreviewDTO{Subject: r.Subject, Text: r.Text, HTML: r.HTML}, nil
}

// GetMailQueue counts the queued, sending, sent and failed emails.
func (e *Email) GetMailQueue() (MailQueueDTO, error) {
	st, err := e.app.deps.Outbox.FindOutboxStats(e.app.callContext())
	if err != nil {
		return MailQueueDTO{}, err
	}
	dto := MailQueueDTO{Queued: st.Queued, Sending: st.Sending, Sent: st.Sent, Failed: st.Failed}
	if st.NextAttemptAt != nil {
		dto.NextAttemptAt = formatTime(*st.NextAttemptAt)
	}
	return dto, nil
}

// RetryMail queues a failed email again (the Retry button; the id is the
// invitation's outboxId) and returns the queue's counts. Errors: not_found;
// conflict when it is not failed (key outbox.not_failed) or its link no
// longer works (outbox.invitation_closed: use Resend; outbox.reset_closed).
func (e *Email) RetryMail(outboxID int64) (MailQueueDTO, error) {
	if err := e.app.deps.Outbox.RetryOutboxEntry(e.app.callContext(), outboxID); err != nil {
		return MailQueueDTO{}, err
	}
	e.app.notifyMail()
	return e.GetMailQueue()
}

// settingsDTO describes settings (configured: saved, not the defaults) and
// where the password is.
func (e *Email) settingsDTO(s *backend.EmailSettings, configured bool) (EmailSettingsDTO, error) {
	dto := EmailSettingsDTO{
		Configured: configured,
		EmailServerDTO: EmailServerDTO{
			Host: s.Host, Port: s.Port, Security: string(s.Security), Username: s.Username,
			FromName: s.FromName, FromAddress: s.FromAddress, PlatformURL: s.PlatformURL,
			Language: s.Language, RateLimit: s.RateLimit,
		},
		TrustedFingerprint: s.TrustedFingerprint,
	}
	if err := e.fillPassword(&dto); err != nil {
		return EmailSettingsDTO{}, err
	}
	return dto, nil
}

// fillPassword says whether and where the password is, never what it is.
func (e *Email) fillPassword(dto *EmailSettingsDTO) error {
	st, err := e.app.deps.Email.FindPasswordStatus(e.app.callContext())
	if err != nil {
		return err
	}
	dto.PasswordStore = string(st.Store)
	dto.PasswordSet = st.Store != backend.PasswordNone
	if p := st.KeyringProblem; p != nil {
		problem := errorDTO(p)
		dto.KeyringProblem = &problem
	}
	return nil
}

// reportOutboxProgress sends the worker's progress to the window, at most
// about ten times a second, the final event always.
func (e *Email) reportOutboxProgress(p mail.Progress) {
	if !e.progress.allow(p.Done) {
		return
	}
	e.app.emit(EventOutboxProgress, OutboxProgress{Sent: p.Sent, Failed: p.Failed, Queued: p.Queued, Done: p.Done})
}

// MailProgress returns the callback for mail.Worker.Progress.
func (a *App) MailProgress() func(mail.Progress) {
	return a.Email.reportOutboxProgress
}

// notifyMail wakes the mail worker; facades call it after they queued email
// (invitations, resends, password resets).
func (a *App) notifyMail() {
	if a.deps.Mail != nil {
		a.deps.Mail.Notify()
	}
}
