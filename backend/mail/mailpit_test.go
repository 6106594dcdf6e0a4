package mail_test

// Helpers for tests against the real services: mailpit as the SMTP server
// (the one scripts/with-services.sh starts, or instances a test starts on
// its own ports) and the Secret Service keyring in a private D-Bus session.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/internal/servicetest"
	"roster/backend/mail"
	"roster/backend/secret"
	"roster/backend/sqlite"
)

// testKeyring returns a keyring store under a service name of this test only.
func testKeyring(tb testing.TB) *secret.Keyring {
	tb.Helper()
	servicetest.RequireKeyring(tb)
	k := secret.New(fmt.Sprintf("Roster-test-%d", time.Now().UnixNano()))
	tb.Cleanup(func() { k.DeleteSecret(backend.SecretSMTPPassword) })
	return k
}

// mailpit is a running mailpit: its SMTP address and HTTP API.
type mailpit struct {
	Host string
	Port int
	API  string
	// Stop stops a mailpit the test started (nil for the shared one).
	Stop func()
}

// sharedMailpit returns the mailpit scripts/with-services.sh started (any
// login accepted, also without TLS).
func sharedMailpit(tb testing.TB) *mailpit {
	tb.Helper()
	smtp, api := os.Getenv("ROSTER_TEST_SMTP"), os.Getenv("ROSTER_TEST_MAILPIT")
	if smtp == "" || api == "" {
		servicetest.Require(tb, "mailpit (ROSTER_TEST_SMTP, ROSTER_TEST_MAILPIT)")
	}
	host, port, err := net.SplitHostPort(smtp)
	if err != nil {
		tb.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return &mailpit{Host: host, Port: p, API: api}
}

// mailpitBin returns the mailpit binary tests may start themselves.
func mailpitBin(tb testing.TB) string {
	tb.Helper()
	bin := os.Getenv("ROSTER_TEST_MAILPIT_BIN")
	if bin == "" {
		bin, _ = filepath.Abs("../../.bin/mailpit")
	}
	if _, err := os.Stat(bin); err != nil {
		servicetest.Require(tb, "the mailpit binary (ROSTER_TEST_MAILPIT_BIN or .bin/mailpit)")
	}
	return bin
}

// freePort returns a TCP port on loopback that nothing listens on now.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startMailpit starts a mailpit of the test's own on smtpPort (0: a free
// one) with extra flags, and stops it at the end of the test.
func startMailpit(tb testing.TB, smtpPort int, args ...string) *mailpit {
	tb.Helper()
	bin := mailpitBin(tb)
	if smtpPort == 0 {
		smtpPort = freePort(tb)
	}
	httpPort := freePort(tb)
	dir := tb.TempDir()
	all := append([]string{
		"--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(dir, "mailpit.db"), "--disable-version-check", "--quiet",
		"--max", "0", "--smtp-disable-rdns",
	}, args...)
	cmd := exec.Command(bin, all...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-done
		})
	}
	tb.Cleanup(stop)
	m := &mailpit{Host: "127.0.0.1", Port: smtpPort, API: fmt.Sprintf("http://127.0.0.1:%d", httpPort), Stop: stop}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if resp, err := http.Get(m.API + "/api/v1/info"); err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", smtpPort)); err == nil {
				c.Close()
				return m
			}
		}
		select {
		case <-done:
			tb.Fatalf("mailpit exited: %s", stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit did not start: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// address is an address in mailpit's JSON.
type address struct {
	Name    string
	Address string
}

// summary is a message in mailpit's lists.
type summary struct {
	ID        string
	MessageID string
	From      address
	To        []address
	Subject   string
	Created   time.Time // when mailpit received it
}

// fullMessage is one message as mailpit's API returns it.
type fullMessage struct {
	ID        string
	MessageID string
	From      address
	To        []address
	Subject   string
	Text      string
	HTML      string
}

func (m *mailpit) getJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	resp, err := http.Get(m.API + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %s %s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
}

// search returns the messages matching a mailpit search query.
func (m *mailpit) search(tb testing.TB, query string) []summary {
	tb.Helper()
	var res struct{ Messages []summary }
	m.getJSON(tb, "/api/v1/search?limit=5000&query="+url.QueryEscape(query), &res)
	return res.Messages
}

// all returns every stored message.
func (m *mailpit) all(tb testing.TB) []summary {
	tb.Helper()
	var res struct{ Messages []summary }
	m.getJSON(tb, "/api/v1/messages?limit=100000", &res)
	return res.Messages
}

// message returns one message with its text and HTML bodies.
func (m *mailpit) message(tb testing.TB, id string) *fullMessage {
	tb.Helper()
	var msg fullMessage
	m.getJSON(tb, "/api/v1/message/"+id, &msg)
	return &msg
}

// waitFor waits until a search finds at least n messages and returns them.
func (m *mailpit) waitFor(tb testing.TB, query string, n int) []summary {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := m.search(tb, query)
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) < n {
				tb.Fatalf("mailpit has %d messages for %s, want %d", len(got), query, n)
			}
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// setChaos makes mailpit answer every RCPT with code (0: stop).
func (m *mailpit) setChaos(tb testing.TB, code int) {
	tb.Helper()
	prob := 100
	if code == 0 {
		code, prob = 451, 0
	}
	body := fmt.Sprintf(`{"Recipient":{"ErrorCode":%d,"Probability":%d}}`, code, prob)
	req, _ := http.NewRequest(http.MethodPut, m.API+"/api/v1/chaos", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		tb.Fatalf("set chaos: %s %s", resp.Status, b)
	}
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and localhost
// and returns the files and its SHA-256 fingerprint.
func selfSigned(tb testing.TB, cn string) (certFile, keyFile, fingerprint string) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"Roster tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(der)
	return certFile, keyFile, backend.FormatFingerprint(sum[:])
}

// openDB opens a new database file in a temp dir.
func openDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// testLog returns a logger that writes to the test's log.
func testLog(tb testing.TB) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(tbWriter{tb})
	log.SetLevel(logrus.WarnLevel)
	return log
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// settingsFor returns settings that send to m.
func settingsFor(m *mailpit, security backend.MailSecurity) backend.EmailSettings {
	s := backend.DefaultEmailSettings()
	s.Host, s.Port, s.Security = m.Host, m.Port, security
	s.FromName, s.FromAddress = "Jörg Müller, Example Ltd", "noreply@example.com"
	s.PlatformURL = "https://chat.example.com"
	s.RateLimit = backend.MaxMailRateLimit
	return s
}

// newService returns an email service on db whose password is kept for the
// session (the keyring is not touched), with settings saved.
func newService(tb testing.TB, db *sqlite.DB, s backend.EmailSettings, password string) *mail.Service {
	tb.Helper()
	svc := mail.NewService(sqlite.NewEmailSettingStore(db), secret.New("Roster-test-unused"), nil, testLog(tb))
	svc.DialTimeout, svc.CommandTimeout = 5*time.Second, 10*time.Second
	if _, err := svc.UpdateEmailSettings(context.Background(), backend.EmailSettingsUpdate{Settings: s, Password: password, SessionOnly: true}); err != nil {
		tb.Fatal(err)
	}
	return svc
}

// uniqueAddress returns an address no other test run uses.
func uniqueAddress(prefix string) string {
	return fmt.Sprintf("%s-%d@example.com", prefix, time.Now().UnixNano())
}
