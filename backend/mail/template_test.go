package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/backend"
)

func testSettings() *backend.EmailSettings {
	return &backend.EmailSettings{
		Host: "smtp.example.com", Port: 587, Security: backend.SecuritySTARTTLS, FromName: "Example Ltd",
		FromAddress: "noreply@example.com", PlatformURL: "https://chat.example.com", Language: "en", RateLimit: 60,
	}
}

func TestRender(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	expires := time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC)
	data := map[string]string{
		backend.MailDataToken:        "tok-123_ABC",
		backend.MailDataRole:         "Administrator",
		backend.MailDataInviter:      "Ada Admin",
		backend.MailDataRecipient:    "Jane Doe",
		backend.MailDataOrganisation: "Example Ltd",
		backend.MailDataExpiresAt:    expires.Format(time.RFC3339),
	}
	for _, tt := range []struct {
		kind                backend.MailKind
		lang                string
		subject, link, date string
		body                []string
	}{
		{backend.MailInvitation, "en", "Ada Admin invited you to join Example Ltd", "https://chat.example.com/invite/tok-123_ABC",
			"9 March 2026, 10:30 (CET)", []string{"Administrator", "invited you to join"}},
		{backend.MailInvitation, "de", "Ada Admin hat Sie zu Example Ltd eingeladen", "https://chat.example.com/invite/tok-123_ABC",
			"9. März 2026, 10:30 Uhr (CET)", []string{"Administrator", "gültig bis"}},
		{backend.MailPasswordReset, "en", "Reset your password for Example Ltd", "https://chat.example.com/reset/tok-123_ABC",
			"9 March 2026, 10:30 (CET)", []string{"Hello Jane Doe", "24 hours"}},
		{backend.MailPasswordReset, "de", "Neues Passwort für Example Ltd", "https://chat.example.com/reset/tok-123_ABC",
			"9. März 2026, 10:30 Uhr (CET)", []string{"Guten Tag Jane Doe", "24 Stunden"}},
	} {
		t.Run(string(tt.kind)+"."+tt.lang, func(t *testing.T) {
			s := testSettings()
			s.Language = tt.lang
			d, err := entryData(tt.kind, data, s, loc)
			if err != nil {
				t.Fatal(err)
			}
			r, err := parsedTemplates.render(string(tt.kind), tt.lang, d)
			if err != nil {
				t.Fatal(err)
			}
			if r.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", r.Subject, tt.subject)
			}
			for _, part := range []struct{ name, body string }{{"text", r.Text}, {"html", r.HTML}} {
				for _, want := range append([]string{tt.link, tt.date}, tt.body...) {
					if !strings.Contains(part.body, want) {
						t.Errorf("%s part lacks %q:\n%s", part.name, want, part.body)
					}
				}
			}
			if !strings.Contains(r.HTML, `href="`+tt.link+`"`) || !strings.Contains(r.HTML, `<html lang="`+tt.lang+`">`) {
				t.Errorf("html part lacks the link as href or the language:\n%s", r.HTML)
			}
		})
	}

	t.Run("EscapesNames", func(t *testing.T) {
		evil := map[string]string{}
		for k, v := range data {
			evil[k] = v
		}
		evil[backend.MailDataInviter] = `<script>alert("x")</script> & Co`
		evil[backend.MailDataOrganisation] = `Org <img src=x onerror=alert(1)>`
		d, err := entryData(backend.MailInvitation, evil, testSettings(), loc)
		if err != nil {
			t.Fatal(err)
		}
		r, err := parsedTemplates.render(string(backend.MailInvitation), "en", d)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(r.HTML, "<script>") || strings.Contains(r.HTML, "<img") {
			t.Fatalf("html part contains markup from a name:\n%s", r.HTML)
		}
		if !strings.Contains(r.HTML, "&lt;script&gt;") || !strings.Contains(r.HTML, "&amp; Co") {
			t.Fatalf("html part does not show the names escaped:\n%s", r.HTML)
		}
		if !strings.Contains(r.Text, `<script>alert("x")</script> & Co`) {
			t.Fatalf("text part changed the name:\n%s", r.Text)
		}
	})

	t.Run("SubjectIsOneLine", func(t *testing.T) {
		evil := map[string]string{}
		for k, v := range data {
			evil[k] = v
		}
		evil[backend.MailDataInviter] = "Ada\r\nBcc: everyone@example.com"
		d, _ := entryData(backend.MailInvitation, evil, testSettings(), loc)
		r, err := parsedTemplates.render(string(backend.MailInvitation), "en", d)
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(r.Subject, "\r\n") {
			t.Fatalf("subject = %q", r.Subject)
		}
	})

	t.Run("ErrNoToken", func(t *testing.T) {
		if _, err := entryData(backend.MailInvitation, map[string]string{}, testSettings(), loc); err == nil {
			t.Fatal("rendered an invitation without a token")
		}
	})

	t.Run("Previews", func(t *testing.T) {
		for _, kind := range []backend.MailKind{backend.MailInvitation, backend.MailPasswordReset} {
			for _, lang := range Languages {
				d, err := sampleData(kind, lang, "Example Ltd", "Ada Admin", testSettings(), time.Now(), loc)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := parsedTemplates.render(string(kind), lang, d); err != nil {
					t.Fatalf("%s.%s: %v", kind, lang, err)
				}
			}
		}
	})
}

// parseMessage reads a composed message with the standard library.
func parseMessage(t *testing.T, body []byte) (*mail.Message, map[string]string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("composed message does not parse: %v\n%s", err, body)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		parts[ct] = string(b)
	}
	return m, parts
}

func TestCompose(t *testing.T) {
	r := &backend.MailPreview{Subject: "Jörg hat Sie zu Bücher & Co eingeladen", Text: "Hallo Jörg", HTML: "<p>Hallo Jörg</p>"}

	t.Run("EncodesNamesAndDomains", func(t *testing.T) {
		for _, name := range []string{"Jörg Müller", "ACME, Inc.", `Evil" <x@example.com>`, "Müller, Jörg", ""} {
			s := testSettings()
			s.FromName = name
			msg, err := compose(s, "jane@bücher.example", r, nil)
			if err != nil {
				t.Fatal(err)
			}
			if msg.to != "jane@xn--bcher-kva.example" || msg.from != "noreply@example.com" {
				t.Fatalf("envelope %q → %q", msg.from, msg.to)
			}
			if bytes.IndexFunc(msg.body, func(r rune) bool { return r > 127 }) >= 0 {
				t.Fatalf("message is not 7-bit:\n%s", msg.body)
			}
			m, parts := parseMessage(t, msg.body)
			from, err := mail.ParseAddress(m.Header.Get("From"))
			if err != nil {
				t.Fatalf("From %q: %v", m.Header.Get("From"), err)
			}
			if from.Name != name || from.Address != "noreply@example.com" {
				t.Fatalf("From = %q <%s>, want %q", from.Name, from.Address, name)
			}
			to, _ := mail.ParseAddressList(m.Header.Get("To"))
			if len(to) != 1 || to[0].Address != "jane@xn--bcher-kva.example" {
				t.Fatalf("To = %q", m.Header.Get("To"))
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			if subject != r.Subject {
				t.Fatalf("Subject = %q", subject)
			}
			if parts["text/plain"] != r.Text || parts["text/html"] != r.HTML {
				t.Fatalf("parts = %q", parts)
			}
		}
	})

	t.Run("ErrLineBreakInHeader", func(t *testing.T) {
		s := testSettings()
		s.FromName = "Roster\r\nBcc: all@example.com"
		if _, err := compose(s, "jane@example.com", r, nil); !errors.Is(err, errHeader) {
			t.Fatalf("compose with a line break in the name: %v", err)
		}
		bad := *r
		bad.Subject = "Hi\nBcc: all@example.com"
		if _, err := compose(testSettings(), "jane@example.com", &bad, nil); !errors.Is(err, errHeader) {
			t.Fatalf("compose with a line break in the subject: %v", err)
		}
		if _, err := compose(testSettings(), "jane@example.com\r\nRCPT TO:<x@y.z>", r, nil); !errors.Is(err, errHeader) {
			t.Fatalf("compose with a line break in the recipient: %v", err)
		}
	})
}

func TestClassify(t *testing.T) {
	const addr = "smtp.example.com:587"
	for _, tt := range []struct {
		name      string
		err       error
		stage     string
		category  string
		code      int
		temporary bool
	}{
		{"AuthRefused", &textproto.Error{Code: 535, Msg: "5.7.8 Authentication failed"}, StageAuth, CategoryAuth, 535, true},
		{"RecipientUnknown", &textproto.Error{Code: 550, Msg: "5.1.1 No such user"}, StageRcpt, CategoryRejected, 550, false},
		{"Greylisted", &textproto.Error{Code: 451, Msg: "4.7.1 Try again later"}, StageRcpt, CategoryRejected, 451, true},
		{"GreetingRefused", &textproto.Error{Code: 554, Msg: "No service"}, StageConnect, CategoryRejected, 554, true},
		{"Refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, StageConnect, CategoryRefused, 0, true},
		{"DNS", &net.DNSError{Err: "no such host", Name: "smtp.example.com", IsNotFound: true}, StageConnect, CategoryDNS, 0, true},
		{"Timeout", context.DeadlineExceeded, StageConnect, CategoryTimeout, 0, true},
		{"Broken", io.EOF, StageData, CategoryNetwork, 0, true},
		{"Certificate", &certificateError{CertificateInfo{Fingerprint: "AB", Reason: "self-signed"}}, StageTLS, CategoryCertificate, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			se := classify(tt.err, tt.stage, addr, "")
			if se.Category != tt.category || se.Code != tt.code || se.Temporary() != tt.temporary {
				t.Fatalf("classify = %+v (temporary %v), want %s %d temporary %v", se, se.Temporary(), tt.category, tt.code, tt.temporary)
			}
			coded := se.Coded()
			if coded.Code != backend.EUNAVAILABLE || coded.Key != "smtp."+tt.category || coded.Message == "" {
				t.Fatalf("coded = %+v", coded)
			}
			if tt.code != 0 && (coded.Args["smtpCode"] != tt.code || !strings.Contains(coded.Message, fmt.Sprint(tt.code))) {
				t.Fatalf("coded error lacks the server's reply: %+v", coded)
			}
		})
	}

	t.Run("ScrubsThePassword", func(t *testing.T) {
		se := classify(&textproto.Error{Code: 535, Msg: "bad credentials for hunter2 (aHVudGVyMg==)"}, StageAuth, addr, "hunter2")
		if strings.Contains(se.Error(), "hunter2") || strings.Contains(se.Error(), "aHVudGVyMg==") {
			t.Fatalf("error shows the password: %s", se.Error())
		}
	})
}

func TestBucket(t *testing.T) {
	ctx := context.Background()
	var b bucket
	b.setRate(600) // 10 a second: at most 10 at once
	n, err := b.take(ctx, 50)
	if err != nil || n != 10 {
		t.Fatalf("take from a full bucket = %d, %v; want 10", n, err)
	}
	b.refund(4)
	if n, _ := b.take(ctx, 50); n != 4 {
		t.Fatalf("take after refunding 4 = %d", n)
	}
	b.setRate(60) // one a second
	if n, _ := b.take(ctx, 50); n != 1 {
		t.Fatalf("take at 60 a minute = %d, want 1", n)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.take(cancelled, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("take from an empty bucket with a cancelled context = %v", err)
	}
}
