// Package logging sets up Roster's logrus logger: JSON lines to a rotated file
// in the user's log directory, and readable text on stderr when Roster runs
// from a terminal.
package logging

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/sirupsen/logrus"
	"gopkg.in/natefinch/lumberjack.v2"
)

// FileName is the name of the current log file inside the log directory.
const FileName = "roster.log"

// Options configure New.
type Options struct {
	// Dir is the log directory; DefaultDir() when empty.
	Dir string
	// Level is a logrus level name (debug, info, warning, error).
	Level string
	// Console receives text lines when not nil (stderr when it is a terminal).
	Console io.Writer
}

// New returns a logger and a function that flushes and closes its file.
func New(opts Options) (*logrus.Logger, func() error, error) {
	level, err := logrus.ParseLevel(opts.Level)
	if err != nil {
		return nil, nil, fmt.Errorf("log level %q: use debug, info, warning or error", opts.Level)
	}
	dir := opts.Dir
	if dir == "" {
		if dir, err = DefaultDir(); err != nil {
			return nil, nil, fmt.Errorf("log directory: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("log directory: %w", err)
	}
	file := &lumberjack.Logger{
		Filename:   filepath.Join(dir, FileName),
		MaxSize:    10, // megabytes
		MaxBackups: 5,
		MaxAge:     30, // days
		Compress:   true,
	}

	log := logrus.New()
	log.SetLevel(level)
	log.SetOutput(io.Discard)
	log.AddHook(&writerHook{w: file, f: &logrus.JSONFormatter{TimestampFormat: "2006-01-02T15:04:05.000Z07:00"}})
	if opts.Console != nil {
		log.AddHook(&writerHook{w: opts.Console, f: &logrus.TextFormatter{FullTimestamp: true, TimestampFormat: "15:04:05.000"}})
	}
	return log, file.Close, nil
}

// writerHook writes every entry to w in its own format.
type writerHook struct {
	mu sync.Mutex
	w  io.Writer
	f  logrus.Formatter
}

func (h *writerHook) Levels() []logrus.Level { return logrus.AllLevels }

func (h *writerHook) Fire(e *logrus.Entry) error {
	b, err := h.f.Format(e)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err = h.w.Write(b)
	return err
}
