package importer

import (
	"bytes"
)

// Signatures of the formats told apart by their first bytes.
var (
	sigOLE2    = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	sigZip     = []byte("PK\x03\x04")
	sigZipNone = []byte("PK\x05\x06") // an empty archive
	sigZipSpan = []byte("PK\x07\x08")
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// others are formats people upload by mistake, by their first bytes.
var others = []struct {
	sig  string
	what string
}{
	{"%PDF-", "a PDF document"},
	{"\x89PNG\r\n\x1a\n", "an image"},
	{"\xFF\xD8\xFF", "an image"},
	{"GIF87a", "an image"},
	{"GIF89a", "an image"},
	{"RIFF", "a media file"},
	{"\x1F\x8B", "a compressed archive"},
	{"Rar!\x1A\x07", "a compressed archive"},
	{"7z\xBC\xAF\x27\x1C", "a compressed archive"},
	{"BZh", "a compressed archive"},
	{"\xFD7zXZ\x00", "a compressed archive"},
	{"{\\rtf", "a word-processor document (RTF)"},
	{"\x7FELF", "a program"},
}

// sniff decides from a file's first bytes whether it is a zip package (an
// XLSX, or something to refuse), CSV text, or something to refuse at once.
// head holds up to the first 512 bytes; whole is the whole file when it is
// already in memory (needed only for OLE2 files), else nil.
func sniff(head []byte, whole func() ([]byte, error)) (Kind, error) {
	if len(head) == 0 {
		return "", errEmpty()
	}
	switch {
	case bytes.HasPrefix(head, sigOLE2):
		data, err := whole()
		if err != nil {
			return "", err
		}
		return "", oleError(data)
	case bytes.HasPrefix(head, sigZip), bytes.HasPrefix(head, sigZipNone), bytes.HasPrefix(head, sigZipSpan):
		return KindXLSX, nil
	}
	for _, o := range others {
		if bytes.HasPrefix(head, []byte(o.sig)) {
			return "", errNotSpreadsheet(o.what)
		}
	}
	if bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) {
		return KindCSV, nil
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", errNotSpreadsheet("")
	}
	start := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, bomUTF8), " \t\r\n"))
	for _, markup := range []string{"<?xml", "<html", "<!doctype", "<table", "<head", "<body"} {
		if bytes.HasPrefix(start, []byte(markup)) {
			return "", errNotSpreadsheet("a web page or an XML file (Excel's “XML Spreadsheet 2003” and web-page exports are such files)")
		}
	}
	return KindCSV, nil
}

// oleError tells apart what an OLE2 compound file holds: a legacy .xls
// workbook, a password-protected .xlsx (Office stores it encrypted inside an
// OLE2 file), or another Office 97 document. The names of its streams are
// stored in UTF-16 in the directory.
func oleError(data []byte) error {
	switch {
	case bytes.Contains(data, utf16le("EncryptedPackage")):
		return errEncrypted()
	case bytes.Contains(data, utf16le("Workbook")), bytes.Contains(data, utf16le("Book")):
		return errLegacyXLS()
	case bytes.Contains(data, utf16le("WordDocument")):
		return errNotSpreadsheet("a Word document")
	case bytes.Contains(data, utf16le("PowerPoint Document")):
		return errNotSpreadsheet("a PowerPoint presentation")
	}
	return errNotSpreadsheet("an Office 97–2003 file")
}

// utf16le encodes an ASCII string as UTF-16LE.
func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}
