package importer

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"roster/backend"
)

// englishTexts reads the English texts of the import errors from the
// window's translations (errors.import.* of importsEn), by key:
// "import.empty", "import.row.quotes".
func englishTexts(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../../frontend/src/features/imports/i18n.ts")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	start, end := strings.Index(src, "export const importsEn"), strings.Index(src, "export const importsDe")
	if start < 0 || end < start {
		t.Fatal("i18n.ts has no importsEn before importsDe")
	}
	var (
		open    = regexp.MustCompile(`^(\w+): \{$`)
		text    = regexp.MustCompile(`^(\w+): '(.*)',$`)
		keyOnly = regexp.MustCompile(`^(\w+):$`)
		quoted  = regexp.MustCompile(`^'(.*)',$`)
	)
	texts := map[string]string{}
	var path []string
	pending := ""
	for _, line := range strings.Split(src[start:end], "\n") {
		line = strings.TrimSpace(line)
		if m := open.FindStringSubmatch(line); m != nil {
			path = append(path, m[1])
		} else if line == "}," && len(path) > 0 {
			path = path[:len(path)-1]
		} else if m := text.FindStringSubmatch(line); m != nil {
			texts[strings.Join(append(path, m[1]), ".")] = m[2]
		} else if m := keyOnly.FindStringSubmatch(line); m != nil {
			pending = m[1]
		} else if m := quoted.FindStringSubmatch(line); m != nil && pending != "" {
			texts[strings.Join(append(path, pending), ".")] = m[1]
			pending = ""
		}
	}
	out := map[string]string{}
	for k, v := range texts {
		if key, ok := strings.CutPrefix(k, "errors."); ok {
			out[key] = v
		}
	}
	if len(out) < 20 {
		t.Fatalf("read only %d texts of import errors from i18n.ts", len(out))
	}
	return out
}

// interpolate fills in a text's {{placeholders}} from args.
func interpolate(text string, args map[string]any) string {
	return regexp.MustCompile(`\{\{(\w+)\}\}`).ReplaceAllStringFunc(text, func(p string) string {
		return fmt.Sprint(args[strings.Trim(p, "{}")])
	})
}

// TestMessages checks that the English message of each error the importer
// makes says what the window's English text says, so that the two cannot
// drift apart.
func TestMessages(t *testing.T) {
	texts := englishTexts(t)
	rs := newRoleSet(testRoles())
	_, _, unknownRole := rs.check("Owner")
	errs := []error{
		errEmpty(), ErrTooLarge(60 << 20), errTooManyRows(), errNoRows(), errHeader([]string{"name", "role"}),
		errLegacyXLS(), errEncrypted(), errODS(), errDamaged(), errUnpackedTooLarge(), errRowTooLarge(7), errRowTooLarge(0),
		errCanceled(), errNotFound(), errSendRowFailed(4, &backend.Error{Code: backend.ECONFLICT, Message: "Already invited.", Key: "invitation.exists"}),
		openError(os.ErrNotExist), openError(os.ErrPermission), errUnreadable(fmt.Errorf("disk on fire")),
		&errExtraColumns([]string{"C", "D"}).err, &errTooLong("email").err, &errQuotes().err, &rs.missing.err, &unknownRole.err,
	}
	for kind := range otherWhat {
		errs = append(errs, errNotSpreadsheet(kind))
	}
	for _, err := range errs {
		e := backend.AsError(err)
		text, ok := texts[e.Key]
		if !ok {
			t.Errorf("%s has no English text in the window", e.Key)
			continue
		}
		if want := interpolate(text, e.Args); e.Message != want {
			t.Errorf("%s:\n Go     %q\n window %q", e.Key, e.Message, want)
		}
	}
}
