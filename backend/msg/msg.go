// Package msg is the catalogue of the texts Roster shows people outside the
// desktop window: the directory server's pages and the coded errors they
// render. The texts live in en.json and de.json, nested like the frontend's
// i18next resources and with the same {{name}} placeholders, so the frontend
// can import the same files.
package msg

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

//go:embed en.json de.json
var files embed.FS

// Languages are the catalogue's languages; the first is the fallback.
var Languages = []string{"en", "de"}

// catalogue maps a language to its flattened texts ("server.login.title").
var catalogue = mustLoad()

func mustLoad() map[string]map[string]string {
	c := map[string]map[string]string{}
	for _, lang := range Languages {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			panic(err)
		}
		var tree map[string]any
		if err := json.Unmarshal(b, &tree); err != nil {
			panic(fmt.Sprintf("msg: %s.json: %v", lang, err))
		}
		flat := map[string]string{}
		if err := flatten("", tree, flat); err != nil {
			panic(fmt.Sprintf("msg: %s.json: %v", lang, err))
		}
		c[lang] = flat
	}
	return c
}

func flatten(prefix string, tree map[string]any, into map[string]string) error {
	for k, v := range tree {
		switch v := v.(type) {
		case string:
			into[prefix+k] = v
		case map[string]any:
			if err := flatten(prefix+k+".", v, into); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s%s is neither a text nor a group", prefix, k)
		}
	}
	return nil
}

// placeholder matches i18next's interpolation: {{name}}, spaces allowed.
var placeholder = regexp.MustCompile(`{{\s*(\w+)\s*}}`)

// T returns the text of key in lang with its placeholders filled from args.
// An unknown language falls back to English; an unknown key returns the key
// itself, so a missing text shows up instead of an empty line. A
// placeholder without an argument is left as it is.
func T(lang, key string, args map[string]any) string {
	s, ok := catalogue[lang][key]
	if !ok {
		if s, ok = catalogue[Languages[0]][key]; !ok {
			return key
		}
	}
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			break
		}
		m := s[i : i+2+j+2]
		b.WriteString(s[:i])
		if v, ok := args[strings.TrimSpace(m[2:len(m)-2])]; ok && placeholder.MatchString(m) {
			b.WriteString(fmt.Sprint(v))
		} else {
			b.WriteString(m)
		}
		s = s[i+len(m):]
	}
	b.WriteString(s)
	return b.String()
}

// Has reports whether the catalogue has key in lang.
func Has(lang, key string) bool {
	_, ok := catalogue[lang][key]
	return ok
}

// Keys returns the keys of lang, sorted.
func Keys(lang string) []string {
	keys := make([]string, 0, len(catalogue[lang]))
	for k := range catalogue[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Placeholders returns the placeholder names of key's text in lang, sorted.
func Placeholders(lang, key string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(catalogue[lang][key], -1) {
		names = append(names, m[1])
	}
	sort.Strings(names)
	return names
}

// Keyed is an error that names its text in the catalogue: *backend.Error
// (backend imports this package, so it cannot be named here).
type Keyed interface {
	error
	MessageKey() (key string, args map[string]any, english string)
}

// Error renders err for a person: a coded error by its Key (under "errors.")
// when the catalogue has it, else its English Message; any other error as
// the catalogue's generic sentence, since its details are only for the log.
func Error(lang string, err error) string {
	var e Keyed
	if !errors.As(err, &e) {
		return T(lang, "errors.internal", nil)
	}
	key, args, english := e.MessageKey()
	if key != "" && Has(Languages[0], "errors."+key) {
		return T(lang, "errors."+key, args)
	}
	return english
}

var matcher = language.NewMatcher([]language.Tag{language.English, language.German})

// Match picks the catalogue language for an Accept-Language header.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Languages[0]
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[i]
}
