//go:build dev

package app

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// In the dev build only: with ROSTER_E2E_DIALOG_DIR set, file dialogs answer
// by themselves, so that end-to-end tests in a browser can export and open
// files. Save dialogs save into that directory under the suggested name;
// open dialogs return the path written in its file "open-next".
func init() {
	dir := os.Getenv("ROSTER_E2E_DIALOG_DIR")
	if dir == "" {
		return
	}
	scriptedDialogs = func() Dialogs { return dirDialogs{dir} }
}

type dirDialogs struct{ dir string }

func (d dirDialogs) SaveFile(opts runtime.SaveDialogOptions) (string, error) {
	return filepath.Join(d.dir, filepath.Base(opts.DefaultFilename)), nil
}

func (d dirDialogs) OpenFile(runtime.OpenDialogOptions) (string, error) {
	b, err := os.ReadFile(filepath.Join(d.dir, "open-next"))
	if os.IsNotExist(err) {
		return "", nil // as if cancelled
	}
	return strings.TrimSpace(string(b)), err
}
