package backend_test

import (
	"testing"
	"time"

	"roster/backend"
)

func TestParseAuditFilter(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f, err := backend.ParseAuditFilter("grace", "user.invited", "2026-01-02T03:04:05Z", "")
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		if f.Search == nil || *f.Search != "grace" || f.Action == nil || *f.Action != "user.invited" ||
			f.From == nil || !f.From.Equal(want) || f.To != nil {
			t.Fatalf("filter = %+v", f)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		f, err := backend.ParseAuditFilter("", "", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if f.Search != nil || f.Action != nil || f.From != nil || f.To != nil {
			t.Fatalf("filter = %+v, want no condition", f)
		}
	})
	for _, field := range []string{"from", "to"} {
		t.Run("ErrBadTime/"+field, func(t *testing.T) {
			from, to := "", ""
			if field == "from" {
				from = "yesterday"
			} else {
				to = "yesterday"
			}
			_, err := backend.ParseAuditFilter("", "", from, to)
			if backend.ErrorCode(err) != backend.EINVALID {
				t.Fatalf("err = %v, want %s", err, backend.EINVALID)
			}
			if e := backend.AsError(err); e.Field != field || e.Key != "audit.bad_time" {
				t.Fatalf("field %q key %q, want %q audit.bad_time", e.Field, e.Key, field)
			}
		})
	}
}
