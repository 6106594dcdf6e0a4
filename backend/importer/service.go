package importer

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"roster/backend"
	"roster/backend/export"
)

// Roles lists the roles a row may name (backend.RoleService has it).
type Roles interface {
	FindRoles(ctx context.Context) ([]*backend.Role, error)
}

// Emails says which addresses are taken (backend.DirectoryService has it).
type Emails interface {
	FindEmailUses(ctx context.Context, keys []string) (map[string]backend.EmailUse, error)
}

// Inviter stores invitations in one transaction (backend.InvitationService
// has it).
type Inviter interface {
	InviteUsers(ctx context.Context, params []backend.InviteParams, progress backend.Progress) (*backend.BulkInviteResult, error)
}

// Phase is the step an import is at.
type Phase string

// The phases progress reports.
const (
	PhaseReading    Phase = "reading"
	PhaseValidating Phase = "validating"
	PhaseSending    Phase = "sending"
)

// Progress reports how far reading, validating or sending has come. Done
// and Total are in the phase's units (bytes or rows while reading, addresses
// while validating, rows while sending); use their ratio.
type Progress struct {
	ImportID string
	Phase    Phase
	Done     int
	Total    int
	// FirstRows holds the first rows of the file, validated, in the first
	// event of a preview that has them: they can be shown before the last
	// row is read.
	FirstRows []Row
	// Final is set on the last event of an operation, whatever its outcome.
	Final bool
}

// ProgressFunc receives progress. It is called often; throttle it.
type ProgressFunc func(Progress)

// RowFilter selects a page of a preview's rows.
type RowFilter struct {
	Offset int
	Limit  int
	// NeedsAttention keeps the rows the administrator should look at before
	// sending: those that cannot be sent, and unsent valid rows whose address
	// is a look-alike (see Row.Punycode).
	NeedsAttention bool
}

// maxPageSize is the most rows FindImportRows returns at once.
const maxPageSize = 1000

// RowUpdate is the administrator's correction of one row.
type RowUpdate struct {
	Row   int // the row number
	Email string
	Role  string
}

// RowUpdateResult is a corrected row and the rows whose state the correction
// changed (duplicates of its old or new address), with the new summary.
type RowUpdateResult struct {
	Rows    []Row // the corrected row first
	Summary Summary
}

// SendResult says what sending stored and what it left out.
type SendResult struct {
	Sent int
	// Skipped counts the rows left out; their reasons are in Summary, and
	// FindImportRows with NeedsAttention lists them.
	Skipped int
	Summary Summary
}

// Tuning.
const (
	// maxPreviews is how many previews are kept; the oldest goes first. A
	// preview of 200,000 rows takes about 35 MB.
	maxPreviews = 3
	// firstRows is how many rows the first progress event carries.
	firstRows = 100
	// lookupBatch is how many addresses one FindEmailUses call checks.
	lookupBatch = 1000
	// progressEvery is how many rows pass between progress calls.
	progressEvery = 512
)

// Service reads import files into previews kept in memory by id (so that
// reloading the window loses nothing), lets rows be corrected, and sends
// the valid rows.
type Service struct {
	roles   Roles
	emails  Emails
	inviter Inviter
	// Now returns the current time.
	Now backend.Clock

	mu       sync.Mutex
	previews map[string]*preview
	order    []string // ids, oldest first
}

// NewService returns a Service over the given storage.
func NewService(roles Roles, emails Emails, inviter Inviter) *Service {
	return &Service{roles: roles, emails: emails, inviter: inviter, Now: time.Now, previews: make(map[string]*preview)}
}

// PreviewImport reads a file and validates every row into a new preview.
// It fails with EINVALID (Key "import.*") for a file it cannot take: empty,
// too large, too many rows, header only, other columns than the template's,
// a legacy .xls, an .ods, a password-protected or damaged workbook, or not a
// spreadsheet at all; ENOTFOUND or EFORBIDDEN when a path cannot be opened;
// ECANCELED ("import.canceled") once ctx is done.
func (s *Service) PreviewImport(ctx context.Context, src Source, progress ProgressFunc) (_ *Preview, err error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	id := uuid.NewString()
	last := Progress{ImportID: id, Phase: PhaseReading}
	report := func(p Progress) {
		last = p
		progress(p)
	}
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = errCanceled() // whatever step noticed it
		}
		last.Final, last.FirstRows = true, nil
		if err == nil {
			last.Done = last.Total
		}
		progress(last)
	}()

	roles, err := s.roles.FindRoles(ctx)
	if err != nil {
		return nil, fmt.Errorf("preview import: %w", err)
	}
	t, info, err := openTable(ctx, src)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	p := newPreview(id, info, roles, s.Now())
	if err := s.read(ctx, p, t, report); err != nil {
		return nil, err
	}
	if err := t.Close(); err != nil {
		return nil, err
	}
	if err := s.lookUp(ctx, p, report); err != nil {
		return nil, err
	}
	s.keep(p)
	return p.snapshot(), nil
}

// lookUp checks, in batches, which addresses of p are taken.
func (s *Service) lookUp(ctx context.Context, p *preview, report func(Progress)) error {
	keys := make([]string, 0, len(p.first))
	for i := range p.rows.len() {
		if r := p.rows.at(i); r.key != "" && r.dupOf == 0 && !r.sent {
			keys = append(keys, r.key)
		}
	}
	uses := make(map[string]backend.EmailUse)
	for start := 0; start < len(keys); start += lookupBatch {
		report(Progress{ImportID: p.id, Phase: PhaseValidating, Done: start, Total: len(keys)})
		batch := keys[start:min(start+lookupBatch, len(keys))]
		found, err := s.emails.FindEmailUses(ctx, batch)
		if err != nil {
			return fmt.Errorf("check addresses: %w", err)
		}
		for k, u := range found {
			uses[k] = u
		}
	}
	report(Progress{ImportID: p.id, Phase: PhaseValidating, Done: len(keys), Total: len(keys)})
	p.setTaken(uses, func(k string) bool {
		// Asked about: the address of each unsent first row. Addresses no
		// longer in the file (corrected rows) count as asked: they are free.
		f, ok := p.first[k]
		return !ok || !p.rows.at(f).sent
	})
	return nil
}

// keep stores a preview, dropping the oldest beyond maxPreviews.
func (s *Service) keep(p *preview) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.previews[p.id] = p
	s.order = append(s.order, p.id)
	for len(s.order) > maxPreviews {
		delete(s.previews, s.order[0])
		s.order = s.order[1:]
	}
}

// find returns a preview. ENOTFOUND.
func (s *Service) find(id string) (*preview, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.previews[id]
	if p == nil {
		return nil, errNotFound()
	}
	return p, nil
}

// errNotFound is the error about a preview that is not (or no longer) open.
func errNotFound() error {
	return backend.MsgImportNotFound.Error(backend.ENOTFOUND)
}

// FindImports returns the open previews, oldest first, so that a reloaded
// window can pick up where it was.
func (s *Service) FindImports(ctx context.Context) []*Preview {
	s.mu.Lock()
	ps := make([]*preview, 0, len(s.order))
	for _, id := range s.order {
		ps = append(ps, s.previews[id])
	}
	s.mu.Unlock()
	out := make([]*Preview, len(ps))
	for i, p := range ps {
		p.mu.Lock()
		out[i] = p.snapshot()
		p.mu.Unlock()
	}
	return out
}

// FindImportByID returns one preview. ENOTFOUND.
func (s *Service) FindImportByID(ctx context.Context, id string) (*Preview, error) {
	p, err := s.find(id)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.snapshot(), nil
}

// FindImportRows returns a page of a preview's rows, at most 1000 (maxPageSize),
// and how many rows the filter matches. ENOTFOUND.
func (s *Service) FindImportRows(ctx context.Context, id string, filter RowFilter) ([]Row, int, error) {
	p, err := s.find(id)
	if err != nil {
		return nil, 0, err
	}
	limit := filter.Limit
	if limit <= 0 || limit > maxPageSize {
		limit = maxPageSize
	}
	offset := max(filter.Offset, 0)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !filter.NeedsAttention {
		end := min(offset+limit, p.rows.len())
		rows := make([]Row, 0, max(end-offset, 0))
		for i := offset; i < end; i++ {
			rows = append(rows, p.rows.at(i).view())
		}
		return rows, p.rows.len(), nil
	}
	var rows []Row
	total := 0
	for i := range p.rows.len() {
		r := p.rows.at(i)
		if r.sent || (r.valid() && !r.lookalike) {
			continue
		}
		if total >= offset && len(rows) < limit {
			rows = append(rows, r.view())
		}
		total++
	}
	return rows, total, nil
}

// UpdateImportRow replaces a row's email and role with the administrator's
// correction and validates it at once, along with the rows that share its
// old or new address. The row's cells outside the template are dropped.
// ENOTFOUND for an unknown import or row; ECONFLICT for a row already sent.
func (s *Service) UpdateImportRow(ctx context.Context, id string, upd RowUpdate) (*RowUpdateResult, error) {
	p, err := s.find(id)
	if err != nil {
		return nil, err
	}
	email := trimCell(upd.Email)
	var use backend.EmailUse
	if e, err := backend.ParseEmail(email); err == nil {
		uses, err := s.emails.FindEmailUses(ctx, []string{e.Key})
		if err != nil {
			return nil, fmt.Errorf("update import row: %w", err)
		}
		use = uses[e.Key]
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.rowIndex(upd.Row)
	if !ok {
		return nil, backend.MsgImportRowNotFound.FieldError(backend.ENOTFOUND, "row", "row", upd.Row)
	}
	if p.rows.at(i).sent {
		return nil, backend.MsgImportRowSent.FieldError(backend.ECONFLICT, "row", "row", upd.Row)
	}
	oldKey := p.rows.at(i).key
	p.setCells(i, email, trimCell(upd.Role))
	r := p.rows.at(i)
	r.use = ""
	if r.key != "" {
		r.use = p.taken[r.key]
		key := r.key
		p.setTaken(map[string]backend.EmailUse{key: use}, func(k string) bool { return k == key })
	}

	res := &RowUpdateResult{Rows: []Row{r.view()}}
	seen := map[int]bool{i: true}
	for _, key := range []string{oldKey, r.key} {
		for _, j := range p.group(key) {
			if !seen[j] {
				seen[j] = true
				res.Rows = append(res.Rows, p.rows.at(j).view())
			}
		}
	}
	res.Summary = p.summary()
	return res, nil
}

// WriteRejectedRows writes the rows that cannot be sent as CSV, with the
// template's columns and an error column, every cell neutralised against
// formula injection. It returns how many rows it wrote. ENOTFOUND.
func (s *Service) WriteRejectedRows(ctx context.Context, id string, w io.Writer) (int, error) {
	p, err := s.find(id)
	if err != nil {
		return 0, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	rows := func(yield func([]string) bool) {
		for i := range p.rows.len() {
			r := p.rows.at(i)
			issues := r.issues()
			if len(issues) == 0 {
				continue
			}
			msgs := make([]string, len(issues))
			for k, e := range issues {
				msgs[k] = e.Message
			}
			n++
			if !yield([]string{r.email, r.role, fmt.Sprintf("Row %d: %s", r.number, strings.Join(msgs, " "))}) {
				return
			}
		}
	}
	if err := export.WriteCSV(w, []string{templateColumns[0], templateColumns[1], rejectedColumn}, iter.Seq[[]string](rows)); err != nil {
		return 0, fmt.Errorf("write rejected rows: %w", err)
	}
	return n, nil
}

// SendImport checks the preview's rows again against the current roles and
// directory, then stores an invitation for every valid row not sent yet, in
// one transaction: all of them or, on any failure, none. EINVALID
// ("import.nothing_to_send") when no row can be sent; on a failed row, its
// error with the row's number in Args["row"]; ENOTFOUND.
func (s *Service) SendImport(ctx context.Context, id string, progress ProgressFunc) (_ *SendResult, err error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	p, err := s.find(id)
	if err != nil {
		return nil, err
	}
	last := Progress{ImportID: id, Phase: PhaseValidating}
	report := func(pr Progress) {
		last = pr
		progress(pr)
	}
	defer func() {
		last.Final = true
		progress(last)
	}()

	p.mu.Lock()
	defer p.mu.Unlock()
	roles, err := s.roles.FindRoles(ctx)
	if err != nil {
		return nil, fmt.Errorf("send import: %w", err)
	}
	p.roles = newRoleSet(roles)
	for i := range p.rows.len() {
		r := p.rows.at(i)
		if r.sent || r.roleErr.is(issueTooLong) || r.rowErr.is(issueQuotes) {
			continue // sent, or no role cell to check
		}
		r.role, r.roleID, r.roleErr = p.roles.check(r.role)
	}
	if err := s.lookUp(ctx, p, report); err != nil {
		return nil, err
	}

	var params []backend.InviteParams
	var sent []int
	for i := range p.rows.len() {
		if r := p.rows.at(i); !r.sent && r.valid() {
			params = append(params, backend.InviteParams{Email: r.email, Role: r.roleID})
			sent = append(sent, i)
		}
	}
	if len(params) == 0 {
		return nil, backend.MsgImportNothingToSend.Error(backend.EINVALID)
	}
	report(Progress{ImportID: id, Phase: PhaseSending, Total: len(params)})
	_, err = s.inviter.InviteUsers(ctx, params, func(done, total int) {
		report(Progress{ImportID: id, Phase: PhaseSending, Done: done, Total: total})
	})
	if err != nil {
		return nil, s.sendError(ctx, p, sent, err)
	}
	for _, i := range sent {
		p.rows.at(i).sent = true
	}
	p.sentAt = s.Now()
	sum := p.summary()
	return &SendResult{Sent: len(sent), Skipped: sum.Valid + sum.Invalid, Summary: sum}, nil
}

// sendError turns InviteUsers' error about one of the rows into an error
// that names the row, and checks that row's address again so that the
// preview shows what changed.
func (s *Service) sendError(ctx context.Context, p *preview, sent []int, err error) error {
	e := backend.AsError(err)
	if e == nil || e.Code == backend.EINTERNAL {
		return fmt.Errorf("send import: %w", err)
	}
	idx, ok := e.Args["index"].(int)
	if !ok || idx < 0 || idx >= len(sent) {
		return err
	}
	r := p.rows.at(sent[idx])
	if r.key != "" {
		if uses, lerr := s.emails.FindEmailUses(ctx, []string{r.key}); lerr == nil {
			r.use = uses[r.key]
		}
	}
	return errSendRowFailed(r.number, e)
}

// errSendRowFailed says that sending stored nothing because row was
// refused, for the reason e (in the args, with its key).
func errSendRowFailed(row int, e *backend.Error) error {
	return backend.MsgImportSendRowFailed.FieldError(e.Code, e.Field, "row", row, "reason", e.Message, "reasonKey", e.Key)
}

// DiscardImport forgets a preview. ENOTFOUND.
func (s *Service) DiscardImport(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.previews[id] == nil {
		return errNotFound()
	}
	delete(s.previews, id)
	for i, o := range s.order {
		if o == id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	return nil
}

// checkHeader accepts the template's columns, ignoring case, surrounding
// spaces and empty cells after them. It returns how many leading columns are
// known: the template's two, or three for the file of rejected rows that
// Roster saves (the template's columns and "error"), so that it can be
// corrected and uploaded again as it is.
func checkHeader(rec record) (int, error) {
	if rec.problem != nil {
		return 0, errHeader([]string{"a row with misplaced quotation marks"})
	}
	cells := rec.cells
	for len(cells) > 0 && trimCell(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	known := len(templateColumns)
	if len(cells) == known+1 && strings.EqualFold(trimCell(cells[known]), rejectedColumn) {
		known++
	}
	ok := len(cells) == known
	for i := 0; ok && i < len(templateColumns); i++ {
		ok = strings.EqualFold(trimCell(cells[i]), templateColumns[i])
	}
	if !ok {
		found := make([]string, len(cells))
		for i, c := range cells {
			found[i] = trimCell(c)
		}
		return 0, errHeader(found)
	}
	return known, nil
}
