package mail

import (
	"mime"
	"strings"
	"testing"
	"time"

	"roster/backend"
)

func TestRenderPasswordChanged(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	changed := time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC)
	data := map[string]string{
		backend.MailDataRecipient:    "Jane Doe",
		backend.MailDataOrganisation: "Example Ltd",
		backend.MailDataChangedAt:    changed.Format(time.RFC3339),
	}
	for _, tt := range []struct {
		lang, subject, date string
		body                []string
	}{
		{"en", "Your password for Example Ltd was changed", "9 March 2026, 10:30 (CET)",
			[]string{"Hello Jane Doe", "password reset at once"}},
		{"de", "Ihr Passwort für Example Ltd wurde geändert", "9. März 2026, 10:30 Uhr (CET)",
			[]string{"Guten Tag Jane Doe", "Zurücksetzen Ihres Passworts"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			s := testSettings()
			s.Language = tt.lang
			d, err := entryData(backend.MailPasswordChanged, data, s, loc)
			if err != nil {
				t.Fatal(err)
			}
			r, err := parsedTemplates.render(string(backend.MailPasswordChanged), tt.lang, d)
			if err != nil {
				t.Fatal(err)
			}
			if r.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", r.Subject, tt.subject)
			}
			for _, part := range []struct{ name, body string }{{"text", r.Text}, {"html", r.HTML}} {
				for _, want := range append([]string{tt.date}, tt.body...) {
					if !strings.Contains(part.body, want) {
						t.Errorf("%s part lacks %q:\n%s", part.name, want, part.body)
					}
				}
				if strings.Contains(part.body, "https://") {
					t.Errorf("%s part has a link; the notice needs none:\n%s", part.name, part.body)
				}
			}
			if !strings.Contains(r.HTML, `<html lang="`+tt.lang+`">`) || !strings.Contains(r.HTML, "border-radius:8px") {
				t.Errorf("html part lacks the language or the layout:\n%s", r.HTML)
			}
		})
	}
	t.Run("ErrNoTime", func(t *testing.T) {
		if _, err := entryData(backend.MailPasswordChanged, map[string]string{backend.MailDataOrganisation: "Example Ltd"},
			testSettings(), loc); err == nil {
			t.Fatal("a notice that does not say when was rendered")
		}
	})
}

// TestComposeEntryLanguage: an entry that names its language (the member's)
// is written in it, whatever the settings' language; one that names none,
// or one Roster does not write, in the settings' language.
func TestComposeEntryLanguage(t *testing.T) {
	w := &Worker{Location: time.UTC}
	for _, tt := range []struct{ settings, entry, want string }{
		{"en", "de", "Ihr Passwort für Example Ltd wurde geändert"},
		{"de", "en", "Your password for Example Ltd was changed"},
		{"de", "", "Ihr Passwort für Example Ltd wurde geändert"},
		{"en", "fr", "Your password for Example Ltd was changed"},
	} {
		t.Run(tt.settings+"/"+tt.entry, func(t *testing.T) {
			cfg := &Config{Settings: *testSettings()}
			cfg.Settings.Language = tt.settings
			e := &backend.OutboxEntry{ID: 1, Kind: backend.MailPasswordChanged, To: "jane@example.com", Data: map[string]string{
				backend.MailDataOrganisation: "Example Ltd", backend.MailDataRecipient: "Jane Doe",
				backend.MailDataChangedAt: "2026-03-09T09:30:00Z", backend.MailDataLanguage: tt.entry,
			}}
			m, err := w.compose(cfg, e, time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			body := string(m.body)
			subject := body[strings.Index(body, "Subject: "):]
			subject = subject[:strings.Index(subject, "\r\n")]
			decoded, err := new(mime.WordDecoder).DecodeHeader(strings.TrimPrefix(subject, "Subject: "))
			if err != nil {
				t.Fatal(err)
			}
			if decoded != tt.want {
				t.Fatalf("subject %q, want %q", decoded, tt.want)
			}
		})
	}
}
