package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"roster/backend"
)

// saveFile writes a file the administrator chose through a temporary file
// beside it, renamed into place at the end, so that a failure leaves no half
// file behind (and an existing one intact). Errors of write pass through;
// the file system's are EUNAVAILABLE ("file.write") with its words.
func saveFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fileWriteError(err)
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fileWriteError(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fileWriteError(err)
	}
	return nil
}

// fileWriteError describes a file that cannot be written.
func fileWriteError(err error) error {
	return backend.MsgFileWrite.Error(backend.EUNAVAILABLE, "reason", reason(err))
}

// reason is the operating system's words for a file error, without the path.
func reason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
