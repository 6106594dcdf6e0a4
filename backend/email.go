package backend

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MaxEmailLength is the longest address accepted, counted in its ASCII form.
const MaxEmailLength = 254

// Email is a validated address: Address is what is stored and shown (the
// local part as typed, the domain in lower case); Key is the form that
// uniqueness is decided on (all lower case, the domain in its ASCII form, so
// that "Jane@Bücher.example" and "jane@xn--bcher-kva.example" are one person).
// Lookalike is set when a label of the domain mixes scripts (see
// mixedScriptLabel), as "exаmple" with a Cyrillic а does: shown as text, such
// an address cannot be told from another one, so it is shown beside its
// ASCII form and needs confirming.
type Email struct {
	Address   string
	Key       string
	Lookalike bool
}

// ASCII returns the address with its domain in ASCII (IDNA) form, as SMTP
// servers without SMTPUTF8 need it; the local part stays as typed.
func (e Email) ASCII() string {
	return e.Address[:strings.LastIndexByte(e.Address, '@')] + e.Key[strings.LastIndexByte(e.Key, '@'):]
}

// ParseEmail validates one address as an administrator typed it and returns
// its stored form and uniqueness key. Surrounding spaces are trimmed. It
// returns EINVALID, with a message naming the mistake, for: an empty value,
// line breaks anywhere, a display name or several addresses, a missing or
// doubled @, a bad local part, a domain without a dot or with bad labels, and
// an address longer than 254 characters.
func ParseEmail(raw string) (Email, error) {
	if strings.ContainsAny(raw, "\r\n") {
		return Email{}, MsgEmailLineBreak.FieldError(EINVALID, "email")
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return Email{}, MsgEmailMissing.FieldError(EINVALID, "email")
	}
	if strings.ContainsAny(s, "<>,;") || strings.ContainsAny(s, " \t") && !strings.HasPrefix(s, `"`) {
		return Email{}, MsgEmailSingle.FieldError(EINVALID, "email")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return Email{}, MsgEmailNoAt.FieldError(EINVALID, "email")
	}
	local, domain := s[:at], s[at+1:]
	if local == "" {
		return Email{}, MsgEmailNoLocal.FieldError(EINVALID, "email")
	}
	if domain == "" {
		return Email{}, MsgEmailNoDomain.FieldError(EINVALID, "email")
	}
	if err := checkLocalPart(local); err != nil {
		return Email{}, err
	}
	ascii, display, err := checkDomain(domain)
	if err != nil {
		return Email{}, err
	}
	if len(local)+1+len(ascii) > MaxEmailLength {
		return Email{}, MsgEmailTooLong.FieldError(EINVALID, "email", "max", MaxEmailLength)
	}
	return Email{
		Address: local + "@" + display,
		Key:     strings.ToLower(local) + "@" + ascii,
		// An ASCII display form holds only Latin letters and digits.
		Lookalike: display != ascii && mixedScriptDomain(display),
	}, nil
}

// CheckLookalike returns nil unless e is a look-alike address (Lookalike) and
// confirmed is false: then EINVALID with field "confirmLookalike", key
// email.lookalike and args email (as shown) and punycode (its ASCII form).
func (e Email) CheckLookalike(confirmed bool) error {
	if !e.Lookalike || confirmed {
		return nil
	}
	ascii := e.ASCII()
	return MsgEmailLookalike.FieldError(EINVALID, "confirmLookalike", "email", e.Address, "punycode", ascii)
}

// checkLocalPart accepts an RFC 5322 dot-atom or quoted string of at most 64
// ASCII characters.
func checkLocalPart(local string) error {
	if len(local) > 64 {
		return MsgEmailLocalTooLong.FieldError(EINVALID, "email", "max", 64)
	}
	if strings.HasPrefix(local, `"`) {
		if len(local) < 2 || !strings.HasSuffix(local, `"`) {
			return MsgEmailLocalInvalid.FieldError(EINVALID, "email")
		}
		for _, r := range local[1 : len(local)-1] {
			if r < 0x20 || r == 0x7f || r >= utf8.RuneSelf || r == '"' || r == '\\' {
				return MsgEmailLocalInvalid.FieldError(EINVALID, "email")
			}
		}
		return nil
	}
	if strings.Contains(local, "@") {
		return MsgEmailManyAt.FieldError(EINVALID, "email")
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return MsgEmailLocalDots.FieldError(EINVALID, "email")
	}
	for _, r := range local {
		if !isAtext(r) && r != '.' {
			return MsgEmailLocalChar.FieldError(EINVALID, "email", "char", string(r))
		}
	}
	return nil
}

// isAtext reports whether r is an RFC 5322 atext character.
func isAtext(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return r < 128 && atextSpecial[r]
}

// atextSpecial marks the punctuation RFC 5322 allows in an atom.
var atextSpecial = func() (t [128]bool) {
	for _, c := range "!#$%&'*+-/=?^_`{|}~" {
		t[c] = true
	}
	return t
}()

// checkDomain validates a host name with at least one dot, internationalised
// names included, and returns its ASCII and lower-case Unicode forms.
func checkDomain(domain string) (ascii, display string, err error) {
	if strings.HasPrefix(domain, "[") {
		return "", "", MsgEmailDomainLiteral.FieldError(EINVALID, "email")
	}
	if !strings.Contains(strings.Trim(domain, "."), ".") {
		return "", "", MsgEmailDomainDot.FieldError(EINVALID, "email", "domain", domain)
	}
	// Most domains are plain ASCII, which IDNA maps to themselves: only the
	// others go through it (in both directions).
	plain := isPlainDomain(domain)
	if plain {
		ascii = strings.ToLower(domain)
	} else if ascii, err = idna.Lookup.ToASCII(strings.ToLower(domain)); err != nil {
		return "", "", MsgEmailDomainInvalid.FieldError(EINVALID, "email", "domain", domain)
	}
	if strings.HasPrefix(ascii, ".") || strings.HasSuffix(ascii, ".") || len(ascii) > 253 {
		return "", "", MsgEmailDomainInvalid.FieldError(EINVALID, "email", "domain", domain)
	}
	var tld string
	for l := range strings.SplitSeq(ascii, ".") {
		if !validLabel(l) {
			return "", "", MsgEmailDomainInvalid.FieldError(EINVALID, "email", "domain", domain)
		}
		tld = l
	}
	if strings.Trim(tld, "0123456789") == "" {
		return "", "", MsgEmailDomainInvalid.FieldError(EINVALID, "email", "domain", domain)
	}
	if plain {
		return ascii, ascii, nil
	}
	display, err = idna.Lookup.ToUnicode(ascii)
	if err != nil {
		display = ascii
	}
	return ascii, display, nil
}

// isPlainDomain reports whether d holds only ASCII letters, digits, dots and
// hyphens, and no label is or looks like punycode ("xn--", or any "--" in the
// third and fourth place): IDNA maps such a name to itself in lower case.
func isPlainDomain(d string) bool {
	for l := range strings.SplitSeq(d, ".") {
		if len(l) >= 4 && l[2] == '-' && l[3] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i] | 0x20 // lower case for letters
			if !(c >= 'a' && c <= 'z' || l[i] >= '0' && l[i] <= '9' || l[i] == '-') {
				return false
			}
		}
	}
	return true
}

// validLabel reports whether l is an LDH label of 1 to 63 characters.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// mixedScriptDomain reports whether any label of a domain (in Unicode form)
// mixes scripts, as mixedScriptLabel decides.
func mixedScriptDomain(domain string) bool {
	for l := range strings.SplitSeq(domain, ".") {
		if mixedScriptLabel(l) {
			return true
		}
	}
	return false
}

// mixedScriptLabel applies the mixed-script test of UTS #39 (section 5.2,
// "Highly Restrictive"), as browsers do before they show a domain in
// Unicode: leaving out characters of the Common and Inherited scripts
// (digits, hyphens, combining marks), the label's characters must all be of
// one script, or of one of the combinations a language writes with: Latin,
// Han, Hiragana and Katakana (Japanese); Latin, Han and Bopomofo (Chinese);
// Latin, Han and Hangul (Korean).
func mixedScriptLabel(label string) bool {
	var buf [4]string // room for the scripts of almost every label, on the stack
	scripts := buf[:0]
	for _, r := range label {
		if s := scriptOf(r); s != "" && !slices.Contains(scripts, s) {
			scripts = append(scripts, s)
		}
	}
	if len(scripts) <= 1 {
		return false
	}
	for _, allowed := range scriptCombinations {
		if subset(scripts, allowed) {
			return false
		}
	}
	return true
}

// scriptCombinations are the sets of scripts UTS #39 lets one label mix.
var scriptCombinations = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"},
	{"Latin", "Han", "Bopomofo"},
	{"Latin", "Han", "Hangul"},
}

// likelyScripts are tried first by scriptOf: the scripts of most domains.
var likelyScripts = []string{"Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul", "Arabic", "Hebrew"}

// scriptOf returns the Unicode Script property of r by the name the unicode
// package uses, "" for Common and Inherited (which mix with any script), and
// "Unknown" for a code point of no script.
func scriptOf(r rune) string {
	if r < utf8.RuneSelf {
		if c := r | 0x20; c >= 'a' && c <= 'z' {
			return "Latin"
		}
		return ""
	}
	if unicode.Is(unicode.Common, r) || unicode.Is(unicode.Inherited, r) {
		return ""
	}
	for _, name := range likelyScripts {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	// Every code point has one script: the order of the search does not matter.
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return "Unknown"
}

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	return true
}
