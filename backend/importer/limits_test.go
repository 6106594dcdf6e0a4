package importer

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/backend"
)

// memoryBound is the most heap any one file may take while it is read.
const memoryBound = 200 << 20

// peakHeap runs fn and returns the highest heap in use while it ran,
// sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var (
		peak uint64
		mu   sync.Mutex
		wg   sync.WaitGroup
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapAlloc)
		mu.Unlock()
	}
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	fn()
	sample()
	close(done)
	wg.Wait()
	return peak
}

// checkBounded reads src, expects the error key (or none), and fails if
// the heap went over memoryBound meanwhile.
func checkBounded(t *testing.T, src Source, key string) *Preview {
	t.Helper()
	fx := newFixture(t)
	var p *Preview
	var err error
	peak := peakHeap(func() {
		p, err = fx.svc.PreviewImport(context.Background(), src, nil)
	})
	t.Logf("peak heap %.1f MB", float64(peak)/(1<<20))
	if peak > memoryBound {
		t.Errorf("peak heap %.1f MB, over the bound of %d MB", float64(peak)/(1<<20), memoryBound>>20)
	}
	if key == "" {
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	assertKey(t, err, backend.EINVALID, key)
	return nil
}

// repeatSheet writes a sheet with a header and then row, n times.
func repeatSheet(row string, n int) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, sheetOpen+inlineRow(1, "email", "role")); err != nil {
			return err
		}
		b := []byte(row)
		for range n {
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, sheetClose)
		return err
	}
}

// bigCell writes one cell of n bytes.
func bigCell(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		io.WriteString(w, sheetOpen+inlineRow(1, "email", "role")+`<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := w.Write(chunk[:k]); err != nil {
				return err
			}
			n -= k
		}
		_, err := io.WriteString(w, `</t></is></c></row>`+sheetClose)
		return err
	}
}

func TestPreviewImport_ZipBombs(t *testing.T) {
	t.Run("DeclaredTooLarge", func(t *testing.T) {
		// 300 MB of rows in about 300 KB: refused from the declared size.
		data := buildXLSX(t, repeatSheet(`<row><c t="inlineStr"><is><t>a@example.com</t></is></c></row>`, 300<<20/60), "")
		t.Logf("%d KB packed", len(data)>>10)
		checkBounded(t, Source{Name: "bomb.xlsx", Data: data}, "import.unpacked_too_large")
	})
	t.Run("LyingSize", func(t *testing.T) {
		// The same, with the sheet's declared size changed to 1 KB: the zip
		// reader stops at the declared size.
		data := buildXLSX(t, repeatSheet(`<row><c t="inlineStr"><is><t>a@example.com</t></is></c></row>`, 300<<20/60), "")
		patchDeclaredSize(t, data, "xl/worksheets/sheet1.xml", 1024)
		checkBounded(t, Source{Name: "bomb.xlsx", Data: data}, "import.damaged")
	})
	t.Run("ManyRowsWithinLimits", func(t *testing.T) {
		// 240 MB of rows within the unpacked bound: reading stops at the
		// row limit.
		row := `<row><c t="inlineStr"><is><t>a@example.com</t></is></c><c t="inlineStr"><is><t>User</t></is></c></row>`
		data := buildXLSX(t, repeatSheet(row, 240<<20/len(row)), "")
		checkBounded(t, Source{Name: "rows.xlsx", Path: writeFile(t, "rows.xlsx", data)}, "import.too_many_rows")
	})
	t.Run("HugeCell", func(t *testing.T) {
		data := buildXLSX(t, bigCell(200<<20), "")
		checkBounded(t, Source{Name: "cell.xlsx", Path: writeFile(t, "cell.xlsx", data)}, "import.row_too_large")
	})
	t.Run("HugeSharedString", func(t *testing.T) {
		sheet := sheetRows(inlineRow(1, "email", "role"), `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`)
		sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>` + strings.Repeat("b", 150<<20) + `</t></si></sst>`
		checkBounded(t, Source{Name: "sst.xlsx", Data: buildXLSX(t, sheet, sst)}, "import.row_too_large")
	})
	t.Run("CellsInOneRow", func(t *testing.T) {
		// A row whose cells all claim column A: excelize would collect each.
		sheet := func(w io.Writer) error {
			io.WriteString(w, sheetOpen+inlineRow(1, "email", "role")+`<row r="2">`)
			for range 4_000_000 {
				io.WriteString(w, `<c r="A2"><v>1</v></c>`)
			}
			_, err := io.WriteString(w, `</row>`+sheetClose)
			return err
		}
		checkBounded(t, Source{Name: "wide.xlsx", Data: buildXLSX(t, sheet, "")}, "import.row_too_large")
	})
	t.Run("ManySharedStrings", func(t *testing.T) {
		sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + strings.Repeat(`<si><t/></si>`, maxSharedStrings+1) + `</sst>`
		checkBounded(t, Source{Name: "sst.xlsx", Data: buildXLSX(t, sheetRows(inlineRow(1, "email", "role")), sst)}, "import.unpacked_too_large")
	})
	t.Run("LargeStyles", func(t *testing.T) {
		styles := pkgPart{"xl/styles.xml", text(`<styleSheet>` + strings.Repeat(`<xf numFmtId="0"/>`, 10<<20/17) + `</styleSheet>`)}
		checkBounded(t, Source{Name: "styles.xlsx", Data: buildXLSX(t, sheetRows(inlineRow(1, "email", "role")), "", styles)}, "import.unpacked_too_large")
	})
}

// patchDeclaredSize rewrites the uncompressed size a zip records for one
// part, in its local header and its central directory entry.
func patchDeclaredSize(t *testing.T, data []byte, name string, size uint32) {
	t.Helper()
	patched := 0
	for _, h := range []struct {
		sig        string
		sizeOffset int
		nameOffset int
	}{{"PK\x03\x04", 22, 30}, {"PK\x01\x02", 24, 46}} {
		for i := 0; ; {
			j := bytes.Index(data[i:], []byte(h.sig))
			if j < 0 {
				break
			}
			at := i + j
			i = at + 4
			if at+h.nameOffset+len(name) > len(data) || string(data[at+h.nameOffset:at+h.nameOffset+len(name)]) != name {
				continue
			}
			binary.LittleEndian.PutUint32(data[at+h.sizeOffset:], size)
			patched++
		}
	}
	if patched != 2 {
		t.Fatalf("patched %d headers of %s, want 2", patched, name)
	}
}

func TestPreviewImport_HugeCSVCells(t *testing.T) {
	t.Run("QuotedOver1MB", func(t *testing.T) {
		// A cell of 40 MB with line breaks, which encoding/csv would hold
		// whole several times over.
		path := func() string {
			var b bytes.Buffer
			b.WriteString("email,role\r\njane@example.com,User\r\n\r\n\"")
			line := strings.Repeat("x", 99) + "\n"
			for b.Len() < 40<<20 {
				b.WriteString(line)
			}
			b.WriteString("\",User\r\n")
			return writeFile(t, "big.csv", b.Bytes())
		}()
		e := backend.AsError(func() error {
			var err error
			peak := peakHeap(func() {
				_, err = newFixture(t).svc.PreviewImport(context.Background(), Source{Path: path}, nil)
			})
			t.Logf("peak heap %.1f MB", float64(peak)/(1<<20))
			if peak > memoryBound {
				t.Errorf("peak heap %.1f MB", float64(peak)/(1<<20))
			}
			return err
		}())
		if e == nil || e.Key != "import.row_too_large" || e.Args["row"] != 4 {
			t.Fatalf("error = %+v, want import.row_too_large naming row 4", e)
		}
	})
	t.Run("Windows1252Over1MB", func(t *testing.T) {
		// Each € (0x80) becomes three bytes of UTF-8.
		data := append([]byte("email;role\r\n"), bytes.Repeat([]byte{0x80}, 45<<20)...)
		checkBounded(t, Source{Name: "euro.csv", Data: data}, "import.row_too_large")
	})
	t.Run("CellOverMaxLength", func(t *testing.T) {
		// A cell of 5,000 characters makes its row invalid, nothing more.
		long := strings.Repeat("ü", 5000)
		data := "email,role\njane@example.com," + long + "\n" + long + "@example.com,User\nbob@example.com,User\n"
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "long.csv", Data: []byte(data)})
		rows := fx.allRows(t, p.ID, false)
		checkRows(t, rows, []wantRow{
			{2, "jane@example.com", strings.Repeat("ü", 60) + "…", []string{"import.row.too_long"}},
			{3, strings.Repeat("ü", 60) + "…", "User", []string{"import.row.too_long"}},
			{4, "bob@example.com", "User", nil},
		})
		if p.Summary.TooLong != 2 {
			t.Errorf("summary = %+v", p.Summary)
		}
	})
}

func TestPreviewImport_SizeLimit(t *testing.T) {
	t.Run("Path", func(t *testing.T) {
		// A sparse file: its size is refused before anything is read.
		path := writeFile(t, "big.csv", []byte("email,role\n"))
		if err := os.Truncate(path, MaxFileSize+1); err != nil {
			t.Fatal(err)
		}
		_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Path: path}, nil)
		e := assertKey(t, err, backend.EINVALID, "import.too_large")
		if e.Args["max"] != MaxFileSize {
			t.Errorf("args = %v", e.Args)
		}
	})
	t.Run("Bytes", func(t *testing.T) {
		data := make([]byte, MaxFileSize+1)
		copy(data, "email,role\n")
		_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Name: "big.csv", Data: data}, nil)
		assertKey(t, err, backend.EINVALID, "import.too_large")
	})
	t.Run("AtTheLimit", func(t *testing.T) {
		// Exactly 50 MB is read: a header, a row, and padding in a column
		// the template does not have.
		var b bytes.Buffer
		b.WriteString("email,role\njane@example.com,User\nbob@example.com,User,")
		for b.Len() < MaxFileSize-1 {
			b.WriteString(strings.Repeat(" ", min(1<<16, MaxFileSize-1-b.Len())))
		}
		b.WriteString("\n")
		if b.Len() != MaxFileSize {
			t.Fatalf("built %d bytes", b.Len())
		}
		_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Path: writeFile(t, "full.csv", b.Bytes())}, nil)
		assertKey(t, err, backend.EINVALID, "import.row_too_large") // the padded row is over 1 MB
	})
}

// rowsCSV returns a CSV of n valid rows, with blank lines between some.
func rowsCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("email,role\n")
	for i := range n {
		fmt.Fprintf(&b, "person%d@example.com,User\n", i)
		if i%1000 == 0 {
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

func TestPreviewImport_RowLimit(t *testing.T) {
	// rowsCSV(atLimit) has maxRows rows below its header, blank ones included.
	const atLimit = maxRows - maxRows/1000
	t.Run("AtTheLimit", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "max.csv", Data: rowsCSV(atLimit)})
		if p.Summary.Rows != atLimit || p.Summary.Valid != atLimit || p.Summary.BlankRows != maxRows/1000 {
			t.Errorf("summary = %+v", p.Summary)
		}
		rows, _, _ := fx.svc.FindImportRows(context.Background(), p.ID, RowFilter{Offset: atLimit - 1, Limit: 1})
		if len(rows) != 1 || rows[0].Number != maxRows+1 {
			t.Errorf("last row = %+v, want number %d", rows, maxRows+1)
		}
	})
	t.Run("CSV", func(t *testing.T) {
		_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Name: "over.csv", Data: rowsCSV(maxRows + 1)}, nil)
		assertKey(t, err, backend.EINVALID, "import.too_many_rows")
	})
	t.Run("CSVOverByABlankRow", func(t *testing.T) {
		data := rowsCSV(atLimit)
		data = append(data[:len("email,role\n")], append([]byte("\n"), data[len("email,role\n"):]...)...)
		_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Name: "over.csv", Data: data}, nil)
		assertKey(t, err, backend.EINVALID, "import.too_many_rows")
	})
	t.Run("XLSX", func(t *testing.T) {
		row := `<row><c t="inlineStr"><is><t>a@example.com</t></is></c><c t="inlineStr"><is><t>User</t></is></c></row>`
		data := buildXLSX(t, repeatSheet(row, maxRows+1), "")
		_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Name: "over.xlsx", Data: data}, nil)
		assertKey(t, err, backend.EINVALID, "import.too_many_rows")
	})
	t.Run("XLSXRowNumber", func(t *testing.T) {
		// Two rows, the second numbered past the limit: the rows between
		// are blank rows.
		data := buildXLSX(t, sheetRows(inlineRow(1, "email", "role"), inlineRow(maxRows+2, "a@example.com", "User")), "")
		_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Name: "far.xlsx", Data: data}, nil)
		assertKey(t, err, backend.EINVALID, "import.too_many_rows")
	})
}

// TestPreviewImport_BlankRows checks that files of nothing but blank rows
// are refused by the row limit rather than read to their end (which took
// tens of seconds of CPU for the workbook).
func TestPreviewImport_BlankRows(t *testing.T) {
	t.Run("XLSX", func(t *testing.T) {
		// 250 MB of <row/> after the header, in a zip of about 1 MB.
		sheet := func(w io.Writer) error {
			io.WriteString(w, sheetOpen+inlineRow(1, "email", "role"))
			rows := bytes.Repeat([]byte("<row/>"), 1<<14)
			for n := 0; n < 250<<20; n += len(rows) {
				if _, err := w.Write(rows); err != nil {
					return err
				}
			}
			_, err := io.WriteString(w, sheetClose)
			return err
		}
		data := buildXLSX(t, sheet, "")
		t.Logf("%d KB packed", len(data)>>10)
		checkBounded(t, Source{Name: "blank.xlsx", Path: writeFile(t, "blank.xlsx", data)}, "import.too_many_rows")
	})
	t.Run("XLSXBeforeHeader", func(t *testing.T) {
		sheet := func(w io.Writer) error {
			io.WriteString(w, sheetOpen+strings.Repeat("<row/>", maxRows+1))
			_, err := io.WriteString(w, inlineRow(maxRows+2, "email", "role")+sheetClose)
			return err
		}
		checkBounded(t, Source{Name: "blank.xlsx", Data: buildXLSX(t, sheet, "")}, "import.too_many_rows")
	})
	t.Run("CSV", func(t *testing.T) {
		// A header, then 40 MB of line breaks.
		data := append([]byte("email,role\r\n"), bytes.Repeat([]byte("\r\n"), 20<<20)...)
		checkBounded(t, Source{Name: "blank.csv", Data: data}, "import.too_many_rows")
	})
	t.Run("CSVBeforeHeader", func(t *testing.T) {
		data := append(bytes.Repeat([]byte("\n"), 40<<20), "email,role\n"...)
		checkBounded(t, Source{Name: "blank.csv", Data: data}, "import.too_many_rows")
	})
	t.Run("CSVSpaces", func(t *testing.T) {
		// Rows of separators and spaces are blank rows that encoding/csv
		// returns one by one.
		data := append([]byte("email,role\n"), bytes.Repeat([]byte(" , \n"), 10<<20)...)
		checkBounded(t, Source{Name: "blank.csv", Data: data}, "import.too_many_rows")
	})
}

// TestPreviewImport_Cancel cancels previews of large files from another
// goroutine once their progress has started: each returns the cancelled code.
func TestPreviewImport_Cancel(t *testing.T) {
	cancelOnProgress := func(t *testing.T, src Source) {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		started := make(chan struct{})
		var once sync.Once
		go func() {
			<-started
			cancel()
		}()
		_, err := newFixture(t).svc.PreviewImport(ctx, src, func(Progress) { once.Do(func() { close(started) }) })
		assertKey(t, err, backend.ECANCELED, "import.canceled")
	}
	t.Run("CSV", func(t *testing.T) {
		cancelOnProgress(t, Source{Name: "max.csv", Data: rowsCSV(maxRows - maxRows/1000)})
	})
	t.Run("XLSX", func(t *testing.T) {
		row := `<row><c t="inlineStr"><is><t>a@example.com</t></is></c><c t="inlineStr"><is><t>User</t></is></c></row>`
		data := buildXLSX(t, repeatSheet(row, maxRows), "")
		cancelOnProgress(t, Source{Name: "max.xlsx", Path: writeFile(t, "max.xlsx", data)})
	})
	t.Run("Before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for _, src := range []Source{
			{Name: "max.csv", Data: rowsCSV(10)},
			{Name: "max.xlsx", Data: buildXLSX(t, sheetRows(inlineRow(1, "email", "role"), inlineRow(2, "a@example.com", "User")), "")},
		} {
			_, err := newFixture(t).svc.PreviewImport(ctx, src, nil)
			assertKey(t, err, backend.ECANCELED, "import.canceled")
		}
	})
}
