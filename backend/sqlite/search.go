package sqlite

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

// maxSortKey bounds a sort key. A collation key takes about five bytes a
// character (the letters, then the accents, then the case), so a 254-character
// address had a key of 1,274 bytes, which spilled into overflow pages in the
// four list indexes that order by it and made storing long addresses twice
// as slow (BENCHMARKS.md). 128 bytes hold the letters of the first 60-odd
// characters: keys of shorter names are whole, and rows whose long names
// agree that far keep the list's order by id among themselves.
const maxSortKey = 128

// sortKey returns the bytes whose order is the Unicode collation order of s:
// case and accents matter only after the letters do, so "ärger" sorts beside
// "Arger", not after "Zoë". Byte-compared in SQLite, it orders the lists.
// It is at most maxSortKey bytes long.
func sortKey(s string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	k := c.KeyFromString(&buf, s)
	return append([]byte(nil), k[:min(len(k), maxSortKey)]...)
}

// listName is what a row sorts and is searched by: a member's name, or the
// address of an invitation (which has no name yet).
func listName(name, email string) string {
	if name == "" {
		return email
	}
	return name
}

// foldPool holds transformers that fold text for search.
var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), cases.Fold(), norm.NFC)
}}

// foldText lower-cases s with full Unicode case folding (ß is ss) and removes
// accents, so that "jorg" finds "Jörg" and "STRASSE" finds "Straße".
func foldText(s string) string {
	t := foldPool.Get().(transform.Transformer)
	defer foldPool.Put(t)
	t.Reset()
	out, _, err := transform.String(t, s)
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// searchText is the text a member or invitation is found by.
func searchText(name, email string) string {
	if name == "" {
		return foldText(email)
	}
	return foldText(name) + "\n" + foldText(email)
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePattern escapes a folded term for LIKE ... ESCAPE '\'.
func likePattern(term string) string {
	return "%" + likeEscaper.Replace(term) + "%"
}

// ftsPhrase quotes a folded term as one FTS5 phrase (trigram substring match).
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}
