package server_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"roster/backend/msg"
)

// TestCatalogueKeys checks that every text the server's code and templates
// name is in the catalogue, so no page shows a bare key.
func TestCatalogueKeys(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	templates, _ := filepath.Glob("templates/*.html")
	key := regexp.MustCompile(`"((?:server|errors)\.[a-z_.]*[a-z_])"`)
	seen := 0
	for _, f := range append(files, templates...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			seen++
			if !msg.Has("en", m[1]) {
				t.Errorf("%s names %s, which the catalogue lacks", f, m[1])
			}
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d keys; the pattern is broken", seen)
	}
	for _, month := range []string{"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december"} {
		if !msg.Has("en", "server.month."+month) {
			t.Errorf("the catalogue lacks the month %s", month)
		}
	}
}
