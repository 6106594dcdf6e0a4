package backend_test

import (
	"fmt"
	"testing"

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
