package msg_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"roster/backend"
	"roster/backend/msg"
)

func TestCatalogue(t *testing.T) {
	en := msg.Keys("en")
	if len(en) == 0 {
		t.Fatal("the English catalogue is empty")
	}
	for _, lang := range msg.Languages[1:] {
		t.Run(lang+"HasEnglishKeys", func(t *testing.T) {
			if got := msg.Keys(lang); !slices.Equal(got, en) {
				for _, k := range en {
					if !msg.Has(lang, k) {
						t.Errorf("%s lacks %s", lang, k)
					}
				}
				for _, k := range got {
					if !msg.Has("en", k) {
						t.Errorf("%s has %s, which English lacks", lang, k)
					}
				}
			}
		})
		t.Run(lang+"KeepsPlaceholders", func(t *testing.T) {
			for _, k := range en {
				if want, got := msg.Placeholders("en", k), msg.Placeholders(lang, k); !slices.Equal(got, want) {
					t.Errorf("%s %s has placeholders %v, English %v", lang, k, got, want)
				}
			}
		})
	}
}

func TestT(t *testing.T) {
	for _, tt := range []struct {
		lang, key string
		args      map[string]any
		want      string
	}{
		{"en", "server.login.title", nil, "Sign in"},
		{"de", "server.login.title", nil, "Anmelden"},
		{"fr", "server.login.title", nil, "Sign in"},
		{"en", "server.account.welcome", map[string]any{"name": "Sam"}, "Your account is ready. Welcome, Sam!"},
		{"de", "server.date", map[string]any{"day": 2, "month": "März", "year": 2026}, "2. März 2026"},
		{"en", "server.account.welcome", nil, "Your account is ready. Welcome, {{name}}!"},
		{"en", "no.such.key", nil, "no.such.key"},
	} {
		if got := msg.T(tt.lang, tt.key, tt.args); got != tt.want {
			t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestError(t *testing.T) {
	t.Run("ByKey", func(t *testing.T) {
		err := fmt.Errorf("wrapped: %w", &backend.Error{Code: backend.EINVALID, Message: "A name can be at most 200 characters long.",
			Key: "name.too_long", Args: map[string]any{"max": 200}})
		if got := msg.Error("de", err); got != "Ein Name darf höchstens 200 Zeichen lang sein." {
			t.Fatalf("Error = %q", got)
		}
	})
	t.Run("MessageWithoutKey", func(t *testing.T) {
		err := &backend.Error{Code: backend.ECONFLICT, Message: "Not in the catalogue.", Key: "nowhere.to_be_found"}
		if got := msg.Error("de", err); got != "Not in the catalogue." {
			t.Fatalf("Error = %q", got)
		}
	})
	t.Run("Internal", func(t *testing.T) {
		if got := msg.Error("en", errors.New("disk on fire at /var/lib")); got != msg.T("en", "errors.internal", nil) {
			t.Fatalf("Error = %q", got)
		}
	})
}

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{
		"":                        "en",
		"de-DE,de;q=0.9,en;q=0.8": "de",
		"de-AT":                   "de",
		"en-GB,en;q=0.9,de;q=0.8": "en",
		"fr-FR,fr;q=0.9":          "en",
		"fr-FR,fr;q=0.9,de;q=0.5": "de",
		"garbage;;;q=zz":          "en",
		"*":                       "en",
	} {
		if got := msg.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}
