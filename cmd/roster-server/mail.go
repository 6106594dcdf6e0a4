package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/mail"
)

// mailFlags are serve's flags for sending email and sealing the outbox.
type mailFlags struct {
	host, port, security, username, passwordFile, from, fromName *string
	keyFile                                                      *string
}

// passwordEnv is the environment variable that may hold the SMTP password
// itself; there is no flag for it, so it never shows in a process list.
const passwordEnv = "ROSTER_SERVER_SMTP_PASSWORD"

func (c *cli) mailFlags(fs *flag.FlagSet) mailFlags {
	return mailFlags{
		host:     c.stringFlag(fs, "smtp-host", "", "the SMTP server that sends the server's email (none: no email is sent)"),
		port:     c.stringFlag(fs, "smtp-port", strconv.Itoa(backend.DefaultSMTPPort), "the SMTP server's port"),
		security: c.stringFlag(fs, "smtp-security", string(backend.SecuritySTARTTLS), "starttls, tls or none (none only for a server on this machine)"),
		username: c.stringFlag(fs, "smtp-username", "", "the SMTP login, if the server wants one"),
		passwordFile: c.stringFlag(fs, "smtp-password-file", "",
			"a file that holds the SMTP password (or set "+passwordEnv+"); it is never logged"),
		from:     c.stringFlag(fs, "smtp-from", "", "the sender address of the server's email"),
		fromName: c.stringFlag(fs, "smtp-from-name", "", "the sender name of the server's email"),
		keyFile: c.stringFlag(fs, "outbox-key-file", "",
			"a file with the 32-byte key that seals queued email; created (mode 0600) if missing; needed with --smtp-host"),
	}
}

// flagOfSetting names the flag of an EmailSettings field (its JSON name).
var flagOfSetting = map[string]string{
	"host": "--smtp-host", "port": "--smtp-port", "security": "--smtp-security", "username": "--smtp-username",
	"fromName": "--smtp-from-name", "fromAddress": "--smtp-from", "platformUrl": "--base-url",
}

// config returns the SMTP configuration of the flags, or nil when
// --smtp-host is not set. Its errors are usage errors that name the flag.
func (m mailFlags) config(env func(string) string, baseURL string) (*mail.Config, error) {
	if *m.host == "" {
		for _, f := range []*string{m.username, m.passwordFile, m.from, m.fromName} {
			if *f != "" {
				return nil, errors.New("the --smtp-* flags need --smtp-host")
			}
		}
		if env(passwordEnv) != "" {
			return nil, errors.New(passwordEnv + " is set but --smtp-host is not")
		}
		return nil, nil
	}
	port, err := strconv.Atoi(*m.port)
	if err != nil {
		return nil, fmt.Errorf("--smtp-port %q is not a number", *m.port)
	}
	s := backend.DefaultEmailSettings()
	s.Host, s.Port, s.Security = *m.host, port, backend.MailSecurity(strings.ToLower(*m.security))
	s.Username, s.FromAddress, s.FromName, s.PlatformURL = *m.username, *m.from, *m.fromName, baseURL
	if s.FromAddress == "" {
		return nil, errors.New("--smtp-from is required with --smtp-host")
	}
	if s, err = s.Normalize(); err != nil {
		e := backend.AsError(err)
		if e == nil {
			return nil, err
		}
		name := flagOfSetting[e.Field]
		if name == "" {
			name = "--smtp-" + e.Field
		}
		return nil, fmt.Errorf("%s: %s", name, e.Message)
	}
	password, err := m.password(env)
	if err != nil {
		return nil, err
	}
	if (s.Username == "") != (password == "") {
		return nil, fmt.Errorf("--smtp-username and the SMTP password (--smtp-password-file or %s) go together", passwordEnv)
	}
	if *m.keyFile == "" {
		return nil, errors.New("--outbox-key-file is required with --smtp-host: without a lasting key, the email queued before a restart is lost")
	}
	return &mail.Config{Settings: s, Password: password}, nil
}

// password reads the SMTP password from --smtp-password-file or the
// environment; a file's final line break is not part of it.
func (m mailFlags) password(env func(string) string) (string, error) {
	fromEnv := env(passwordEnv)
	if *m.passwordFile == "" {
		return fromEnv, nil
	}
	if fromEnv != "" {
		return "", fmt.Errorf("give the SMTP password by --smtp-password-file or by %s, not both", passwordEnv)
	}
	b, err := os.ReadFile(*m.passwordFile)
	if err != nil {
		return "", fmt.Errorf("--smtp-password-file: %w", err)
	}
	p := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	switch {
	case p == "":
		return "", fmt.Errorf("--smtp-password-file %s is empty", *m.passwordFile)
	case len(p) > mail.MaxPasswordLength || strings.ContainsAny(p, "\r\n"):
		return "", fmt.Errorf("--smtp-password-file %s does not hold one password of at most %d bytes on one line",
			*m.passwordFile, mail.MaxPasswordLength)
	}
	return p, nil
}

// loadOutboxKey reads the outbox key file: 32 bytes, as they are, in hex
// or in base64. A missing file is created with a new random key, readable
// by its owner only; it says whether it did. A key file others may read is
// refused: it unseals every queued email.
func loadOutboxKey(path string) (*backend.StaticOutboxKeys, bool, error) {
	secret, created, err := loadKeyFile("--outbox-key-file", "outbox key", path)
	if err != nil {
		return nil, false, err
	}
	keys, err := backend.NewStaticOutboxKeys(secret)
	if err != nil {
		return nil, false, fmt.Errorf("--outbox-key-file %s: %w", path, err)
	}
	return keys, created, nil
}

// loadKeyFile reads the 32-byte key file of flag at path, creating it
// (mode 0600, hex) with a new random key if it is missing, and says whether
// it did; a file others may read is refused.
func loadKeyFile(flag, what, path string) ([]byte, bool, error) {
	created := false
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("%s: %w", what, err)
		}
		_, werr := f.WriteString(hex.EncodeToString(secret) + "\n")
		if serr := f.Sync(); werr == nil {
			werr = serr
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(path)
			return nil, false, fmt.Errorf("write %s %s: %w", flag, path, werr)
		}
		created = true
	case !errors.Is(err, fs.ErrExist):
		return nil, false, fmt.Errorf("%s: %w", flag, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", flag, err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, false, fmt.Errorf("%s %s can be read by others (mode %04o); make it 0600", flag, path, perm)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", flag, err)
	}
	secret, err := decodeKey(b)
	if err != nil {
		return nil, false, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return secret, created, nil
}

// decodeKey reads a key file's 32 bytes: raw, 64 hex digits or base64.
func decodeKey(b []byte) ([]byte, error) {
	if len(b) == 32 {
		return b, nil
	}
	text := strings.TrimSpace(string(b))
	if k, err := hex.DecodeString(text); err == nil && len(k) == 32 {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(text); err == nil && len(k) == 32 {
		return k, nil
	}
	return nil, errors.New("it must hold 32 bytes: raw, as 64 hex digits (openssl rand -hex 32) or in base64")
}

// mailSource gives the worker the flags' configuration, in the language the
// organisation's email settings name (English without them): the language
// of the email whose member's language is not known.
type mailSource struct {
	cfg      mail.Config
	settings settingsFinder // nil: none are kept
}

// SendConfig implements mail.ConfigSource.
func (s *mailSource) SendConfig(ctx context.Context) (*mail.Config, error) {
	cfg := s.cfg
	if s.settings == nil {
		return &cfg, nil
	}
	saved, err := s.settings.FindEmailSettings(ctx)
	switch backend.ErrorCode(err) {
	case "":
		cfg.Settings.Language = saved.Language
	case backend.ENOTFOUND:
	default:
		return nil, err
	}
	return &cfg, nil
}

// mailWorker is serve's running outbox worker.
type mailWorker struct {
	*mail.Worker
	done chan struct{}
}

// wait waits until the worker stopped (its context ended), having
// finished and recorded the messages it was sending.
func (w *mailWorker) wait() { <-w.done }

// startMail seals the outbox with the key file's key and, with SMTP
// settings, starts the outbox worker after returning what a crash left
// "sending" to the queue. Without settings nothing is sent (nil worker);
// email queued meanwhile waits, sealed under the key file's key, or under
// a key of this run only without --outbox-key-file (then it is failed as
// unreadable once a later run sends email). On PostgreSQL every server
// process runs a worker; they share the queue (each entry is claimed by one)
// and must share the key file's key.
func (c *cli) startMail(ctx context.Context, db mailStore, mf mailFlags, cfg *mail.Config, log *logrus.Logger) (*mailWorker, error) {
	if *mf.keyFile != "" {
		keys, created, err := loadOutboxKey(*mf.keyFile)
		if err != nil {
			return nil, err
		}
		db.setKeys(keys)
		if created {
			log.WithField("file", *mf.keyFile).Info("mail: created a new outbox key file")
		}
	}
	if cfg == nil {
		log.Warn("mail: no --smtp-host: the server sends no email (reset links and password-changed notices stay queued)")
		return nil, nil
	}
	outbox := db.outbox
	if n, err := outbox.RecoverOutbox(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		log.WithField("entries", n).Info("mail: queued again what a stop left being sent")
	}
	w := &mailWorker{Worker: mail.NewWorker(outbox, &mailSource{cfg: *cfg, settings: db.settings}, log),
		done: make(chan struct{})}
	w.Location = time.UTC
	s := cfg.Settings
	log.WithFields(logrus.Fields{"smtp": s.Address(), "security": s.Security, "from": s.FromAddress,
		"login": s.Username != ""}).Info("mail: sending through the SMTP server")
	go func() {
		defer close(w.done)
		w.Run(ctx)
	}()
	return w, nil
}
