package password_test

import (
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/password"
)

// cheap are parameters that keep tests fast; the real ones are tested once.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHasher(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		h := password.NewHasher()
		enc, err := h.Hash("correct staple of a horse battery")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Fatalf("hash %q does not carry OWASP's parameters", enc)
		}
		ok, rehash, err := h.Verify(enc, "correct staple of a horse battery")
		if err != nil || !ok || rehash {
			t.Fatalf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		h := &password.Hasher{Params: cheap}
		enc, _ := h.Hash("a long enough password here")
		if ok, _, err := h.Verify(enc, "a long enough password herE"); ok || err != nil {
			t.Fatalf("Verify = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("SaltedHashesDiffer", func(t *testing.T) {
		h := &password.Hasher{Params: cheap}
		a, _ := h.Hash("the same password twice")
		b, _ := h.Hash("the same password twice")
		if a == b {
			t.Fatal("two hashes of one password are equal: no salt")
		}
	})
	t.Run("NFC", func(t *testing.T) {
		h := &password.Hasher{Params: cheap}
		enc, _ := h.Hash("Gr\u00fc\u00dfe aus M\u00fcnchen, Tante Erna")              // composed ü
		ok, _, err := h.Verify(enc, "Gru\u0308\u00dfe aus Mu\u0308nchen, Tante Erna") // u + combining diaeresis
		if !ok || err != nil {
			t.Fatalf("decomposed form does not verify: %v, %v", ok, err)
		}
	})
	t.Run("RehashWhenRaised", func(t *testing.T) {
		old := &password.Hasher{Params: cheap}
		enc, _ := old.Hash("a password hashed long ago")
		raised := &password.Hasher{Params: cheap}
		raised.Params.Time = 2
		ok, rehash, err := raised.Verify(enc, "a password hashed long ago")
		if !ok || !rehash || err != nil {
			t.Fatalf("Verify = %v, %v, %v; want true, true, nil", ok, rehash, err)
		}
		if _, rehash, _ := old.Verify(enc, "a password hashed long ago"); rehash {
			t.Fatal("a hash with the current parameters asks for a rehash")
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		h := &password.Hasher{Params: cheap}
		for _, enc := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
			"$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA",
			"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"} {
			if ok, _, err := h.Verify(enc, "anything at all here"); ok || err == nil {
				t.Errorf("Verify(%q) = %v, %v; want false and an error", enc, ok, err)
			}
		}
	})
}

func TestCheck(t *testing.T) {
	personal := []string{"jane.doe@example.com", "Jane Doe", "Example Ltd"}
	for _, tt := range []struct {
		name, pw, key string
	}{
		{"OK", "violet tractor mumbles softly", ""},
		{"OKFifteen", "tKq8vz2mRw9xLp4", ""},
		{"OKUnicode", "Grüße aus Köln am Rhein 🌧", ""},
		{"OKSpaces", "my cat sits on a blue chair", ""},
		{"OKLong", strings.Repeat("x7Gq", 256), ""},
		{"ErrMissing", "", "password.missing"},
		{"ErrTooShort", "tKq8vz2mRw9xLp", "password.too_short"},
		{"ErrTooShortCombining", "e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", "password.too_short"},
		{"ErrTooLong", strings.Repeat("x7Gq", 256) + "a", "password.too_long"},
		{"ErrControl", "violet tractor\x00mumbles", "password.control"},
		{"ErrTab", "violet\ttractor mumbles", "password.control"},
		{"ErrRepeated", "aaaaaaaaaaaaaaaa", "password.repeated"},
		{"ErrRepeatedEmoji", strings.Repeat("🙂", 15), "password.repeated"},
		{"ErrEmail", "Jane.Doe@Example.com", "password.personal"},
		{"ErrName", "jane doe jane doe", "password.common"},
		{"ErrNameExact", "Example Ltd Example Ltd", "password.common"},
		{"ErrCommon", "passwordpassword", "password.common"},
		{"ErrCommonCase", "PasswordPassword", "password.common"},
		{"ErrLeet", "P@ssw0rdP@ssw0rd", "password.common"},
		{"ErrKeyboardWalk", "qwertyuiopasdfghjkl", "password.common"},
		{"ErrKeyboardWalkQWERTZ", "qwertzuiopüasdfghjklöä", "password.common"},
		{"ErrColumns", "1qaz2wsx3edc4rfv5tgb", "password.common"},
		{"ErrDigits", "123456789012345678", "password.common"},
		{"ErrAlphabet", "abcdefghijklmnopq", "password.common"},
		{"ErrShortUnit", "ab3ab3ab3ab3ab3ab3", "password.common"},
		{"ErrWordsAndYear", "Sunshine!Football1990", "password.common"},
		{"ErrWordsSpaces", "i love you i love you", "password.common"},
		{"ErrEmailPlus", "jane.doe@example.com!1", "password.common"},
		{"ErrListed", "correcthorsebatterystaple", "password.common"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := password.Check(tt.pw, personal...)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("Check(%q) = %v; want nil", tt.pw, err)
				}
				return
			}
			e := backend.AsError(err)
			if e == nil || e.Code != backend.EINVALID || e.Key != tt.key || e.Field != "password" {
				t.Fatalf("Check(%q) = %v; want EINVALID %s on field password", tt.pw, err, tt.key)
			}
		})
	}
}

func BenchmarkCheckLongest(b *testing.B) {
	pw := strings.Repeat("violet tractor ", 69)[:password.MaxLength]
	for b.Loop() {
		_ = password.Check(pw, "jane.doe@example.com", "Jane Doe")
	}
}
