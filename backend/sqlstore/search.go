package sqlstore

// The search and sort keys, computed alike in both stores, so both find and
// order the same rows.

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// collators are reused: a collate.Collator is not safe for concurrent use.
var collators = sync.Pool{New: func() any { return collate.New(language.Und) }}

// SortKey returns the bytes whose order is the Unicode collation order of
// s: case and accents matter only after the letters do, so "ärger" sorts
// beside "Arger", not after "Zoë". Byte-compared, it orders the lists. A
// max above 0 cuts the key to that many bytes.
func SortKey(s string, max int) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	k := c.KeyFromString(&buf, s)
	if max > 0 && len(k) > max {
		k = k[:max]
	}
	return append([]byte(nil), k...)
}

// ListName is what a row sorts and is searched by: a member's name, or the
// address of an invitation (which has no name yet).
func ListName(name, email string) string {
	if name == "" {
		return email
	}
	return name
}

// foldPool holds transformers that fold text for search.
var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), cases.Fold(), norm.NFC)
}}

// FoldText lower-cases s with full Unicode case folding (ß is ss) and
// removes accents, so that "jorg" finds "Jörg" and "STRASSE" finds "Straße".
func FoldText(s string) string {
	t := foldPool.Get().(transform.Transformer)
	defer foldPool.Put(t)
	t.Reset()
	out, _, err := transform.String(t, s)
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// SearchText is the text a member or invitation is found by.
func SearchText(name, email string) string {
	if name == "" {
		return FoldText(email)
	}
	return FoldText(name) + "\n" + FoldText(email)
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// LikePattern escapes a folded term for LIKE ... ESCAPE '\'.
func LikePattern(term string) string {
	return "%" + likeEscaper.Replace(term) + "%"
}
