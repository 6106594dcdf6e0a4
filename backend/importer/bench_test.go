package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchRows is the size of the benchmark files.
const benchRows = 100_000

// benchFiles are generated once per run, in a temporary directory.
var benchFiles struct {
	once      sync.Once
	dir       string
	csv, xlsx string
	err       error
}

// benchRow returns row i of the benchmark data: realistic addresses and a
// mix of roles, with one row in 20 wrong in some way.
func benchRow(i int) (email, role string) {
	first := []string{"anna", "ben", "chloe", "david", "emma", "felix", "greta", "hans", "ida", "jonas"}[i%10]
	last := []string{"schmidt", "miller", "garcia", "kowalski", "nguyen", "rossi", "dubois", "jensen"}[i/10%8]
	email = fmt.Sprintf("%s.%s%d@example.com", first, last, i)
	switch {
	case i%100 < 80:
		role = "User"
	case i%100 < 85:
		role = "Administrator"
	default:
		role = "Sales, EU"
	}
	switch i % 20 {
	case 7:
		email = fmt.Sprintf("%s.%s%d.example.com", first, last, i) // no @
	case 11:
		role = "Manager" // unknown
	case 13:
		r, _ := benchRow(i - 13) // a duplicate
		email = r
	case 17:
		role = ""
	}
	return email, role
}

// benchData writes a 100,000-row CSV (as Excel saves it: CRLF) and the
// same rows as an XLSX with shared strings (as Excel stores text).
func benchData(b *testing.B) (csvPath, xlsxPath string) {
	b.Helper()
	benchFiles.once.Do(func() {
		dir, err := os.MkdirTemp("", "roster-import-bench-")
		if err != nil {
			benchFiles.err = err
			return
		}
		benchFiles.dir = dir
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.UseCRLF = true
		w.Write(templateColumns)
		for i := range benchRows {
			e, r := benchRow(i)
			w.Write([]string{e, r})
		}
		w.Flush()
		benchFiles.csv = filepath.Join(dir, "invitations.csv")
		if benchFiles.err = os.WriteFile(benchFiles.csv, buf.Bytes(), 0o600); benchFiles.err != nil {
			return
		}

		f := excelize.NewFile()
		defer f.Close()
		f.SetSheetName("Sheet1", "Invitations")
		f.SetSheetRow("Invitations", "A1", &[]any{"email", "role"})
		for i := range benchRows {
			e, r := benchRow(i)
			if err := f.SetSheetRow("Invitations", fmt.Sprintf("A%d", i+2), &[]any{e, r}); err != nil {
				benchFiles.err = err
				return
			}
		}
		benchFiles.xlsx = filepath.Join(dir, "invitations.xlsx")
		benchFiles.err = f.SaveAs(benchFiles.xlsx)
	})
	if benchFiles.err != nil {
		b.Fatal(benchFiles.err)
	}
	return benchFiles.csv, benchFiles.xlsx
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchFiles.dir != "" {
		os.RemoveAll(benchFiles.dir)
	}
	os.Exit(code)
}

// benchPreview previews path b.N times and reports the peak heap of one
// more preview.
func benchPreview(b *testing.B, path string) {
	fx := newFixture(b)
	ctx := context.Background()
	run := func() {
		p, err := fx.svc.PreviewImport(ctx, Source{Path: path}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if p.Summary.Rows != benchRows {
			b.Fatalf("%d rows", p.Summary.Rows)
		}
		fx.svc.DiscardImport(ctx, p.ID)
	}
	for b.Loop() {
		run()
	}
	b.StopTimer()
	b.ReportMetric(float64(peakHeap(run))/(1<<20), "peak-MB")
}

// BenchmarkPreviewCSV is a preview of a 100,000-row CSV. Target: at most
// twice BenchmarkBareCSV.
func BenchmarkPreviewCSV(b *testing.B) {
	path, _ := benchData(b)
	benchPreview(b, path)
}

// BenchmarkBareCSV is the baseline: encoding/csv reading the same file and
// net/mail parsing each address.
func BenchmarkBareCSV(b *testing.B) {
	path, _ := benchData(b)
	for b.Loop() {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		n := 0
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			mail.ParseAddress(rec[0])
			n++
		}
		if n != benchRows+1 {
			b.Fatalf("%d records", n)
		}
	}
}

// BenchmarkPreviewXLSX is a preview of a 100,000-row XLSX. Target: at most
// 1.3 times BenchmarkBareXLSX, and a peak heap under 200 MB.
func BenchmarkPreviewXLSX(b *testing.B) {
	_, path := benchData(b)
	benchPreview(b, path)
}

// BenchmarkBareXLSX is the baseline: excelize's Rows iterator over the same
// file, with its default options.
func BenchmarkBareXLSX(b *testing.B) {
	_, path := benchData(b)
	run := func() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Invitations")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		f.Close()
		if n != benchRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
	for b.Loop() {
		run()
	}
	b.StopTimer()
	b.ReportMetric(float64(peakHeap(run))/(1<<20), "peak-MB")
}

// BenchmarkXMLScan is the safety scan of a 100,000-row worksheet as Excel
// writes it (shared strings), without the inflating.
func BenchmarkXMLScan(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(sheetOpen)
	for i := range benchRows {
		fmt.Fprintf(&buf, `<row r="%d" spans="1:2" x14ac:dyDescent="0.25"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>1</v></c></row>`, i+2, i+2, i+2, i+2)
	}
	buf.WriteString(sheetClose)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s := xmlScan{elem: []byte("row"), maxToken: maxRecordBytes, maxElementBytes: maxElementBytes, maxElementTokens: maxElementTokens}
		if err := s.Scan(bytes.NewReader(data)); err != nil || s.Count != benchRows {
			b.Fatal(err, s.Count)
		}
	}
}
