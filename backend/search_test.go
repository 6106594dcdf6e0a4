package backend_test

import (
	"strings"
	"testing"

	"roster/backend"
)

func TestNormalizeSearch(t *testing.T) {
	valid := []struct{ name, in, want string }{
		{"Empty", "", ""},
		{"Blank", " \t ", ""},
		{"Trimmed", "  Grace Hopper \n", "Grace Hopper"},
		{"Unicode", "Jörg", "Jörg"},
		{"Punctuation", `50% _off_ \ "quoted"`, `50% _off_ \ "quoted"`},
		{"AtLimit", strings.Repeat("ä", backend.MaxSearchLength), strings.Repeat("ä", backend.MaxSearchLength)},
		{"LimitAfterTrim", "  " + strings.Repeat("a", backend.MaxSearchLength) + "  ", strings.Repeat("a", backend.MaxSearchLength)},
	}
	for _, tt := range valid {
		t.Run("OK/"+tt.name, func(t *testing.T) {
			got, err := backend.NormalizeSearch(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("NormalizeSearch(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	invalid := []struct{ name, in, key string }{
		{"TooLong", strings.Repeat("a", backend.MaxSearchLength+1), "search.too_long"},
		{"FiftyThousand", strings.Repeat("a", 50_000), "search.too_long"},
		{"NUL", "\x00ada", "search.control"},
		{"InnerNUL", "ada\x00", "search.control"},
		{"InnerLineBreak", "ada\nlovelace", "search.control"},
		{"InnerTab", "ada\tlovelace", "search.control"},
		{"Escape", "ada\x1b[31m", "search.control"},
		{"C1", "ada\u0085x", "search.control"},
	}
	for _, tt := range invalid {
		t.Run("Err/"+tt.name, func(t *testing.T) {
			_, err := backend.NormalizeSearch(tt.in)
			e := backend.AsError(err)
			if e == nil || e.Code != backend.EINVALID || e.Key != tt.key || e.Field != "search" || e.Message == "" {
				t.Fatalf("NormalizeSearch(%q) = %#v, want invalid %s", tt.in, err, tt.key)
			}
		})
	}
	t.Run("Err/TooLong/NamesLimit", func(t *testing.T) {
		e := backend.AsError(func() error { _, err := backend.NormalizeSearch(strings.Repeat("a", 201)); return err }())
		if e.Args["max"] != backend.MaxSearchLength || !strings.Contains(e.Message, "200") {
			t.Fatalf("error = %+v, want the limit in args and message", e)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestFilterValidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := backend.InvitationFilter{Search: ptr("  ada  "), State: ptr(backend.InvitationExpired),
			Delivery: ptr(backend.DeliveryFailed), Sort: backend.SortOrder{Column: "invitedBy"}}
		if err := f.Validate(); err != nil || *f.Search != "ada" {
			t.Fatalf("Validate() = %v, search %q", err, *f.Search)
		}
		d := backend.DirectoryFilter{Search: ptr("   "), Status: ptr(backend.EntryExpired), Sort: backend.SortOrder{Column: "joinedAt"}}
		if err := d.Validate(); err != nil || d.Search != nil {
			t.Fatalf("Validate() = %v, blank search kept as %v", err, d.Search)
		}
		u := backend.UserFilter{Status: ptr(backend.UserInactive)}
		if err := u.Validate(); err != nil {
			t.Fatal(err)
		}
		a := backend.AuditFilter{Search: ptr(" Ada ")}
		if err := a.Validate(); err != nil || *a.Search != "Ada" {
			t.Fatalf("Validate() = %v, search %q", err, *a.Search)
		}
	})
	invalid := []struct {
		name       string
		validate   func() error
		field, key string
	}{
		{"ErrInvitationSort", func() error {
			return (&backend.InvitationFilter{Sort: backend.SortOrder{Column: "joinedAt"}}).Validate()
		}, "sort", "list.unknown_sort"},
		{"ErrInvitationState", func() error {
			return (&backend.InvitationFilter{State: ptr(backend.InvitationState("asleep"))}).Validate()
		}, "state", "invitation.unknown_state"},
		{"ErrInvitationDelivery", func() error {
			return (&backend.InvitationFilter{Delivery: ptr(backend.DeliveryState("lost"))}).Validate()
		}, "delivery", "invitation.unknown_delivery"},
		{"ErrInvitationSearch", func() error {
			return (&backend.InvitationFilter{Search: ptr("\x00")}).Validate()
		}, "search", "search.control"},
		{"ErrDirectorySort", func() error {
			return (&backend.DirectoryFilter{Sort: backend.SortOrder{Column: "name; DROP TABLE users"}}).Validate()
		}, "sort", "list.unknown_sort"},
		{"ErrDirectoryStatus", func() error {
			return (&backend.DirectoryFilter{Status: ptr(backend.EntryStatus("asleep"))}).Validate()
		}, "status", "list.unknown_status"},
		{"ErrUserStatusRemoved", func() error {
			return (&backend.UserFilter{Status: ptr(backend.UserRemoved)}).Validate()
		}, "status", "list.unknown_status"},
		{"ErrUserSort", func() error {
			return (&backend.UserFilter{Sort: backend.SortOrder{Column: "password"}}).Validate()
		}, "sort", "list.unknown_sort"},
		{"ErrAuditSearch", func() error {
			return (&backend.AuditFilter{Search: ptr(strings.Repeat("x", 50_000))}).Validate()
		}, "search", "search.too_long"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			e := backend.AsError(tt.validate())
			if e == nil || e.Code != backend.EINVALID || e.Field != tt.field || e.Key != tt.key || len(e.Args) == 0 && tt.key != "search.control" {
				t.Fatalf("Validate() = %+v, want invalid %s (%s) with args", e, tt.key, tt.field)
			}
		})
	}
}
