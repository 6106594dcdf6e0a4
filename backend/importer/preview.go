package importer

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"roster/backend"
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

// row is one row of a preview as stored.
type row struct {
	number   int
	email    string // the trimmed cell (shortened if too long)
	role     string
	key      string // Email.Key of a well-formed address
	roleID   string // the role's id when it is known
	emailErr *backend.Error
	roleErr  *backend.Error
	rowErr   *backend.Error // extra columns, broken quotes
	dupOf    int            // the row number this address first appears on, or 0
	use      backend.EmailUse
	sent     bool
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

	roleNames  []string
	roleByName map[string]*backend.Role // by lower-case name

	rows []row // in row-number order
	// first maps each address to the index of the first row that has it;
	// later to the indices of the rows after it that repeat it.
	first map[string]int
	later map[string][]int
	uses  map[string]backend.EmailUse
}

func newPreview(id string, info FileInfo, roles []*backend.Role, now time.Time) *preview {
	p := &preview{
		id:        id,
		info:      info,
		createdAt: now,
		first:     make(map[string]int),
		later:     make(map[string][]int),
		uses:      make(map[string]backend.EmailUse),
	}
	p.setRoles(roles)
	return p
}

// setRoles sets the roles that rows may name.
func (p *preview) setRoles(roles []*backend.Role) {
	p.roleNames = make([]string, len(roles))
	p.roleByName = make(map[string]*backend.Role, len(roles))
	for i, r := range roles {
		p.roleNames[i] = r.Name
		p.roleByName[strings.ToLower(r.Name)] = r
	}
}

// rowError returns the problem of one row.
func rowError(code, field, key, message string, args map[string]any) *backend.Error {
	e := (&backend.Error{Code: code, Message: message}).WithKey("import.row."+key, args)
	if field != "" {
		e = e.WithField(field)
	}
	return e
}

// add appends a row read from a file: cells are the row's cells, or nil
// with problem set when they could not be told apart.
func (p *preview) add(number int, cells []string, problem *backend.Error) {
	p.rows = append(p.rows, row{number: number})
	r := &p.rows[len(p.rows)-1]
	if problem != nil {
		r.rowErr = problem
		return
	}
	var extra []string
	for i := 2; i < len(cells); i++ {
		if trimCell(cells[i]) != "" {
			extra = append(extra, columnName(i))
		}
	}
	if len(extra) > 0 {
		r.rowErr = errExtraColumns(extra)
	}
	var email, role string
	if len(cells) > 0 {
		email = cells[0]
	}
	if len(cells) > 1 {
		role = cells[1]
	}
	// Keep copies: the cells share memory with the rest of the record.
	p.setEmail(len(p.rows)-1, strings.Clone(trimCell(email)))
	p.setRole(r, strings.Clone(trimCell(role)))
}

func errExtraColumns(cols []string) *backend.Error {
	list := strings.Join(cols, ", ")
	msg := fmt.Sprintf("Column %s has a value, but the template has only the columns email and role. Remove it, or correct the row here.", list)
	if len(cols) > 1 {
		msg = fmt.Sprintf("Columns %s have values, but the template has only the columns email and role. Remove them, or correct the row here.", list)
	}
	return rowError(backend.EINVALID, "", "extra_columns", msg, map[string]any{"columns": list, "count": len(cols)})
}

func errTooLong(field string) *backend.Error {
	return rowError(backend.EINVALID, field, "too_long",
		fmt.Sprintf("This cell is longer than %d characters.", MaxCellLength), map[string]any{"max": MaxCellLength})
}

// tooLong shortens an over-long cell for display and reports whether it was.
func tooLong(s string) (string, bool) {
	if len(s) <= MaxCellLength || utf8.RuneCountInString(s) <= MaxCellLength {
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

// setEmail validates the email cell of row i and files it under its
// address for the duplicate check. The row must not be filed under another
// address.
func (p *preview) setEmail(i int, email string) {
	r := &p.rows[i]
	r.email, r.key, r.emailErr = email, "", nil
	if short, long := tooLong(email); long {
		r.email, r.emailErr = short, errTooLong("email")
		return
	}
	if email == "" {
		r.emailErr = rowError(backend.EINVALID, "email", "email_missing", "The email address is missing.", nil)
		return
	}
	e, err := backend.ParseEmail(email)
	if err != nil {
		if be := backend.AsError(err); be != nil {
			r.emailErr = be
		} else {
			r.emailErr = rowError(backend.EINVALID, "email", "email_invalid", err.Error(), nil)
		}
		return
	}
	r.key = e.Key
	p.file(i)
}

// setRole validates a role cell against the roles.
func (p *preview) setRole(r *row, role string) {
	r.role, r.roleID, r.roleErr = role, "", nil
	if short, long := tooLong(role); long {
		r.role, r.roleErr = short, errTooLong("role")
		return
	}
	allowed := strings.Join(p.roleNames, ", ")
	if role == "" {
		r.roleErr = rowError(backend.EINVALID, "role", "role_missing",
			"The role is missing. Use one of: "+allowed+".", map[string]any{"roles": allowed})
		return
	}
	known := p.roleByName[strings.ToLower(role)]
	if known == nil {
		r.roleErr = rowError(backend.EINVALID, "role", "role_unknown",
			fmt.Sprintf("“%s” is not a role. Use one of: %s.", role, allowed), map[string]any{"role": role, "roles": allowed})
		return
	}
	r.roleID = known.ID
}

// file records row i under its address: the first row with an address is
// the original, the later ones its duplicates.
func (p *preview) file(i int) {
	key := p.rows[i].key
	f, ok := p.first[key]
	switch {
	case !ok:
		p.first[key] = i
		p.rows[i].dupOf = 0
	case i > f:
		l := p.later[key]
		at := sort.SearchInts(l, i)
		p.later[key] = append(l[:at], append([]int{i}, l[at:]...)...)
		p.rows[i].dupOf = p.rows[f].number
	default: // i comes before the original: it becomes the original
		p.first[key] = i
		p.later[key] = append([]int{f}, p.later[key]...)
		p.rows[i].dupOf = 0
		for _, j := range p.later[key] {
			p.rows[j].dupOf = p.rows[i].number
		}
	}
}

// unfile removes row i from under its address; the next row with it, if
// any, becomes the original.
func (p *preview) unfile(i int) {
	key := p.rows[i].key
	if key == "" {
		return
	}
	p.rows[i].dupOf = 0
	l := p.later[key]
	if p.first[key] == i {
		if len(l) == 0 {
			delete(p.first, key)
			return
		}
		p.first[key] = l[0]
		p.rows[l[0]].dupOf = 0
		l = l[1:]
	} else if at := sort.SearchInts(l, i); at < len(l) && l[at] == i {
		l = append(l[:at], l[at+1:]...)
	}
	if len(l) == 0 {
		delete(p.later, key)
	} else {
		p.later[key] = l
		for _, j := range l {
			p.rows[j].dupOf = p.rows[p.first[key]].number
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
	i := sort.Search(len(p.rows), func(i int) bool { return p.rows[i].number >= number })
	return i, i < len(p.rows) && p.rows[i].number == number
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
		out = append(out, r.rowErr)
	}
	if r.emailErr != nil {
		out = append(out, r.emailErr)
	}
	if r.dupOf != 0 {
		out = append(out, rowError(backend.ECONFLICT, "email", "duplicate",
			fmt.Sprintf("This address is already in row %d of the file.", r.dupOf), map[string]any{"row": r.dupOf}))
	}
	switch r.use {
	case backend.EmailMember:
		out = append(out, rowError(backend.ECONFLICT, "email", "member",
			"This person is already a member.", map[string]any{"email": r.email}))
	case backend.EmailInvited:
		out = append(out, rowError(backend.ECONFLICT, "email", "invited",
			"This address has already been invited and has not accepted yet.", map[string]any{"email": r.email}))
	}
	if r.roleErr != nil {
		out = append(out, r.roleErr)
	}
	return out
}

// view returns a row as the administrator sees it.
func (r *row) view() Row {
	return Row{Number: r.number, Email: r.email, Role: r.role, Valid: !r.sent && r.valid(), Sent: r.sent, Issues: r.issues()}
}

// summary counts the rows and their issues.
func (p *preview) summary() Summary {
	s := Summary{Rows: len(p.rows), BlankRows: p.blank}
	for i := range p.rows {
		r := &p.rows[i]
		switch {
		case r.sent:
			s.Sent++
			continue
		case r.valid():
			s.Valid++
			continue
		}
		s.Invalid++
		if r.rowErr != nil {
			if r.rowErr.Key == "import.row.quotes" {
				s.Malformed++
			} else {
				s.ExtraColumns++
			}
		}
		for _, e := range []*backend.Error{r.emailErr, r.roleErr} {
			if e == nil {
				continue
			}
			switch e.Key {
			case "import.row.too_long":
				s.TooLong++
			case "import.row.email_missing":
				s.MissingEmail++
			case "import.row.role_missing":
				s.MissingRole++
			case "import.row.role_unknown":
				s.UnknownRole++
			default:
				s.InvalidEmail++
			}
		}
		if r.dupOf != 0 {
			s.Duplicate++
		}
		switch r.use {
		case backend.EmailMember:
			s.Member++
		case backend.EmailInvited:
			s.Invited++
		}
	}
	return s
}

// snapshot describes the preview.
func (p *preview) snapshot() *Preview {
	return &Preview{
		ID:        p.id,
		File:      p.info,
		Roles:     append([]string(nil), p.roleNames...),
		Summary:   p.summary(),
		CreatedAt: p.createdAt,
		SentAt:    p.sentAt,
	}
}
