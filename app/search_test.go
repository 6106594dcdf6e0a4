package app

import (
	"strings"
	"testing"

	"roster/backend"
)

// TestSearchText checks that every list refuses a search it cannot run (too
// long for SQLite's LIKE, or with a NUL that cut the pattern short so that
// every row matched) with a coded EINVALID, on a real database.
func TestSearchText(t *testing.T) {
	a, _, _ := testApp(t)
	if _, err := a.Invitations.InviteUser(InviteParams{Email: "grace@example.org", Role: "user"}); err != nil {
		t.Fatal(err)
	}
	lists := []struct {
		name string
		find func(search string) (int, error)
	}{
		{"Users", func(s string) (int, error) {
			p, err := a.Users.FindDirectory(DirectoryParams{Search: s})
			return p.Total, err
		}},
		{"Invitations", func(s string) (int, error) {
			p, err := a.Invitations.FindInvitations(InvitationsParams{Search: s})
			return p.Total, err
		}},
		{"Audit", func(s string) (int, error) {
			p, err := a.Audit.FindAuditEntries(AuditParams{Search: s})
			return p.Total, err
		}},
	}
	for _, l := range lists {
		t.Run(l.name+"/OK", func(t *testing.T) {
			n, err := l.find("  Grace ")
			if err != nil || n != 1 {
				t.Fatalf("search for grace = %d, %v; want 1 match", n, err)
			}
		})
		t.Run(l.name+"/ErrTooLong", func(t *testing.T) {
			_, err := l.find(strings.Repeat("a", 50_000))
			if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Key != "search.too_long" || e.Field != "search" {
				t.Fatalf("50,000-character search: %v", err)
			}
		})
		t.Run(l.name+"/ErrNUL", func(t *testing.T) {
			n, err := l.find("\x00zzz")
			if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Key != "search.control" {
				t.Fatalf("search starting with NUL = %d rows, %v", n, err)
			}
		})
	}
}

// TestListFilters checks that every list refuses a filter value it does not
// know with a coded EINVALID that names the field and has a translation key.
func TestListFilters(t *testing.T) {
	a, _, _ := testApp(t)
	cases := []struct {
		name       string
		call       func() error
		field, key string
	}{
		{"ErrInvitationDelivery", func() error {
			_, err := a.Invitations.FindInvitations(InvitationsParams{Delivery: "lost"})
			return err
		}, "delivery", "invitation.unknown_delivery"},
		{"ErrInvitationState", func() error {
			_, err := a.Invitations.FindInvitations(InvitationsParams{State: "asleep"})
			return err
		}, "state", "invitation.unknown_state"},
		{"ErrInvitationSort", func() error {
			_, err := a.Invitations.FindInvitations(InvitationsParams{Sort: "name"})
			return err
		}, "sort", "list.unknown_sort"},
		{"ErrInvitationExportDelivery", func() error {
			_, err := a.Invitations.ExportInvitations(InvitationsExportParams{ExportParams{Format: "csv"}, InvitationsParams{Delivery: "lost"}})
			return err
		}, "delivery", "invitation.unknown_delivery"},
		{"ErrUsersStatus", func() error {
			_, err := a.Users.FindDirectory(DirectoryParams{Status: "asleep"})
			return err
		}, "status", "list.unknown_status"},
		{"ErrUsersSort", func() error {
			_, err := a.Users.FindDirectory(DirectoryParams{Sort: "password"})
			return err
		}, "sort", "list.unknown_sort"},
		{"ErrAuditTime", func() error {
			_, err := a.Audit.FindAuditEntries(AuditParams{From: "yesterday"})
			return err
		}, "from", "audit.bad_time"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			e := backend.AsError(tt.call())
			if e == nil || e.Code != backend.EINVALID || e.Field != tt.field || e.Key != tt.key || len(e.Args) == 0 {
				t.Fatalf("error = %+v, want invalid %s (field %s) with args", e, tt.key, tt.field)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		// Every column the validation allows, storage can sort by.
		for _, col := range []string{"", "name", "email", "role", "status", "joinedAt"} {
			if _, err := a.Users.FindDirectory(DirectoryParams{Sort: col, Desc: true}); err != nil {
				t.Fatalf("users sorted by %q: %v", col, err)
			}
		}
		for _, col := range []string{"", "createdAt", "email", "role", "invitedBy", "expiresAt", "delivery"} {
			if _, err := a.Invitations.FindInvitations(InvitationsParams{Sort: col}); err != nil {
				t.Fatalf("invitations sorted by %q: %v", col, err)
			}
		}
		for _, d := range []string{"queued", "sending", "sent", "failed", "cancelled"} {
			if _, err := a.Invitations.FindInvitations(InvitationsParams{Delivery: d, State: "deleted", Sort: "delivery"}); err != nil {
				t.Fatalf("delivery %s: %v", d, err)
			}
		}
	})
}

// TestInvitations_InviteLookalike checks that Invite one user refuses an
// address that looks like another one until the administrator confirms it.
func TestInvitations_InviteLookalike(t *testing.T) {
	a, _, _ := testApp(t)
	t.Run("ErrNotConfirmed", func(t *testing.T) {
		_, err := a.Invitations.InviteUser(InviteParams{Email: "ada@ex\u0430mple.com", Role: "user"})
		e := backend.AsError(err)
		if e == nil || e.Code != backend.EINVALID || e.Key != "email.lookalike" || e.Field != "confirmLookalike" ||
			e.Args["punycode"] != "ada@xn--exmple-4nf.com" {
			t.Fatalf("inviting a look-alike of ada@example.com: %v", err)
		}
		if p, _ := a.Invitations.FindInvitations(InvitationsParams{}); p.Total != 0 {
			t.Fatalf("a refused look-alike was stored: %+v", p)
		}
	})
	t.Run("OKConfirmed", func(t *testing.T) {
		inv, err := a.Invitations.InviteUser(InviteParams{Email: "ada@ex\u0430mple.com", Role: "user", ConfirmLookalike: true})
		if err != nil || inv.Email != "ada@ex\u0430mple.com" {
			t.Fatalf("confirmed look-alike: %+v, %v", inv, err)
		}
	})
	t.Run("OKNotLookalike", func(t *testing.T) {
		if _, err := a.Invitations.InviteUser(InviteParams{Email: "info@b\u00fccher.example", Role: "user"}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrInvalidFirst", func(t *testing.T) {
		_, err := a.Invitations.InviteUser(InviteParams{Email: "ada@", Role: "user"})
		if e := backend.AsError(err); e == nil || e.Key != "email.no_domain" {
			t.Fatalf("malformed address: %v", err)
		}
	})
}
