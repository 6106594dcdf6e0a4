package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"roster/backend"
)

// checkGuard reads data with encoding/csv, once plainly and once behind a
// guard of the given limit, and checks that the guard changes nothing but
// stops exactly the inputs with a record over the limit.
func checkGuard(t *testing.T, data []byte, sep byte, limit int) {
	t.Helper()
	type result struct {
		fields []string
		err    string
	}
	read := func(r io.Reader) (out []result, offsets []int64, guardErr error) {
		cr := csv.NewReader(r)
		cr.Comma = rune(sep)
		cr.FieldsPerRecord = -1
		var last int64
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return out, offsets, nil
			}
			if backend.AsError(err) != nil {
				return out, offsets, err
			}
			res := result{fields: slices.Clone(rec)}
			if err != nil {
				res.err = err.Error()
			}
			out = append(out, res)
			offsets = append(offsets, cr.InputOffset()-last)
			last = cr.InputOffset()
		}
	}
	plain, spans, _ := read(bytes.NewReader(data))
	guarded, _, gerr := read(&guard{r: bytes.NewReader(data), sep: sep, limit: limit})
	if gerr == nil {
		if len(guarded) != len(plain) {
			t.Fatalf("guarded read %d records, plain %d", len(guarded), len(plain))
		}
		for i := range plain {
			if !slices.Equal(plain[i].fields, guarded[i].fields) || plain[i].err != guarded[i].err {
				t.Fatalf("record %d: guarded %q %q, plain %q %q", i, guarded[i].fields, guarded[i].err, plain[i].fields, plain[i].err)
			}
			// What encoding/csv holds of a record is bounded.
			n := 0
			for _, f := range plain[i].fields {
				n += len(f)
			}
			if n > limit {
				t.Fatalf("record %d holds %d bytes, over the limit of %d, and the guard let it through", i, n, limit)
			}
		}
		return
	}
	// The guard stopped: some record (with the blank lines before it) must
	// really be over the limit.
	if !slices.ContainsFunc(spans, func(s int64) bool { return s > int64(limit) }) {
		t.Fatalf("guard refused input whose records all fit in %d bytes (spans %v): %v", limit, spans, gerr)
	}
	if len(guarded) > len(plain) || !slices.EqualFunc(guarded, plain[:len(guarded)], func(a, b result) bool {
		return slices.Equal(a.fields, b.fields) && a.err == b.err
	}) {
		t.Fatalf("records before the guard stopped differ")
	}
}

func TestGuard(t *testing.T) {
	inputs := []string{
		"a,b\nc,d\n",
		"\n\n\"a\nb\",c\r\n\r\nd,e",
		"a\"b,\"c\nd\"\ne,f\n",         // a bare quote poisons the line only
		"\"a\"x,\"b\nc\"\nd,e\n",       // text after a closing quote
		"\"a\"\"b\",c\r\n\"d\"\r\ne\n", // doubled quotes, quote then CRLF
		"\r\nx\r\n\ry,z\n",             // CR at the start of a line
		"\"unterminated\nquote,\nfield",
		strings.Repeat("x", 40) + "\n" + "y\n",
		"a,\"" + strings.Repeat("z\n", 30) + "\"\nq\n",
	}
	for _, in := range inputs {
		for _, sep := range []byte{',', ';', '\t'} {
			for _, limit := range []int{4, 16, 64, 1 << 20} {
				checkGuard(t, []byte(in), sep, limit)
			}
		}
	}
}

// corpusSeeds adds the corpus files with the given suffixes as seeds.
func corpusSeeds(f *testing.F, suffixes ...string) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		for _, s := range suffixes {
			if strings.HasSuffix(e.Name(), s) {
				data, err := os.ReadFile(filepath.Join("testdata", e.Name()))
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data)
			}
		}
	}
}

// checkPreview reads data and checks what any input must give: a coded
// error that is not internal, or a consistent preview.
func checkPreview(t *testing.T, name string, data []byte) {
	t.Helper()
	fx := newFixture(t)
	p, err := fx.svc.PreviewImport(context.Background(), Source{Name: name, Data: data}, nil)
	if err != nil {
		e := backend.AsError(err)
		if e == nil || e.Code == backend.EINTERNAL || e.Key == "" || e.Message == "" {
			t.Fatalf("error without a code, key and message: %v", err)
		}
		return
	}
	rows := fx.allRows(t, p.ID, false)
	if len(rows) == 0 || len(rows) > maxRows || len(rows) != p.Summary.Rows {
		t.Fatalf("%d rows, summary %+v", len(rows), p.Summary)
	}
	valid := 0
	last := 1
	for _, r := range rows {
		if r.Number <= last {
			t.Fatalf("row numbers not increasing: %d after %d", r.Number, last)
		}
		last = r.Number
		if r.Valid {
			valid++
			if len(r.Issues) > 0 {
				t.Fatalf("valid row %d has issues", r.Number)
			}
		} else if len(r.Issues) == 0 {
			t.Fatalf("invalid row %d has no issue", r.Number)
		}
	}
	if valid != p.Summary.Valid || len(rows)-valid != p.Summary.Invalid {
		t.Fatalf("summary %+v, counted %d valid", p.Summary, valid)
	}
	var buf bytes.Buffer
	if _, err := fx.svc.WriteRejectedRows(context.Background(), p.ID, &buf); err != nil {
		t.Fatal(err)
	}
}

func FuzzReadCSV(f *testing.F) {
	corpusSeeds(f, ".csv", ".txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPreview(t, "fuzz.csv", data)
		if len(data) > 0 {
			sep := []byte{',', ';', '\t'}[int(data[0])%3]
			checkGuard(t, data, sep, 1+int(data[len(data)-1])%64)
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	corpusSeeds(f, ".xlsx", ".xls", ".ods")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPreview(t, "fuzz.xlsx", data)
	})
}

// FuzzXLSXParts fuzzes the XML of a worksheet and of the shared strings
// inside a valid package, which random bytes of a zip rarely reach.
func FuzzXLSXParts(f *testing.F) {
	f.Add(sheetOpen+inlineRow(1, "email", "role")+inlineRow(2, "a@example.com", "User")+sheetClose, "")
	f.Add(sheetOpen+`<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c t="s"><v>2</v></c><c t="str"><f>X</f><v>User</v></c></row>`+sheetClose,
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>email</t></si><si><r><t>ro</t></r><r><t>le</t></r></si><si><t xml:space="preserve"> b@example.com </t></si></sst>`)
	f.Add(`<?xml version="1.0"?><!-- c --><worksheet><sheetData><row r="3"><c r="B3" t="b"><v>1</v></c><c r="A3" t="e"><v>#N/A</v></c></row><![CDATA[x]]></sheetData></worksheet>`, "<sst/>")
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		data := buildXLSX(t, text(sheet), sst)
		checkPreview(t, "fuzz.xlsx", data)
	})
}

// TestXMLScan checks the scan's bounds and balance on small parts.
func TestXMLScan(t *testing.T) {
	tests := []struct {
		xml   string
		count int
		err   error
	}{
		{`<a><row/><row r="2"><c/></row></a>`, 2, nil},
		{`<?xml version="1.0"?><x:a xmlns:x="u"><x:row></x:row><!-- <row> --><![CDATA[<row>]]></x:a>`, 1, nil},
		{`<a b=">"><row>`, 0, errXMLMalformed},
		{`<a></a></a>`, 0, errXMLMalformed},
		{`<!DOCTYPE a><a/>`, 0, errXMLDirective},
		{`<a>` + strings.Repeat("x", 100) + `</a>`, 0, errXMLTooLarge},
		{`<a><!--` + strings.Repeat("<", 100) + `--></a>`, 0, errXMLTooLarge},
		{`<a><row>` + strings.Repeat("<c/>", 40) + `</row></a>`, 0, errXMLTooLarge},
		{`<a>` + strings.Repeat("<c/>", 40) + `<row/></a>`, 1, nil},
	}
	for _, tt := range tests {
		s := xmlScan{elem: []byte("row"), maxToken: 64, maxElementBytes: 1 << 20, maxElementTokens: 20}
		err := s.Scan(strings.NewReader(tt.xml))
		if !errors.Is(err, tt.err) || err == nil && s.Count != tt.count {
			t.Errorf("Scan(%.40q) = %v, count %d; want %v, %d", tt.xml, err, s.Count, tt.err, tt.count)
		}
	}
}
