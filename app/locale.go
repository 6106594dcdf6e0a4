package app

import "strings"

// SystemLanguage returns "de" or "en" from the POSIX locale variables, or ""
// when they are unset or name another language (the window then asks the
// web view, and falls back to English).
func SystemLanguage(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		switch lang := strings.ToLower(v); {
		case strings.HasPrefix(lang, "de"):
			return "de"
		case strings.HasPrefix(lang, "en"):
			return "en"
		}
		return ""
	}
	return ""
}
