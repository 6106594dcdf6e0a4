package syncclient

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClientName(t *testing.T) {
	for _, tt := range []struct{ name, host, want string }{
		{"OK", "ada-laptop", "Roster on ada-laptop"},
		{"NoHost", "", "Roster"},
		{"ControlCharacters", "ada\r\nlaptop\x00", "Roster on adalaptop"},
		{"InvalidUTF8", "ada\xfflaptop", "Roster on adalaptop"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := clientName(tt.host); got != tt.want {
				t.Fatalf("clientName(%q) = %q; want %q", tt.host, got, tt.want)
			}
		})
	}
	t.Run("TooLong", func(t *testing.T) {
		got := clientName(strings.Repeat("ü", 300))
		if n := utf8.RuneCountInString(got); n != maxClientName || !utf8.ValidString(got) {
			t.Fatalf("%d characters, valid %v", n, utf8.ValidString(got))
		}
	})
}
