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
	kind otherKind
}{
	{"%PDF-", otherPDF},
	{"\x89PNG\r\n\x1a\n", otherImage},
	{"\xFF\xD8\xFF", otherImage},
	{"GIF87a", otherImage},
	{"GIF89a", otherImage},
	{"II*\x00", otherImage}, // TIFF
	{"MM\x00*", otherImage},
	{"ID3", otherMedia}, // MP3
	{"OggS", otherMedia},
	{"fLaC", otherMedia},
	{"\x1F\x8B", otherArchive},
	{"Rar!\x1A\x07", otherArchive},
	{"7z\xBC\xAF\x27\x1C", otherArchive},
	{"BZh", otherArchive},
	{"\xFD7zXZ\x00", otherArchive},
	{"{\\rtf", otherDocument},
	{"\x7FELF", otherProgram},
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
			return "", errNotSpreadsheet(o.kind)
		}
	}
	if len(head) >= 12 {
		if string(head[4:8]) == "ftyp" { // MP4, QuickTime, HEIC, AVIF
			if brand := string(head[8:12]); brand == "heic" || brand == "heix" || brand == "mif1" || brand == "avif" {
				return "", errNotSpreadsheet(otherImage)
			}
			return "", errNotSpreadsheet(otherMedia)
		}
		if string(head[:4]) == "RIFF" {
			if string(head[8:12]) == "WEBP" {
				return "", errNotSpreadsheet(otherImage)
			}
			return "", errNotSpreadsheet(otherMedia) // WAV, AVI
		}
	}
	if bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) {
		return KindCSV, nil
	}
	if isBinary(head) {
		return "", errNotSpreadsheet(otherBinary)
	}
	start := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, bomUTF8), " \t\r\n"))
	for _, markup := range []string{"<?xml", "<html", "<!doctype", "<table", "<head", "<body", "<svg"} {
		if bytes.HasPrefix(start, []byte(markup)) {
			return "", errNotSpreadsheet(otherWeb)
		}
	}
	return KindCSV, nil
}

// isBinary reports whether the start of a file is binary data rather than
// text, whatever its encoding (UTF-16 is told by its byte order mark
// before): it holds a NUL byte, or at least one control character in 32.
// Text has tabs and line breaks, and at most a stray other control
// character (such as the end-of-file mark of old DOS programs).
func isBinary(head []byte) bool {
	controls := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1A, c == 0x7F:
			controls++
		}
	}
	return controls > 0 && controls*32 >= len(head)
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
		return errNotSpreadsheet(otherWord)
	case bytes.Contains(data, utf16le("PowerPoint Document")):
		return errNotSpreadsheet(otherPowerPoint)
	}
	return errNotSpreadsheet(otherOffice)
}

// utf16le encodes an ASCII string as UTF-16LE.
func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}
