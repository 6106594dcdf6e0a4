package sqlite

import (
	"slices"
	"testing"
)

// TestNewTermMatch_Ends checks which trigrams a term's count may be settled
// by: the first and the last of a word of four or more ASCII letters and
// digits, once when they are the same, and none for other terms.
func TestNewTermMatch_Ends(t *testing.T) {
	for _, tt := range []struct {
		term string
		want []string
	}{
		{"hoffmann", []string{`"hof"`, `"ann"`}},
		{"ab12", []string{`"ab1"`, `"b12"`}},
		{"abcabc", []string{`"abc"`}},
		{"sch", nil},
		{"ers.", nil},
		{"jo", nil},
		{"иванов", nil},
	} {
		if got := newTermMatch(tt.term).ends; !slices.Equal(got, tt.want) {
			t.Errorf("%q: ends %q, want %q", tt.term, got, tt.want)
		}
	}
}
