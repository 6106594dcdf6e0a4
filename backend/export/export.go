// Package export writes tables as CSV or XLSX files for spreadsheet programs,
// so that no cell is ever run as a formula: CSV cells that could be one are
// neutralised, XLSX cells are stored as text.
package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Format is a file format Roster writes.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat returns the format named by s ("csv" or "xlsx", any case).
func ParseFormat(s string) (Format, bool) {
	switch f := Format(strings.ToLower(s)); f {
	case CSV, XLSX:
		return f, true
	}
	return "", false
}

// Neutralize makes a cell safe to open in a spreadsheet: text that starts with
// = + - @, a tab or a carriage return would be read as a formula (CSV
// injection), so it gets a leading apostrophe, as OWASP recommends.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Unneutralize undoes Neutralize: it drops the apostrophe Neutralize put
// before = + - @, a tab or a carriage return.
func Unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r':
			return s[1:]
		}
	}
	return s
}

// Write writes header and rows in format f; sheet names the XLSX worksheet.
func Write(w io.Writer, f Format, sheet string, header []string, rows iter.Seq[[]string]) error {
	switch f {
	case CSV:
		return WriteCSV(w, header, rows)
	case XLSX:
		return WriteXLSX(w, sheet, header, rows)
	}
	return fmt.Errorf("export: unknown format %q", f)
}

// WriteCSV writes a UTF-8 CSV with a byte order mark (so that Excel reads it
// as UTF-8) and CRLF line ends. Every cell is neutralised.
func WriteCSV(w io.Writer, header []string, rows iter.Seq[[]string]) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(neutralizeAll(header)); err != nil {
		return err
	}
	for row := range rows {
		if err := cw.Write(neutralizeAll(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteXLSX writes one worksheet with a bold, frozen header row, streaming
// the rows so that large tables stay within a bounded amount of memory.
// Every cell is stored as text (an inline string in the Text number format),
// never as a formula or a number, so it needs no apostrophe: a cell holds
// exactly the text of the list, "=cmd" included, and editing it keeps it text.
func WriteXLSX(w io.Writer, sheet string, header []string, rows iter.Seq[[]string]) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Number format 49 is Excel's built-in Text format ("@").
	const textFormat = 49
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: textFormat})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: textFormat})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i := range header {
		if err := sw.SetColWidth(i+1, i+1, 28); err != nil {
			return err
		}
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	n := 1
	for row := range rows {
		n++
		cells := make([]any, len(row))
		for i, v := range row {
			// A string Value is written as an inline string, not a formula.
			cells[i] = excelize.Cell{StyleID: text, Value: v}
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

func neutralizeAll(row []string) []string {
	out := make([]string, len(row))
	for i, v := range row {
		out[i] = Neutralize(v)
	}
	return out
}
