package backend_test

import (
	"strings"
	"testing"

	"roster/backend"
)

// validSettings returns settings that pass Normalize.
func validSettings() backend.EmailSettings {
	return backend.EmailSettings{
		Host: "smtp.example.com", Port: 587, Security: backend.SecuritySTARTTLS, Username: "roster",
		FromName: "Example Ltd", FromAddress: "noreply@example.com", PlatformURL: "https://chat.example.com",
		Language: "en", RateLimit: 60,
	}
}

func TestEmailSettings_Normalize(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		in := validSettings()
		in.Host = "  SMTP.Example.COM "
		in.FromName = "  Jörg Müller, IT "
		in.FromAddress = " NoReply@Example.COM "
		in.PlatformURL = "HTTPS://Chat.Example.com/roster/"
		in.TrustedFingerprint = " ab:cd " + strings.Repeat("00", 30)
		got, err := in.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		want := backend.EmailSettings{
			Host: "smtp.example.com", Port: 587, Security: backend.SecuritySTARTTLS, Username: "roster",
			FromName: "Jörg Müller, IT", FromAddress: "NoReply@example.com", PlatformURL: "https://chat.example.com/roster",
			Language: "en", RateLimit: 60,
			TrustedFingerprint: "AB:CD:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00",
		}
		if got != want {
			t.Fatalf("Normalize() =\n%+v\nwant\n%+v", got, want)
		}
		if link := got.InvitationLink("tok_en-1"); link != "https://chat.example.com/roster/invite/tok_en-1" {
			t.Fatalf("InvitationLink = %q", link)
		}
		if link := got.ResetLink("abc"); link != "https://chat.example.com/roster/reset/abc" {
			t.Fatalf("ResetLink = %q", link)
		}
	})

	t.Run("LoopbackAllowsNoneAndHTTP", func(t *testing.T) {
		for _, host := range []string{"localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"} {
			in := validSettings()
			in.Host, in.Security, in.PlatformURL = host, backend.SecurityNone, "http://localhost:8080"
			if _, err := in.Normalize(); err != nil {
				t.Errorf("host %q: %v", host, err)
			}
		}
	})

	invalid := []struct {
		name, field, key string
		edit             func(*backend.EmailSettings)
	}{
		{"HostMissing", "host", "emailSettings.host_missing", func(s *backend.EmailSettings) { s.Host = " " }},
		{"HostInvalid", "host", "emailSettings.host_invalid", func(s *backend.EmailSettings) { s.Host = "smtp example.com" }},
		{"PortZero", "port", "emailSettings.port", func(s *backend.EmailSettings) { s.Port = 0 }},
		{"PortTooBig", "port", "emailSettings.port", func(s *backend.EmailSettings) { s.Port = 70000 }},
		{"SecurityUnknown", "security", "emailSettings.security", func(s *backend.EmailSettings) { s.Security = "ssl" }},
		{"NoneRemote", "security", "emailSettings.security_none", func(s *backend.EmailSettings) { s.Security = backend.SecurityNone }},
		{"NoneLookalike", "security", "emailSettings.security_none", func(s *backend.EmailSettings) {
			s.Host, s.Security = "localhost.example.com", backend.SecurityNone
		}},
		{"UsernameLineBreak", "username", "emailSettings.username_line_break", func(s *backend.EmailSettings) { s.Username = "a\r\nRCPT TO:<x@y.z>" }},
		{"FromNameHeaderInjection", "fromName", "emailSettings.from_name_line_break", func(s *backend.EmailSettings) {
			s.FromName = "Roster\r\nBcc: all@example.com"
		}},
		{"FromNameControl", "fromName", "emailSettings.from_name_control", func(s *backend.EmailSettings) { s.FromName = "Ros\x00ter" }},
		{"FromAddressMissing", "fromAddress", "email.missing", func(s *backend.EmailSettings) { s.FromAddress = "" }},
		{"FromAddressWithName", "fromAddress", "email.single", func(s *backend.EmailSettings) { s.FromAddress = "Roster <a@example.com>" }},
		{"PlatformURLMissing", "platformUrl", "emailSettings.platform_url_missing", func(s *backend.EmailSettings) { s.PlatformURL = "" }},
		{"PlatformURLRelative", "platformUrl", "emailSettings.platform_url_invalid", func(s *backend.EmailSettings) { s.PlatformURL = "chat.example.com" }},
		{"PlatformURLHTTP", "platformUrl", "emailSettings.platform_url_https", func(s *backend.EmailSettings) { s.PlatformURL = "http://chat.example.com" }},
		{"PlatformURLJavaScript", "platformUrl", "emailSettings.platform_url_https", func(s *backend.EmailSettings) { s.PlatformURL = "javascript://alert(1)" }},
		{"PlatformURLQuery", "platformUrl", "emailSettings.platform_url_extra", func(s *backend.EmailSettings) { s.PlatformURL = "https://chat.example.com/?a=b" }},
		{"PlatformURLCredentials", "platformUrl", "emailSettings.platform_url_extra", func(s *backend.EmailSettings) { s.PlatformURL = "https://u:p@chat.example.com" }},
		{"PlatformURLQuote", "platformUrl", "emailSettings.platform_url_invalid", func(s *backend.EmailSettings) { s.PlatformURL = `https://chat.example.com/"onclick` }},
		{"LanguageUnknown", "language", "emailSettings.language", func(s *backend.EmailSettings) { s.Language = "fr" }},
		{"RateLimitZero", "rateLimit", "emailSettings.rate_limit", func(s *backend.EmailSettings) { s.RateLimit = 0 }},
		{"RateLimitNegative", "rateLimit", "emailSettings.rate_limit", func(s *backend.EmailSettings) { s.RateLimit = -5 }},
		{"FingerprintShort", "trustedFingerprint", "emailSettings.fingerprint", func(s *backend.EmailSettings) { s.TrustedFingerprint = "AB:CD" }},
		{"FingerprintNotHex", "trustedFingerprint", "emailSettings.fingerprint", func(s *backend.EmailSettings) {
			s.TrustedFingerprint = "zz" + strings.Repeat("00", 31)
		}},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			in := validSettings()
			tt.edit(&in)
			_, err := in.Normalize()
			e := backend.AsError(err)
			if e == nil || e.Code != backend.EINVALID || e.Field != tt.field || e.Key != tt.key {
				t.Fatalf("Normalize() error = %#v, want invalid field %q key %q", e, tt.field, tt.key)
			}
		})
	}
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "127.0.0.1": true, "127.255.0.9": true, "::1": true, "[::1]": true,
		"10.0.0.1": false, "localhost.example.com": false, "128.0.0.1": false, "::2": false, "": false,
	} {
		if got := backend.IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
