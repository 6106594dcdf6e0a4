package sqlstore_test

import (
	"testing"
	"time"

	"roster/backend/sqlstore"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT id FROM roles WHERE id = ? OR name_key = ? ORDER BY id = ? DESC`,
			`SELECT id FROM roles WHERE id = $1 OR name_key = $2 ORDER BY id = $3 DESC`},
		{`SELECT '?' FROM t WHERE a LIKE ? ESCAPE '\' AND b = ?`, `SELECT '?' FROM t WHERE a LIKE $1 ESCAPE '\' AND b = $2`},
		{`SELECT "a?" FROM t WHERE x = ?`, `SELECT "a?" FROM t WHERE x = $1`},
	} {
		if got := sqlstore.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTime(t *testing.T) {
	want := time.Date(2026, 11, 28, 9, 30, 1, 123e6, time.UTC)
	for _, v := range []any{"2026-11-28T09:30:01.123Z", []byte("2026-11-28T09:30:01.123Z"), want.In(time.FixedZone("CET", 3600))} {
		t.Run("OK", func(t *testing.T) {
			var got time.Time
			if err := sqlstore.Time(&got).Scan(v); err != nil || !got.Equal(want) || got.Location() != time.UTC {
				t.Fatalf("Scan(%v) = %v, %v", v, got, err)
			}
		})
	}
	t.Run("ErrNull", func(t *testing.T) {
		var got time.Time
		if err := sqlstore.Time(&got).Scan(nil); err == nil {
			t.Fatal("Scan(nil) of a non-NULL time succeeded")
		}
	})
	t.Run("Null", func(t *testing.T) {
		got := &want
		if err := sqlstore.NullTime(&got).Scan(nil); err != nil || got != nil {
			t.Fatalf("Scan(nil) = %v, %v", got, err)
		}
	})
}
