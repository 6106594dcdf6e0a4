package password

import (
	"bufio"
	_ "embed"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"roster/backend"
)

// Length limits, in characters (Unicode code points after NFC). NIST SP
// 800-63B-4 asks for at least 15 and allows at least 64; the upper bound only
// keeps a form from being abused as a hashing load.
const (
	MinLength = 15
	MaxLength = 1024
)

// MinGuessBits is the least estimated strength, in bits, of a password made
// of common words, names, sequences, keyboard walks and repeats. Below it a
// password is refused as common: about a billion guesses, which argon2id and
// the sign-in rate limits put far out of an attacker's reach, but which the
// word lists of cracking tools find first.
const MinGuessBits = 30

//go:embed common.txt
var commonText string

//go:embed words.txt
var wordsText string

// commonPasswords are whole passwords of at least 15 characters seen often
// in leaked password lists, lower case.
var commonPasswords = readList(commonText)

// wordCost is what one word of words.txt is worth: log2 of how many there are.
var words, wordCost = func() (map[string]bool, float64) {
	w := readList(wordsText)
	return w, math.Log2(float64(len(w)))
}()

// walks are runs of keys or characters people type in order: keyboard rows
// and columns of QWERTY, QWERTZ and AZERTY, the digits and the alphabet.
var walks = []string{
	"`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
	"1234567890ß´", "qwertzuiopü+", "asdfghjklöä#", "<yxcvbnm,.-",
	"&é\"'(-è_çà)=", "azertyuiop^$", "qsdfghjklmù*", "<wxcvbn,;:!",
	"1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",
	"1qay", "6zhn", "7ujm", "zaq1", "xsw2", "cde3", "vfr4", "bgt5", "nhy6", "mju7",
	"1q2w3e4r5t6y7u8i9o0p", "1a2s3d4f5g6h7j8k9l", "q1w2e3r4t5y6u7i8o9p0",
	"qazwsxedcrfvtgbyhnujmikolp", "zaqxswcdevfrbgtnhymjukilop",
	"01234567890", "abcdefghijklmnopqrstuvwxyz",
}

// walkCost is what one piece of a walk is worth: where it starts, how long
// it is, which walk and which direction.
const walkCost = 12

// walkPieces maps every piece of 3 or more characters of a walk, forwards
// and backwards, to true.
var walkPieces = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range walks {
		for _, s := range []string{w, reverse(w)} {
			r := []rune(s)
			for i := range r {
				for j := i + 3; j <= len(r); j++ {
					m[string(r[i:j])] = true
				}
			}
		}
	}
	return m
}()

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func readList(text string) map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}

// leet undoes the usual letter-for-digit and letter-for-symbol swaps.
var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "8", "b", "@", "a", "$", "s", "!", "i", "+", "t", "€", "e")

// Check tells whether pw may be chosen as a new password. personal are the
// values the password must not be made of: the member's email address, name
// and organisation. It returns EINVALID (field "password") with one of the
// keys password.missing, password.too_short, password.too_long,
// password.control, password.repeated, password.personal, password.common.
// There are no composition rules: any character, including spaces and
// emoji, counts.
func Check(pw string, personal ...string) error {
	if pw == "" {
		return backend.MsgPasswordMissing.FieldError(backend.EINVALID, "password")
	}
	if !utf8.ValidString(pw) {
		return backend.MsgPasswordControl.FieldError(backend.EINVALID, "password")
	}
	s := norm.NFC.String(pw)
	n := utf8.RuneCountInString(s)
	if n > MaxLength {
		return backend.MsgPasswordTooLong.FieldError(backend.EINVALID, "password", "max", MaxLength)
	}
	if n < MinLength {
		return backend.MsgPasswordTooShort.FieldError(backend.EINVALID, "password", "min", MinLength)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return backend.MsgPasswordControl.FieldError(backend.EINVALID, "password")
	}
	lower := cases.Fold().String(s)
	first, _ := utf8.DecodeRuneInString(lower)
	if strings.Trim(lower, string(first)) == "" {
		return backend.MsgPasswordRepeated.FieldError(backend.EINVALID, "password")
	}
	tokens := personalTokens(personal)
	compact := strings.Join(strings.FieldsFunc(lower, isSeparator), "")
	for _, p := range personal {
		p = cases.Fold().String(norm.NFC.String(strings.TrimSpace(p)))
		if p != "" && (lower == p || compact == strings.Join(strings.FieldsFunc(p, isSeparator), "")) {
			return backend.MsgPasswordPersonal.FieldError(backend.EINVALID, "password")
		}
	}
	if commonPasswords[lower] || commonPasswords[compact] || commonPasswords[leet.Replace(compact)] ||
		guessBits(lower, tokens) < MinGuessBits || guessBits(leet.Replace(lower), tokens) < MinGuessBits {
		return backend.MsgPasswordCommon.FieldError(backend.EINVALID, "password")
	}
	return nil
}

// isSeparator reports characters people put between the words of a passphrase.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(".-_,;:+/|", r)
}

// personalTokens splits the personal values into the words an attacker who
// knows them would try: "jane.doe@example.com" gives jane, doe, example, com.
func personalTokens(personal []string) map[string]bool {
	m := map[string]bool{"roster": true}
	for _, p := range personal {
		p = cases.Fold().String(norm.NFC.String(p))
		m[strings.Join(strings.FieldsFunc(p, isSeparator), "")] = true
		for _, t := range strings.FieldsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if utf8.RuneCountInString(t) >= 3 {
				m[t] = true
			}
		}
	}
	return m
}

// maxPiece bounds the pieces guessBits looks at, so its work is linear in
// the password's length.
const maxPiece = 32

// guessBits estimates, in bits, how many guesses a password costs an attacker
// who tries common words, the member's own words, keyboard walks, sequences,
// short numbers, runs of one character and repeats before random
// characters: the cheapest way to build s from such pieces (a shortest path,
// as zxcvbn does it).
func guessBits(s string, personal map[string]bool) float64 {
	r := []rune(s)
	cost := make([]float64, len(r)+1)
	for j := 1; j <= len(r); j++ {
		best := cost[j-1] + charCost(r[j-1])
		for i := max(0, j-maxPiece); i < j; i++ {
			piece := string(r[i:j])
			l := j - i
			c := math.Inf(1)
			if l >= 3 && personal[piece] {
				c = min(c, 2)
			}
			if l >= 3 && words[piece] {
				c = min(c, wordCost)
			}
			if l >= 3 && walkPieces[piece] {
				c = min(c, walkCost)
			}
			if l <= 4 && isDigits(r[i:j]) {
				c = min(c, float64(l)*math.Log2(10)/2) // years, PINs and counters
			}
			if l >= 3 && sameRune(r[i:j]) {
				c = min(c, 6)
			}
			if 2*l <= j && piece == string(r[i-l:i]) {
				c = min(c, 1) // repeats the piece before it
			}
			if l == 1 && isSeparator(r[i]) {
				c = min(c, 1)
			}
			best = min(best, cost[i]+c)
		}
		cost[j] = best
	}
	return cost[len(r)]
}

// charCost is what one random character is worth.
func charCost(r rune) float64 {
	switch {
	case r >= '0' && r <= '9':
		return math.Log2(10)
	case r >= 'a' && r <= 'z':
		return math.Log2(26)
	case r < utf8.RuneSelf:
		return 5
	default:
		return 7
	}
}

func isDigits(r []rune) bool {
	for _, c := range r {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func sameRune(r []rune) bool {
	for _, c := range r[1:] {
		if c != r[0] {
			return false
		}
	}
	return true
}
