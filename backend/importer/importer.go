// Package importer owns bulk invitations from files: it reads CSV and XLSX
// files as people really save them (detecting the kind, encoding and
// separator by content), checks them against the template, validates every
// row into a preview that can be corrected, and sends the valid rows as one
// batch of invitations. It also writes the templates.
//
// Every failure a file can cause is a *backend.Error with a Key for
// translation; no input makes it crash, hang or use unbounded memory.
package importer

import (
	"strings"

	"roster/backend"
)

// Limits on what one file may hold. They keep a preview responsive and its
// memory bounded whatever the file contains.
const (
	// MaxFileSize is the largest file accepted, in bytes.
	MaxFileSize = 50 << 20
	// maxRows is the most rows a file may hold below its header, blank rows
	// included: its rows are numbered up to maxRowNumber, as a spreadsheet
	// shows them. Blank rows count so that a file of nothing but empty rows
	// (a workbook of millions of <row/>, a CSV of line breaks) is refused
	// quickly rather than read to the end.
	maxRows = 200_000
	// maxRowNumber is the highest row number a file may have: the header,
	// then maxRows rows.
	maxRowNumber = maxRows + 1
	// maxCellLength is the longest cell, in characters, that a row may have;
	// a longer cell makes its row invalid. Addresses and role names are far
	// shorter.
	maxCellLength = 1000

	// maxRecordBytes bounds one CSV record (one spreadsheet row) and one XML
	// token of a workbook: anything larger is not an invitations list and
	// the file is refused rather than held in memory.
	maxRecordBytes = 1 << 20
)

// The template's columns, in order.
var templateColumns = []string{"email", "role"}

// rejectedColumn is the column Roster adds to the file of rejected rows.
const rejectedColumn = "error"

// Kind is a file format the importer reads.
type Kind string

// The kinds of files.
const (
	KindCSV  Kind = "csv"
	KindXLSX Kind = "xlsx"
)

// FileInfo describes a file that was read.
type FileInfo struct {
	Name string
	Kind Kind
	// Encoding is how a CSV file's text was stored: "utf-8", "utf-8-bom",
	// "utf-16le", "utf-16be" or "windows-1252". Empty for XLSX.
	Encoding string
	// Separator is a CSV file's separator: ",", ";" or "\t".
	Separator string
	// Sheet is the worksheet of an XLSX file that was read.
	Sheet string
}

// Errors about whole files. Each refuses the file and says what to do.
func errEmpty() error {
	return backend.MsgImportEmpty.Error(backend.EINVALID)
}

// ErrTooLarge refuses a file of size bytes, more than MaxFileSize.
func ErrTooLarge(size int64) error {
	return backend.MsgImportTooLarge.Error(backend.EINVALID, "max", MaxFileSize, "size", size)
}

func errTooManyRows() error {
	return backend.MsgImportTooManyRows.Error(backend.EINVALID, "max", maxRows)
}

// errCanceled is the error of a preview the administrator cancelled.
func errCanceled() error {
	return backend.MsgImportCanceled.Error(backend.ECANCELED)
}

func errNoRows() error {
	return backend.MsgImportNoRows.Error(backend.EINVALID)
}

func errHeader(found []string) error {
	shown := make([]string, len(found))
	for i, f := range found {
		shown[i] = strings.TrimSpace(f)
		if shown[i] == "" {
			shown[i] = "(empty)"
		}
		if r := []rune(shown[i]); len(r) > 40 {
			shown[i] = string(r[:40]) + "…"
		}
	}
	if len(shown) > 10 {
		shown = append(shown[:10], "…")
	}
	list := strings.Join(shown, ", ")
	if len(found) == 0 {
		list = "no columns"
	}
	return backend.MsgImportHeader.Error(backend.EINVALID, "expected", strings.Join(templateColumns, ", "), "found", list)
}

func errLegacyXLS() error {
	return backend.MsgImportXls.Error(backend.EINVALID)
}

func errEncrypted() error {
	return backend.MsgImportEncrypted.Error(backend.EINVALID)
}

func errODS() error {
	return backend.MsgImportOds.Error(backend.EINVALID)
}

// otherKind is what a file that is not a spreadsheet is instead, as its
// content shows. Its translation key is import.not_spreadsheet.<kind>.
type otherKind string

// The kinds of other files.
const (
	otherPDF        otherKind = "pdf"
	otherImage      otherKind = "image"
	otherMedia      otherKind = "media"
	otherArchive    otherKind = "archive"
	otherWord       otherKind = "word"
	otherPowerPoint otherKind = "powerpoint"
	otherDocument   otherKind = "document"
	otherOffice     otherKind = "office"
	otherProgram    otherKind = "program"
	otherWeb        otherKind = "web"
	otherFolder     otherKind = "folder"
	otherBinary     otherKind = "binary"
)

// otherWhat is the message that says what each kind of file is.
var otherWhat = map[otherKind]*backend.Message{
	otherPDF:        backend.MsgImportNotSpreadsheetPdf,
	otherImage:      backend.MsgImportNotSpreadsheetImage,
	otherMedia:      backend.MsgImportNotSpreadsheetMedia,
	otherArchive:    backend.MsgImportNotSpreadsheetArchive,
	otherWord:       backend.MsgImportNotSpreadsheetWord,
	otherPowerPoint: backend.MsgImportNotSpreadsheetPowerpoint,
	otherDocument:   backend.MsgImportNotSpreadsheetDocument,
	otherOffice:     backend.MsgImportNotSpreadsheetOffice,
	otherProgram:    backend.MsgImportNotSpreadsheetProgram,
	otherWeb:        backend.MsgImportNotSpreadsheetWeb,
	otherFolder:     backend.MsgImportNotSpreadsheetFolder,
	otherBinary:     backend.MsgImportNotSpreadsheetBinary,
}

// errNotSpreadsheet refuses a file that is something else, saying what.
func errNotSpreadsheet(kind otherKind) error {
	return otherWhat[kind].Error(backend.EINVALID)
}

func errDamaged() error {
	return backend.MsgImportDamaged.Error(backend.EINVALID)
}

func errUnpackedTooLarge() error {
	return backend.MsgImportUnpackedTooLarge.Error(backend.EINVALID, "max", maxUnzipSize)
}

// errRowTooLarge refuses a file with a row far larger than any invitation
// could be (over 1 MB); row is its number, or 0 when unknown.
func errRowTooLarge(row int) error {
	var r any
	if row > 0 {
		r = row
	}
	return backend.MsgImportRowTooLarge.Error(backend.EINVALID, "max", maxRecordBytes, "row", r)
}

func errUnreadable(err error) error {
	return backend.MsgImportUnreadable.Error(backend.EUNAVAILABLE, "reason", err.Error())
}

// columnName returns a spreadsheet's name for the 0-based column i ("A", "AB").
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
