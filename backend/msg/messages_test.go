package msg_test

import (
	"slices"
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/msg"
)

// TestMessages checks the declarations of backend/messages.go against the
// catalogue: each declared key has a text in every language, each text uses
// only its key's arguments, the English text uses all of them, and no error
// text is left without a declaration.
func TestMessages(t *testing.T) {
	declared := backend.Messages()
	if len(declared) == 0 {
		t.Fatal("no message is declared")
	}
	for _, lang := range msg.Languages {
		t.Run(lang+"HasEveryText", func(t *testing.T) {
			for _, m := range declared {
				if !msg.Has(lang, "errors."+m.Key) {
					t.Errorf("%s has no text for %s", lang, m.Key)
				}
			}
		})
		t.Run(lang+"UsesDeclaredArgs", func(t *testing.T) {
			for _, m := range declared {
				for _, name := range msg.Placeholders(lang, "errors."+m.Key) {
					if !slices.Contains(m.Args, name) {
						t.Errorf("%s text of %s uses {{%s}}, which %s does not declare", lang, m.Key, name, m.Key)
					}
				}
			}
		})
		t.Run(lang+"HasNoUndeclaredText", func(t *testing.T) {
			for _, k := range msg.Keys(lang) {
				if key, ok := strings.CutPrefix(k, "errors."); ok && backend.LookupMessage(key) == nil {
					t.Errorf("%s has a text for %s, which is not declared", lang, key)
				}
			}
		})
	}
	t.Run("EnglishUsesEveryArg", func(t *testing.T) {
		for _, m := range declared {
			used := msg.Placeholders("en", "errors."+m.Key)
			for _, name := range m.Args {
				if !slices.Contains(used, name) {
					t.Errorf("the English text of %s does not use its argument %s", m.Key, name)
				}
			}
		}
	})
}
