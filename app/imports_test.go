package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"roster/backend"
	"roster/backend/importer"
)

type fakeRoles struct{}

func (fakeRoles) FindRoles(context.Context) ([]*backend.Role, error) {
	return []*backend.Role{
		{ID: backend.RoleUser, Name: "User", BuiltIn: true},
		{ID: backend.RoleAdministrator, Name: "Administrator", BuiltIn: true},
	}, nil
}

type fakeEmails struct{}

func (fakeEmails) FindEmailUses(_ context.Context, keys []string) (map[string]backend.EmailUse, error) {
	out := map[string]backend.EmailUse{}
	for _, k := range keys {
		if k == "member@example.com" {
			out[k] = backend.EmailMember
		}
	}
	return out, nil
}

type fakeInviter struct{ params []backend.InviteParams }

func (f *fakeInviter) InviteUsers(_ context.Context, params []backend.InviteParams, progress backend.Progress) (*backend.BulkInviteResult, error) {
	f.params = append(f.params, params...)
	for i := range params {
		progress(i+1, len(params))
	}
	return &backend.BulkInviteResult{}, nil
}

// recordingDialogs answer the file dialogs with fixed paths and record what
// they were asked.
type recordingDialogs struct {
	save, open string
	saved      []runtime.SaveDialogOptions
	opened     []runtime.OpenDialogOptions
}

func (d *recordingDialogs) SaveFile(o runtime.SaveDialogOptions) (string, error) {
	d.saved = append(d.saved, o)
	return d.save, nil
}

func (d *recordingDialogs) OpenFile(o runtime.OpenDialogOptions) (string, error) {
	d.opened = append(d.opened, o)
	return d.open, nil
}

// importsFixture is the Imports facade over a real importer.Service with
// fake storage, fake dialogs and recorded events.
type importsFixture struct {
	imports *Imports
	dialogs *recordingDialogs
	inviter *fakeInviter
	mu      sync.Mutex
	events  []ImportProgress
}

func newImportsFixture(t *testing.T) *importsFixture {
	t.Helper()
	log := logrus.New()
	log.SetOutput(io.Discard)
	fx := &importsFixture{dialogs: &recordingDialogs{}, inviter: &fakeInviter{}}
	a := New(Deps{Log: log, Imports: importer.NewService(fakeRoles{}, fakeEmails{}, fx.inviter)})
	fx.imports = a.Imports
	withDialogs(t, fx.dialogs)
	fx.imports.emit = func(name string, payload any) {
		if name != EventImportProgress {
			t.Errorf("event %q", name)
		}
		fx.mu.Lock()
		fx.events = append(fx.events, payload.(ImportProgress))
		fx.mu.Unlock()
	}
	return fx
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const sample = "email,role\njane@example.com,User\n\nbad,User\nmember@example.com,Administrator\nbob@example.com,\n"

// TestImports_Lookalike checks that a look-alike address reaches the window
// as a valid row with its punycode form, counted in the summary.
func TestImports_Lookalike(t *testing.T) {
	fx := newImportsFixture(t)
	dto, err := fx.imports.PreviewImportFile(writeTemp(t, "l.csv", "email,role\nada@ex\u0430mple.com,User\nkim@bücher.de,User\n"))
	if err != nil {
		t.Fatal(err)
	}
	if dto.Summary.Lookalike != 1 || dto.Summary.Valid != 2 {
		t.Errorf("summary = %+v, want 1 look-alike of 2 valid rows", dto.Summary)
	}
	page, err := fx.imports.FindImportRows(dto.ID, ImportRowsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 2 || !page.Rows[0].Valid || page.Rows[0].Punycode != "ada@xn--exmple-4nf.com" || page.Rows[1].Punycode != "" {
		t.Errorf("rows = %+v", page.Rows)
	}
}

func TestImports_PreviewAndRows(t *testing.T) {
	fx := newImportsFixture(t)
	dto, err := fx.imports.PreviewImportFile(writeTemp(t, "people.csv", sample))
	if err != nil {
		t.Fatal(err)
	}
	if dto.File.Name != "people.csv" || dto.File.Kind != "csv" || dto.File.Separator != "," || dto.Summary.Rows != 4 ||
		dto.Summary.Valid != 1 || dto.Summary.BlankRows != 1 || dto.SentAt != "" || dto.CreatedAt == "" {
		t.Errorf("preview = %+v", dto)
	}
	page, err := fx.imports.FindImportRows(dto.ID, ImportRowsParams{NeedsAttention: true, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 3 || len(page.Rows) != 2 || page.Rows[0].Row != 4 || page.Rows[0].Issues[0].Key != "email.no_at" || page.Rows[0].Issues[0].Field != "email" {
		t.Errorf("page = %+v", page)
	}
	// A valid row has an empty list of issues, never null.
	all, _ := fx.imports.FindImportRows(dto.ID, ImportRowsParams{})
	b, _ := json.Marshal(all.Rows[0])
	if want := `{"row":2,"email":"jane@example.com","role":"User","valid":true,"sent":false,"issues":[],"punycode":""}`; string(b) != want {
		t.Errorf("row JSON = %s\nwant       %s", b, want)
	}
	upd, err := fx.imports.UpdateImportRow(dto.ID, ImportRowUpdateParams{Row: 4, Email: "fixed@example.com", Role: "user"})
	if err != nil {
		t.Fatal(err)
	}
	if len(upd.Rows) != 1 || !upd.Rows[0].Valid || upd.Summary.Valid != 2 {
		t.Errorf("update = %+v", upd)
	}
	list, err := fx.imports.FindImports()
	if err != nil || len(list) != 1 || list[0].ID != dto.ID {
		t.Errorf("FindImports = %+v, %v", list, err)
	}
	if err := fx.imports.DiscardImport(dto.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := fx.imports.FindImports(); len(list) != 0 {
		t.Errorf("after discard: %+v", list)
	}
	if err := fx.imports.DiscardImport(dto.ID); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("second discard: %v", err)
	}
}

func TestImports_JSON(t *testing.T) {
	fx := newImportsFixture(t)
	dto, err := fx.imports.PreviewImportData("people.csv", base64.StdEncoding.EncodeToString([]byte(sample)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(dto)
	for _, key := range []string{`"id":`, `"file":{"name":"people.csv","kind":"csv","encoding":"utf-8","separator":",","sheet":""}`,
		`"roles":["User","Administrator"]`, `"summary":{"rows":4,"valid":1,"invalid":3,"sent":0,"blankRows":1,"missingEmail":0,"invalidEmail":1,"duplicate":0,"member":1,"invited":0,"missingRole":1,"unknownRole":0,"extraColumns":0,"tooLong":0,"malformed":0,"lookalike":0}`,
		`"createdAt":"`, `"sentAt":""`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}

func TestImports_Errors(t *testing.T) {
	fx := newImportsFixture(t)
	_, err := fx.imports.PreviewImportFile("relative/people.csv")
	if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Field != "path" || e.Key != "import.relative_path" {
		t.Errorf("relative path: %v", err)
	}
	_, err = fx.imports.PreviewImportData("x.csv", "not base64!")
	if e := backend.AsError(err); e == nil || e.Key != "import.transfer" {
		t.Errorf("bad base64: %v", err)
	}
	_, err = fx.imports.PreviewImportData("x.csv", strings.Repeat("A", base64.StdEncoding.EncodedLen(importer.MaxFileSize)+8))
	if e := backend.AsError(err); e == nil || e.Key != "import.too_large" || e.Message != "The file is larger than 50 MB. Split it into smaller files." {
		t.Errorf("too large: %v", err)
	}
	_, err = fx.imports.PreviewImportFile(writeTemp(t, "x.csv", "name,role\n"))
	if e := backend.AsError(err); e == nil || e.Key != "import.header" {
		t.Errorf("header: %v", err)
	}
	// The formatter hands such errors to the window with their key and args.
	dto := fx.imports.app.FormatError(err).(ErrorDTO)
	if dto.Code != backend.EINVALID || dto.Key != "import.header" || dto.Args["found"] != "name, role" {
		t.Errorf("formatted = %+v", dto)
	}
	_, err = fx.imports.FindImportRows("nope", ImportRowsParams{})
	if backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	// Without a service (as when generating bindings) calls fail cleanly.
	bare := New(Deps{}).Imports
	if _, err := bare.FindImports(); backend.ErrorCode(err) != backend.EUNAVAILABLE || backend.AsError(err).Key != "import.unavailable" {
		t.Errorf("no service: %v", err)
	}
}

func TestImports_Dialogs(t *testing.T) {
	t.Run("DownloadTemplate", func(t *testing.T) {
		fx := newImportsFixture(t)
		dir := t.TempDir()
		for _, format := range []string{"csv", "XLSX"} {
			fx.dialogs.save = filepath.Join(dir, "template."+strings.ToLower(format))
			path, err := fx.imports.DownloadTemplate(format)
			if err != nil || path != fx.dialogs.save {
				t.Fatalf("DownloadTemplate(%s) = %q, %v", format, path, err)
			}
			data, _ := os.ReadFile(path)
			if format == "csv" && string(data) != "\ufeffemail,role\r\n" {
				t.Errorf("csv template = %q", data)
			}
			if format == "XLSX" && !strings.HasPrefix(string(data), "PK") {
				t.Errorf("xlsx template is not a zip")
			}
		}
		if o := fx.dialogs.saved[1]; o.DefaultFilename != "invitations.xlsx" || o.Filters[0].Pattern != "*.xlsx" {
			t.Errorf("dialog options = %+v", o)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 2 {
			t.Errorf("files left: %v", entries)
		}
		fx.dialogs.save = ""
		if path, err := fx.imports.DownloadTemplate("csv"); path != "" || err != nil {
			t.Errorf("cancelled: %q, %v", path, err)
		}
		if _, err := fx.imports.DownloadTemplate("ods"); backend.ErrorCode(err) != backend.EINVALID || backend.AsError(err).Key != "import.template_format" {
			t.Errorf("ods: %v", err)
		}
		fx.dialogs.save = filepath.Join(dir, "missing-dir", "t.csv")
		if _, err := fx.imports.DownloadTemplate("csv"); backend.ErrorCode(err) != backend.EUNAVAILABLE {
			t.Errorf("unwritable: %v", err)
		}
	})
	t.Run("OpenImportFile", func(t *testing.T) {
		fx := newImportsFixture(t)
		fx.dialogs.open = writeTemp(t, "people.csv", sample)
		dto, err := fx.imports.OpenImportFile()
		if err != nil || dto == nil || dto.Summary.Rows != 4 {
			t.Fatalf("OpenImportFile = %+v, %v", dto, err)
		}
		if f := fx.dialogs.opened[0].Filters[0]; f.Pattern != "*.csv;*.txt;*.xlsx" {
			t.Errorf("filter = %+v", f)
		}
		fx.dialogs.open = ""
		if dto, err := fx.imports.OpenImportFile(); dto != nil || err != nil {
			t.Errorf("cancelled: %+v, %v", dto, err)
		}
	})
	t.Run("SaveRejectedRows", func(t *testing.T) {
		fx := newImportsFixture(t)
		dto, err := fx.imports.PreviewImportFile(writeTemp(t, "people.csv", sample))
		if err != nil {
			t.Fatal(err)
		}
		fx.dialogs.save = filepath.Join(t.TempDir(), "rejected.csv")
		path, err := fx.imports.SaveRejectedRows(dto.ID)
		if err != nil || path != fx.dialogs.save {
			t.Fatalf("SaveRejectedRows = %q, %v", path, err)
		}
		if fx.dialogs.saved[0].DefaultFilename != "people-rejected.csv" {
			t.Errorf("default name = %q", fx.dialogs.saved[0].DefaultFilename)
		}
		data, _ := os.ReadFile(path)
		if lines := strings.Split(strings.TrimSpace(string(data)), "\r\n"); len(lines) != 4 || lines[0] != "\ufeffemail,role,error" {
			t.Errorf("rejected rows = %q", data)
		}
	})
	t.Run("NoWindow", func(t *testing.T) {
		// The real dialogs need Wails' context: without a window they
		// fail with unavailable instead of ending the process.
		log := logrus.New()
		log.SetOutput(io.Discard)
		a := New(Deps{Log: log, Imports: importer.NewService(fakeRoles{}, fakeEmails{}, &fakeInviter{})})
		_, err := a.Imports.DownloadTemplate("csv")
		if e := backend.AsError(err); e == nil || e.Code != backend.EUNAVAILABLE {
			t.Errorf("DownloadTemplate: %v", err)
		}
		if _, err := a.Imports.OpenImportFile(); backend.ErrorCode(err) != backend.EUNAVAILABLE {
			t.Errorf("OpenImportFile: %v", err)
		}
		// Nor does a preview emit events without a window.
		if _, err := a.Imports.PreviewImportFile(writeTemp(t, "p.csv", sample)); err != nil {
			t.Errorf("preview without a window: %v", err)
		}
	})
}

func TestImports_SendAndProgress(t *testing.T) {
	fx := newImportsFixture(t)
	var b strings.Builder
	b.WriteString("email,role\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "p%d@example.com,User\n", i)
	}
	dto, err := fx.imports.PreviewImportFile(writeTemp(t, "many.csv", b.String()))
	if err != nil {
		t.Fatal(err)
	}
	first := slices.IndexFunc(fx.events, func(e ImportProgress) bool { return len(e.FirstRows) > 0 })
	if first < 0 || len(fx.events[first].FirstRows) != 100 || fx.events[first].FirstRows[0].Row != 2 || fx.events[first].ImportID != dto.ID {
		t.Fatalf("no first rows in %d events", len(fx.events))
	}
	if last := fx.events[len(fx.events)-1]; !last.Final || last.Done != last.Total {
		t.Errorf("last preview event = %+v", last)
	}
	fx.events = nil
	res, err := fx.imports.SendImport(dto.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 3000 || res.Skipped != 0 || res.Summary.Sent != 3000 || len(fx.inviter.params) != 3000 {
		t.Errorf("result = %+v", res)
	}
	// Throttled: far fewer events than the 3,000 progress calls, ending
	// with the final one.
	if n := len(fx.events); n > 20 || !fx.events[n-1].Final || fx.events[n-1].Phase != "sending" || fx.events[n-1].Done != 3000 {
		t.Errorf("%d events, last %+v", n, fx.events[n-1])
	}
	if list, _ := fx.imports.FindImports(); len(list) != 1 || list[0].SentAt == "" {
		t.Errorf("sentAt not set: %+v", list)
	}
	_, err = fx.imports.SendImport(dto.ID)
	if e := backend.AsError(err); e == nil || e.Key != "import.nothing_to_send" {
		t.Errorf("second send: %v", err)
	}
}

func TestImports_CancelImportPreview(t *testing.T) {
	// A large file, so that the preview is still being read when the
	// first progress event arrives.
	var b strings.Builder
	b.WriteString("email,role\n")
	for n := range 200_000 {
		fmt.Fprintf(&b, "person%d@example.com,User\n", n)
	}
	path := writeTemp(t, "people.csv", b.String())

	t.Run("OK", func(t *testing.T) {
		fx := newImportsFixture(t)
		started := make(chan struct{})
		var once sync.Once
		emit := fx.imports.emit
		fx.imports.emit = func(name string, payload any) {
			emit(name, payload)
			once.Do(func() { close(started) })
		}
		go func() {
			<-started
			fx.imports.CancelImportPreview()
		}()
		_, err := fx.imports.PreviewImportFile(path)
		if e := backend.AsError(err); e == nil || e.Code != backend.ECANCELED || e.Key != "import.canceled" {
			t.Fatalf("error = %v, want canceled", err)
		}
		// The window gets the code as it is, and the final event.
		if dto := fx.imports.app.FormatError(err).(ErrorDTO); dto.Code != backend.ECANCELED {
			t.Errorf("formatted = %+v", dto)
		}
		if last := fx.events[len(fx.events)-1]; !last.Final {
			t.Errorf("last event = %+v", last)
		}
		if list, _ := fx.imports.FindImports(); len(list) != 0 {
			t.Errorf("a cancelled preview was kept: %+v", list)
		}
	})
	t.Run("NothingToCancel", func(t *testing.T) {
		// A cancel with no preview in flight does not touch the next one.
		fx := newImportsFixture(t)
		fx.imports.CancelImportPreview()
		if _, err := fx.imports.PreviewImportFile(writeTemp(t, "people.csv", sample)); err != nil {
			t.Fatal(err)
		}
	})
}
