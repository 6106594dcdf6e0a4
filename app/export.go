package app

import (
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"roster/backend"
	"roster/backend/export"
)

// ExportParams chooses the file format of an export.
type ExportParams struct {
	// Format is "csv" or "xlsx".
	Format string `json:"format"`
}

// exportTable asks where to save a table and writes it there. It returns the
// path written, or "" when the administrator cancelled the dialog.
func (a *App) exportTable(p ExportParams, name, sheet string, header []string, rows iter.Seq2[[]string, error]) (string, error) {
	format, ok := export.ParseFormat(p.Format)
	if !ok {
		return "", backend.MsgExportFormat.FieldError(backend.EINVALID, "format")
	}
	filter := runtime.FileFilter{DisplayName: "CSV (*.csv)", Pattern: "*.csv"}
	if format == export.XLSX {
		filter = runtime.FileFilter{DisplayName: "Excel workbook (*.xlsx)", Pattern: "*.xlsx"}
	}
	path, err := a.dialogs().SaveFile(runtime.SaveDialogOptions{
		Title:           "Export",
		DefaultFilename: fmt.Sprintf("roster-%s-%s.%s", name, time.Now().Format("2006-01-02"), format),
		Filters:         []runtime.FileFilter{filter},
	})
	if err != nil || path == "" {
		return "", err
	}
	if filepath.Ext(path) == "" {
		path += "." + string(format)
	}
	if err := writeExport(path, format, sheet, header, rows); err != nil {
		return "", err
	}
	a.log.WithField("path", path).Info("exported " + name)
	return path, nil
}

// writeExport writes the table to path; a failed row query stops it with
// that query's error, and nothing is left at path.
func writeExport(path string, format export.Format, sheet string, header []string, rows iter.Seq2[[]string, error]) error {
	return saveFile(path, func(w io.Writer) error {
		var rowErr error
		plain := func(yield func([]string) bool) {
			for row, err := range rows {
				if err != nil {
					rowErr = err
					return
				}
				if !yield(row) {
					return
				}
			}
		}
		if err := export.Write(w, format, sheet, header, plain); err != nil {
			return fileWriteError(err)
		}
		return rowErr
	})
}

// pages iterates over every row of a paged query, a thousand at a time.
func pages[T any](find func(offset, limit int) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		const size = 1000
		for offset := 0; ; offset += size {
			items, err := find(offset, size)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) < size {
				return
			}
		}
	}
}

// rowsOf maps an iteration of items to table rows.
func rowsOf[T any](items iter.Seq2[T, error], row func(T) []string) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		for it, err := range items {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(row(it), nil) {
				return
			}
		}
	}
}
