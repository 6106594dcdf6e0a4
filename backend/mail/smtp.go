package mail

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"roster/backend"
)

// Timeouts of one SMTP connection.
const (
	DefaultDialTimeout    = 10 * time.Second // TCP connect
	DefaultCommandTimeout = 30 * time.Second // greeting, TLS, login; then each message
)

// Config is everything a connection needs: the saved settings and the
// password. It never leaves the process.
type Config struct {
	Settings backend.EmailSettings
	Password string

	// RootCAs replaces the system's certificate roots (tests); nil uses them.
	RootCAs *x509.CertPool
	// DialTimeout and CommandTimeout default to the constants above.
	DialTimeout    time.Duration
	CommandTimeout time.Duration
}

func (c *Config) dialTimeout() time.Duration {
	if c.DialTimeout > 0 {
		return c.DialTimeout
	}
	return DefaultDialTimeout
}

func (c *Config) commandTimeout() time.Duration {
	if c.CommandTimeout > 0 {
		return c.CommandTimeout
	}
	return DefaultCommandTimeout
}

// The categories of a SendError: what the administrator has to look at.
const (
	CategoryAuth        = "auth"               // the server refused the login
	CategoryCertificate = "certificate"        // the server's certificate did not verify
	CategoryTLS         = "tls"                // no STARTTLS offered, or the TLS handshake failed
	CategoryRefused     = "connection_refused" // nothing listens at host:port
	CategoryTimeout     = "timeout"            // the server or network did not answer in time
	CategoryDNS         = "dns"                // the host name does not resolve
	CategoryRejected    = "rejected"           // the server refused the message (sender, recipient, content)
	CategoryNetwork     = "network"            // the connection broke or the server spoke nonsense
)

// smtpMessages are the messages of the categories, keyed "smtp.<category>".
var smtpMessages = map[string]*backend.Message{
	CategoryAuth:        backend.MsgSmtpAuth,
	CategoryCertificate: backend.MsgSmtpCertificate,
	CategoryTLS:         backend.MsgSmtpTls,
	CategoryRefused:     backend.MsgSmtpConnectionRefused,
	CategoryTimeout:     backend.MsgSmtpTimeout,
	CategoryDNS:         backend.MsgSmtpDns,
	CategoryRejected:    backend.MsgSmtpRejected,
	CategoryNetwork:     backend.MsgSmtpNetwork,
}

// The stages of an SMTP conversation, for SendError.Stage.
const (
	StageConnect  = "connect"
	StageTLS      = "tls"
	StageHello    = "hello"
	StageAuth     = "auth"
	StageMail     = "mail" // MAIL FROM: the sender
	StageRcpt     = "rcpt" // RCPT TO: the recipient
	StageData     = "data" // the message itself
	StageShutdown = "quit"
)

// CertificateInfo describes the certificate a server presented, so the
// administrator can decide whether to trust it.
type CertificateInfo struct {
	// Fingerprint is the SHA-256 of the certificate (DER), as
	// backend.FormatFingerprint renders it.
	Fingerprint string
	Subject     string
	Issuer      string
	DNSNames    []string
	NotBefore   time.Time
	NotAfter    time.Time
	// Reason is why it was not accepted.
	Reason string
}

// certificateError is what VerifyConnection returns for a certificate that
// is neither valid nor the trusted one.
type certificateError struct{ info CertificateInfo }

func (e *certificateError) Error() string { return "certificate not accepted: " + e.info.Reason }

// SendError is a failed SMTP conversation: the category, the stage it
// failed at and the server's exact reply, if there was one. Its messages
// never contain the password.
type SendError struct {
	Category string
	Stage    string
	// Code and Reply are the server's answer (Reply without the code), when
	// the server answered.
	Code  int
	Reply string
	// Certificate is set for CategoryCertificate.
	Certificate *CertificateInfo
	// Addr is the server's host:port.
	Addr string
	// Detail is the local error's text (network errors), for the message.
	Detail string
}

// Error returns the sentence the administrator sees, the server's reply included.
func (e *SendError) Error() string {
	reply := ""
	if e.Code != 0 {
		reply = fmt.Sprintf("%d %s", e.Code, e.Reply)
	}
	switch e.Category {
	case CategoryAuth:
		if reply == "" {
			return "The server refused the login: " + e.Detail
		}
		return "The server refused the login: " + reply
	case CategoryCertificate:
		return fmt.Sprintf("The server's certificate is not trusted (%s). SHA-256 fingerprint: %s", e.Certificate.Reason, e.Certificate.Fingerprint)
	case CategoryTLS:
		if reply != "" {
			return "The server refused to encrypt the connection: " + reply
		}
		return "The encrypted connection failed: " + e.Detail
	case CategoryRefused:
		return fmt.Sprintf("Nothing answers at %s (connection refused). Check the host and port, and that the server runs.", e.Addr)
	case CategoryTimeout:
		return fmt.Sprintf("The server at %s did not answer in time.", e.Addr)
	case CategoryDNS:
		host, _, _ := net.SplitHostPort(e.Addr)
		return fmt.Sprintf("The host name %s could not be found.", host)
	case CategoryRejected:
		what := "the message"
		switch e.Stage {
		case StageMail:
			what = "the sender address"
		case StageRcpt:
			what = "the recipient"
		case StageConnect, StageHello:
			what = "the connection"
		}
		return fmt.Sprintf("The server refused %s: %s", what, reply)
	}
	if reply != "" {
		return "The server answered: " + reply
	}
	return "The connection to the server failed: " + e.Detail
}

// Temporary reports whether sending again later may succeed: everything but
// a permanent (5xx) refusal of the message itself. A failure to connect, to
// secure the connection or to log in is the server's or the settings'
// problem, not the message's, so it is temporary whatever its code: the
// entries wait (with backoff) until the administrator fixes the settings.
func (e *SendError) Temporary() bool {
	if e.transport() {
		return true
	}
	return e.Code < 500 || e.Code > 599
}

// transport reports whether the failure happened before any message was
// offered (connect, TLS, greeting, login): then the worker pauses instead of
// trying the next message.
func (e *SendError) transport() bool {
	switch e.Stage {
	case StageConnect, StageTLS, StageHello, StageAuth:
		return true
	}
	return false
}

// Coded returns the error as the frontend receives it: EUNAVAILABLE with Key
// "smtp.<category>" and the details in Args.
func (e *SendError) Coded() *backend.Error {
	args := []any{"category", e.Category, "stage", e.Stage, "server", e.Addr}
	if e.Code != 0 {
		args = append(args, "smtpCode", e.Code, "reply", e.Reply)
	}
	if c := e.Certificate; c != nil {
		args = append(args, "fingerprint", c.Fingerprint, "subject", c.Subject, "issuer", c.Issuer,
			"notBefore", c.NotBefore.UTC().Format(time.RFC3339), "notAfter", c.NotAfter.UTC().Format(time.RFC3339),
			"reason", c.Reason)
	}
	m := smtpMessages[e.Category]
	if m == nil {
		m = backend.MsgSmtpNetwork
	}
	ce := m.Error(backend.EUNAVAILABLE, args...)
	ce.Message = e.Error() // the details of the conversation, for the log and the test result
	return ce
}

// classify turns what a stage of the conversation returned into a SendError.
func classify(err error, stage, addr, password string) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	e := &SendError{Category: CategoryNetwork, Stage: stage, Addr: addr, Detail: scrub(err.Error(), password)}
	var tpe *textproto.Error
	var ce *certificateError
	var dnse *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &tpe):
		e.Code, e.Reply = tpe.Code, scrub(strings.ReplaceAll(tpe.Msg, "\n", " "), password)
		switch stage {
		case StageAuth:
			e.Category = CategoryAuth
		case StageTLS:
			e.Category = CategoryTLS
		default:
			e.Category = CategoryRejected
		}
	case errors.As(err, &ce):
		info := ce.info
		e.Category, e.Certificate = CategoryCertificate, &info
	case errors.As(err, &dnse):
		if dnse.IsTimeout {
			e.Category = CategoryTimeout
		} else {
			e.Category = CategoryDNS
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Category = CategoryRefused
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		e.Category = CategoryTimeout
	case stage == StageAuth:
		e.Category = CategoryAuth
	case stage == StageTLS, isTLSError(err):
		e.Category = CategoryTLS
	}
	return e
}

// isTLSError reports whether err came from the TLS layer.
func isTLSError(err error) bool {
	var rhe tls.RecordHeaderError
	var ae tls.AlertError
	var cve *tls.CertificateVerificationError
	return errors.As(err, &rhe) || errors.As(err, &ae) || errors.As(err, &cve) || strings.HasPrefix(err.Error(), "tls: ")
}

// scrub removes the password, and its base64 forms, from a text that came
// from the server or the network.
func scrub(s, password string) string {
	if password == "" {
		return s
	}
	for _, p := range []string{password, base64.StdEncoding.EncodeToString([]byte(password))} {
		s = strings.ReplaceAll(s, p, "***")
	}
	return s
}

// tlsConfig verifies the server's certificate: normally (system roots, host
// name) when no fingerprint is trusted; otherwise only the certificate with
// exactly that fingerprint is accepted. InsecureSkipVerify only moves the
// check into VerifyConnection, which always runs and can report which
// certificate was presented.
func tlsConfig(cfg *Config) *tls.Config {
	host := cfg.Settings.Host
	trusted := cfg.Settings.TrustedFingerprint
	roots := cfg.RootCAs
	return &tls.Config{
		ServerName:         host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified in VerifyConnection below, never skipped
		VerifyConnection: func(cs tls.ConnectionState) error {
			return verifyPeer(cs, host, trusted, roots)
		},
	}
}

// verifyPeer is tlsConfig's VerifyConnection.
func verifyPeer(cs tls.ConnectionState, host, trusted string, roots *x509.CertPool) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("tls: the server presented no certificate")
	}
	leaf := cs.PeerCertificates[0]
	info := describeCertificate(leaf)
	if trusted != "" {
		if info.Fingerprint == trusted {
			return nil
		}
		info.Reason = "it is not the certificate you chose to trust"
		return &certificateError{info}
	}
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: host}); err != nil {
		info.Reason = certificateReason(err)
		return &certificateError{info}
	}
	return nil
}

// describeCertificate returns what the administrator needs to recognise cert.
func describeCertificate(cert *x509.Certificate) CertificateInfo {
	sum := sha256.Sum256(cert.Raw)
	return CertificateInfo{
		Fingerprint: backend.FormatFingerprint(sum[:]),
		Subject:     cert.Subject.String(),
		Issuer:      cert.Issuer.String(),
		DNSNames:    cert.DNSNames,
		NotBefore:   cert.NotBefore,
		NotAfter:    cert.NotAfter,
	}
}

// certificateReason says in words why verification failed.
func certificateReason(err error) string {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		return "it is self-signed or signed by an unknown authority"
	case errors.As(err, &hn):
		return "it was issued for another host name"
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return "it has expired or is not valid yet"
	}
	return err.Error()
}

// session is one SMTP connection, logged in and ready for messages.
type session struct {
	conn     net.Conn // the TCP connection; its deadline bounds every step
	client   *smtp.Client
	cfg      *Config
	addr     string
	messages int // messages sent on it
}

// dial connects, secures and logs in as cfg says. ctx aborts the connect and
// the TLS handshake; after that the command timeout bounds each step.
func dial(ctx context.Context, cfg *Config) (*session, error) {
	s := &cfg.Settings
	addr := s.Address()
	fail := func(err error, stage string) error { return classify(err, stage, addr, cfg.Password) }

	d := net.Dialer{Timeout: cfg.dialTimeout()}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fail(err, StageConnect)
	}
	ok := false
	defer func() {
		if !ok {
			conn.Close()
		}
	}()
	if err := conn.SetDeadline(time.Now().Add(cfg.commandTimeout())); err != nil {
		return nil, fail(err, StageConnect)
	}
	tc := tlsConfig(cfg)
	var c net.Conn = conn
	if s.Security == backend.SecurityTLS {
		tconn := tls.Client(conn, tc)
		if err := tconn.HandshakeContext(ctx); err != nil {
			return nil, fail(err, StageTLS)
		}
		c = tconn
	}
	client, err := smtp.NewClient(c, s.Host)
	if err != nil {
		return nil, fail(err, StageConnect)
	}
	if err := client.Hello(helloName()); err != nil {
		return nil, fail(err, StageHello)
	}
	if s.Security == backend.SecuritySTARTTLS {
		if offered, _ := client.Extension("STARTTLS"); !offered {
			return nil, &SendError{Category: CategoryTLS, Stage: StageTLS, Addr: addr,
				Detail: "the server does not offer STARTTLS, so the connection would not be encrypted. Choose TLS if the port expects it from the start."}
		}
		if err := client.StartTLS(tc); err != nil {
			return nil, fail(err, StageTLS)
		}
	}
	if s.Username != "" {
		offered, mechs := client.Extension("AUTH")
		if !offered {
			return nil, &SendError{Category: CategoryAuth, Stage: StageAuth, Addr: addr,
				Detail: "the server does not offer a login (AUTH), but a username is set."}
		}
		a, err := chooseAuth(mechs, s.Username, cfg.Password, s.Security == backend.SecurityNone)
		if err != nil {
			return nil, &SendError{Category: CategoryAuth, Stage: StageAuth, Addr: addr, Detail: err.Error()}
		}
		if err := client.Auth(a); err != nil {
			return nil, fail(err, StageAuth)
		}
	}
	ok = true
	return &session{conn: conn, client: client, cfg: cfg, addr: addr}, nil
}

// helloName is the name Roster greets the server with: this machine's name
// when it looks like a domain, else "localhost" (as net/smtp does).
func helloName() string {
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") && !strings.ContainsAny(h, " \r\n") {
		return h
	}
	return "localhost"
}

// send delivers one message. A *SendError says how it failed; after a
// server's refusal (an SMTP reply) the session stays usable.
func (s *session) send(m *message) error {
	if err := s.conn.SetDeadline(time.Now().Add(s.cfg.commandTimeout())); err != nil {
		return classify(err, StageMail, s.addr, s.cfg.Password)
	}
	if err := s.client.Mail(m.from); err != nil {
		return classify(err, StageMail, s.addr, s.cfg.Password)
	}
	if err := s.client.Rcpt(m.to); err != nil {
		return classify(err, StageRcpt, s.addr, s.cfg.Password)
	}
	w, err := s.client.Data()
	if err != nil {
		return classify(err, StageData, s.addr, s.cfg.Password)
	}
	if _, err := w.Write(m.body); err != nil {
		w.Close()
		return classify(err, StageData, s.addr, s.cfg.Password)
	}
	if err := w.Close(); err != nil {
		return classify(err, StageData, s.addr, s.cfg.Password)
	}
	s.messages++
	return nil
}

// reset makes the session usable after the server refused a message (RSET);
// false when it is not, and it was closed.
func (s *session) reset(err error) bool {
	var se *SendError
	if !errors.As(err, &se) || se.Code == 0 {
		s.close()
		return false
	}
	if s.client.Reset() != nil {
		s.close()
		return false
	}
	return true
}

// close says goodbye (QUIT) briefly and closes the connection.
func (s *session) close() {
	_ = s.conn.SetDeadline(time.Now().Add(2 * time.Second))
	_ = s.client.Quit()
	_ = s.conn.Close()
}

// chooseAuth picks PLAIN, else LOGIN, from the mechanisms the server offers.
// Both send the password in the clear inside the connection, so they refuse
// a connection that is not encrypted unless the server is on this machine
// (security "none", which settings allow for loopback only).
func chooseAuth(mechs, username, password string, plainOK bool) (smtp.Auth, error) {
	offered := strings.Fields(strings.ToUpper(mechs))
	switch {
	case slices.Contains(offered, "PLAIN"):
		return &plainAuth{username: username, password: password, plainOK: plainOK}, nil
	case slices.Contains(offered, "LOGIN"):
		return &loginAuth{username: username, password: password, plainOK: plainOK}, nil
	}
	return nil, fmt.Errorf("the server offers no login method Roster supports (it offers %s; Roster uses PLAIN or LOGIN)", mechs)
}

var errUnencrypted = errors.New("refusing to send the password over an unencrypted connection")

// plainAuth is AUTH PLAIN (RFC 4616).
type plainAuth struct {
	username, password string
	plainOK            bool
}

func (a *plainAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !a.plainOK {
		return "", nil, errUnencrypted
	}
	return "PLAIN", []byte("\x00" + a.username + "\x00" + a.password), nil
}

func (a *plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge")
	}
	return nil, nil
}

// loginAuth is AUTH LOGIN, which some servers offer instead of PLAIN.
type loginAuth struct {
	username, password string
	plainOK            bool
	step               int
}

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !a.plainOK {
		return "", nil, errUnencrypted
	}
	a.step = 0
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.username), nil
	case 2:
		return []byte(a.password), nil
	}
	return nil, errors.New("unexpected server challenge")
}
