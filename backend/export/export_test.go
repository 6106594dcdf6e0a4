package export_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"roster/backend/export"
)

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "",
		"Ada":                   "Ada",
		"=HYPERLINK(\"x\")":     "'=HYPERLINK(\"x\")",
		"+49 30 1234":           "'+49 30 1234",
		"-2+3":                  "'-2+3",
		"@SUM(A1)":              "'@SUM(A1)",
		"\tcmd":                 "'\tcmd",
		"\r=cmd":                "'\r=cmd",
		"ada=admin@example.com": "ada=admin@example.com",
	} {
		if got := export.Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

var header = []string{"name", "email"}
var rows = [][]string{{"Ada", "ada@example.com"}, {"=cmd|' /C calc'!A0", "x@example.com"}, {"Zoë, \"Z\"", "z@example.com"}}

// textRows hold text a spreadsheet could take for a formula or a number.
var textRows = append(slices.Clone(rows), []string{"+49 30 1234", "@SUM(A1)"}, []string{"-2+3", "\t=1+1"},
	[]string{"'quoted'", "  spaced  "}, []string{"007", "1e3"})

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := export.Write(&buf, export.CSV, "Users", header, slices.Values(rows)); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Fatal("no CRLF line ends")
	}
	got, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{header, rows[0], {"'=cmd|' /C calc'!A0", "x@example.com"}, rows[2]}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("read back %q, want %q", got, want)
	}
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := export.Write(&buf, export.XLSX, "Users", header, slices.Values(textRows)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Users"}) {
		t.Fatalf("sheets = %v", got)
	}
	got, err := f.GetRows("Users")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(textRows)+1 || !strings.EqualFold(got[0][1], "email") {
		t.Fatalf("rows = %q", got)
	}
	// Every cell holds exactly its text, stored as text: no apostrophe before
	// what looks like a formula, no formula, and the Text number format, so
	// that editing the cell keeps it text.
	for r, row := range textRows {
		for c, want := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if got[r+1][c] != want {
				t.Errorf("%s = %q, want %q", cell, got[r+1][c], want)
			}
			if typ, err := f.GetCellType("Users", cell); err != nil || typ != excelize.CellTypeInlineString {
				t.Errorf("%s has type %v (%v), want text", cell, typ, err)
			}
			if formula, err := f.GetCellFormula("Users", cell); err != nil || formula != "" {
				t.Errorf("%s has formula %q (%v)", cell, formula, err)
			}
			id, err := f.GetCellStyle("Users", cell)
			if err != nil {
				t.Fatal(err)
			}
			if style, err := f.GetStyle(id); err != nil || style.NumFmt != 49 {
				t.Errorf("%s has number format %d (%v), want 49 (Text)", cell, style.NumFmt, err)
			}
		}
	}
}
