package logging_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/backend/logging"
)

func TestNew(t *testing.T) {
	t.Run("JSONFileAndTextConsole", func(t *testing.T) {
		dir := t.TempDir()
		var console bytes.Buffer
		log, closeLog, err := logging.New(logging.Options{Dir: dir, Level: "info", Console: &console})
		if err != nil {
			t.Fatal(err)
		}
		log.WithField("db", "/tmp/x.db").Info("database opened")
		log.Debug("hidden at info level")
		if err := closeLog(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, logging.FileName))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 1 {
			t.Fatalf("log file has %d lines, want 1:\n%s", len(lines), b)
		}
		var entry map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, lines[0])
		}
		if entry["msg"] != "database opened" || entry["db"] != "/tmp/x.db" || entry["level"] != "info" {
			t.Fatalf("entry = %v", entry)
		}
		if !strings.Contains(console.String(), `msg="database opened"`) || strings.Contains(console.String(), "{") {
			t.Fatalf("console = %q, want one text line", console.String())
		}
	})

	t.Run("ErrLevel", func(t *testing.T) {
		if _, _, err := logging.New(logging.Options{Dir: t.TempDir(), Level: "loud"}); err == nil {
			t.Fatal("want an error for an unknown level")
		}
	})
}
