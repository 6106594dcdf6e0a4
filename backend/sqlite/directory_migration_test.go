package sqlite

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/sqlstore"
)

// migration0009 is the migration after which an import lists its own rows.
const migration0009 = "migration/0009_import_list_rows.sql"

// listing renders the Users list as FindDirectory returns it: every sort,
// both directions, some searches and filters, with their totals.
func listing(tb testing.TB, db *DB) []string {
	tb.Helper()
	s := NewDirectoryService(db)
	var filters []backend.DirectoryFilter
	for _, col := range []string{"name", "email", "role", "status", "joinedAt"} {
		for _, desc := range []bool{false, true} {
			filters = append(filters, backend.DirectoryFilter{Limit: 1000, Sort: backend.SortOrder{Column: col, Desc: desc}})
		}
	}
	for _, term := range []string{"example", "ex", "a1", "lee", "zq", "@"} {
		filters = append(filters, backend.DirectoryFilter{Limit: 1000, Search: &term})
	}
	pending, user := backend.EntryPending, backend.RoleUser
	filters = append(filters, backend.DirectoryFilter{Limit: 1000, Status: &pending},
		backend.DirectoryFilter{Limit: 5, Offset: 3, RoleID: &user})
	var out []string
	for _, f := range filters {
		page, err := s.FindDirectory(context.Background(), f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, fmt.Sprintf("search %q role %q status %q sort %+v offset %d: total %d atLeast %v",
			deref(f.Search), deref(f.RoleID), deref(f.Status), f.Sort, f.Offset, page.Total, page.AtLeast))
		for _, e := range page.Entries {
			out = append(out, fmt.Sprintf("  %s %s %q %s %s %s %s %s", e.Kind, e.ID, e.Name, e.Email, e.RoleID, e.RoleName,
				e.Status, e.JoinedAt))
		}
	}
	return out
}

// TestMigration0009 converts a database of the earlier schema, whose
// invitations were listed by their trigger also when imported: the list
// stays as it was, and an import stored afterwards is listed, counted and
// searchable once per row.
func TestMigration0009(t *testing.T) {
	if _, err := fs.Stat(migrationFS, migration0009); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		db := openBefore(t, migration0009)
		// Today's services write the uids 0012 adds: the columns are there
		// for the seeding only and go before migrating.
		for _, add := range []string{`ALTER TABLE audit_log ADD COLUMN uid TEXT`, `ALTER TABLE organisation ADD COLUMN uid TEXT`} {
			if _, err := db.db.Exec(add); err != nil {
				t.Fatal(err)
			}
		}
		_, admin, err := NewOrganisationService(db).SetupOrganisation(context.Background(), backend.SetupParams{
			OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com",
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name})
		for i, name := range []string{"Mary Lee", "Jörg Müller", "Zoë Adams"} {
			email := fmt.Sprintf("member%d@example.net", i)
			key, now := mustEmailKey(t, email), formatTime(db.Now())
			if _, err := db.db.Exec(`INSERT INTO users (id, name, email, email_key, sort_key, search_text, role_id,
				status, joined_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'user', 'active', ?, ?, ?)`,
				newID(), name, email, key, sortKey(name), sqlstore.SearchText(name, email), now, now, now); err != nil {
				t.Fatal(err)
			}
		}
		invitations := NewInvitationService(db)
		for _, email := range []string{"a1@example.org", "b@example.com", "lee.x@example.org"} {
			if _, err := invitations.InviteUser(ctx, backend.InviteParams{Email: email, Role: "user"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := invitations.InviteUser(ctx, backend.InviteParams{Email: "boss@example.org", Role: "administrator"}); err != nil {
			t.Fatal(err)
		}
		before := listing(t, db)
		for _, drop := range []string{`ALTER TABLE audit_log DROP COLUMN uid`, `ALTER TABLE organisation DROP COLUMN uid`} {
			if _, err := db.db.Exec(drop); err != nil {
				t.Fatal(err)
			}
		}

		if err := db.migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		after := listing(t, db)
		for i := range max(len(before), len(after)) {
			if i >= len(before) || i >= len(after) || before[i] != after[i] {
				t.Fatalf("the list changed with the migration at line %d of %d/%d:\n%s", i, len(before), len(after),
					strings.Join(after[max(0, i-3):min(len(after), i+3)], "\n"))
			}
		}

		defer func(rows, batch int) { importTxRows, importBatchRows = rows, batch }(importTxRows, importBatchRows)
		importTxRows, importBatchRows = 8, 4 // several transactions
		params := make([]backend.InviteParams, 30)
		for i := range params {
			params[i] = backend.InviteParams{Email: fmt.Sprintf("imported.%d@example.org", i), Role: "user"}
		}
		if _, err := invitations.InviteUsers(ctx, params, nil); err != nil {
			t.Fatal(err)
		}
		for query, want := range map[string]int{
			`SELECT count(*) FROM directory WHERE kind = 'invitation'`:                  34,
			`SELECT count(*) FROM directory WHERE import_id IS NOT NULL`:                30,
			`SELECT COALESCE(sum(n), 0) FROM directory_counts WHERE status = 'pending'`: 34,
			`SELECT count(*) FROM directory_fts WHERE directory_fts MATCH '"imported"'`: 30,
			`SELECT count(*) FROM directory_words WHERE directory_words MATCH 'im*'`:    30,
		} {
			var n int
			if err := db.db.QueryRow(query).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Fatalf("%s = %d, want %d", query, n, want)
			}
		}
		for _, index := range []string{"directory_fts", "directory_words"} {
			if _, err := db.db.Exec(`INSERT INTO ` + index + ` (` + index + `) VALUES ('integrity-check')`); err != nil {
				t.Fatalf("%s: %v", index, err)
			}
		}
		term := "imported.1"
		page, err := NewDirectoryService(db).FindDirectory(ctx, backend.DirectoryFilter{Limit: 50, Search: &term})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 11 || len(page.Entries) != 11 || page.Entries[0].Email != "imported.1@example.org" {
			t.Fatalf("search %q: total %d, %d entries", term, page.Total, len(page.Entries))
		}
	})
}

// mustEmailKey is the key of a valid address.
func mustEmailKey(tb testing.TB, address string) string {
	tb.Helper()
	e, err := backend.ParseEmail(address)
	if err != nil {
		tb.Fatal(err)
	}
	return e.Key
}

// deref is *p, or the zero value for nil.
func deref[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}
