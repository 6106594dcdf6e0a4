package importer

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"roster/backend"
)

// Source is a file to import: a file on disk (Path), or its contents (Data)
// as the browser sends them. Name is what the administrator sees.
type Source struct {
	Name string
	Path string
	Data []byte
}

// record is one row of a file as read.
type record struct {
	row   int      // the row number a spreadsheet shows
	cells []string // valid until the next call to Next
	// problem is set for a row that could not be split into cells, and raw
	// is then its text.
	problem *issue
	raw     string
}

// table is a file's rows, read one at a time.
type table interface {
	// Next reads the next row; false at the end or on an error.
	Next() bool
	Record() record
	// Err is the error that stopped Next, nil at the end.
	Err() error
	// Progress says how far reading has come, in units of the table's choice.
	Progress() (done, total int)
	// SizeHint estimates the number of rows.
	SizeHint() int
	Close() error
}

// openTable detects what src holds, by content rather than by its name, and
// opens it for reading.
func openTable(ctx context.Context, src Source) (table, FileInfo, error) {
	info := FileInfo{Name: src.Name}
	if src.Path == "" {
		if info.Name == "" {
			info.Name = "import"
		}
		if len(src.Data) > MaxFileSize {
			return nil, info, ErrTooLarge(int64(len(src.Data)))
		}
		data := src.Data
		kind, err := sniff(data[:min(len(data), 512)], func() ([]byte, error) { return data, nil })
		if err != nil {
			return nil, info, err
		}
		if kind == KindCSV {
			t, err := openCSV(ctx, data, &info)
			return t, info, err
		}
		t, err := openXLSX(ctx, bytes.NewReader(data), int64(len(data)), "", data, &info)
		return t, info, err
	}

	if info.Name == "" {
		info.Name = filepath.Base(src.Path)
	}
	// A directory, a pipe or a device is refused before it is opened:
	// opening a named pipe blocks until something writes to it.
	if st, err := os.Stat(src.Path); err != nil {
		return nil, info, openError(err)
	} else if !st.Mode().IsRegular() {
		return nil, info, errNotSpreadsheet(otherFolder)
	}
	f, err := os.Open(src.Path)
	if err != nil {
		return nil, info, openError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, info, openError(err)
	}
	if !st.Mode().IsRegular() { // replaced since the check above
		return nil, info, errNotSpreadsheet(otherFolder)
	}
	if st.Size() > MaxFileSize {
		return nil, info, ErrTooLarge(st.Size())
	}
	head := make([]byte, 512)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, info, openError(err)
	}
	readAll := func() ([]byte, error) {
		// The size is known, so one allocation holds the file.
		data := make([]byte, st.Size())
		if _, err := f.ReadAt(data, 0); err != nil && err != io.EOF {
			return nil, openError(err)
		}
		return data, nil
	}
	kind, err := sniff(head[:n], readAll)
	if err != nil {
		return nil, info, err
	}
	if kind == KindCSV {
		data, err := readAll()
		if err != nil {
			return nil, info, err
		}
		t, err := openCSV(ctx, data, &info)
		return t, info, err
	}
	t, err := openXLSX(ctx, f, st.Size(), src.Path, nil, &info)
	return t, info, err
}

// openError describes why a file cannot be opened.
func openError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fileError(backend.ENOTFOUND, "file_not_found", "The file no longer exists. Choose it again.", nil)
	case errors.Is(err, fs.ErrPermission):
		return fileError(backend.EFORBIDDEN, "file_forbidden", "Roster is not allowed to read this file. Copy it to your documents and choose the copy.", nil)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return errUnreadable(err)
}

// trimCell removes the spaces around a cell's text, including the no-break
// and zero-width spaces and byte order marks that copying from other
// programs leaves.
func trimCell(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c > ' ' && c < utf8.RuneSelf {
		if c := s[len(s)-1]; c > ' ' && c < utf8.RuneSelf {
			return s // the common case: nothing to trim
		}
	}
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
	})
}
