//go:build unix

package importer

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"

	"roster/backend"
)

// TestPreviewImport_Pipe: reading a named pipe would block for ever, so it
// is refused. Named pipes live in the file system only on Unix; Windows'
// \\.\pipe\ names are not files a dialog or a drop can hand over.
func TestPreviewImport_Pipe(t *testing.T) {
	fx := newFixture(t)
	p := filepath.Join(t.TempDir(), "fifo.csv")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := fx.svc.PreviewImport(context.Background(), Source{Path: p}, nil)
	assertKey(t, err, backend.EINVALID, "import.not_spreadsheet.folder")
}
