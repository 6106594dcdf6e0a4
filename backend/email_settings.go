package backend

import (
	"context"
	"encoding/hex"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// SettingEmail is the setting key of EmailSettings (stored as JSON; the
// password is never part of it).
const SettingEmail = "email"

// MailSecurity is how the connection to the SMTP server is protected.
type MailSecurity string

// The connection security modes. SecurityNone is accepted only for a server
// on this machine (localhost, 127.0.0.0/8, ::1).
const (
	SecuritySTARTTLS MailSecurity = "starttls" // plain connect, then STARTTLS (required, never skipped)
	SecurityTLS      MailSecurity = "tls"      // TLS from the first byte ("SMTPS", usually port 465)
	SecurityNone     MailSecurity = "none"     // no encryption: loopback only
)

// Defaults of a new EmailSettings.
const (
	DefaultSMTPPort      = 587
	DefaultMailRateLimit = 60 // messages per minute
	MaxMailRateLimit     = 1_000_000
)

// EmailSettings say how Roster sends mail. The SMTP password is not part of
// them: it lives in the OS keyring (SecretSMTPPassword), or in memory for the
// session. The JSON names are those of the settings screen's fields, so a
// field-level error's Field names the input it is about.
type EmailSettings struct {
	Host     string       `json:"host"`
	Port     int          `json:"port"`
	Security MailSecurity `json:"security"`
	// Username is empty for a server that takes mail without AUTH.
	Username    string `json:"username"`
	FromName    string `json:"fromName"`
	FromAddress string `json:"fromAddress"`
	// PlatformURL is where invitees register (<PlatformURL>/invite/<token>)
	// and members reset their password (<PlatformURL>/reset/<token>). No
	// trailing slash.
	PlatformURL string `json:"platformUrl"`
	// Language of the emails: "en" or "de".
	Language string `json:"language"`
	// RateLimit is the most messages sent per minute.
	RateLimit int `json:"rateLimit"`
	// TrustedFingerprint is the SHA-256 of the one certificate the
	// administrator chose to trust although it does not verify, as upper-case
	// hex pairs separated by colons; empty for normal verification.
	TrustedFingerprint string `json:"trustedFingerprint"`
}

// DefaultEmailSettings are the values a new settings form starts with.
func DefaultEmailSettings() EmailSettings {
	return EmailSettings{Port: DefaultSMTPPort, Security: SecuritySTARTTLS, Language: "en", RateLimit: DefaultMailRateLimit}
}

// Address returns host:port.
func (s *EmailSettings) Address() string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// InvitationLink returns the registration link for token.
func (s *EmailSettings) InvitationLink(token string) string {
	return s.PlatformURL + "/invite/" + url.PathEscape(token)
}

// ResetLink returns the password reset link for token.
func (s *EmailSettings) ResetLink(token string) string {
	return s.PlatformURL + "/reset/" + url.PathEscape(token)
}

// Normalize trims and checks every field and returns the settings as they
// are stored. It returns EINVALID with Field set to the first wrong field's
// JSON name and a Key of the "emailSettings." family.
func (s EmailSettings) Normalize() (EmailSettings, error) {
	var err error
	if s.Host, err = normalizeHost(s.Host); err != nil {
		return s, err
	}
	if s.Port < 1 || s.Port > 65535 {
		return s, MsgEmailSettingsPort.FieldError(EINVALID, "port")
	}
	switch s.Security {
	case SecuritySTARTTLS, SecurityTLS:
	case SecurityNone:
		if !IsLoopbackHost(s.Host) {
			return s, MsgEmailSettingsSecurityNone.FieldError(EINVALID, "security")
		}
	default:
		return s, MsgEmailSettingsSecurity.FieldError(EINVALID, "security")
	}
	if s.Username, err = headerText(s.Username, "username", usernameText, 320); err != nil {
		return s, err
	}
	if s.FromName, err = headerText(s.FromName, "fromName", fromNameText, MaxNameLength); err != nil {
		return s, err
	}
	from, err := ParseEmail(s.FromAddress)
	if err != nil {
		return s, AsError(err).WithField("fromAddress")
	}
	s.FromAddress = from.Address
	if s.PlatformURL, err = normalizePlatformURL(s.PlatformURL); err != nil {
		return s, err
	}
	switch s.Language {
	case "en", "de":
	default:
		return s, MsgEmailSettingsLanguage.FieldError(EINVALID, "language")
	}
	if s.RateLimit < 1 || s.RateLimit > MaxMailRateLimit {
		return s, MsgEmailSettingsRateLimit.FieldError(EINVALID, "rateLimit", "max", MaxMailRateLimit)
	}
	if s.TrustedFingerprint, err = NormalizeFingerprint(s.TrustedFingerprint); err != nil {
		return s, AsError(err).WithField("trustedFingerprint")
	}
	return s, nil
}

// usernameText and fromNameText are the messages about the SMTP user name
// and the sender's name (neither can be missing).
var (
	usernameText = textMessages{lineBreak: MsgEmailSettingsUsernameLineBreak, control: MsgEmailSettingsUsernameControl,
		tooLong: MsgEmailSettingsUsernameTooLong}
	fromNameText = textMessages{lineBreak: MsgEmailSettingsFromNameLineBreak, control: MsgEmailSettingsFromNameControl,
		tooLong: MsgEmailSettingsFromNameTooLong}
)

// IsLoopbackHost reports whether host names this machine: "localhost",
// an address in 127.0.0.0/8, or ::1.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// normalizeHost checks a host name or IP address.
func normalizeHost(raw string) (string, error) {
	h := strings.TrimSpace(raw)
	if h == "" {
		return "", MsgEmailSettingsHostMissing.FieldError(EINVALID, "host")
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.String(), nil
	}
	ascii, err := idna.Lookup.ToASCII(strings.ToLower(h))
	valid := err == nil && len(ascii) <= 253
	for l := range strings.SplitSeq(strings.TrimSuffix(ascii, "."), ".") {
		valid = valid && validLabel(l)
	}
	if !valid {
		return "", MsgEmailSettingsHostInvalid.FieldError(EINVALID, "host", "host", h)
	}
	return strings.ToLower(h), nil
}

// headerText trims an optional one-line value that ends up in a mail header
// or an SMTP command: no line breaks or other control characters.
func headerText(raw, field string, what textMessages, max int) (string, error) {
	if strings.ContainsAny(raw, "\r\n") {
		return "", what.lineBreak.FieldError(EINVALID, field)
	}
	s := strings.TrimSpace(raw)
	if strings.IndexFunc(s, unicode.IsControl) >= 0 || !utf8.ValidString(s) {
		return "", what.control.FieldError(EINVALID, field)
	}
	if utf8.RuneCountInString(s) > max {
		return "", what.tooLong.FieldError(EINVALID, field, "max", max)
	}
	return s, nil
}

// normalizePlatformURL checks the base of the links in the emails: an
// absolute https URL (http only for a platform on this machine) without
// query, fragment or credentials. The trailing slash is dropped.
func normalizePlatformURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", MsgEmailSettingsPlatformUrlMissing.FieldError(EINVALID, "platformUrl")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 || strings.ContainsAny(s, " \"<>\\^`{|}") {
		return "", MsgEmailSettingsPlatformUrlInvalid.FieldError(EINVALID, "platformUrl")
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return "", MsgEmailSettingsPlatformUrlInvalid.FieldError(EINVALID, "platformUrl")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "https" && (u.Scheme != "http" || !IsLoopbackHost(u.Hostname())) {
		return "", MsgEmailSettingsPlatformUrlHttps.FieldError(EINVALID, "platformUrl")
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", MsgEmailSettingsPlatformUrlExtra.FieldError(EINVALID, "platformUrl")
	}
	if _, err := normalizeHost(u.Hostname()); err != nil {
		return "", MsgEmailSettingsPlatformUrlInvalid.FieldError(EINVALID, "platformUrl")
	}
	u.Host = strings.ToLower(u.Host)
	return strings.TrimRight(u.String(), "/"), nil
}

// NormalizeFingerprint accepts a SHA-256 certificate fingerprint as hex,
// with or without colons or spaces, and returns it as upper-case hex pairs
// separated by colons ("" stays ""). EINVALID when it is not 32 bytes of hex.
func NormalizeFingerprint(raw string) (string, error) {
	s := strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(raw))
	if s == "" {
		return "", nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return "", MsgEmailSettingsFingerprint.FieldError(EINVALID, "fingerprint")
	}
	return FormatFingerprint(b), nil
}

// FormatFingerprint renders a digest as upper-case hex pairs separated by colons.
func FormatFingerprint(sum []byte) string {
	h := strings.ToUpper(hex.EncodeToString(sum))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// PasswordStore says where the SMTP password is kept.
type PasswordStore string

// Where the SMTP password can be.
const (
	PasswordNone    PasswordStore = ""        // no password saved
	PasswordKeyring PasswordStore = "keyring" // in the OS keyring
	PasswordSession PasswordStore = "session" // in memory until Roster quits
)

// PasswordStatus says whether an SMTP password is saved and where, never
// what it is.
type PasswordStatus struct {
	Store PasswordStore
	// KeyringProblem is why the keyring cannot be used (an EUNAVAILABLE
	// *Error with a "keyring." key), or nil when it works.
	KeyringProblem *Error
}

// EmailSettingsUpdate is what the settings screen saves.
type EmailSettingsUpdate struct {
	Settings EmailSettings
	// Password replaces the saved one when not empty; empty keeps it.
	Password string
	// SessionOnly keeps Password in memory until Roster quits instead of in
	// the keyring (the administrator's choice when no keyring is usable).
	SessionOnly bool
	// KeepTrustedFingerprint keeps the saved trusted certificate and ignores
	// Settings.TrustedFingerprint (a form that does not show it).
	KeepTrustedFingerprint bool
}

// MailPreview is a rendered email.
type MailPreview struct {
	Subject string
	Text    string
	HTML    string
}

// EmailService manages how Roster sends mail: the settings, the SMTP
// password, test emails and template previews.
type EmailService interface {
	// FindEmailSettings returns the saved settings. ENOTFOUND before they were
	// first saved.
	FindEmailSettings(ctx context.Context) (*EmailSettings, error)

	// UpdateEmailSettings validates and saves the settings and, if given, the
	// password (to the keyring, or to memory when SessionOnly). EINVALID with
	// Field for a wrong value; EUNAVAILABLE (Field "password", Key
	// "keyring.*") when the keyring cannot be used, and then nothing is saved.
	UpdateEmailSettings(ctx context.Context, update EmailSettingsUpdate) (*EmailSettings, error)

	// TrustCertificate saves the SHA-256 fingerprint of the one certificate
	// to accept although it does not verify; "" returns to normal
	// verification. ENOTFOUND before settings were saved; EINVALID.
	TrustCertificate(ctx context.Context, fingerprint string) (*EmailSettings, error)

	// FindPasswordStatus says whether and where the password is saved.
	FindPasswordStatus(ctx context.Context) (*PasswordStatus, error)

	// SendTestEmail sends a test email to the address with the saved
	// settings and password. EINVALID (Field "to") for a bad address;
	// ENOTFOUND ("email.not_configured") before settings were saved;
	// EUNAVAILABLE with Key "smtp.<category>" and Args (category, stage,
	// smtpCode, reply, and for certificates fingerprint, subject, issuer,
	// notBefore, notAfter) when the server or network refused.
	SendTestEmail(ctx context.Context, to string) error

	// PreviewTemplate renders an email of the kind with sample data in the
	// language ("en" or "de"). EINVALID for an unknown kind or language.
	PreviewTemplate(ctx context.Context, kind MailKind, language string) (*MailPreview, error)
}
