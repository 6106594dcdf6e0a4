package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"roster/backend"
)

// Bounds on a workbook's package, checked before excelize opens it. Go's zip
// reader refuses to inflate a part beyond its declared size, so checking the
// declared sizes is enough to stop a zip bomb.
const (
	// maxUnzipSize bounds all parts together, unpacked. A workbook of
	// 200,000 invitations unpacks to about 30 MB.
	maxUnzipSize = 256 << 20
	// maxPartSize bounds each part other than worksheets and shared
	// strings: excelize parses those whole when it opens a workbook.
	maxPartSize = 8 << 20
	// maxInMemory bounds the parts excelize holds in memory.
	maxInMemory = 48 << 20
	// maxSharedInMemory bounds the shared strings excelize parses into
	// memory (a few hundred bytes each); beyond it they are read from a
	// temporary file.
	maxSharedInMemory = 250_000
	// maxZipEntries bounds the number of parts.
	maxZipEntries = 10_000
	// maxSharedStrings bounds the shared strings: excelize keeps an index
	// entry for each.
	maxSharedStrings = 1_000_000
	// maxElementTokens bounds the tokens in one row or shared string; a row
	// of all 16,384 columns of Excel needs well under this.
	maxElementTokens = 200_000
	// maxElementBytes bounds the bytes of one row or shared string.
	maxElementBytes = 4 << 20
)

const (
	relOfficeDocument       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relOfficeDocumentStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
	odsMimeType             = "application/vnd.oasis.opendocument.spreadsheet"
	sharedStringsPath       = "xl/sharedStrings.xml"
)

// invitationsSheet is the template's sheet, read in preference to the first.
const invitationsSheet = "Invitations"

// xlsxTable reads the rows of one worksheet with excelize's streaming
// iterator.
type xlsxTable struct {
	f      *excelize.File
	rows   *excelize.Rows
	row    int // the current spreadsheet row
	seen   int // rows with cells so far
	total  int // rows in the sheet, from the scan
	rec    record
	err    error
	closed bool
}

// streamSizes are the sizes above which excelize may read worksheets and
// shared strings from a temporary file rather than from memory (excelize's
// UnzipXMLSizeLimit), the largest first: excelize's default, then smaller
// ones for workbooks that would take too much memory.
var streamSizes = []int64{16 << 20, 4 << 20, 1 << 20}

// openXLSX checks a zip package of size bytes read through ra and opens its
// invitations sheet. path is the file on disk, or "" when data holds it.
func openXLSX(ctx context.Context, ra io.ReaderAt, size int64, filePath string, data []byte, info *FileInfo) (t *xlsxTable, err error) {
	info.Kind = KindXLSX
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, errDamaged()
	}
	pkg, err := inspectPackage(ctx, zr, info)
	if err != nil {
		return nil, err
	}
	// The scan bounds the worksheet's rows, blank ones included, so that a
	// sheet of millions of empty rows is refused at once.
	rowScan := elementScan("row")
	rowScan.maxCount = maxRowNumber
	scanned := make(chan error, 1)
	if pkg.sheet.UncompressedSize64 > uint64(pkg.streamSize) {
		// excelize unpacks such a sheet into a temporary file as it opens
		// the package, which takes a while and cannot be cancelled: the
		// scan goes first.
		if err := scanPart(ctx, pkg.sheet, &rowScan); err != nil {
			return nil, err
		}
		scanned <- nil
	} else {
		// The worksheet is scanned while excelize opens the package: the
		// sizes were checked, and no row is parsed before the scan has
		// passed.
		go func() { scanned <- scanPart(ctx, pkg.sheet, &rowScan) }()
	}

	f, err := openExcelize(filePath, data, excelize.Options{UnzipSizeLimit: maxUnzipSize, UnzipXMLSizeLimit: pkg.streamSize})
	if serr := <-scanned; serr != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, serr
	}
	if err != nil {
		return nil, err
	}
	rows, err := f.Rows(info.Sheet)
	if err != nil {
		_ = f.Close()
		return nil, errDamaged()
	}
	return &xlsxTable{f: f, rows: rows, total: rowScan.Count}, nil
}

// openExcelize opens a workbook with excelize, turning its panics on
// malformed input into errDamaged.
func openExcelize(filePath string, data []byte, opts excelize.Options) (f *excelize.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("%w (excelize panicked: %v)", errDamaged(), p)
		}
	}()
	if filePath != "" {
		f, err = excelize.OpenFile(filePath, opts)
	} else {
		f, err = excelize.OpenReader(bytes.NewReader(data), opts)
	}
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, errDamaged()
	}
	return f, nil
}

// workbookPackage is what inspectPackage found.
type workbookPackage struct {
	sheet      *zip.File // the worksheet to read
	streamSize int64     // the UnzipXMLSizeLimit to open it with
}

// inspectPackage tells a workbook from other zip files, checks the sizes of
// its parts, picks the sheet to read (Invitations, else the first) and
// scans the shared strings.
func inspectPackage(ctx context.Context, zr *zip.Reader, info *FileInfo) (workbookPackage, error) {
	var none workbookPackage
	if len(zr.File) > maxZipEntries {
		return none, errUnpackedTooLarge()
	}
	parts := make(map[string]*zip.File, len(zr.File))
	for _, zf := range zr.File {
		parts[strings.ReplaceAll(zf.Name, `\`, "/")] = zf
	}
	if mt := parts["mimetype"]; mt != nil && mt.UncompressedSize64 < 200 {
		b, err := readPart(mt, 200)
		if err != nil {
			return none, errDamaged()
		}
		if strings.TrimSpace(string(b)) == odsMimeType {
			return none, errODS()
		}
		return none, errNotSpreadsheet(otherDocument)
	}
	if findPart(parts, "[Content_Types].xml") == nil {
		return none, errNotSpreadsheet(otherArchive)
	}
	if err := checkSizes(zr.File, 0); err != nil {
		return none, err
	}

	// The workbook is the package's office document.
	var rels xmlRels
	if err := decodePart(ctx, findPart(parts, "_rels/.rels"), &rels); err != nil {
		return none, err
	}
	wbPath := ""
	for _, r := range rels.Rels {
		if r.Type == relOfficeDocument || r.Type == relOfficeDocumentStrict {
			wbPath = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	switch {
	case strings.HasPrefix(wbPath, "word/"):
		return none, errNotSpreadsheet(otherWord)
	case strings.HasPrefix(wbPath, "ppt/"):
		return none, errNotSpreadsheet(otherPowerPoint)
	case wbPath == "" || parts[wbPath] == nil:
		return none, errNotSpreadsheet(otherArchive)
	}
	var wb xmlWorkbook
	if err := decodePart(ctx, parts[wbPath], &wb); err != nil {
		return none, err
	}
	var wbRels xmlRels
	if err := decodePart(ctx, findPart(parts, path.Dir(wbPath)+"/_rels/"+path.Base(wbPath)+".rels"), &wbRels); err != nil {
		return none, err
	}

	// The sheet: Invitations if there is one, else the first.
	if len(wb.Sheets) == 0 {
		return none, errDamaged()
	}
	sheet := wb.Sheets[0]
	for _, s := range wb.Sheets {
		if strings.EqualFold(strings.TrimSpace(s.Name), invitationsSheet) {
			sheet = s
			break
		}
	}
	info.Sheet = sheet.Name
	sheetPath := ""
	for _, r := range wbRels.Rels {
		if r.ID == sheet.relID() {
			sheetPath = worksheetPath(wbPath, r.Target)
			break
		}
	}
	pkg := workbookPackage{sheet: parts[sheetPath]}
	if pkg.sheet == nil {
		return none, errDamaged()
	}

	// Shared strings excelize would parse into memory must be few; else
	// they are read from a temporary file.
	sst := findPart(parts, sharedStringsPath)
	manyStrings := false
	if sst != nil {
		siScan := elementScan("si")
		if err := scanPart(ctx, sst, &siScan); err != nil {
			return none, err
		}
		if siScan.Count > maxSharedStrings {
			return none, errUnpackedTooLarge()
		}
		manyStrings = siScan.Count > maxSharedInMemory
	}
	for _, size := range streamSizes {
		if manyStrings && int64(sst.UncompressedSize64) <= size {
			continue
		}
		if checkSizes(zr.File, size) == nil {
			pkg.streamSize = size
			return pkg, nil
		}
	}
	return none, errUnpackedTooLarge()
}

// checkSizes applies the package bounds to the declared sizes of the parts,
// following excelize's rule for which parts it keeps in memory when opened
// with that UnzipXMLSizeLimit (streamSize); 0 checks only the bounds that do
// not depend on it.
func checkSizes(files []*zip.File, streamSize int64) error {
	var total, inMemory uint64
	for _, zf := range files {
		size := zf.UncompressedSize64
		total += size
		if total > maxUnzipSize {
			return errUnpackedTooLarge()
		}
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		isSST := name == strings.ToLower(sharedStringsPath)
		isSheet := strings.HasPrefix(name, "xl/worksheets/")
		if !isSST && !isSheet && isXMLPart(name) && size > maxPartSize {
			return errUnpackedTooLarge()
		}
		if streamSize == 0 || (isSST || strings.HasPrefix(name, "xl/worksheets/sheet")) && size > uint64(streamSize) {
			continue // excelize reads it from a temporary file
		}
		if inMemory += size; inMemory > maxInMemory {
			return errUnpackedTooLarge()
		}
	}
	return nil
}

func isXMLPart(name string) bool {
	return strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml")
}

// worksheetPath resolves a relationship target the way excelize does.
func worksheetPath(wbPath, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Dir(wbPath)+"/"+target), "/")
}

// findPart returns the part of that name, ignoring case as zip readers of
// Office files do.
func findPart(parts map[string]*zip.File, name string) *zip.File {
	if p := parts[name]; p != nil {
		return p
	}
	for n, p := range parts {
		if strings.EqualFold(n, name) {
			return p
		}
	}
	return nil
}

// readPart reads a small part whole.
func readPart(zf *zip.File, limit int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit))
}

// decodePart parses a small XML part (checkSizes bounded it) into v.
func decodePart(ctx context.Context, zf *zip.File, v any) error {
	if zf == nil {
		return errDamaged()
	}
	if err := scanPart(ctx, zf, &xmlScan{elem: []byte{0}, maxToken: maxRecordBytes, maxElementBytes: 1, maxElementTokens: 1}); err != nil {
		return err
	}
	rc, err := zf.Open()
	if err != nil {
		return errDamaged()
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return errDamaged()
	}
	return nil
}

// elementScan returns the scan that counts and bounds the elements of that
// name: a worksheet's rows, or the shared strings.
func elementScan(elem string) xmlScan {
	return xmlScan{elem: []byte(elem), maxToken: maxRecordBytes, maxElementBytes: maxElementBytes, maxElementTokens: maxElementTokens}
}

// scanPart runs an xmlScan over a part, until ctx is done.
func scanPart(ctx context.Context, zf *zip.File, s *xmlScan) error {
	rc, err := zf.Open()
	if err != nil {
		return errDamaged()
	}
	defer rc.Close()
	switch err := s.Scan(ctxReader{ctx, rc}); {
	case err == nil:
		return nil
	case errors.Is(err, errXMLTooLarge):
		return errRowTooLarge(0)
	case errors.Is(err, errXMLTooMany):
		return errTooManyRows()
	case backend.ErrorCode(err) == backend.ECANCELED:
		return err
	default:
		return errDamaged()
	}
}

// ctxReader reads from r until ctx is done, then fails with errCanceled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, errCanceled()
	}
	return c.r.Read(p)
}

// xmlRels is a relationships part.
type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// xmlWorkbook is the part of workbook.xml that lists the sheets.
type xmlWorkbook struct {
	Sheets []xmlSheet `xml:"sheets>sheet"`
}

type xmlSheet struct {
	Name  string     `xml:"name,attr"`
	Attrs []xml.Attr `xml:",any,attr"`
}

// relID returns the sheet's r:id, whatever the prefix of the relationships
// namespace.
func (s xmlSheet) relID() string {
	for _, a := range s.Attrs {
		if a.Name.Local == "id" && a.Name.Space != "" {
			return a.Value
		}
	}
	return ""
}

// Next reads the next row of the sheet.
func (t *xlsxTable) Next() (ok bool) {
	if t.err != nil || t.closed {
		return false
	}
	defer func() {
		if p := recover(); p != nil {
			t.err, ok = errDamaged(), false
		}
	}()
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			t.err = errDamaged()
		}
		return false
	}
	t.row++
	cells, err := t.rows.Columns()
	if err != nil {
		t.err = errDamaged()
		return false
	}
	if len(cells) > 0 {
		t.seen++
	}
	t.rec = record{row: t.row, cells: cells}
	return true
}

func (t *xlsxTable) Record() record { return t.rec }
func (t *xlsxTable) Err() error     { return t.err }

// SizeHint is the number of rows the scan found.
func (t *xlsxTable) SizeHint() int { return t.total }

// Progress counts rows, out of those the scan found.
func (t *xlsxTable) Progress() (done, total int) {
	return min(t.seen, t.total), t.total
}

// Close removes excelize's temporary files.
func (t *xlsxTable) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	err := t.rows.Close()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close workbook: %w", err)
	}
	return nil
}
