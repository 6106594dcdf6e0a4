package app

import (
	"encoding/base64"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"roster/backend"
	"roster/backend/export"
	"roster/backend/importer"
)

// Imports is the facade of "Invite multiple users": the templates, reading
// a file into a preview (from the open dialog, a native drop, or the
// browser), correcting rows, saving the rejected ones, and sending. Previews
// live in the backend, so reloading the window loses none: FindImports
// lists them.
type Imports struct {
	app *App
	// emit, when set (in tests), receives the events instead of the window.
	emit func(name string, payload any)

	// reading are the previews being read, for CancelImportPreview.
	reading calls
}

// ImportFileDTO describes the file a preview was read from.
type ImportFileDTO struct {
	Name string `json:"name"`
	// Kind is "csv" or "xlsx".
	Kind string `json:"kind"`
	// Encoding of a CSV file: "utf-8", "utf-8-bom", "utf-16le", "utf-16be"
	// or "windows-1252"; empty for XLSX.
	Encoding string `json:"encoding"`
	// Separator of a CSV file: ",", ";" or "\t".
	Separator string `json:"separator"`
	// Sheet of an XLSX file that was read.
	Sheet string `json:"sheet"`
}

// ImportSummaryDTO counts a preview's rows. A row may have several issues.
type ImportSummaryDTO struct {
	Rows         int `json:"rows"`
	Valid        int `json:"valid"`
	Invalid      int `json:"invalid"`
	Sent         int `json:"sent"`
	BlankRows    int `json:"blankRows"`
	MissingEmail int `json:"missingEmail"`
	InvalidEmail int `json:"invalidEmail"`
	Duplicate    int `json:"duplicate"`
	Member       int `json:"member"`
	Invited      int `json:"invited"`
	MissingRole  int `json:"missingRole"`
	UnknownRole  int `json:"unknownRole"`
	ExtraColumns int `json:"extraColumns"`
	TooLong      int `json:"tooLong"`
	Malformed    int `json:"malformed"`
	// Lookalike counts the unsent rows whose address is a look-alike (see
	// ImportRowDTO.Punycode); they are counted in Valid or Invalid as well.
	Lookalike int `json:"lookalike"`
}

// ImportDTO is a preview.
type ImportDTO struct {
	ID   string        `json:"id"`
	File ImportFileDTO `json:"file"`
	// Roles are the role names a row may have, for the role select.
	Roles     []string         `json:"roles"`
	Summary   ImportSummaryDTO `json:"summary"`
	CreatedAt string           `json:"createdAt"`
	// SentAt is when rows were last sent, "" before.
	SentAt string `json:"sentAt"`
}

// ImportRowDTO is one row of a preview. Issues say why an invalid row
// cannot be sent; each names its field ("email", "role", or "" for the
// row) and has a key for translation with its args.
type ImportRowDTO struct {
	// Row is the row number a spreadsheet shows (the header is row 1).
	Row    int        `json:"row"`
	Email  string     `json:"email"`
	Role   string     `json:"role"`
	Valid  bool       `json:"valid"`
	Sent   bool       `json:"sent"`
	Issues []ErrorDTO `json:"issues"`
	// Punycode is the address with its domain in ASCII (punycode) form when
	// the domain mixes scripts, as "exаmple" with a Cyrillic а does: a
	// warning to show beside the address, not an issue (the row is still
	// sent). "" for every other address.
	Punycode string `json:"punycode"`
}

// ImportRowsParams selects a page of rows.
type ImportRowsParams struct {
	Offset int `json:"offset"`
	// Limit is at most 1000.
	Limit int `json:"limit"`
	// NeedsAttention keeps the rows that cannot be sent and the unsent
	// look-alike addresses.
	NeedsAttention bool `json:"needsAttention"`
}

// ImportRowsPageDTO is a page of rows and how many match in all.
type ImportRowsPageDTO struct {
	Rows  []ImportRowDTO `json:"rows"`
	Total int            `json:"total"`
}

// ImportRowUpdateParams is a correction of one row.
type ImportRowUpdateParams struct {
	Row   int    `json:"row"`
	Email string `json:"email"`
	Role  string `json:"role"`
}

// ImportRowUpdateDTO is the corrected row first, then the rows whose state
// the correction changed (other rows with its old or new address), and the
// new summary.
type ImportRowUpdateDTO struct {
	Rows    []ImportRowDTO   `json:"rows"`
	Summary ImportSummaryDTO `json:"summary"`
}

// ImportSendResultDTO says what was sent and what was not: the skipped
// rows' reasons are counted in Summary and listed by FindImportRows with
// needsAttention.
type ImportSendResultDTO struct {
	Sent    int              `json:"sent"`
	Skipped int              `json:"skipped"`
	Summary ImportSummaryDTO `json:"summary"`
}

// ImportProgress is the payload of EventImportProgress.
type ImportProgress struct {
	ImportID string `json:"importId"`
	// Phase is "reading", "validating" or "sending".
	Phase string `json:"phase"`
	// Done and Total are in the phase's units (bytes or rows while reading,
	// addresses while validating, rows while sending); show their ratio.
	Done  int `json:"done"`
	Total int `json:"total"`
	// FirstRows, in the first event of a preview, are its first rows, to
	// show before the file is read to the end.
	FirstRows []ImportRowDTO `json:"firstRows,omitempty"`
	// Final marks the last event of an operation.
	Final bool `json:"final"`
}

// progressInterval is the least time between two progress events.
const progressInterval = 100 * time.Millisecond

func (i *Imports) service() (*importer.Service, error) {
	if i.app.deps.Imports == nil {
		return nil, backend.MsgImportUnavailable.Error(backend.EUNAVAILABLE)
	}
	return i.app.deps.Imports, nil
}

// DownloadTemplate asks where to save the template, "csv" or "xlsx", and
// saves it there. It returns the path, or "" when the dialog was cancelled.
func (i *Imports) DownloadTemplate(format string) (string, error) {
	svc, err := i.service()
	if err != nil {
		return "", err
	}
	f, ok := export.ParseFormat(format)
	if !ok {
		return "", backend.MsgImportTemplateFormat.FieldError(backend.EINVALID, "format", "format", format)
	}
	path, err := i.app.dialogs().SaveFile(runtime.SaveDialogOptions{
		Title:           "Save the invitations template",
		DefaultFilename: "invitations." + string(f),
		Filters:         []runtime.FileFilter{importFilter(f)},
	})
	if err != nil || path == "" {
		return "", err
	}
	ctx := i.app.callContext()
	if err := saveFile(path, func(w io.Writer) error { return svc.WriteTemplate(ctx, w, f) }); err != nil {
		return "", err
	}
	i.app.log.WithField("format", f).Info("import template saved")
	return path, nil
}

// OpenImportFile asks for a file (.csv, .txt or .xlsx) in the native open
// dialog and previews it. It returns null when the dialog was cancelled.
func (i *Imports) OpenImportFile() (*ImportDTO, error) {
	if _, err := i.service(); err != nil {
		return nil, err
	}
	path, err := i.app.dialogs().OpenFile(runtime.OpenDialogOptions{
		Title: "Choose the file of people to invite",
		Filters: []runtime.FileFilter{
			{DisplayName: "Spreadsheets (*.csv, *.txt, *.xlsx)", Pattern: "*.csv;*.txt;*.xlsx"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
	if err != nil || path == "" {
		return nil, err
	}
	return i.PreviewImportFile(path)
}

// PreviewImportFile reads the file at an absolute path (from the open
// dialog or a native drop) into a new preview. Its kind is decided by its
// content. Errors: invalid (key "import.*") for a file that cannot be
// taken, not_found when it is gone, canceled when CancelImportPreview
// stopped it.
func (i *Imports) PreviewImportFile(path string) (*ImportDTO, error) {
	svc, err := i.service()
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(path) {
		return nil, backend.MsgImportRelativePath.FieldError(backend.EINVALID, "path")
	}
	p, err := i.preview(svc, importer.Source{Path: path})
	if err != nil {
		return nil, err
	}
	i.app.log.WithField("import", p.ID).WithField("rows", p.Summary.Rows).Info("import file read")
	return toImportDTO(p), nil
}

// PreviewImportData reads a file the browser sent, base64-encoded, into a
// new preview; name is the file's name. Errors as PreviewImportFile.
func (i *Imports) PreviewImportData(name string, base64Data string) (*ImportDTO, error) {
	svc, err := i.service()
	if err != nil {
		return nil, err
	}
	if len(base64Data) > base64.StdEncoding.EncodedLen(importer.MaxFileSize)+4 {
		return nil, importer.ErrTooLarge(int64(base64.StdEncoding.DecodedLen(len(base64Data))))
	}
	data, err := base64.StdEncoding.DecodeString(base64Data)
	if err != nil {
		return nil, backend.MsgImportTransfer.Error(backend.EINVALID)
	}
	p, err := i.preview(svc, importer.Source{Name: filepath.Base(name), Data: data})
	if err != nil {
		return nil, err
	}
	i.app.log.WithField("import", p.ID).WithField("rows", p.Summary.Rows).Info("import data read")
	return toImportDTO(p), nil
}

// preview reads src into a new preview, which CancelImportPreview can stop.
func (i *Imports) preview(svc *importer.Service, src importer.Source) (*importer.Preview, error) {
	ctx, end := i.reading.start(i.app.callContext())
	defer end()
	return svc.PreviewImport(ctx, src, i.progress())
}

// CancelImportPreview stops the previews being read (by OpenImportFile,
// PreviewImportFile or PreviewImportData): each returns the error canceled
// (key "import.canceled") within a fraction of a second. It does nothing
// when no preview is being read.
func (i *Imports) CancelImportPreview() {
	i.reading.cancelAll()
}

// FindImports lists the open previews, oldest first.
func (i *Imports) FindImports() ([]ImportDTO, error) {
	svc, err := i.service()
	if err != nil {
		return nil, err
	}
	ps := svc.FindImports(i.app.callContext())
	out := make([]ImportDTO, len(ps))
	for k, p := range ps {
		out[k] = *toImportDTO(p)
	}
	return out, nil
}

// FindImportRows returns a page of a preview's rows (at most 1000).
// Errors: not_found.
func (i *Imports) FindImportRows(id string, params ImportRowsParams) (ImportRowsPageDTO, error) {
	svc, err := i.service()
	if err != nil {
		return ImportRowsPageDTO{}, err
	}
	rows, total, err := svc.FindImportRows(i.app.callContext(), id, importer.RowFilter{
		Offset: params.Offset, Limit: params.Limit, NeedsAttention: params.NeedsAttention,
	})
	if err != nil {
		return ImportRowsPageDTO{}, err
	}
	return ImportRowsPageDTO{Rows: toRowDTOs(rows), Total: total}, nil
}

// UpdateImportRow corrects a row's email and role and validates it at once.
// Errors: not_found (import or row), conflict for a row already sent.
func (i *Imports) UpdateImportRow(id string, params ImportRowUpdateParams) (ImportRowUpdateDTO, error) {
	svc, err := i.service()
	if err != nil {
		return ImportRowUpdateDTO{}, err
	}
	res, err := svc.UpdateImportRow(i.app.callContext(), id, importer.RowUpdate{Row: params.Row, Email: params.Email, Role: params.Role})
	if err != nil {
		return ImportRowUpdateDTO{}, err
	}
	return ImportRowUpdateDTO{Rows: toRowDTOs(res.Rows), Summary: toSummaryDTO(res.Summary)}, nil
}

// SaveRejectedRows asks where to save the rows that cannot be sent, as CSV
// with an error column, and saves them. It returns the path, or "" when the
// dialog was cancelled. Errors: not_found.
func (i *Imports) SaveRejectedRows(id string) (string, error) {
	svc, err := i.service()
	if err != nil {
		return "", err
	}
	ctx := i.app.callContext()
	p, err := svc.FindImportByID(ctx, id)
	if err != nil {
		return "", err
	}
	base := strings.TrimSuffix(p.File.Name, filepath.Ext(p.File.Name))
	path, err := i.app.dialogs().SaveFile(runtime.SaveDialogOptions{
		Title:           "Save the rows that were not sent",
		DefaultFilename: base + "-rejected.csv",
		Filters:         []runtime.FileFilter{importFilter(export.CSV)},
	})
	if err != nil || path == "" {
		return "", err
	}
	n := 0
	if err := saveFile(path, func(w io.Writer) (err error) {
		n, err = svc.WriteRejectedRows(ctx, id, w)
		return err
	}); err != nil {
		return "", err
	}
	i.app.log.WithField("import", id).WithField("rows", n).Info("rejected rows saved")
	return path, nil
}

// SendImport stores an invitation for every valid row not sent yet, in one
// transaction (all or none), after checking the rows again against the
// current roles and directory. Errors: invalid ("import.nothing_to_send"),
// a row's error naming the row ("import.send_row_failed"), not_found.
func (i *Imports) SendImport(id string) (ImportSendResultDTO, error) {
	svc, err := i.service()
	if err != nil {
		return ImportSendResultDTO{}, err
	}
	res, err := svc.SendImport(i.app.callContext(), id, i.progress())
	if err != nil {
		return ImportSendResultDTO{}, err
	}
	i.app.notifyMail() // the invitations' emails are queued
	i.app.log.WithField("import", id).WithField("sent", res.Sent).WithField("skipped", res.Skipped).Info("import sent")
	return ImportSendResultDTO{Sent: res.Sent, Skipped: res.Skipped, Summary: toSummaryDTO(res.Summary)}, nil
}

// DiscardImport forgets a preview. Errors: not_found.
func (i *Imports) DiscardImport(id string) error {
	svc, err := i.service()
	if err != nil {
		return err
	}
	return svc.DiscardImport(i.app.callContext(), id)
}

// progress returns a reporter that sends EventImportProgress at most every
// 100 ms; the first rows and the final event always go out.
func (i *Imports) progress() importer.ProgressFunc {
	th := &throttle{interval: progressInterval}
	return func(p importer.Progress) {
		if !th.allow(p.Final || len(p.FirstRows) > 0) {
			return
		}
		ev := ImportProgress{ImportID: p.ImportID, Phase: string(p.Phase), Done: p.Done, Total: p.Total, Final: p.Final}
		if len(p.FirstRows) > 0 {
			ev.FirstRows = toRowDTOs(p.FirstRows)
		}
		if i.emit != nil {
			i.emit(EventImportProgress, ev)
		} else {
			i.app.emit(EventImportProgress, ev)
		}
	}
}

func importFilter(f export.Format) runtime.FileFilter {
	if f == export.XLSX {
		return runtime.FileFilter{DisplayName: "Excel workbook (*.xlsx)", Pattern: "*.xlsx"}
	}
	return runtime.FileFilter{DisplayName: "CSV file (*.csv)", Pattern: "*.csv"}
}

func toImportDTO(p *importer.Preview) *ImportDTO {
	return &ImportDTO{
		ID: p.ID,
		File: ImportFileDTO{
			Name: p.File.Name, Kind: string(p.File.Kind), Encoding: p.File.Encoding,
			Separator: p.File.Separator, Sheet: p.File.Sheet,
		},
		Roles:     p.Roles,
		Summary:   toSummaryDTO(p.Summary),
		CreatedAt: formatTime(p.CreatedAt),
		SentAt:    formatTime(p.SentAt),
	}
}

func toSummaryDTO(s importer.Summary) ImportSummaryDTO {
	return ImportSummaryDTO{
		Rows: s.Rows, Valid: s.Valid, Invalid: s.Invalid, Sent: s.Sent, BlankRows: s.BlankRows,
		MissingEmail: s.MissingEmail, InvalidEmail: s.InvalidEmail, Duplicate: s.Duplicate,
		Member: s.Member, Invited: s.Invited, MissingRole: s.MissingRole, UnknownRole: s.UnknownRole,
		ExtraColumns: s.ExtraColumns, TooLong: s.TooLong, Malformed: s.Malformed, Lookalike: s.Lookalike,
	}
}

func toRowDTOs(rows []importer.Row) []ImportRowDTO {
	out := make([]ImportRowDTO, len(rows))
	for k, r := range rows {
		issues := make([]ErrorDTO, len(r.Issues))
		for j, e := range r.Issues {
			issues[j] = errorDTO(e)
		}
		out[k] = ImportRowDTO{
			Row: r.Number, Email: r.Email, Role: r.Role, Valid: r.Valid, Sent: r.Sent,
			Issues: issues, Punycode: r.Punycode,
		}
	}
	return out
}
