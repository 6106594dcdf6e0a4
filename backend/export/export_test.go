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
	if err := export.Write(&buf, export.XLSX, "Users", header, slices.Values(rows)); err != nil {
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
	if len(got) != 4 || got[2][0] != "'=cmd|' /C calc'!A0" || got[3][0] != rows[2][0] {
		t.Fatalf("rows = %q", got)
	}
	// Text is never stored as a formula.
	if formula, err := f.GetCellFormula("Users", "A3"); err != nil || formula != "" {
		t.Fatalf("A3 has formula %q (%v)", formula, err)
	}
	if !strings.EqualFold(got[0][1], "email") {
		t.Fatalf("header = %q", got[0])
	}
}
