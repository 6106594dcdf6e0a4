package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"

	"roster/backend"
)

// pkgPart is one part of a hand-built workbook package: its content is
// written by a function so that huge parts need not be held in memory.
type pkgPart struct {
	name  string
	write func(w io.Writer) error
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// buildXLSX writes the smallest package excelize opens: one sheet, its XML
// written by sheet, optional shared strings, and extra parts.
func buildXLSX(tb testing.TB, sheet func(io.Writer) error, sst string, extra ...pkgPart) []byte {
	tb.Helper()
	parts := []pkgPart{
		{"[Content_Types].xml", text(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
		{"_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)},
		{"xl/worksheets/sheet1.xml", sheet},
	}
	if sst != "" {
		parts = append(parts, pkgPart{"xl/sharedStrings.xml", text(sst)})
	}
	parts = append(parts, extra...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			tb.Fatal(err)
		}
		if err := p.write(w); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

const sheetOpen = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetClose = `</sheetData></worksheet>`

// sheetRows returns a sheet writer of the given row elements.
func sheetRows(rows ...string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, sheetOpen+join(rows)+sheetClose)
		return err
	}
}

func join(s []string) string {
	var b bytes.Buffer
	for _, x := range s {
		b.WriteString(x)
	}
	return b.String()
}

// inlineRow is a row of inline-string cells.
func inlineRow(n int, cells ...string) string {
	s := fmt.Sprintf(`<row r="%d">`, n)
	for i, c := range cells {
		s += fmt.Sprintf(`<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, columnName(i), n, c)
	}
	return s + "</row>"
}

// TestPreviewImport_ExcelizeWorkbook reads a workbook written through
// excelize's regular API, as Excel stores it: shared strings, an email typed
// into Excel (which makes it a mailto hyperlink), a number, a boolean, a
// formula without a cached value, and the sheet Invitations second.
func TestPreviewImport_ExcelizeWorkbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Read me"))
	must(f.SetCellStr("Read me", "A1", "not this sheet"))
	_, err := f.NewSheet("invitations") // the name matches in any case
	must(err)
	s := "invitations"
	must(f.SetSheetRow(s, "A1", &[]any{"EMAIL", "Role"}))
	must(f.SetSheetRow(s, "A2", &[]any{"jane@example.com", "User"}))
	must(f.SetCellHyperLink(s, "A2", "mailto:jane@example.com", "External"))
	must(f.SetSheetRow(s, "A3", &[]any{12345, "User"}))
	must(f.SetSheetRow(s, "A4", &[]any{"bob@example.com", true}))
	must(f.SetCellFormula(s, "A6", `LOWER("CAROL@EXAMPLE.COM")`)) // no cached value: read as empty
	must(f.SetCellStr(s, "B6", "User"))
	must(f.SetSheetRow(s, "A8", &[]any{"dave@example.com", "ADMINISTRATOR"}))
	var buf bytes.Buffer
	must(f.Write(&buf))

	fx := newFixture(t)
	p := fx.mustPreview(t, Source{Name: "people.xlsx", Data: buf.Bytes()})
	if p.File.Sheet != "invitations" || p.File.Kind != KindXLSX {
		t.Errorf("file = %+v", p.File)
	}
	checkRows(t, fx.allRows(t, p.ID, false), []wantRow{
		{2, "jane@example.com", "User", nil},
		{3, "12345", "User", []string{"email.no_at"}},
		{4, "bob@example.com", "TRUE", []string{"import.row.role_unknown"}},
		{6, "", "User", []string{"import.row.email_missing"}},
		{8, "dave@example.com", "ADMINISTRATOR", nil},
	})
	if p.Summary.BlankRows != 2 {
		t.Errorf("blank rows = %d, want 2 (rows 5 and 7)", p.Summary.BlankRows)
	}
}

// TestPreviewImport_HandBuiltWorkbook reads XML as other programs write it:
// inline strings, rows without numbers, a namespace prefix, rich text.
func TestPreviewImport_HandBuiltWorkbook(t *testing.T) {
	sheet := func(w io.Writer) error {
		_, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>`+
			`<x:row><x:c t="inlineStr"><x:is><x:t>email</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>role</x:t></x:is></x:c></x:row>`+
			`<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>User</x:t></x:is></x:c></x:row>`+
			`<x:row r="4"><x:c r="A4" t="str"><x:f>A2</x:f><x:v>  jane@example.com </x:v></x:c><x:c r="B4" t="inlineStr"><x:is><x:t>user</x:t></x:is></x:c></x:row>`+
			`</x:sheetData></x:worksheet>`)
		return err
	}
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><r><t>jane@</t></r><r><rPr><b/></rPr><t>example.com</t></r></si></sst>`
	fx := newFixture(t)
	p := fx.mustPreview(t, Source{Name: "built.xlsx", Data: buildXLSX(t, sheet, sst)})
	checkRows(t, fx.allRows(t, p.ID, false), []wantRow{
		{2, "jane@example.com", "User", nil},
		{4, "jane@example.com", "user", []string{"import.row.duplicate"}},
	})
}

func TestPreviewImport_DamagedWorkbooks(t *testing.T) {
	ok := buildXLSX(t, sheetRows(inlineRow(1, "email", "role"), inlineRow(2, "a@example.com", "User")), "")
	tests := []struct {
		name string
		data []byte
		key  string
	}{
		{"Truncated", ok[:len(ok)/2], "import.damaged"},
		{"BadSheetXML", buildXLSX(t, text(sheetOpen+`<row><c t="inlineStr"><is><t>email`), ""), "import.damaged"},
		{"Doctype", buildXLSX(t, text(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>`+sheetOpen+sheetClose), ""), "import.damaged"},
		{"NoSheetPart", func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"} {
				w, _ := zw.Create(n)
				if n == "_rels/.rels" {
					io.WriteString(w, `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
				} else if n == "xl/workbook.xml" {
					io.WriteString(w, `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`)
				} else {
					io.WriteString(w, `<Types/>`)
				}
			}
			zw.Close()
			return buf.Bytes()
		}(), "import.damaged"},
		{"RowNumberTooLarge", buildXLSX(t, sheetRows(inlineRow(1, "email", "role"), inlineRow(2, "a@example.com", "User"), inlineRow(1048577, "b@example.com", "User")), ""), "import.damaged"},
		{"EmptyZip", []byte("PK\x05\x06" + string(make([]byte, 18))), "import.not_spreadsheet.archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			_, err := fx.svc.PreviewImport(context.Background(), Source{Name: "x.xlsx", Data: tt.data}, nil)
			assertKey(t, err, backend.EINVALID, tt.key)
		})
	}
}

// TestPreviewImport_EncryptedWorkbook checks the message for a workbook
// with a password, which Office stores inside an OLE2 file.
func TestPreviewImport_EncryptedWorkbook(t *testing.T) {
	data := append(append([]byte{}, sigOLE2...), make([]byte, 512)...)
	data = append(data, utf16le("EncryptedPackage")...)
	fx := newFixture(t)
	_, err := fx.svc.PreviewImport(context.Background(), Source{Name: "secret.xlsx", Data: data}, nil)
	assertKey(t, err, backend.EINVALID, "import.encrypted")
	_, err = fx.svc.PreviewImport(context.Background(), Source{Path: writeFile(t, "secret.xlsx", data)}, nil)
	assertKey(t, err, backend.EINVALID, "import.encrypted")
}
