package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"

	"roster/backend"
)

//go:embed templates
var templateFS embed.FS

// templateTest is the test email's template; it is no outbox kind.
const templateTest = "test"

// Languages are the languages Roster writes email in.
var Languages = []string{"en", "de"}

// mailData is what the templates see. html/template escapes every value in
// the HTML part; the plain-text part has nothing to escape.
type mailData struct {
	Lang         string
	Subject      string // set from the subject template, for the HTML title
	Organisation string
	Inviter      string
	Role         string
	Recipient    string // the member's name (resets); may be empty
	Link         string
	ExpiresAt    string // formatted in the language
	Lifetime     string // "24 hours", for resets
	ChangedAt    string // when the password changed, formatted in the language
	ButtonText   string
	LinkHint     string
	Server       string // test email: host:port
	Security     string // test email: STARTTLS, TLS, none
}

// templates holds the parsed templates by "<name>.<lang>".
type templates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
}

// parsedTemplates are parsed once; they are embedded, so an error is a bug.
var parsedTemplates = mustParseTemplates()

func mustParseTemplates() *templates {
	t := &templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	names := []string{templateTest}
	for _, kind := range backend.MailKinds {
		names = append(names, string(kind))
	}
	for _, name := range names {
		for _, lang := range Languages {
			key := name + "." + lang
			t.text[key] = texttemplate.Must(texttemplate.New(key).Option("missingkey=error").
				ParseFS(templateFS, "templates/"+key+".txt"))
			t.html[key] = htmltemplate.Must(htmltemplate.New(key).Option("missingkey=error").
				ParseFS(templateFS, "templates/layout.html", "templates/"+key+".html"))
		}
	}
	return t
}

// render executes the subject, text and HTML templates of name in lang.
func (t *templates) render(name, lang string, d *mailData) (*backend.MailPreview, error) {
	key := name + "." + lang
	tt, ht := t.text[key], t.html[key]
	if tt == nil || ht == nil {
		return nil, fmt.Errorf("no %s template in language %q", name, lang)
	}
	d.Lang = lang
	var subject, text, html bytes.Buffer
	if err := tt.ExecuteTemplate(&subject, "subject", d); err != nil {
		return nil, fmt.Errorf("render %s subject: %w", key, err)
	}
	// A subject is one line: collapse white space; a line break in a value
	// could otherwise start a header of its own.
	d.Subject = strings.Join(strings.Fields(subject.String()), " ")
	if err := tt.ExecuteTemplate(&text, "text", d); err != nil {
		return nil, fmt.Errorf("render %s text: %w", key, err)
	}
	if err := ht.ExecuteTemplate(&html, "html", d); err != nil {
		return nil, fmt.Errorf("render %s html: %w", key, err)
	}
	return &backend.MailPreview{Subject: d.Subject, Text: strings.TrimLeft(text.String(), "\n"), HTML: html.String()}, nil
}

// Words the templates need in each language.
var (
	buttonText = map[string]map[string]string{
		string(backend.MailInvitation):    {"en": "Create your account", "de": "Konto anlegen"},
		string(backend.MailPasswordReset): {"en": "Choose a new password", "de": "Neues Passwort wählen"},
	}
	linkHint = map[string]string{
		"en": "If the button does not work, open this link in your browser:",
		"de": "Falls die Schaltfläche nicht funktioniert, öffnen Sie diesen Link im Browser:",
	}
	monthNames = map[string][]string{
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	}
)

// formatDate renders t in loc as people read it in lang:
// "9 March 2026, 10:30 (CET)" or "9. März 2026, 10:30 Uhr (CET)".
func formatDate(t time.Time, lang string, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	month := monthNames[lang][t.Month()-1]
	zone := t.Format("MST")
	if lang == "de" {
		return fmt.Sprintf("%d. %s %d, %s Uhr (%s)", t.Day(), month, t.Year(), t.Format("15:04"), zone)
	}
	return fmt.Sprintf("%d %s %d, %s (%s)", t.Day(), month, t.Year(), t.Format("15:04"), zone)
}

// formatLifetime renders a link's lifetime in whole hours or days.
func formatLifetime(d time.Duration, lang string) string {
	hours := int(d.Round(time.Hour) / time.Hour)
	if hours%24 == 0 && hours > 24 {
		if lang == "de" {
			return fmt.Sprintf("%d Tage", hours/24)
		}
		return fmt.Sprintf("%d days", hours/24)
	}
	if lang == "de" {
		return fmt.Sprintf("%d Stunden", hours)
	}
	return fmt.Sprintf("%d hours", hours)
}

// entryLanguage is the language of an outbox entry's email: the one its Data
// names (the member's), else the settings' language.
func entryLanguage(data map[string]string, s *backend.EmailSettings) string {
	if lang := data[backend.MailDataLanguage]; slices.Contains(Languages, lang) {
		return lang
	}
	return s.Language
}

// entryData builds the template data of an outbox entry from its Data and
// the current settings, in the settings' language.
func entryData(kind backend.MailKind, data map[string]string, s *backend.EmailSettings, loc *time.Location) (*mailData, error) {
	token := data[backend.MailDataToken]
	if token == "" && kind != backend.MailPasswordChanged {
		return nil, fmt.Errorf("the %s email has no link token", kind)
	}
	lang := s.Language
	d := &mailData{
		Organisation: data[backend.MailDataOrganisation],
		Inviter:      data[backend.MailDataInviter],
		Role:         data[backend.MailDataRole],
		Recipient:    data[backend.MailDataRecipient],
		ButtonText:   buttonText[string(kind)][lang],
		LinkHint:     linkHint[lang],
	}
	if raw := data[backend.MailDataExpiresAt]; raw != "" {
		exp, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			return nil, fmt.Errorf("the %s email's expiry %q: %w", kind, raw, err)
		}
		d.ExpiresAt = formatDate(exp, lang, loc)
	}
	if raw := data[backend.MailDataChangedAt]; raw != "" {
		at, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			return nil, fmt.Errorf("the %s email's time %q: %w", kind, raw, err)
		}
		d.ChangedAt = formatDate(at, lang, loc)
	}
	switch kind {
	case backend.MailInvitation:
		d.Link = s.InvitationLink(token)
	case backend.MailPasswordReset:
		d.Link = s.ResetLink(token)
		d.Lifetime = formatLifetime(backend.PasswordResetLifetime, lang)
	case backend.MailPasswordChanged:
		if d.ChangedAt == "" {
			return nil, fmt.Errorf("the %s email does not say when", kind)
		}
	default:
		return nil, fmt.Errorf("unknown email kind %q", kind)
	}
	return d, nil
}

// sampleData is what previews show.
func sampleData(kind backend.MailKind, lang, organisation, inviter string, s *backend.EmailSettings, now time.Time, loc *time.Location) (*mailData, error) {
	data := map[string]string{
		backend.MailDataToken:        "SAMPLE-TOKEN",
		backend.MailDataOrganisation: organisation,
		backend.MailDataInviter:      inviter,
		backend.MailDataRole:         "User",
		backend.MailDataRecipient:    "Jane Doe",
	}
	switch kind {
	case backend.MailInvitation:
		data[backend.MailDataExpiresAt] = now.Add(backend.InvitationLifetime).Format(time.RFC3339)
		data[backend.MailDataRecipient] = ""
	case backend.MailPasswordReset:
		data[backend.MailDataExpiresAt] = now.Add(backend.PasswordResetLifetime).Format(time.RFC3339)
	case backend.MailPasswordChanged:
		delete(data, backend.MailDataToken)
		data[backend.MailDataChangedAt] = now.Format(time.RFC3339)
	}
	settings := *s
	settings.Language = lang
	return entryData(kind, data, &settings, loc)
}
