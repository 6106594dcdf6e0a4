package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"roster/backend"
)

// Text encodings of CSV files, as FileInfo.Encoding names them.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	enc1252    = "windows-1252"
)

// prefixSize is how much decoded text the separator detection looks at.
const prefixSize = 64 << 10

// csvTable reads the records of a CSV file with encoding/csv, behind a guard
// that bounds the size of one record.
type csvTable struct {
	src     *bytes.Reader // the raw bytes, for progress
	size    int
	r       *csv.Reader
	text    *recorder // what r reads, for the text of rows it cannot parse
	rec     record
	err     error
	lastRow int // the spreadsheet row of the last record
	lastEnd int // the line the last record ended on
	hint    int
}

// openCSV prepares data, a whole CSV file, for reading: it detects the
// encoding (byte order marks; else UTF-8 when the bytes are valid UTF-8,
// Windows-1252 when not) and the separator.
func openCSV(ctx context.Context, data []byte, info *FileInfo) (*csvTable, error) {
	info.Kind = KindCSV
	src := bytes.NewReader(data)
	var text io.Reader
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		info.Encoding = encUTF8BOM
		_, _ = src.Seek(int64(len(bomUTF8)), io.SeekStart)
		text = src
	case bytes.HasPrefix(data, bomUTF16LE):
		info.Encoding = encUTF16LE
		text = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(src)
	case bytes.HasPrefix(data, bomUTF16BE):
		info.Encoding = encUTF16BE
		text = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Reader(src)
	case utf8.Valid(data):
		info.Encoding = encUTF8
		text = src
	default:
		info.Encoding = enc1252
		text = charmap.Windows1252.NewDecoder().Reader(src)
	}

	br := bufio.NewReaderSize(text, prefixSize)
	prefix, err := br.Peek(prefixSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, errUnreadable(err)
	}
	sep, sepLine := detectSeparator(prefix)
	if sepLine {
		// Excel's "sep=;" line chooses the separator and is not a row.
		if _, err := br.ReadSlice('\n'); err != nil && err != io.EOF {
			return nil, errUnreadable(err)
		}
	}
	info.Separator = string(sep)
	text = br
	if bytes.IndexByte(prefix, '\r') >= 0 && bytes.IndexByte(prefix, '\n') < 0 {
		text = crToLF{text} // classic Mac line ends
	}

	rec := &recorder{r: &guard{r: text, sep: sep, limit: maxRecordBytes, maxRows: maxRowNumber, ctx: ctx}}
	r := csv.NewReader(rec)
	r.Comma = rune(sep)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	t := &csvTable{src: src, size: len(data), r: r, text: rec}

	// Estimate the rows from the lines of the prefix.
	lines := bytes.Count(prefix, []byte("\n")) + bytes.Count(prefix, []byte("\r")) - bytes.Count(prefix, []byte("\r\n"))
	t.hint = lines
	if len(prefix) == prefixSize {
		textSize := len(data)
		if info.Encoding == encUTF16LE || info.Encoding == encUTF16BE {
			textSize /= 2
		}
		t.hint = int(float64(lines) * float64(textSize) / float64(len(prefix)))
	}
	return t, nil
}

// detectSeparator picks the separator of the header line (the first line
// that is not blank): the one of , ; and tab that occurs most often outside
// quotes, a comma when none does. A first line "sep=X" (Excel's way to name
// the separator) decides instead, and sepLine reports it.
func detectSeparator(prefix []byte) (sep byte, sepLine bool) {
	if line, _, _ := bytes.Cut(prefix, []byte("\n")); len(line) >= 5 && bytes.HasPrefix(line, []byte("sep=")) {
		if s := bytes.TrimRight(line[4:], "\r"); len(s) == 1 && isSeparator(s[0]) {
			return s[0], true
		}
	}
	var counts [3]int
	seps := [3]byte{',', ';', '\t'}
	inQuotes, started := false, false
scan:
	for _, c := range prefix {
		switch {
		case c == '"':
			inQuotes = !inQuotes
			started = true
		case inQuotes:
		case c == '\n' || c == '\r':
			if started {
				break scan
			}
		default:
			for i, s := range seps {
				if c == s {
					counts[i]++
				}
			}
			if c != ' ' && c != '\t' {
				started = true
			}
		}
	}
	best := 0
	for i := range counts {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return seps[best], false
}

func isSeparator(c byte) bool { return c == ',' || c == ';' || c == '\t' }

// Next reads the next record.
func (t *csvTable) Next() bool {
	if t.err != nil {
		return false
	}
	from := t.r.InputOffset()
	rec, err := t.r.Read()
	if err == io.EOF {
		return false
	}
	to := t.r.InputOffset()
	defer t.text.drop(to)
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)) {
			// The row's text, without the blank lines before it and its
			// line break.
			raw := strings.TrimRight(strings.TrimLeft(t.text.between(from, to), "\r\n"), "\r\n")
			t.rec = record{row: t.rowFor(pe.StartLine, pe.Line), problem: errQuotes(), raw: raw}
			return true
		}
		if e := backend.AsError(err); e != nil {
			t.err = e
		} else {
			t.err = errUnreadable(err)
		}
		return false
	}
	start, _ := t.r.FieldPos(0)
	last := len(rec) - 1
	end, _ := t.r.FieldPos(last)
	end += strings.Count(rec[last], "\n")
	t.rec = record{row: t.rowFor(start, end), cells: rec}
	return true
}

// rowFor returns the spreadsheet row of a record on lines start to end:
// encoding/csv skips blank lines, which spreadsheets show as empty rows.
func (t *csvTable) rowFor(start, end int) int {
	row := t.lastRow + start - t.lastEnd
	t.lastRow, t.lastEnd = row, end
	return row
}

func (t *csvTable) Record() record { return t.rec }
func (t *csvTable) Err() error     { return t.err }
func (t *csvTable) Close() error   { return nil }

// SizeHint estimates the rows from those of the first 64 KB.
func (t *csvTable) SizeHint() int { return t.hint }

// Progress counts the bytes read.
func (t *csvTable) Progress() (done, total int) {
	return t.size - t.src.Len(), t.size
}

// errQuotes is the problem of a row whose quotes do not pair up, so that its
// cells cannot be told apart.
func errQuotes() *issue {
	return newIssue(issueQuotes, backend.EINVALID, "",
		"The quotation marks of this row do not pair up, so its cells cannot be told apart.", nil)
}

// recorder passes text through and keeps the part of it that encoding/csv
// may still be parsing, so that the text of a row it cannot split into cells
// is at hand. Offsets count from the start of the text, as
// csv.Reader.InputOffset does.
type recorder struct {
	r    io.Reader
	kept []byte // the text from offset base on
	base int64
}

// recorderSlack is how much text the recorder gathers before it drops what
// is behind: dropping copies what encoding/csv read ahead, a few KB.
const recorderSlack = 64 << 10

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	rc.kept = append(rc.kept, p[:n]...)
	return n, err
}

// drop forgets the text before offset, which encoding/csv has finished with.
func (rc *recorder) drop(offset int64) {
	if k := int(offset - rc.base); k >= recorderSlack && k <= len(rc.kept) {
		rc.kept = append(rc.kept[:0], rc.kept[k:]...)
		rc.base = offset
	}
}

// between returns the text from offset start to end.
func (rc *recorder) between(start, end int64) string {
	from, to := int(start-rc.base), int(end-rc.base)
	if from < 0 || to > len(rc.kept) || from > to {
		return "" // cannot happen: nothing after the last drop is dropped
	}
	return string(rc.kept[from:to])
}

// crToLF turns the CR line ends of classic Mac files into LF.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// guard passes CSV text through unchanged, following it as encoding/csv
// parses it (strict quotes: a quote error discards the rest of the line),
// and fails with errRowTooLarge as soon as one record exceeds limit bytes.
// encoding/csv holds a whole record in memory, several times over, so this
// bounds the memory one row can take whatever the file holds. It also
// bounds the lines: encoding/csv skips blank lines without returning, so
// a file of line breaks would otherwise be read to its end in one call.
type guard struct {
	r     io.Reader
	sep   byte
	limit int
	// maxRows is the most lines (records and blank lines) that may pass;
	// beyond it reading fails with errTooManyRows. 0 for no bound.
	maxRows int
	// ctx, when done, fails reading with errCanceled; nil for never.
	ctx     context.Context
	state   guardState
	recLen  int // bytes of the record being read
	lastLen int // bytes of the last complete record
	rows    int // records and blank lines completed
	err     error
}

type guardState uint8

const (
	gLineStart   guardState = iota // a new line outside quotes: a record or a blank line
	gLineStartCR                   // a CR at the start of a line
	gFieldStart                    // after a separator
	gUnquoted                      // in an unquoted field
	gQuoted                        // in a quoted field
	gQuoteSeen                     // a quote in a quoted field: its end, or the first of ""
	gQuoteSeenCR                   // a closing quote, then CR
	gPoisoned                      // after a quote error, up to the end of the line
)

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.ctx != nil && g.ctx.Err() != nil {
		g.err = errCanceled()
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		// Inside a field, skip to the next byte that can change the state.
		switch g.state {
		case gUnquoted, gPoisoned:
			j := i
			for j < n && p[j] != '\n' && p[j] != g.sep && p[j] != '"' {
				j++
			}
			g.recLen += j - i
			i = j
		case gQuoted:
			j := i
			for j < n && p[j] != '"' {
				j++
			}
			g.recLen += j - i
			i = j
		}
		if i < n {
			g.step(p[i])
		}
		switch {
		case g.recLen > g.limit:
			g.err = errRowTooLarge(g.rows + 1)
		case g.state == gLineStart && g.lastLen > g.limit:
			g.err = errRowTooLarge(g.rows) // the byte that ended it counted
		default:
			continue
		}
		return 0, g.err
	}
	if g.maxRows > 0 && g.rows > g.maxRows {
		g.err = errTooManyRows()
		return 0, g.err
	}
	return n, err
}

// step advances the state by one byte.
func (g *guard) step(c byte) {
	switch g.state {
	case gLineStart:
		switch c {
		case '\n':
			g.rows++ // a blank line
			return
		case '\r':
			g.state = gLineStartCR
			return
		}
		g.recLen = 1
		g.state = g.fieldStart(c)
	case gLineStartCR:
		if c == '\n' {
			g.rows++ // a blank line ending in CRLF
			g.state = gLineStart
			return
		}
		g.recLen = 2 // the CR began an unquoted field
		g.state = gUnquoted
		g.step(c)
		g.recLen-- // step counted c again
	case gFieldStart:
		g.recLen++
		if c == '\n' {
			g.endRecord()
			return
		}
		g.state = g.fieldStart(c)
	case gUnquoted:
		g.recLen++
		switch c {
		case '\n':
			g.endRecord()
		case g.sep:
			g.state = gFieldStart
		case '"':
			g.state = gPoisoned // a bare quote
		}
	case gQuoted:
		g.recLen++
		if c == '"' {
			g.state = gQuoteSeen
		}
	case gQuoteSeen:
		g.recLen++
		switch c {
		case '"':
			g.state = gQuoted
		case g.sep:
			g.state = gFieldStart
		case '\n':
			g.endRecord()
		case '\r':
			g.state = gQuoteSeenCR
		default:
			g.state = gPoisoned // text after a closing quote
		}
	case gQuoteSeenCR:
		g.recLen++
		if c == '\n' {
			g.endRecord()
			return
		}
		g.state = gPoisoned
	case gPoisoned:
		g.recLen++
		if c == '\n' {
			g.endRecord()
		}
	}
}

// fieldStart returns the state after the first byte of a field.
func (g *guard) fieldStart(c byte) guardState {
	switch c {
	case '"':
		return gQuoted
	case g.sep:
		return gFieldStart
	}
	return gUnquoted
}

func (g *guard) endRecord() {
	g.rows++
	g.lastLen, g.recLen = g.recLen, 0
	g.state = gLineStart
}
