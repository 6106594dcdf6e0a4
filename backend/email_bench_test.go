package backend_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/idna"

	"roster/backend"
)

func BenchmarkParseEmail(b *testing.B) {
	addrs := make([]string, 1000)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("  First.Last+%d@Mail.Example.COM ", i)
	}
	addrs[7] = "info@bücher.example"
	for b.Loop() {
		for _, a := range addrs {
			if _, err := backend.ParseEmail(a); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// idnAddresses are internationalised addresses, a third of them look-alikes.
func idnAddresses() []string {
	domains := []string{"bücher.example", "ex\u0430mple.com", "\u65e5\u672c\u3054abc.jp", "m\u00fcnchen-\u0430.example",
		"\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444", "g\u03bfogle.com"}
	addrs := make([]string, 1000)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("user%d@%s", i, domains[i%len(domains)])
	}
	return addrs
}

// BenchmarkParseEmailIDN measures ParseEmail on internationalised domains,
// where the mixed-script test runs; BenchmarkIDNALookup beside it is the
// IDNA conversion alone, in both directions, as ParseEmail does it.
func BenchmarkParseEmailIDN(b *testing.B) {
	addrs := idnAddresses()
	for b.Loop() {
		for _, a := range addrs {
			if _, err := backend.ParseEmail(a); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkIDNALookup(b *testing.B) {
	addrs := idnAddresses()
	for b.Loop() {
		for _, a := range addrs {
			ascii, err := idna.Lookup.ToASCII(a[strings.IndexByte(a, '@')+1:])
			if err != nil {
				b.Fatal(err)
			}
			if _, err := idna.Lookup.ToUnicode(ascii); err != nil {
				b.Fatal(err)
			}
		}
	}
}
