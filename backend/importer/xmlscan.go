package importer

import (
	"bytes"
	"errors"
	"io"
)

// xmlScan checks one XML part of a workbook before excelize parses it, in a
// single pass over its bytes that allocates nothing per token. encoding/xml
// holds every token (a text run, a tag with its attributes, a comment, CDATA)
// whole in memory, and excelize collects every cell of a row, so the scan
// bounds both: no token may be larger than maxToken, and no counted element
// (a worksheet's row, a shared string's si) may hold more than
// maxElementBytes bytes or maxElementTokens tokens. It also counts those
// elements, which gives a worksheet's number of rows before it is read.
// Document type declarations are refused: a workbook never has one. The
// scan also checks that elements balance, which excelize's row iterator does
// not: it stops quietly at a syntax error, so a truncated sheet would read as
// a shorter one.
type xmlScan struct {
	elem             []byte // local name of the counted element
	maxToken         int
	maxElementBytes  int
	maxElementTokens int
	// maxCount is the most counted elements the part may have; 0 for no
	// bound. Beyond it the scan stops with errXMLTooMany.
	maxCount int

	// Count is how many counted elements were opened.
	Count int
}

var (
	errXMLTooLarge  = errors.New("xml token or element too large")
	errXMLDirective = errors.New("xml directive")
	errXMLMalformed = errors.New("xml elements do not balance")
	errXMLTooMany   = errors.New("xml part has too many elements")
)

// scanner states.
const (
	xText      = iota
	xLT        // after <
	xName      // in a tag's name
	xTag       // in a tag, after its name
	xAttr      // in a quoted attribute value
	xBang      // after <!
	xBangDash  // after <!-
	xComment   // in <!-- -->
	xCDATAOpen // in <![ before CDATA[
	xCDATA     // in <![CDATA[ ]]>
	xPI        // in <? ?>
)

var cdataOpen = []byte("[CDATA[")

// Scan reads r to the end. It returns errXMLTooLarge, errXMLTooMany,
// errXMLDirective or errXMLMalformed for a part that must not be parsed, or
// r's error.
func (s *xmlScan) Scan(r io.Reader) error {
	var (
		buf       = make([]byte, 64<<10)
		name      = make([]byte, 0, 16)
		state     = xText
		token     int  // bytes of the current token
		nameLen   int  // bytes of the tag name (may exceed len(name))
		closing   bool // the tag is an end tag
		elemTag   bool // the tag opens the counted element
		slash     bool // the last byte in the tag was /
		quote     byte // the quote of an attribute value
		tail      int  // how much of a terminator ("-->", "]]>", "?>") was seen
		inElem    bool
		elemBytes int
		elemToks  int
		depth     int // open elements
	)
	for {
		n, err := r.Read(buf)
		for i := 0; i < n; i++ {
			// Runs of bytes that cannot change the state are skipped at once.
			if j := skipPlain(state, buf[i:n], quote); j > 0 {
				token += j
				if inElem {
					elemBytes += j
				}
				if state == xTag {
					slash = false
				}
				if token > s.maxToken || elemBytes > s.maxElementBytes {
					return errXMLTooLarge
				}
				if i += j; i == n {
					break
				}
			}
			c := buf[i]
			token++
			if inElem {
				elemBytes++
			}
			switch state {
			case xText:
				if c == '<' {
					state, token = xLT, 1
					if inElem {
						elemToks++
					}
				}
			case xLT:
				switch c {
				case '!':
					state = xBang
				case '?':
					state, tail = xPI, 0
				case '/':
					state, closing, name, nameLen = xName, true, name[:0], 0
				default:
					state, closing, name, nameLen = xName, false, append(name[:0], c), 1
				}
			case xName:
				switch c {
				case ' ', '\t', '\r', '\n', '/', '>':
					elemTag = false
					if s.isElem(name, nameLen) {
						if closing {
							inElem = false
						} else {
							if s.Count++; s.maxCount > 0 && s.Count > s.maxCount {
								return errXMLTooMany
							}
							elemTag, inElem, elemBytes, elemToks = true, true, 0, 0
						}
					}
					if closing {
						if depth--; depth < 0 {
							return errXMLMalformed
						}
					} else {
						depth++
					}
					state, slash = xTag, c == '/'
					if c == '>' {
						state = xText
					}
				default:
					if nameLen < 64 {
						name = append(name, c)
					}
					nameLen++
				}
			case xTag:
				switch c {
				case '"', '\'':
					state, quote, slash = xAttr, c, false
				case '>':
					state = xText
					if slash && !closing {
						depth-- // <row/>
						if elemTag {
							inElem = false
						}
					}
				case ' ', '\t', '\r', '\n':
					slash = false
				default:
					slash = c == '/'
				}
			case xAttr:
				if c == quote {
					state = xTag
				}
			case xBang:
				switch c {
				case '-':
					state = xBangDash
				case '[':
					state, tail = xCDATAOpen, 1
				default:
					return errXMLDirective
				}
			case xBangDash:
				if c != '-' {
					return errXMLDirective
				}
				state, tail = xComment, 0
			case xComment, xCDATA:
				// Both end with two marks and a >: "-->" and "]]>".
				mark := byte('-')
				if state == xCDATA {
					mark = ']'
				}
				switch {
				case c == mark:
					tail = min(tail+1, 2)
				case c == '>' && tail == 2:
					state = xText
				default:
					tail = 0
				}
			case xCDATAOpen:
				if c != cdataOpen[tail] {
					return errXMLDirective
				}
				if tail++; tail == len(cdataOpen) {
					state, tail = xCDATA, 0
				}
			case xPI:
				switch {
				case c == '?':
					tail = 1
				case c == '>' && tail == 1:
					state = xText
				default:
					tail = 0
				}
			}
			if token > s.maxToken || elemBytes > s.maxElementBytes || elemToks > s.maxElementTokens {
				return errXMLTooLarge
			}
		}
		if err == io.EOF {
			if state != xText || depth != 0 {
				return errXMLMalformed
			}
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// tagPlain marks the bytes that, inside a tag, change nothing but a
// pending slash.
var tagPlain = func() (t [256]bool) {
	for i := range t {
		t[i] = true
	}
	for _, c := range []byte{'/', '"', '\'', '>'} {
		t[c] = false
	}
	return t
}()

// skipPlain returns how many bytes at the start of b leave the state as it
// is (apart from a tag's pending slash).
func skipPlain(state int, b []byte, quote byte) int {
	switch state {
	case xText:
		if j := bytes.IndexByte(b, '<'); j >= 0 {
			return j
		}
		return len(b)
	case xAttr:
		if j := bytes.IndexByte(b, quote); j >= 0 {
			return j
		}
		return len(b)
	case xTag:
		j := 0
		for j < len(b) && tagPlain[b[j]] {
			j++
		}
		return j
	}
	return 0
}

// isElem reports whether a tag name is the counted element, whatever its
// namespace prefix.
func (s *xmlScan) isElem(name []byte, nameLen int) bool {
	if nameLen > len(name) {
		return false // longer than any name we count
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return bytes.Equal(name, s.elem)
}
