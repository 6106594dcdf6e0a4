package app

import (
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"roster/backend"
)

// Dialogs asks the administrator for a file through the window.
type Dialogs interface {
	// SaveFile returns the chosen path, or "" when the dialog was cancelled.
	SaveFile(opts runtime.SaveDialogOptions) (string, error)
	// OpenFile returns the chosen path, or "" when the dialog was cancelled.
	OpenFile(opts runtime.OpenDialogOptions) (string, error)
}

// scriptedDialogs, when set (only in the dev build, for end-to-end tests),
// returns Dialogs that answer without a window. See dialogs_dev.go.
var scriptedDialogs func() Dialogs

// nativeDialogs are the operating system's file dialogs.
type nativeDialogs struct{ app *App }

func (d nativeDialogs) SaveFile(opts runtime.SaveDialogOptions) (string, error) {
	ctx := d.app.wailsContext()
	if ctx.Value("frontend") == nil {
		return "", backend.Errorf(backend.EUNAVAILABLE, "There is no window to show a dialog in.")
	}
	return runtime.SaveFileDialog(ctx, opts)
}

func (d nativeDialogs) OpenFile(opts runtime.OpenDialogOptions) (string, error) {
	ctx := d.app.wailsContext()
	if ctx.Value("frontend") == nil {
		return "", backend.Errorf(backend.EUNAVAILABLE, "There is no window to show a dialog in.")
	}
	return runtime.OpenFileDialog(ctx, opts)
}
