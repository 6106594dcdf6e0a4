// Package mail sends Roster's email: it renders the invitation and password
// reset templates, talks SMTP, and runs the worker that works through the
// durable outbox. It also implements backend.EmailService (settings, the
// SMTP password, test emails, previews).
//
// Messages are composed with github.com/jordan-wright/email. They are sent
// over this package's own small set of SMTP connections rather than that
// library's email.Pool, because the pool (at the pinned version) does
// STARTTLS only when the server offers it and otherwise sends in the clear,
// skips AUTH when the server does not advertise it, cannot speak implicit
// TLS (port 465), and has no connect or I/O timeouts (a silent server blocks
// a send, and Pool.Close, for ever). Here STARTTLS is required when chosen,
// certificates are always verified (or pinned by fingerprint), and every
// step has a deadline. BENCHMARKS.md compares both.
package mail

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/jordan-wright/email"

	"roster/backend"
)

// message is one composed email and its envelope.
type message struct {
	from string // envelope sender, ASCII
	to   string // envelope recipient, ASCII
	body []byte // headers and MIME body, CRLF line ends
}

// errHeader is returned for a header value with a line break: it could add
// headers (or recipients) of its own.
var errHeader = errors.New("a mail header value contains a line break")

// compose builds the message from the settings' sender to one recipient.
// Every header value is checked for line breaks; names are encoded (RFC
// 2047) when they are not plain ASCII; the domains are sent in their ASCII
// (IDNA) form. The email of an outbox entry (entry, else nil) gets the
// entry's Message-ID, so a copy sent again after a crash is recognisable.
func compose(s *backend.EmailSettings, to string, r *backend.MailPreview, entry *backend.OutboxEntry) (*message, error) {
	for _, v := range []string{s.FromName, s.FromAddress, to, r.Subject} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, errHeader
		}
	}
	from, err := asciiAddress(s.FromAddress)
	if err != nil {
		return nil, fmt.Errorf("sender address: %w", err)
	}
	rcpt, err := asciiAddress(to)
	if err != nil {
		return nil, fmt.Errorf("recipient address: %w", err)
	}
	e := email.NewEmail()
	e.From = fromHeader(s.FromName, from)
	e.To = []string{(&mail.Address{Address: rcpt}).String()}
	e.Subject = r.Subject
	e.Text = []byte(r.Text)
	e.HTML = []byte(r.HTML)
	e.Headers.Set("Auto-Submitted", "auto-generated")
	if entry != nil {
		e.Headers.Set("Message-ID", messageID(entry, from))
	}
	body, err := e.Bytes()
	if err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	return &message{from: from, to: rcpt, body: body}, nil
}

// messageID is the Message-ID of an outbox entry's email: the same on every
// attempt to send that entry, different for every other entry (of this or
// another database), in the sender's domain. It is derived from what never
// changes in the entry; the token is not part of it.
func messageID(e *backend.OutboxEntry, from string) string {
	h := sha256.New()
	fmt.Fprintf(h, "roster outbox\x00%d\x00%s\x00%s\x00%s\x00%s\x00%s",
		e.ID, e.Kind, e.To, e.InvitationID, e.PasswordResetID, e.CreatedAt.UTC().Format(time.RFC3339Nano))
	domain := from[strings.LastIndexByte(from, '@')+1:]
	return fmt.Sprintf("<roster.%d.%s@%s>", e.ID, base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(h.Sum(nil)[:15]), domain)
}

// fromHeader renders the From header's value. jordan-wright/email splits
// From at commas before it re-encodes each part, which would mangle a name
// like "ACME, Inc."; such a name is handed over as one encoded word, which
// the library decodes and encodes again correctly.
func fromHeader(name, addr string) string {
	if strings.Contains(name, ",") {
		return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(name)) + "?= <" + addr + ">"
	}
	return (&mail.Address{Name: name, Address: addr}).String()
}

// asciiAddress returns a validated address with its domain in ASCII form,
// as SMTP servers without SMTPUTF8 need it.
func asciiAddress(addr string) (string, error) {
	parsed, err := backend.ParseEmail(addr)
	if err != nil {
		return "", err
	}
	return parsed.ASCII(), nil
}
