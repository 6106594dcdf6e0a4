package importer

import (
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"roster/backend"
	"roster/backend/export"
	"roster/backend/msg"
)

// Row is one row of a preview as the administrator sees it.
type Row struct {
	// Number is the row number a spreadsheet shows (the header is row 1).
	Number int
	Email  string
	Role   string
	// Valid is true when the row can be sent.
	Valid bool
	// Sent is true once the row's invitation was stored.
	Sent bool
	// Issues say why an invalid row cannot be sent, in the order of its
	// cells: each has a Key for translation, a Message, and a Field ("email",
	// "role", or "" for the row as a whole).
	Issues []*backend.Error
	// Punycode is the address with its domain in ASCII (punycode) form when
	// a label of the domain mixes scripts (backend.Email.Lookalike), and ""
	// otherwise. Such an address can look exactly like another one: it is a
	// warning, not an issue, so the row is still valid and sent.
	Punycode string
}

// Summary counts a preview's rows. A row may have several issues, so the
// counts of issues can add up to more than Invalid.
type Summary struct {
	Rows      int // rows with content, not counting the header
	Valid     int // valid rows not sent yet
	Invalid   int // invalid rows not sent yet
	Sent      int
	BlankRows int // empty rows that were skipped

	MissingEmail int
	InvalidEmail int
	Duplicate    int
	Member       int
	Invited      int
	MissingRole  int
	UnknownRole  int
	ExtraColumns int
	TooLong      int
	Malformed    int

	// Lookalike counts the unsent rows whose address is a look-alike (see
	// Row.Punycode); they are counted in Valid or Invalid as well.
	Lookalike int
}

// Preview describes an import that was read and can be sent.
type Preview struct {
	ID   string
	File FileInfo
	// Roles are the names a row's role may have.
	Roles     []string
	Summary   Summary
	CreatedAt time.Time
	// SentAt is when rows were last sent; zero before.
	SentAt time.Time
}

// row is one row of a preview as stored: its checked cells, and what the
// other rows and the directory say about it.
type row struct {
	cells
	dupOf int // the row number this address first appears on, or 0
	use   backend.EmailUse
	sent  bool
}

// preview is an import in memory, with everything needed to re-validate a
// row at once.
type preview struct {
	mu        sync.Mutex
	id        string
	info      FileInfo
	createdAt time.Time
	sentAt    time.Time
	blank     int

	// The roles rows may name. They change only under mu, never while
	// validation workers read them.
	roles roleSet

	rows rowStore // in row-number order
	// first maps each address to the index of the first row that has it;
	// later to the indices of the rows after it that repeat it.
	first map[string]int
	later map[string][]int
	// taken are the addresses the directory last said were taken.
	taken map[string]backend.EmailUse
}

// rowStore holds a preview's rows in chunks, so that adding rows never
// copies the ones before.
type rowStore struct {
	chunks [][]row
	n      int
}

const chunkRows = 4096

// add appends a row and returns its index.
func (s *rowStore) add(r row) int {
	if s.n%chunkRows == 0 {
		s.chunks = append(s.chunks, make([]row, 0, chunkRows))
	}
	c := &s.chunks[len(s.chunks)-1]
	*c = append(*c, r)
	s.n++
	return s.n - 1
}

func (s *rowStore) at(i int) *row { return &s.chunks[i/chunkRows][i%chunkRows] }
func (s *rowStore) len() int      { return s.n }

// roleSet looks up role names, ignoring case; the built-in roles also by
// their names in the window's languages.
type roleSet struct {
	names   []string
	allowed string                   // the names, for messages
	missing *issue                   // the issue of an empty role cell
	exact   map[string]*backend.Role // by name as stored
	lower   map[string]*backend.Role // by lower-case name
}

func newRoleSet(roles []*backend.Role) roleSet {
	rs := roleSet{
		names: make([]string, len(roles)),
		exact: make(map[string]*backend.Role, len(roles)),
		lower: make(map[string]*backend.Role, len(roles)),
	}
	for i, r := range roles {
		rs.names[i] = r.Name
		rs.exact[r.Name] = r
		rs.lower[strings.ToLower(r.Name)] = r
	}
	// The built-in roles by the names the window shows them by in each of
	// its languages (German "Benutzer"), unless a role is called that.
	for _, r := range roles {
		if !r.BuiltIn {
			continue
		}
		for _, lang := range msg.Languages {
			if key := "roles." + r.ID; msg.Has(lang, key) {
				if name := strings.ToLower(msg.T(lang, key, nil)); rs.lower[name] == nil {
					rs.lower[name] = r
				}
			}
		}
	}
	rs.allowed = strings.Join(rs.names, ", ")
	rs.missing = newIssue(issueRoleMissing, backend.EINVALID, "role", "roles", rs.allowed)
	return rs
}

// find returns the role of that name in any case, or nil.
func (rs *roleSet) find(name string) *backend.Role {
	if r := rs.exact[name]; r != nil {
		return r
	}
	return rs.lower[strings.ToLower(name)]
}

func newPreview(id string, info FileInfo, roles []*backend.Role, now time.Time) *preview {
	return &preview{
		id:        id,
		info:      info,
		createdAt: now,
		roles:     newRoleSet(roles),
		first:     make(map[string]int),
		later:     make(map[string][]int),
		taken:     make(map[string]backend.EmailUse),
	}
}

// issueKind says what is wrong with a row. The importer's logic and the
// summary go by the kind; the translation key derived from it is for
// display only.
type issueKind uint8

// The kinds of row issues.
const (
	issueEmailMissing issueKind = iota + 1
	issueEmailInvalid
	issueDuplicate
	issueMember
	issueInvited
	issueRoleMissing
	issueRoleUnknown
	issueExtraColumns
	issueTooLong
	issueQuotes
)

// issueMessages are the messages of the kinds. An invalid address has none:
// its issue carries ParseEmail's error, whose key says what is wrong.
var issueMessages = [...]*backend.Message{
	issueEmailMissing: backend.MsgImportRowEmailMissing,
	issueDuplicate:    backend.MsgImportRowDuplicate,
	issueMember:       backend.MsgImportRowMember,
	issueInvited:      backend.MsgImportRowInvited,
	issueRoleMissing:  backend.MsgImportRowRoleMissing,
	issueRoleUnknown:  backend.MsgImportRowRoleUnknown,
	issueExtraColumns: backend.MsgImportRowExtraColumns,
	issueTooLong:      backend.MsgImportRowTooLong,
	issueQuotes:       backend.MsgImportRowQuotes,
}

// issue is one problem of a row: its kind, and the coded error the
// administrator reads.
type issue struct {
	kind issueKind
	err  backend.Error
}

// key returns the message key of the kind; an invalid address has ParseEmail's
// keys, "email.*".
func (k issueKind) key() string {
	if m := issueMessages[k]; m != nil {
		return m.Key
	}
	return "email.*"
}

// newIssue returns an issue whose error has the kind's message and args
// (name/value pairs). field is "email", "role", or "" for the row as a whole.
func newIssue(kind issueKind, code, field string, args ...any) *issue {
	return &issue{kind: kind, err: *issueMessages[kind].FieldError(code, field, args...)}
}

// is reports whether the issue is there and of that kind.
func (is *issue) is(kind issueKind) bool { return is != nil && is.kind == kind }

// cells is one row's cells, validated on their own (apart from other rows
// and the directory). Validation workers fill it in concurrently.
type cells struct {
	number int
	email  string // the trimmed cell (shortened if too long); a row's text if it has broken quotes
	role   string
	key    string // Email.Key of a well-formed address
	// lookalike is Email.Lookalike of a well-formed address.
	lookalike bool
	roleID    string // the role's id when it is known
	emailErr  *issue
	roleErr   *issue
	rowErr    *issue // extra columns, broken quotes
}

// readCells takes a record's cells: the template's two, trimmed, and the
// names of other columns that hold something. known is checkHeader's count:
// with 3 (Roster's own file of rejected rows), the error column is ignored
// and the cells Roster neutralised against formulas are taken back as they were.
func readCells(rec record, known int) cells {
	c := cells{number: rec.row, rowErr: rec.problem}
	if rec.problem != nil {
		c.email = rec.raw // so that it is shown, and kept in the rejected rows
		return c
	}
	var extra []string
	for i := known; i < len(rec.cells); i++ {
		if trimCell(rec.cells[i]) != "" {
			extra = append(extra, columnName(i))
		}
	}
	if len(rec.cells) > 0 {
		c.email = trimCell(rec.cells[0])
	}
	if len(rec.cells) > 1 {
		c.role = trimCell(rec.cells[1])
	}
	if known > len(templateColumns) {
		c.email, c.role = export.Unneutralize(c.email), export.Unneutralize(c.role)
	}
	if len(extra) > 0 {
		c.rowErr = errExtraColumns(extra)
		// Copies, so that the rest of the record can be freed.
		c.email, c.role = strings.Clone(c.email), strings.Clone(c.role)
	}
	return c
}

// check validates the email and role cells.
func (c *cells) check(rs *roleSet) {
	if c.rowErr.is(issueQuotes) {
		return // the cells are unknown
	}
	var e backend.Email
	c.email, e, c.emailErr = checkEmail(c.email)
	c.key, c.lookalike = e.Key, e.Lookalike
	c.role, c.roleID, c.roleErr = rs.check(c.role)
}

// checkEmail validates an email cell. It returns the cell as shown
// (shortened if too long) and the parsed address, or the problem.
func checkEmail(email string) (string, backend.Email, *issue) {
	if short, long := tooLong(email); long {
		return short, backend.Email{}, errTooLong("email")
	}
	if email == "" {
		return "", backend.Email{}, newIssue(issueEmailMissing, backend.EINVALID, "email")
	}
	e, err := backend.ParseEmail(email)
	if err != nil {
		if be := backend.AsError(err); be != nil {
			return email, backend.Email{}, &issue{kind: issueEmailInvalid, err: *be} // ParseEmail's key says what is wrong
		}
		return email, backend.Email{}, &issue{kind: issueEmailInvalid, err: backend.Error{Code: backend.EINTERNAL, Message: err.Error()}}
	}
	return email, e, nil
}

// punycode returns the ASCII form of a look-alike address, or "".
func (c *cells) punycode() string {
	if !c.lookalike {
		return ""
	}
	// Parsed again only for the rows shown, so that every row does not
	// keep a second form of its address.
	e, err := backend.ParseEmail(c.email)
	if err != nil {
		return ""
	}
	return e.ASCII()
}

// check validates a role cell. It returns the cell as shown and the role's
// id, or the problem.
func (rs *roleSet) check(role string) (string, string, *issue) {
	if short, long := tooLong(role); long {
		return short, "", errTooLong("role")
	}
	if role == "" {
		return "", "", rs.missing // shared: issues are never changed
	}
	known := rs.find(role)
	if known == nil {
		return role, "", newIssue(issueRoleUnknown, backend.EINVALID, "role", "role", role, "roles", rs.allowed)
	}
	if role == known.Name {
		role = known.Name // share the name's memory
	}
	return role, known.ID, nil
}

// add appends a checked row and files it under its address.
func (p *preview) add(c *cells) {
	i := p.rows.add(row{cells: *c})
	if c.key != "" {
		p.file(i)
	}
}

func errExtraColumns(cols []string) *issue {
	list := strings.Join(cols, ", ")
	return newIssue(issueExtraColumns, backend.EINVALID, "", "columns", list, "count", len(cols))
}

func errTooLong(field string) *issue {
	return newIssue(issueTooLong, backend.EINVALID, field, "max", maxCellLength)
}

// tooLong shortens an over-long cell for display and reports whether it was.
func tooLong(s string) (string, bool) {
	if len(s) <= maxCellLength || utf8.RuneCountInString(s) <= maxCellLength {
		return s, false
	}
	i, n := 0, 0
	for i = range s {
		if n == 60 {
			break
		}
		n++
	}
	return s[:i] + "…", true
}

// setCells replaces row i's cells with a correction: the row is validated
// again and refiled under its new address. Its cells outside the template
// are dropped.
func (p *preview) setCells(i int, email, role string) {
	p.unfile(i)
	r := p.rows.at(i)
	r.cells = cells{number: r.number, email: email, role: role}
	r.check(&p.roles)
	if r.key != "" {
		p.file(i)
	}
}

// file records row i under its address: the first row with an address is
// the original, the later ones its duplicates.
func (p *preview) file(i int) {
	key := p.rows.at(i).key
	f, ok := p.first[key]
	switch {
	case !ok:
		p.first[key] = i
		p.rows.at(i).dupOf = 0
	case i > f:
		l := p.later[key]
		at := sort.SearchInts(l, i)
		p.later[key] = append(l[:at], append([]int{i}, l[at:]...)...)
		p.rows.at(i).dupOf = p.rows.at(f).number
	default: // i comes before the original: it becomes the original
		p.first[key] = i
		p.later[key] = append([]int{f}, p.later[key]...)
		p.rows.at(i).dupOf = 0
		for _, j := range p.later[key] {
			p.rows.at(j).dupOf = p.rows.at(i).number
		}
	}
}

// unfile removes row i from under its address; the next row with it, if
// any, becomes the original.
func (p *preview) unfile(i int) {
	key := p.rows.at(i).key
	if key == "" {
		return
	}
	p.rows.at(i).dupOf = 0
	l := p.later[key]
	if p.first[key] == i {
		if len(l) == 0 {
			delete(p.first, key)
			return
		}
		p.first[key] = l[0]
		p.rows.at(l[0]).dupOf = 0
		l = l[1:]
	} else if at := sort.SearchInts(l, i); at < len(l) && l[at] == i {
		l = append(l[:at], l[at+1:]...)
	}
	if len(l) == 0 {
		delete(p.later, key)
	} else {
		p.later[key] = l
		for _, j := range l {
			p.rows.at(j).dupOf = p.rows.at(p.first[key]).number
		}
	}
}

// group returns the indices of the rows with an address, original first.
func (p *preview) group(key string) []int {
	f, ok := p.first[key]
	if !ok {
		return nil
	}
	return append([]int{f}, p.later[key]...)
}

// rowIndex finds a row by its number.
func (p *preview) rowIndex(number int) (int, bool) {
	i := sort.Search(p.rows.len(), func(i int) bool { return p.rows.at(i).number >= number })
	return i, i < p.rows.len() && p.rows.at(i).number == number
}

// setTaken records the directory's answer: uses holds the taken addresses
// among those it was asked about, and asked reports whether it was asked
// about an address. Only the rows of addresses taken before or now are
// touched, so this costs little however many rows there are.
func (p *preview) setTaken(uses map[string]backend.EmailUse, asked func(key string) bool) {
	for k := range p.taken {
		if uses[k] == "" && asked(k) {
			delete(p.taken, k)
			p.setUse(k, "")
		}
	}
	for k, u := range uses {
		if p.taken[k] != u {
			p.taken[k] = u
			p.setUse(k, u)
		}
	}
}

// setUse marks the unsent rows with an address as taken (or not).
func (p *preview) setUse(key string, use backend.EmailUse) {
	for _, i := range p.group(key) {
		if r := p.rows.at(i); !r.sent {
			r.use = use
		}
	}
}

// valid reports whether a row can be sent.
func (r *row) valid() bool {
	return r.rowErr == nil && r.emailErr == nil && r.roleErr == nil && r.dupOf == 0 && r.use == ""
}

// issues lists why a row cannot be sent, in the order of its cells.
func (r *row) issues() []*backend.Error {
	if r.sent || r.valid() {
		return nil
	}
	var out []*backend.Error
	if r.rowErr != nil {
		out = append(out, &r.rowErr.err)
	}
	if r.emailErr != nil {
		out = append(out, &r.emailErr.err)
	}
	if r.dupOf != 0 {
		out = append(out, &newIssue(issueDuplicate, backend.ECONFLICT, "email", "row", r.dupOf).err)
	}
	switch r.use {
	case backend.EmailMember:
		out = append(out, &newIssue(issueMember, backend.ECONFLICT, "email", "email", r.email).err)
	case backend.EmailInvited:
		out = append(out, &newIssue(issueInvited, backend.ECONFLICT, "email", "email", r.email).err)
	}
	if r.roleErr != nil {
		out = append(out, &r.roleErr.err)
	}
	return out
}

// view returns a row as the administrator sees it.
func (r *row) view() Row {
	email := r.email
	if r.rowErr.is(issueQuotes) {
		email, _ = tooLong(email) // the row's text
	}
	return Row{
		Number: r.number, Email: email, Role: r.role, Valid: !r.sent && r.valid(), Sent: r.sent,
		Issues: r.issues(), Punycode: r.punycode(),
	}
}

// summary counts the rows and their issues.
func (p *preview) summary() Summary {
	s := Summary{Rows: p.rows.len(), BlankRows: p.blank}
	for i := range p.rows.len() {
		r := p.rows.at(i)
		if r.lookalike && !r.sent {
			s.Lookalike++
		}
		switch {
		case r.sent:
			s.Sent++
			continue
		case r.valid():
			s.Valid++
			continue
		}
		s.Invalid++
		for _, is := range []*issue{r.rowErr, r.emailErr, r.roleErr} {
			if is != nil {
				s.count(is.kind)
			}
		}
		if r.dupOf != 0 {
			s.count(issueDuplicate)
		}
		switch r.use {
		case backend.EmailMember:
			s.count(issueMember)
		case backend.EmailInvited:
			s.count(issueInvited)
		}
	}
	return s
}

// count counts an issue stored with a row. Duplicates and taken addresses
// are not stored: summary counts them from the row's state.
func (s *Summary) count(kind issueKind) {
	switch kind {
	case issueEmailMissing:
		s.MissingEmail++
	case issueEmailInvalid:
		s.InvalidEmail++
	case issueRoleMissing:
		s.MissingRole++
	case issueRoleUnknown:
		s.UnknownRole++
	case issueExtraColumns:
		s.ExtraColumns++
	case issueTooLong:
		s.TooLong++
	case issueQuotes:
		s.Malformed++
	case issueDuplicate:
		s.Duplicate++
	case issueMember:
		s.Member++
	case issueInvited:
		s.Invited++
	}
}

// snapshot describes the preview.
func (p *preview) snapshot() *Preview {
	return &Preview{
		ID:        p.id,
		File:      p.info,
		Roles:     append([]string(nil), p.roles.names...),
		Summary:   p.summary(),
		CreatedAt: p.createdAt,
		SentAt:    p.sentAt,
	}
}
