package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"

	"roster/backend"
	"roster/backend/sqlite"
)

// allEntries reads the whole list page by page, as the UI's scrolling does.
func allEntries(t *testing.T, s *sqlite.DirectoryService, f backend.DirectoryFilter) ([]*backend.DirectoryEntry, int) {
	t.Helper()
	var all []*backend.DirectoryEntry
	f.Limit = 700
	total := -1
	for f.Offset = 0; ; f.Offset += f.Limit {
		page, err := s.FindDirectory(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if total >= 0 && page.Total != total {
			t.Fatalf("total changed between pages: %d then %d", total, page.Total)
		}
		total = page.Total
		all = append(all, page.Entries...)
		if len(page.Entries) < f.Limit {
			return all, total
		}
	}
}

func TestDirectoryService_UnifiedList(t *testing.T) {
	e := newEnv(t)
	now := fixedClock(e.db)
	grace := e.member(t, "Grace Hopper", "grace@example.org", "user")
	old := e.invite(t, "old@example.org", "user")
	*now = now.Add(3 * 24 * time.Hour)
	inv := e.invite(t, "linus@example.org", "administrator")
	e.invite(t, "new@example.org", "user")
	*now = old.CreatedAt.Add(7*24*time.Hour + time.Hour) // old has expired, the others have not

	page, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 5 || page.AtLeast || len(page.Entries) != 5 {
		t.Fatalf("total %d, %d entries", page.Total, len(page.Entries))
	}
	byID := map[string]*backend.DirectoryEntry{}
	for _, d := range page.Entries {
		byID[d.ID] = d
	}
	if d := byID[grace.ID]; d.Kind != backend.EntryUser || d.Status != backend.EntryActive || d.Name != "Grace Hopper" || !d.JoinedAt.Equal(grace.JoinedAt) {
		t.Fatalf("member row %+v", d)
	}
	if d := byID[inv.ID]; d.Kind != backend.EntryInvitation || d.Status != backend.EntryPending || d.RoleName != "Administrator" || d.Name != "" || d.ExpiresAt == nil {
		t.Fatalf("invitation row %+v", d)
	}
	if d := byID[old.ID]; d.Status != backend.EntryExpired {
		t.Fatalf("expired row %+v", d)
	}

	for status, want := range map[backend.EntryStatus]int{backend.EntryActive: 2, backend.EntryInactive: 0, backend.EntryPending: 2, backend.EntryExpired: 1} {
		page, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Status: ptr(status)})
		if err != nil || page.Total != want || len(page.Entries) != want {
			t.Fatalf("status %s: total %d, %d rows, %v; want %d", status, page.Total, len(page.Entries), err, want)
		}
	}
	page, _ = e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{RoleID: ptr(backend.RoleAdministrator)})
	if page.Total != 2 {
		t.Fatalf("administrators: %d", page.Total)
	}
	page, _ = e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{RoleID: ptr(backend.RoleUser), Status: ptr(backend.EntryPending)})
	if page.Total != 1 || page.Entries[0].Email != "new@example.org" {
		t.Fatalf("pending users: %+v", page)
	}
	_, err = e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Sort: backend.SortOrder{Column: "sort_key; DROP TABLE users"}})
	assertCode(t, err, backend.EINVALID)
}

func TestDirectoryService_Sort(t *testing.T) {
	e := newEnv(t)
	now := fixedClock(e.db)
	for _, m := range []struct{ name, email, role string }{
		{"zoë zander", "z@example.org", "user"}, {"Émile Ernst", "e@example.org", "administrator"}, {"bert Brown", "b@example.org", "user"},
	} {
		*now = now.Add(time.Hour)
		e.member(t, m.name, m.email, m.role)
	}
	*now = now.Add(time.Hour)
	e.invite(t, "carla@example.org", "user")

	names := func(f backend.DirectoryFilter) []string {
		page, err := e.directory.FindDirectory(e.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range page.Entries {
			out = append(out, d.Email)
		}
		return out
	}
	for _, tt := range []struct {
		sort backend.SortOrder
		want []string
	}{
		// By name; an invitation (no name yet) sorts by its address.
		{backend.SortOrder{}, []string{"ada@example.com", "b@example.org", "carla@example.org", "e@example.org", "z@example.org"}},
		{backend.SortOrder{Column: "name", Desc: true}, []string{"z@example.org", "e@example.org", "carla@example.org", "b@example.org", "ada@example.com"}},
		{backend.SortOrder{Column: "email"}, []string{"ada@example.com", "b@example.org", "carla@example.org", "e@example.org", "z@example.org"}},
		{backend.SortOrder{Column: "role"}, []string{"ada@example.com", "e@example.org", "b@example.org", "carla@example.org", "z@example.org"}},
		{backend.SortOrder{Column: "status"}, []string{"ada@example.com", "b@example.org", "e@example.org", "z@example.org", "carla@example.org"}},
		{backend.SortOrder{Column: "joinedAt", Desc: true}, []string{"carla@example.org", "b@example.org", "e@example.org", "z@example.org", "ada@example.com"}},
	} {
		if got := names(backend.DirectoryFilter{Sort: tt.sort}); !slices.Equal(got, tt.want) {
			t.Errorf("sort %+v = %v, want %v", tt.sort, got, tt.want)
		}
	}
}

// TestDirectoryService_Search checks both ways of searching (an index for
// rare terms, the sort index for common ones) against a plain scan: terms of
// three or more characters as substrings, shorter ones as word starts.
func TestDirectoryService_Search(t *testing.T) {
	db := MustOpenDB(t)
	if err := sqlite.SeedDemoData(context.Background(), db, 1500); err != nil {
		t.Fatal(err)
	}
	s := sqlite.NewDirectoryService(db)
	everything, total := allEntries(t, s, backend.DirectoryFilter{})
	if total != len(everything) || total < 2500 {
		t.Fatalf("total %d, %d rows", total, len(everything))
	}
	fold := cases.Fold()
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }
	matches := func(d *backend.DirectoryEntry, term string) bool {
		text := fold.String(strings.NewReplacer("ö", "o", "ü", "u", "ä", "a", "é", "e", "ë", "e", "ø", "o", "å", "a", "ç", "c", "á", "a", "í", "i").Replace(d.Name + "\n" + d.Email))
		term = fold.String(strings.NewReplacer("ö", "o", "ü", "u").Replace(term))
		word := strings.Join(strings.FieldsFunc(term, notWord), "")
		if utf8.RuneCountInString(term) >= 3 || word == "" {
			return strings.Contains(text, term)
		}
		return slices.ContainsFunc(strings.FieldsFunc(text, notWord), func(w string) bool { return strings.HasPrefix(w, word) })
	}
	for _, term := range []string{
		"example",    // every row: found by walking the sort index
		"invited1",   // hundreds of rows
		"müller",     // folded: finds Müller
		"MUELLER.1",  // few rows
		"jörg m",     // across the name
		"zzzq",       // none
		"an",         // shorter than a trigram: starts a word ("anna", not "jansen")
		"ex",         // starts a word of every row ("example"): the sort index
		"10",         // starts the number of a few members, not "invited10"
		"kö",         // folded: "kowalski"
		"O",          // one letter: "o'brien" is the words "o" and "brien"
		"j.",         // punctuation in a short term is ignored: "j"
		"zq",         // none
		"@",          // no letter or digit: a substring
		"'",          // the same, in few rows
		"100%_",      // LIKE's wildcards are literal
		`"quoted"`,   // FTS syntax is literal
		"@example.c", // punctuation
	} {
		t.Run(term, func(t *testing.T) {
			got, total := allEntries(t, s, backend.DirectoryFilter{Search: ptr(term)})
			var want []string
			for _, d := range everything {
				if matches(d, term) {
					want = append(want, d.ID)
				}
			}
			var ids []string
			for _, d := range got {
				ids = append(ids, d.ID)
			}
			if total != len(want) || !slices.Equal(ids, want) {
				t.Fatalf("%q: total %d, %d rows; a scan finds %d", term, total, len(ids), len(want))
			}
			// With another filter, the total is counted through the list.
			got, total = allEntries(t, s, backend.DirectoryFilter{Search: ptr(term), Status: ptr(backend.EntryPending)})
			want, ids = nil, nil
			for _, d := range everything {
				if d.Status == backend.EntryPending && matches(d, term) {
					want = append(want, d.ID)
				}
			}
			for _, d := range got {
				ids = append(ids, d.ID)
			}
			if total != len(want) || !slices.Equal(ids, want) {
				t.Fatalf("%q, pending: total %d, %d rows; a scan finds %d", term, total, len(ids), len(want))
			}
		})
	}
}

// TestFind_InvalidFilter checks that every list refuses a filter it cannot
// show with the keyed EINVALID of the filter's Validate.
func TestFind_InvalidFilter(t *testing.T) {
	e := newEnv(t)
	t.Run("ErrDirectorySort", func(t *testing.T) {
		_, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Sort: backend.SortOrder{Column: "password"}})
		assertKey(t, err, backend.EINVALID, "list.unknown_sort")
	})
	t.Run("ErrDirectoryStatus", func(t *testing.T) {
		_, err := e.directory.FindDirectory(e.ctx, backend.DirectoryFilter{Status: ptr(backend.EntryStatus("removed"))})
		assertKey(t, err, backend.EINVALID, "list.unknown_status")
	})
	t.Run("ErrUserSort", func(t *testing.T) {
		_, _, err := e.users.FindUsers(e.ctx, backend.UserFilter{Sort: backend.SortOrder{Column: "password"}})
		assertKey(t, err, backend.EINVALID, "list.unknown_sort")
	})
	t.Run("ErrInvitationState", func(t *testing.T) {
		_, _, err := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{State: ptr(backend.InvitationState("lost"))})
		assertKey(t, err, backend.EINVALID, "invitation.unknown_state")
	})
	t.Run("ErrInvitationSort", func(t *testing.T) {
		_, _, err := e.invitations.FindInvitations(e.ctx, backend.InvitationFilter{Sort: backend.SortOrder{Column: "token"}})
		assertKey(t, err, backend.EINVALID, "list.unknown_sort")
	})
	t.Run("ErrAuditSearch", func(t *testing.T) {
		_, _, err := e.audit.FindAuditEntries(e.ctx, backend.AuditFilter{Search: ptr("a\x00b")})
		assertKey(t, err, backend.EINVALID, "search.control")
	})
}

func TestDirectoryService_CountCap(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 24,000 rows; run without -short")
	}
	db := MustOpenDB(t)
	if err := sqlite.SeedDemoData(context.Background(), db, 12000); err != nil {
		t.Fatal(err)
	}
	s := sqlite.NewDirectoryService(db)
	page, err := s.FindDirectory(context.Background(), backend.DirectoryFilter{Search: ptr("example"), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if !page.AtLeast || page.Total != backend.MaxExactCount || len(page.Entries) != 50 {
		t.Fatalf("total %d at least %v, %d rows", page.Total, page.AtLeast, len(page.Entries))
	}
	page, _ = s.FindDirectory(context.Background(), backend.DirectoryFilter{Limit: 50})
	// 12,000 members, the administrator, and the 9,600 open invitations (8 in 10).
	if page.AtLeast || page.Total != 21601 {
		t.Fatalf("unsearched total %d at least %v", page.Total, page.AtLeast)
	}
}

// TestDirectoryService_CountsStayTrue checks the counter table against the
// rows after every kind of change.
func TestDirectoryService_CountsStayTrue(t *testing.T) {
	e := newEnv(t)
	check := func(step string) {
		t.Helper()
		for _, f := range []backend.DirectoryFilter{{}, {RoleID: ptr(backend.RoleUser)}, {Status: ptr(backend.EntryActive)},
			{Status: ptr(backend.EntryInactive), RoleID: ptr(backend.RoleAdministrator)}} {
			page, err := e.directory.FindDirectory(e.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			all, _ := allEntries(t, e.directory, f)
			if page.Total != len(all) {
				t.Fatalf("after %s: total %d, but %d rows (filter %+v)", step, page.Total, len(all), f)
			}
		}
	}
	check("setup")
	a := e.invite(t, "a@example.org", "user")
	b := e.invite(t, "b@example.org", "administrator")
	check("invite")
	ua := e.join(t, a, "A")
	check("accept")
	if err := e.invitations.DeleteInvitation(e.ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	check("delete")
	if _, err := e.users.ChangeUserRole(e.ctx, ua.ID, backend.RoleAdministrator); err != nil {
		t.Fatal(err)
	}
	check("role")
	if _, err := e.users.DeactivateUser(e.ctx, ua.ID); err != nil {
		t.Fatal(err)
	}
	check("deactivate")
	if err := e.users.RemoveUser(e.ctx, ua.ID); err != nil {
		t.Fatal(err)
	}
	check("remove")
	if _, err := e.invitations.InviteUsers(e.ctx, []backend.InviteParams{{Email: "c@example.org", Role: "user"}, {Email: "d@example.org", Role: "user"}}, nil); err != nil {
		t.Fatal(err)
	}
	check("import")
}

func TestDirectoryService_FindEmailUses(t *testing.T) {
	e := newEnv(t)
	inv := e.invite(t, "invited@example.org", "user")
	removed := e.member(t, "Gone", "gone@example.org", "user")
	if err := e.users.RemoveUser(e.ctx, removed.ID); err != nil {
		t.Fatal(err)
	}
	uses, err := e.directory.FindEmailUses(e.ctx, []string{"ada@example.com", "invited@example.org", "gone@example.org", "free@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]backend.EmailUse{"ada@example.com": backend.EmailMember, "invited@example.org": backend.EmailInvited}
	if len(uses) != len(want) || uses["ada@example.com"] != want["ada@example.com"] || uses["invited@example.org"] != want["invited@example.org"] {
		t.Fatalf("uses = %v", uses)
	}
	_ = inv
}

func TestSortKey(t *testing.T) {
	t.Run("Bounded", func(t *testing.T) {
		long := longAddress(1)
		if n := len(sqlite.SortKey(long)); n > 128 {
			t.Fatalf("the sort key of a %d-character address has %d bytes", len(long), n)
		}
	})
	t.Run("Order", func(t *testing.T) {
		words := []string{"Zoë", longAddress(2), "ärger", "Bert", longAddress(1), "Arger"}
		sorted := []string{"Arger", "ärger", "Bert", longAddress(1), longAddress(2), "Zoë"}
		slices.SortStableFunc(words, func(a, b string) int { return bytes.Compare(sqlite.SortKey(a), sqlite.SortKey(b)) })
		if !slices.Equal(words, sorted) {
			t.Fatalf("sorted %q", words)
		}
	})
}

// TestDirectoryService_SearchTotal checks the totals and pages of searches
// on both sides of the limits that choose how a search runs (lowered to 3
// rows sorted from the index and 6 counted exactly): from 1 match to 8, so
// 5 (the cap less one), 6 (the cap) and 7 (one more) for each term, a long
// one and a short one, alone and with another filter, and while an import
// is staged. "xquartz" has the long term inside a word (the word index
// does not know it), "x/quartz" has both after a "/" (only the word index
// knows it separates words), and "aqua" has the short term inside a word.
// "aqua" and "hertz" have the first and the last trigram of "quartz": with
// both, neither trigram's rows are the matches; with one, the other's are.
func TestDirectoryService_SearchTotal(t *testing.T) {
	t.Cleanup(sqlite.SetSearchLimits(3, 6))
	const limitExact = 6
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }
	// want is a plain scan of the list: the ids of the rows whose address
	// has quartz, or a word starting with qu, with the filter's status.
	want := func(t *testing.T, e *env, term string, status *backend.EntryStatus) []string {
		t.Helper()
		all, _ := allEntries(t, e.directory, backend.DirectoryFilter{})
		var ids []string
		for _, d := range all {
			match := strings.Contains(d.Email, "quartz")
			if term == "QU" {
				match = slices.ContainsFunc(strings.FieldsFunc(d.Email, notWord), func(w string) bool { return strings.HasPrefix(w, "qu") })
			}
			if match && (status == nil || d.Status == *status) {
				ids = append(ids, d.ID)
			}
		}
		return ids
	}
	check := func(t *testing.T, e *env) {
		t.Helper()
		for _, term := range []string{"quartz", "QU"} {
			for _, status := range []*backend.EntryStatus{nil, ptr(backend.EntryPending), ptr(backend.EntryActive)} {
				label := "any"
				if status != nil {
					label = string(*status)
				}
				ids := want(t, e, term, status)
				f := backend.DirectoryFilter{Search: ptr(term), Status: status, Limit: 2}
				page, err := e.directory.FindDirectory(e.ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				total, atLeast := len(ids), false
				if total > limitExact {
					total, atLeast = limitExact, true
				}
				var got []string
				for _, d := range page.Entries {
					got = append(got, d.ID)
				}
				if page.Total != total || page.AtLeast != atLeast || !slices.Equal(got, ids[:min(2, len(ids))]) {
					t.Fatalf("%q, status %s: total %d (at least %v), page %v; want %d (at least %v), %v",
						term, label, page.Total, page.AtLeast, got, total, atLeast, ids[:min(2, len(ids))])
				}
				// Every row, page by page, as the window scrolls.
				f.Limit = 1
				var all []string
				for f.Offset = 0; f.Offset < len(ids)+1; f.Offset++ {
					page, err := e.directory.FindDirectory(e.ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, d := range page.Entries {
						all = append(all, d.ID)
					}
				}
				if !slices.Equal(all, ids) {
					t.Fatalf("%q, status %s: rows %v, want %v", term, label, all, ids)
				}
			}
		}
	}
	// newList lists n addresses with quartz, half of them members, and
	// others; with inside, one of them is xquartz.
	newList := func(t *testing.T, n int, inside bool, others ...string) *env {
		e := newEnv(t)
		e.invite(t, "x/quartz@example.org", "user")
		rest := n - 1
		if inside {
			e.invite(t, "xquartz@example.org", "user")
			rest--
		}
		for i := range rest {
			inv := e.invite(t, fmt.Sprintf("quartz.%d@example.org", i), "user")
			if i%2 == 1 {
				e.join(t, inv, fmt.Sprintf("Member %d", i))
			}
		}
		for _, o := range others {
			e.invite(t, o, "user")
		}
		if got := len(want(t, e, "quartz", nil)); got != n {
			t.Fatalf("%d rows match, want %d", got, n)
		}
		return e
	}
	for _, n := range []int{2, 5, 6, 7, 8} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			check(t, newList(t, n, true, "aqua@example.org"))
		})
		// All rows with quartz have it as a word (at 6, as many as the cap),
		// and only they have its last trigram, its first, or neither.
		t.Run(fmt.Sprintf("%dWords", n), func(t *testing.T) {
			check(t, newList(t, n, false, "aqua@example.org"))
		})
		t.Run(fmt.Sprintf("%dWordsFirstTrigram", n), func(t *testing.T) {
			check(t, newList(t, n, false, "hertz@example.org"))
		})
		t.Run(fmt.Sprintf("%dWordsNoTrigram", n), func(t *testing.T) {
			check(t, newList(t, n, false, "aqua@example.org", "hertz@example.org"))
		})
	}
	t.Run("Staged", func(t *testing.T) {
		sqlite.SetImportTxRows(2)
		t.Cleanup(func() { sqlite.SetImportTxRows(4096) })
		for _, n := range []int{2, 5, 6, 7, 8} {
			e := newList(t, n, true, "aqua@example.org")
			// Staged rows match too, but are not listed until the import is published.
			var rows []backend.InviteParams
			for i := range 5 {
				rows = append(rows, backend.InviteParams{Email: fmt.Sprintf("quartz.staged.%d@example.org", i), Role: "user"})
			}
			checked := false
			_, err := e.invitations.InviteUsers(e.ctx, rows, func(done, total int) {
				if checked || done == 0 || done == total {
					return
				}
				checked = true
				if e.count(t, `SELECT count(*) FROM imports WHERE state = 'staged'`) != 1 {
					t.Fatal("no import is staged")
				}
				check(t, e)
			})
			if err != nil {
				t.Fatal(err)
			}
			if !checked {
				t.Fatal("the import was stored in one transaction")
			}
			check(t, e)
		}
	})
}
