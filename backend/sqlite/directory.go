package sqlite

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"roster/backend"
	"roster/backend/sqlstore"
)

var _ backend.DirectoryService = (*DirectoryService)(nil)

// DirectoryService implements backend.DirectoryService over the directory
// table (members and open invitations, kept by triggers, an import's rows
// by InviteUsers) and its search indexes.
type DirectoryService struct {
	db *DB
}

// NewDirectoryService returns the directory service of db.
func NewDirectoryService(db *DB) *DirectoryService {
	return &DirectoryService{db: db}
}

// directorySortColumns maps sort columns to the ORDER BY terms that match an
// index each, so a page is an index walk.
var directorySortColumns = map[string]string{
	"":         "d.sort_key",
	"name":     "d.sort_key",
	"email":    "d.email_key",
	"role":     "d.role_name COLLATE NOCASE",
	"status":   "d.status",
	"joinedAt": "d.joined_at",
}

// ftsProbeLimit decides between the two ways to search: a term matching at
// most this many rows is answered from the trigram index and sorted; a term
// matching more is answered by walking the sort index, where matches are
// dense enough that a page fills quickly.
const ftsProbeLimit = 2000

// stagedImports selects the imports whose rows are not published yet: their
// invitations and list rows are hidden (InviteUsers, migration 0004).
const stagedImports = `SELECT id FROM imports WHERE state = 'staged'`

// listedEntry is the condition on a list row d that it is visible: not part
// of a staged import. Most rows have no import, and then it costs nothing.
const listedEntry = `(d.import_id IS NULL OR d.import_id NOT IN (` + stagedImports + `))`

const directoryColumns = `d.kind, d.ref_id, d.name, d.email, d.role_id, d.role_name, d.status, d.joined_at, d.expires_at`

// FindDirectory returns a page of the Users list and how many rows match.
//
// Measured with 100,000 members and 100,000 invitations (BENCHMARKS.md): the
// total of an unsearched list comes from directory_counts; a search that
// matches few rows starts from its index (the trigram index, or the word
// index for one or two characters; exact total); one that matches many
// walks the sort index with the term's condition over the same folded text
// and counts through its index up to MaxExactCount. EINVALID (with a Key)
// for a filter that fails DirectoryFilter.Validate.
func (s *DirectoryService) FindDirectory(ctx context.Context, f backend.DirectoryFilter) (*backend.DirectoryPage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	order := directorySortColumns[f.Sort.Column]
	dir := direction(f.Sort.Desc)
	orderBy := ` ORDER BY ` + order + dir
	if f.Sort.Column == "role" || f.Sort.Column == "status" {
		orderBy += `, d.sort_key` + dir
	}
	orderBy += `, d.id` + dir

	now := s.db.Now()
	where := []string{listedEntry}
	var args []any
	if f.RoleID != nil {
		where, args = append(where, "d.role_id = ?"), append(args, *f.RoleID)
	}
	if f.Status != nil {
		switch *f.Status {
		case backend.EntryActive, backend.EntryInactive:
			where, args = append(where, "d.status = ?"), append(args, *f.Status)
		case backend.EntryPending:
			where, args = append(where, "d.status = 'pending' AND d.expires_at > ?"), append(args, formatTime(now))
		case backend.EntryExpired:
			where, args = append(where, "d.status = 'pending' AND d.expires_at <= ?"), append(args, formatTime(now))
		}
	}
	term := ""
	if f.Search != nil {
		term = sqlstore.FoldText(strings.TrimSpace(*f.Search))
	}

	page := &backend.DirectoryPage{}
	from := ` FROM directory d`
	var err error
	if term == "" {
		page.Total, err = s.countUnsearched(ctx, f, where, args)
	} else {
		m := newTermMatch(term)
		few, ferr := s.fewMatches(ctx, m)
		if ferr != nil {
			return nil, ferr
		}
		if few {
			// Few matches: start from the index, then sort them.
			from = ` FROM (SELECT rowid AS rid FROM ` + m.index + ` WHERE ` + m.index + ` MATCH ?) m CROSS JOIN directory d ON d.id = m.rid`
			args = append([]any{m.query}, args...)
			err = s.db.db.QueryRowContext(ctx, `SELECT count(*)`+from+whereClause(where), args...).Scan(&page.Total)
		} else {
			page.Total, page.AtLeast, err = s.countMany(ctx, m, where, args)
			where, args = append(where, m.cond), append(args, m.condArgs...)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("find directory: %w", err)
	}

	rows, err := s.db.db.QueryContext(ctx, `SELECT `+directoryColumns+from+whereClause(where)+orderBy+` `+
		limitClause(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("find directory: %w", err)
	}
	defer rows.Close()
	page.Entries = []*backend.DirectoryEntry{}
	for rows.Next() {
		var e backend.DirectoryEntry
		if err := rows.Scan(&e.Kind, &e.ID, &e.Name, &e.Email, &e.RoleID, &e.RoleName, &e.Status,
			timeCol{&e.JoinedAt}, nullTime{&e.ExpiresAt}); err != nil {
			return nil, fmt.Errorf("find directory: %w", err)
		}
		if e.Status == backend.EntryPending && e.ExpiresAt != nil && !now.Before(*e.ExpiresAt) {
			e.Status = backend.EntryExpired
		}
		page.Entries = append(page.Entries, &e)
	}
	return page, rows.Err()
}

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(conds, " AND ")
}

// countUnsearched counts an unsearched list: from directory_counts, except
// that pending and expired invitations are told apart by the time.
func (s *DirectoryService) countUnsearched(ctx context.Context, f backend.DirectoryFilter, where []string, args []any) (int, error) {
	if f.Status != nil && (*f.Status == backend.EntryPending || *f.Status == backend.EntryExpired) {
		var n int
		err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM directory d`+whereClause(where), args...).Scan(&n)
		return n, err
	}
	q, qargs := `SELECT COALESCE(sum(n), 0) FROM directory_counts WHERE 1 = 1`, []any{}
	if f.RoleID != nil {
		q, qargs = q+` AND role_id = ?`, append(qargs, *f.RoleID)
	}
	if f.Status != nil {
		q, qargs = q+` AND status = ?`, append(qargs, *f.Status)
	}
	var n int
	err := s.db.db.QueryRowContext(ctx, q, qargs...).Scan(&n)
	return n, err
}

// termMatch is how a folded search term matches a list row: through which
// FTS5 index with which query, and by which condition on a row d when the
// list is walked in its sort order.
type termMatch struct {
	index    string // directory_fts, directory_words, or "" for none
	query    string // the index's MATCH expression
	cond     string // the condition on d, equivalent to the index's match
	condArgs []any
}

// newTermMatch returns how term (folded, not blank) is searched for, as
// backend.DirectoryFilter's Search documents: a term of three or more
// characters is a substring of the name or address, found through the
// trigram index; a shorter one begins a word of them (a run of letters and
// digits), found through the word index's one- and two-character prefixes
// and, walking the list, by a substring test that the word index confirms.
// A short term without a letter or digit ("@", "-") is a substring, tested
// row by row: the indexes cannot answer it.
func newTermMatch(term string) termMatch {
	like := sqlstore.LikePattern(term)
	if utf8.RuneCountInString(term) >= 3 {
		return termMatch{index: "directory_fts", query: ftsPhrase(term),
			cond: `d.search_text LIKE ? ESCAPE '\'`, condArgs: []any{like}}
	}
	word := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return r
		}
		return -1
	}, term)
	if word == "" {
		return termMatch{cond: `d.search_text LIKE ? ESCAPE '\'`, condArgs: []any{like}}
	}
	query := ftsPhrase(word) + ` *`
	return termMatch{index: "directory_words", query: query,
		cond:     `d.search_text LIKE ? ESCAPE '\' AND EXISTS (SELECT 1 FROM directory_words WHERE directory_words MATCH ? AND rowid = d.id)`,
		condArgs: []any{sqlstore.LikePattern(word), query}}
}

// countMany counts the matches of a term that matches many rows, up to
// MaxExactCount, through its index (joined with the list when other
// filters apply), or by its condition when it has no index.
func (s *DirectoryService) countMany(ctx context.Context, m termMatch, where []string, args []any) (int, bool, error) {
	var q string
	if m.index != "" {
		q = `SELECT count(*) FROM (SELECT 1 FROM ` + m.index + ` f`
		if len(where) > 1 {
			q += ` CROSS JOIN directory d ON d.id = f.rowid`
		}
		q += ` WHERE ` + m.index + ` MATCH ?`
		if len(where) > 1 {
			for _, w := range where {
				q += ` AND ` + w
			}
		} else {
			// Only the visibility condition: without a join, by the rows of staged imports.
			q += ` AND f.rowid NOT IN (SELECT id FROM directory WHERE import_id IS NOT NULL AND import_id IN (` + stagedImports + `))`
		}
		args = append([]any{m.query}, args...)
	} else {
		q = `SELECT count(*) FROM (SELECT 1 FROM directory d` + whereClause(append(where, m.cond))
		args = append(args, m.condArgs...)
	}
	var n int
	if err := s.db.db.QueryRowContext(ctx, q+` LIMIT ?)`, append(args, backend.MaxExactCount+1)...).Scan(&n); err != nil {
		return 0, false, err
	}
	if n > backend.MaxExactCount {
		return backend.MaxExactCount, true, nil
	}
	return n, false, nil
}

// fewMatches reports whether a search matches at most ftsProbeLimit rows
// of its index. A term without an index counts as many (such terms, "@" or
// ".", match many rows).
func (s *DirectoryService) fewMatches(ctx context.Context, m termMatch) (bool, error) {
	if m.index == "" {
		return false, nil
	}
	var n int
	err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+m.index+` WHERE `+m.index+` MATCH ? LIMIT ?)`,
		m.query, ftsProbeLimit+1).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("search directory: %w", err)
	}
	return n <= ftsProbeLimit, nil
}

// FindEmailUses reports which of the given address keys are taken.
func (s *DirectoryService) FindEmailUses(ctx context.Context, keys []string) (map[string]backend.EmailUse, error) {
	return findEmailUses(ctx, s.db.db, keys)
}

// findEmailUses answers for all keys in two queries, whatever their number.
func findEmailUses(ctx context.Context, q queryer, keys []string) (map[string]backend.EmailUse, error) {
	uses := map[string]backend.EmailUse{}
	invited, err := findKeys(ctx, q, `SELECT email_key FROM invitations WHERE state = 'pending' AND email_key IN (SELECT value FROM json_each(?))`, keys)
	if err != nil {
		return nil, err
	}
	for k := range invited {
		uses[k] = backend.EmailInvited
	}
	members, err := findMembers(ctx, q, keys)
	if err != nil {
		return nil, err
	}
	for k := range members {
		uses[k] = backend.EmailMember
	}
	return uses, nil
}
