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
	"fmt"
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

// fileError returns the coded error that refuses a whole file.
func fileError(code, key, message string, args map[string]any) *backend.Error {
	return (&backend.Error{Code: code, Message: message}).WithKey("import."+key, args)
}

// Errors about whole files. Each refuses the file and says what to do.
func errEmpty() error {
	return fileError(backend.EINVALID, "empty", "The file is empty. Fill in the template with one row per person and upload it again.", nil)
}

// ErrTooLarge refuses a file of size bytes, more than MaxFileSize.
func ErrTooLarge(size int64) error {
	return fileError(backend.EINVALID, "too_large",
		fmt.Sprintf("The file is larger than %d MB. Split it into smaller files.", MaxFileSize>>20),
		map[string]any{"max": MaxFileSize, "size": size})
}

func errTooManyRows() error {
	return fileError(backend.EINVALID, "too_many_rows",
		"The file has more than 200,000 rows, counting empty ones. Delete the empty rows, or split it into files of at most 200,000 rows.",
		map[string]any{"max": maxRows})
}

// errCanceled is the error of a preview the administrator cancelled.
func errCanceled() error {
	return fileError(backend.ECANCELED, "canceled", "Reading the file was cancelled.", nil)
}

func errNoRows() error {
	return fileError(backend.EINVALID, "no_rows",
		"The file has the header but no rows. Add one row per person, with an email address and a role.", nil)
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
	return fileError(backend.EINVALID, "header",
		fmt.Sprintf("The columns do not match the template. Expected the columns: email, role. Found: %s. Download the template and do not change its columns.", list),
		map[string]any{"expected": strings.Join(templateColumns, ", "), "found": list})
}

func errLegacyXLS() error {
	return fileError(backend.EINVALID, "xls",
		"This is an Excel 97–2003 workbook (.xls), which Roster cannot read. Open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx) or CSV.", nil)
}

func errEncrypted() error {
	return fileError(backend.EINVALID, "encrypted",
		"This workbook is protected with a password. Remove the password in Excel, save it again and upload it.", nil)
}

func errODS() error {
	return fileError(backend.EINVALID, "ods",
		"This is an OpenDocument spreadsheet (.ods), which Roster cannot read. In LibreOffice, use File > Save As and choose Excel 2007-365 (.xlsx) or Text CSV (.csv).", nil)
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

// otherWhat says what each kind of file is.
var otherWhat = map[otherKind]string{
	otherPDF:        "This is a PDF document, not a CSV or Excel file.",
	otherImage:      "This is an image, not a CSV or Excel file.",
	otherMedia:      "This is an audio or video file, not a CSV or Excel file.",
	otherArchive:    "This is a ZIP or other compressed archive, not a CSV or Excel file.",
	otherWord:       "This is a Word document, not a CSV or Excel file.",
	otherPowerPoint: "This is a PowerPoint presentation, not a CSV or Excel file.",
	otherDocument:   "This is a text document (RTF or OpenDocument), not a CSV or Excel file.",
	otherOffice:     "This is an Office 97–2003 document, not a CSV or Excel file.",
	otherProgram:    "This is a program, not a CSV or Excel file.",
	otherWeb:        "This is a web page or an XML file, not a CSV or Excel file (Excel’s “XML Spreadsheet 2003” and web-page exports are such files).",
	otherFolder:     "This is a folder or a device, not a file.",
	otherBinary:     "This file holds binary data, not text, so it is not a CSV or Excel file.",
}

// errNotSpreadsheet refuses a file that is something else, saying what.
func errNotSpreadsheet(kind otherKind) error {
	return fileError(backend.EINVALID, "not_spreadsheet."+string(kind),
		otherWhat[kind]+" Choose a CSV file (.csv, .txt) or an Excel workbook (.xlsx).", nil)
}

func errDamaged() error {
	return fileError(backend.EINVALID, "damaged",
		"The workbook is damaged and cannot be read. Open it in Excel or LibreOffice, save it again as .xlsx, and upload it.", nil)
}

func errUnpackedTooLarge() error {
	return fileError(backend.EINVALID, "unpacked_too_large",
		"The workbook holds far more data than an invitations list. Copy the invitations into the template and upload that.",
		map[string]any{"max": maxUnzipSize})
}

// errRowTooLarge refuses a file with a row far larger than any invitation
// could be (over 1 MB); row is its number, or 0 when unknown.
func errRowTooLarge(row int) error {
	args := map[string]any{"max": maxRecordBytes}
	if row > 0 {
		args["row"] = row
	}
	return fileError(backend.EINVALID, "row_too_large",
		"The file contains a cell of more than 1 MB, which is not an invitations list. Check that you chose the right file.", args)
}

func errUnreadable(err error) error {
	return fileError(backend.EUNAVAILABLE, "unreadable",
		"Roster cannot read this file: "+err.Error()+".", map[string]any{"reason": err.Error()})
}

// columnName returns a spreadsheet's name for the 0-based column i ("A", "AB").
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
