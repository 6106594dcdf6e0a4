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

// ftsProbeLimit and maxExactCount decide between the three ways to search
// (searchDirectory): a term matching at most ftsProbeLimit rows of its index
// is answered from the index and sorted; one matching more is answered by
// walking the sort index, where matches are dense enough that a page fills
// quickly, and counted up to maxExactCount (backend.MaxExactCount). They are
// variables only so that the tests can lower them.
var (
	ftsProbeLimit = 2000
	maxExactCount = backend.MaxExactCount
)

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
// total of an unsearched list comes from directory_counts; a search counts
// its matches through its index (the trigram index, or the word index for
// one or two characters) up to MaxExactCount, and its page starts from the
// index when they are few or walks the sort index when they are many
// (searchDirectory). EINVALID (with a Key) for a filter that fails
// DirectoryFilter.Validate.
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
		from, where, args, err = s.searchDirectory(ctx, page, newTermMatch(term), where, args)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find directory: %w", err)
	}
	// The marks of the page's rows only, after it: the page's query stays
	// an index walk.
	ids := make([]string, len(page.Entries))
	for i, e := range page.Entries {
		ids[i] = e.ID
	}
	marks, err := s.db.syncMarks(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range page.Entries {
		e.Sync = marks[e.ID]
	}
	return page, nil
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
	// word is the word index's query for the term as a whole word, for a
	// term of three or more ASCII letters and digits: its rows are some of
	// the term's matches.
	word string
	// ends are the trigram index's queries for the first and the last
	// trigram of such a term when it has more than one: every match has
	// each of them.
	ends []string
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
		m := termMatch{index: "directory_fts", query: ftsPhrase(term),
			cond: `d.search_text LIKE ? ESCAPE '\'`, condArgs: []any{like}}
		if asciiWord(term) {
			m.word = ftsPhrase(term)
			if n := len(term); n > 3 {
				m.ends = []string{ftsPhrase(term[:3])}
				if term[n-3:] != term[:3] {
					m.ends = append(m.ends, ftsPhrase(term[n-3:]))
				}
			}
		}
		return m
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
	inWords := `EXISTS (SELECT 1 FROM directory_words WHERE directory_words MATCH ? AND rowid = d.id)`
	if !asciiWord(word) {
		return termMatch{index: "directory_words", query: query,
			cond: `d.search_text LIKE ? ESCAPE '\' AND ` + inWords, condArgs: []any{sqlstore.LikePattern(word), query}}
	}
	// The word index's lookup costs tens of microseconds a row: first
	// accept the rows where the word follows the start of the text or an
	// ASCII separator, which is the start of one of the index's words.
	return termMatch{index: "directory_words", query: query,
		cond:     `d.search_text LIKE ? ESCAPE '\' AND (d.search_text GLOB ? OR d.search_text GLOB ? OR ` + inWords + `)`,
		condArgs: []any{sqlstore.LikePattern(word), word + `*`, `*[` + wordSeparators + `]` + word + `*`, query}}
}

// wordSeparators are characters that end a word of the word index (its
// unicode61 tokenizer splits ASCII text at everything but letters and
// digits), as a GLOB character class: those that separate the words of
// names and addresses most often ("-" last, so it is no range). Others
// still separate words; their rows are confirmed by the index.
const wordSeparators = " \n.@+_'-"

// asciiWord reports whether word is made of ASCII letters and digits only,
// each of which the word index keeps in its words, and which GLOB patterns
// hold without escaping.
func asciiWord(word string) bool {
	for _, c := range []byte(word) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// countMany counts the matches of a term that matches many rows, up to
// maxExactCount, through its index (joined with the list when other
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
	if err := s.db.db.QueryRowContext(ctx, q+` LIMIT ?)`, append(args, maxExactCount+1)...).Scan(&n); err != nil {
		return 0, false, err
	}
	if n > maxExactCount {
		return maxExactCount, true, nil
	}
	return n, false, nil
}

// searchDirectory sets page's total for the search m and returns the FROM
// clause, conditions and arguments of its page. It counts the rows of m's
// index that match, up to ftsProbeLimit when other filters apply and up to
// maxExactCount when none do, in one statement that also tells whether an
// import is staged; a term that is a word of ASCII letters and digits is
// first counted as a whole word in the word index: when more rows than the
// limit have it so, that count is enough, and when as many rows have it as
// the term's index matches, the word index's rows are the matches. Without other filters and
// staged rows the count is the total, so a search costs one pass over its
// index and the page:
//   - at most ftsProbeLimit matches: the page starts from the index, and
//     the matches are sorted (with filters, counted through the list);
//   - up to maxExactCount, with no other filter: the page walks the sort
//     index and keeps the rows in the index's matches, an in-memory set
//     tested on the sort index's entries, so only the page's rows are read
//     from the table;
//   - more: the page walks the sort index testing m.cond on each row, and
//     the total is "more than maxExactCount" (with filters, counted through
//     the list up to it).
//
// A term without an index (m.index "") is counted by its condition.
func (s *DirectoryService) searchDirectory(ctx context.Context, page *backend.DirectoryPage, m termMatch, where []string, args []any) (string, []string, []any, error) {
	from := ` FROM directory d`
	// Only the visibility condition (listedEntry): nothing but the term filters.
	alone := len(where) == 1
	n, staged := 0, false
	if m.index != "" {
		limit := ftsProbeLimit
		if alone {
			limit = max(maxExactCount, ftsProbeLimit)
		}
		count := `(SELECT count(*) FROM (SELECT 1 FROM ` + m.index + ` WHERE ` + m.index + ` MATCH ? LIMIT ?))`
		q, qargs := `SELECT -1, `+count+`, EXISTS (`+stagedImports+`)`, []any{m.query, limit + 1}
		if alone && m.word != "" {
			// A row with the term as a word has it as a substring: when more
			// rows than the limit do, so many match, which the word index
			// tells by rowids alone (the trigram index's phrase checks the
			// positions of every trigram of the term). A row with the
			// substring has each of its trigrams: when as many rows have
			// the first or the last trigram as have the word, those rows
			// are the matches, and counting one trigram's rows (up to one
			// more than the word's) is cheaper than the phrase.
			ends, endArgs := "", []any{}
			for _, t := range m.ends {
				ends += ` WHEN (SELECT count(*) FROM (SELECT 1 FROM directory_fts WHERE directory_fts MATCH ? LIMIT (SELECT w + 1 FROM c))) = w THEN w`
				endArgs = append(endArgs, t)
			}
			q = `WITH c (w) AS MATERIALIZED (SELECT count(*) FROM (SELECT 1 FROM directory_words WHERE directory_words MATCH ? LIMIT ?))
				SELECT w, CASE WHEN w > ? THEN ?` + ends + ` ELSE ` + count + ` END, EXISTS (` + stagedImports + `) FROM c`
			qargs = append(append([]any{m.word, limit + 1, limit, limit + 1}, endArgs...), qargs...)
		}
		var words int
		if err := s.db.db.QueryRowContext(ctx, q, qargs...).Scan(&words, &n, &staged); err != nil {
			return "", nil, nil, fmt.Errorf("search directory: %w", err)
		}
		if words == n && n <= limit {
			// The rows with the word are all the matches: the word index
			// lists them faster.
			m.index, m.query = "directory_words", m.word
		}
	}
	// The index's count is the total.
	exact := m.index != "" && alone && !staged
	var err error
	switch {
	case m.index != "" && n <= ftsProbeLimit:
		// Few matches: start from the index, then sort them.
		from = ` FROM (SELECT rowid AS rid FROM ` + m.index + ` WHERE ` + m.index + ` MATCH ?) m CROSS JOIN directory d ON d.id = m.rid`
		args = append([]any{m.query}, args...)
		if exact {
			page.Total = n
		} else {
			err = s.db.db.QueryRowContext(ctx, `SELECT count(*)`+from+whereClause(where), args...).Scan(&page.Total)
		}
	case m.index != "" && alone && n <= maxExactCount:
		// Too many to sort, too few to meet often on the walk: test the
		// sort index's entries against the set of matches ("+" keeps the
		// planner from starting at the set and sorting).
		if exact {
			page.Total = n
		} else {
			page.Total, page.AtLeast, err = s.countMany(ctx, m, where, args)
		}
		where = append(where, `+d.id IN (SELECT rowid FROM `+m.index+` WHERE `+m.index+` MATCH ?)`)
		args = append(args, m.query)
	default:
		if exact {
			page.Total, page.AtLeast = maxExactCount, true
		} else {
			page.Total, page.AtLeast, err = s.countMany(ctx, m, where, args)
		}
		where, args = append(where, m.cond), append(args, m.condArgs...)
	}
	return from, where, args, err
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
