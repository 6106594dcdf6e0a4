package backend_test

import (
	"strings"
	"testing"

	"roster/backend"
)

func TestParseEmail(t *testing.T) {
	valid := []struct{ in, address, key string }{
		{"jane@example.com", "jane@example.com", "jane@example.com"},
		{"  Jane.Doe@Example.COM \t", "Jane.Doe@example.com", "jane.doe@example.com"},
		{"o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk", "o'brien+tag@mail.example.co.uk"},
		{"info@bücher.example", "info@bücher.example", "info@xn--bcher-kva.example"},
		{"info@xn--bcher-kva.example", "info@bücher.example", "info@xn--bcher-kva.example"},
		{`"john smith"@example.com`, `"john smith"@example.com`, `"john smith"@example.com`},
		{"a@b-c.d1.example", "a@b-c.d1.example", "a@b-c.d1.example"},
	}
	for _, tt := range valid {
		t.Run("OK/"+tt.in, func(t *testing.T) {
			got, err := backend.ParseEmail(tt.in)
			if err != nil {
				t.Fatalf("ParseEmail(%q) = %v", tt.in, err)
			}
			if got.Address != tt.address || got.Key != tt.key {
				t.Fatalf("ParseEmail(%q) = %+v, want address %q key %q", tt.in, got, tt.address, tt.key)
			}
		})
	}

	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 60) + ".com"
	invalid := []struct{ name, in, key string }{
		{"Empty", "", "email.missing"},
		{"Blank", "   ", "email.missing"},
		{"LineFeed", "jane@example.com\n", "email.line_break"},
		{"CarriageReturn", "jane@exa\rmple.com", "email.line_break"},
		{"HeaderInjection", "jane@example.com\r\nBcc: all@example.com", "email.line_break"},
		{"DisplayName", "Jane Doe <jane@example.com>", "email.single"},
		{"AngleBrackets", "<jane@example.com>", "email.single"},
		{"TwoAddressesComma", "a@example.com, b@example.com", "email.single"},
		{"TwoAddressesSemicolon", "a@example.com;b@example.com", "email.single"},
		{"InnerSpace", "jane doe@example.com", "email.single"},
		{"NoAt", "jane.example.com", "email.no_at"},
		{"NoLocal", "@example.com", "email.no_local"},
		{"NoDomain", "jane@", "email.no_domain"},
		{"TwoAt", "jane@doe@example.com", "email.many_at"},
		{"LeadingDot", ".jane@example.com", "email.local_dots"},
		{"DoubleDot", "jane..doe@example.com", "email.local_dots"},
		{"BadChar", "ja(ne)@example.com", "email.local_char"},
		{"NonASCIILocal", "jörg@example.com", "email.local_char"},
		{"DomainNoDot", "jane@localhost", "email.domain_dot"},
		{"DomainTrailingDotOnly", "jane@localhost.", "email.domain_dot"},
		{"DomainLiteral", "jane@[192.0.2.1]", "email.domain_literal"},
		{"DomainHyphen", "jane@-example.com", "email.domain_invalid"},
		{"DomainUnderscore", "jane@ex_ample.com", "email.domain_invalid"},
		{"DomainEmptyLabel", "jane@example..com", "email.domain_invalid"},
		{"NumericTLD", "jane@192.0.2.1", "email.domain_invalid"},
		{"LocalTooLong", strings.Repeat("a", 65) + "@example.com", "email.local_too_long"},
		{"TooLong", long, "email.too_long"},
	}
	for _, tt := range invalid {
		t.Run("Invalid/"+tt.name, func(t *testing.T) {
			_, err := backend.ParseEmail(tt.in)
			e := backend.AsError(err)
			if e == nil {
				t.Fatalf("ParseEmail(%q) = %v, want a coded error", tt.in, err)
			}
			if e.Code != backend.EINVALID || e.Key != tt.key || e.Field != "email" {
				t.Fatalf("ParseEmail(%q) = code %q key %q field %q, want invalid %q email", tt.in, e.Code, e.Key, e.Field, tt.key)
			}
			if e.Message == "" || strings.Contains(e.Message, "{{") {
				t.Fatalf("ParseEmail(%q) message %q is not a finished sentence", tt.in, e.Message)
			}
		})
	}
}

// FuzzParseEmail checks that what ParseEmail accepts it accepts again
// unchanged (the stored form is a fixed point), with the same key, and that
// the key is the same for any case of the input.
func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"jane@example.com", "Jane.Doe@Example.COM", "info@bücher.example", "info@xn--bcher-kva.example",
		`"john smith"@example.com`, "a@b--c.example", "x@XN--BCHER-KVA.EXAMPLE", "a@b.c1", "o'brien@example.co.uk"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := backend.ParseEmail(s)
		if err != nil {
			if backend.ErrorCode(err) != backend.EINVALID {
				t.Fatalf("ParseEmail(%q) failed with %v", s, err)
			}
			return
		}
		again, err := backend.ParseEmail(e.Address)
		if err != nil || again != e {
			t.Fatalf("ParseEmail(%q) = %+v, but its address gives %+v, %v", s, e, again, err)
		}
		// Another spelling that differs only by case is the same address. (Not
		// every upper-casing is one: ß becomes SS, and final sigma ς becomes Σ,
		// whose lower case is σ, another letter in a domain name.)
		upperCase := strings.ToUpper(s)
		if strings.ToLower(upperCase) != strings.ToLower(s) || strings.Contains(s, `"`) {
			return
		}
		if upper, err := backend.ParseEmail(upperCase); err == nil && upper.Key != e.Key {
			t.Fatalf("the key of %q differs by case: %q and %q", s, e.Key, upper.Key)
		}
	})
}
