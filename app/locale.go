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

// SystemLocale returns the POSIX locale as a BCP 47 tag for dates and
// numbers ("en_GB.UTF-8" gives "en-GB"), or "" when it is unset, "C" or
// "POSIX". The web view may not know it (WebKitGTK reports en-US).
func SystemLocale(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_TIME", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if v == "C" || v == "POSIX" {
			return ""
		}
		return strings.ReplaceAll(v, "_", "-")
	}
	return ""
}
