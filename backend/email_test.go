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

func TestParseEmail_Lookalike(t *testing.T) {
	tests := []struct {
		name, in  string
		lookalike bool
	}{
		{"CyrillicA", "ada@ex\u0430mple.com", true},
		{"CyrillicAPunycode", "ada@xn--exmple-4nf.com", true},
		{"GreekOmicron", "jane@g\u03bfogle.com", true},
		{"CyrillicInSubdomain", "jane@m\u0430il.example.com", true},
		{"CyrillicGreek", "jane@\u0430\u03b1.example", true},
		{"HangulHiragana", "jane@\ud55c\u3042.example", true},
		{"ArmenianLatin", "jane@\u0585pen.example", true},
		{"ASCII", "ada@example.com", false},
		{"LatinAccents", "info@bücher.example", false},
		{"LatinPunycode", "info@xn--bcher-kva.example", false},
		{"Cyrillic", "info@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444", false},
		{"CyrillicDigitsHyphen", "info@\u043f\u0440\u0438\u043c\u0435\u0440-24.example", false},
		{"ScriptsInSeparateLabels", "info@bücher.\u043f\u0440\u0438\u043c\u0435\u0440.example", false},
		{"Greek", "info@\u03b5\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac.gr", false},
		{"JapaneseWithLatin", "info@\u65e5\u672c\u3054abc\u30ab.jp", false},
		{"ChineseWithBopomofo", "info@\u4e2d\u6587\u3105a.example", false},
		{"KoreanWithHan", "info@\ud55c\uad6d\u8a9e.kr", false},
		{"Arabic", "info@\u0645\u062b\u0627\u0644.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := backend.ParseEmail(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if e.Lookalike != tt.lookalike {
				t.Fatalf("ParseEmail(%q).Lookalike = %v, want %v (%+v)", tt.in, e.Lookalike, tt.lookalike, e)
			}
		})
	}

	t.Run("ShownLikeMember", func(t *testing.T) {
		fake, _ := backend.ParseEmail("ada@ex\u0430mple.com")
		if fake.Address != "ada@ex\u0430mple.com" || fake.ASCII() != "ada@xn--exmple-4nf.com" || fake.Key == "ada@example.com" {
			t.Fatalf("look-alike parsed as %+v, ASCII %q", fake, fake.ASCII())
		}
	})
	t.Run("ErrNotConfirmed", func(t *testing.T) {
		fake, _ := backend.ParseEmail("ada@ex\u0430mple.com")
		e := backend.AsError(fake.CheckLookalike(false))
		if e == nil || e.Code != backend.EINVALID || e.Key != "email.lookalike" || e.Field != "confirmLookalike" ||
			e.Args["punycode"] != "ada@xn--exmple-4nf.com" || e.Args["email"] != fake.Address ||
			!strings.Contains(e.Message, "ada@xn--exmple-4nf.com") {
			t.Fatalf("CheckLookalike(false) = %+v", e)
		}
	})
	t.Run("OKConfirmed", func(t *testing.T) {
		fake, _ := backend.ParseEmail("ada@ex\u0430mple.com")
		if err := fake.CheckLookalike(true); err != nil {
			t.Fatal(err)
		}
		real, _ := backend.ParseEmail("ada@bücher.example")
		if err := real.CheckLookalike(false); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseEmail checks that what ParseEmail accepts it accepts again
// unchanged (the stored form is a fixed point), with the same key, and that
// the key is the same for any case of the input.
func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"jane@example.com", "Jane.Doe@Example.COM", "info@bücher.example", "info@xn--bcher-kva.example",
		`"john smith"@example.com`, "a@b--c.example", "x@XN--BCHER-KVA.EXAMPLE", "a@b.c1", "o'brien@example.co.uk",
		"ada@ex\u0430mple.com", "info@\u65e5\u672c\u3054abc.jp"} {
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
