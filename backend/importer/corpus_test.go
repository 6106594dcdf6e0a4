package importer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"roster/backend"
)

// wantRow is a row a file should read as.
type wantRow struct {
	row         int
	email, role string
	keys        []string // issue keys; none for a valid row
}

// invitationsRows is testdata/source/invitations.fods, whatever LibreOffice
// saved it as. Rows 4 and 21 are blank (21 holds only spaces).
var invitationsRows = []wantRow{
	{2, "jane.doe@example.com", "User", nil},
	{3, "JOHN.SMITH@Example.com", "administrator", nil},
	{5, "juergen@müller.example", "User", nil},
	{6, "not-an-email", "User", []string{"email.no_at"}},
	{7, "", "User", []string{"import.row.email_missing"}},
	{8, "amy@example.com", "", []string{"import.row.role_missing"}},
	{9, "bob@example.com", "Manager", []string{"import.row.role_unknown"}},
	{10, "jane.doe@EXAMPLE.com", "User", []string{"import.row.duplicate"}},
	{11, "member@example.com", "User", []string{"import.row.member"}},
	{12, "invited@example.com", "Administrator", []string{"import.row.invited"}},
	{13, "carol@example.com", "User", []string{"import.row.extra_columns"}},
	{14, "dave@example.com", "User", nil},
	{15, "erin@example.com", "User", nil},  // a mailto hyperlink in the workbook
	{16, "frank@example.com", "User", nil}, // a formula in the workbook
	{17, "grace@example.com", "Sales, EU", nil},
	{18, "heidi@example.com\nsecond line", "User", []string{"email.line_break"}},
	{19, "ivan@example.com", "User", nil},
	{20, "Zoë <zoe@example.com>", "User", []string{"email.single"}},
	{22, "=1+1", "User", []string{"email.no_at"}},
	{23, "lena@example.com", "Vertrieb Süd", nil},
	{24, "kim@example.com", "User", nil},
}

func TestPreviewImport_Corpus(t *testing.T) {
	tests := []struct {
		file     string
		kind     Kind
		encoding string
		sep      string
		sheet    string
		rows     []wantRow
		blank    int
	}{
		// Saved by LibreOffice from testdata/source.
		{"lo-utf8-comma.csv", KindCSV, encUTF8, ",", "", invitationsRows, 2},
		{"lo-utf8-semicolon.csv", KindCSV, encUTF8, ";", "", invitationsRows, 2},
		{"lo-1252-semicolon.csv", KindCSV, enc1252, ";", "", invitationsRows, 2},
		{"lo-utf16-tab.txt", KindCSV, encUTF16LE, "\t", "", invitationsRows, 2},
		{"lo-invitations.xlsx", KindXLSX, "", "", "Invitations", invitationsRows, 2},
		{"lo-two-sheets.xlsx", KindXLSX, "", "", "Invitations", []wantRow{
			{2, "mia@example.com", "User", nil},
			{3, "noah@example.com", "Administrator", nil},
		}, 0},
		{"lo-first-sheet.xlsx", KindXLSX, "", "", "People", []wantRow{
			{2, "olga@example.com", "User", nil},
			{3, "paul@example.com", "bogus", []string{"import.row.role_unknown"}},
		}, 0},
		// The same, as other programs save it.
		{"utf8-bom-crlf.csv", KindCSV, encUTF8BOM, ",", "", invitationsRows, 2},
		{"utf16be-tab.txt", KindCSV, encUTF16BE, "\t", "", invitationsRows, 2},
		{"mac-cr.csv", KindCSV, encUTF8, ",", "", invitationsRows, 2},
		// Crafted.
		{"padded-header.csv", KindCSV, encUTF8, ",", "", []wantRow{
			{2, "jane@example.com", "User", nil},
			{4, "bob@example.com", "User", []string{"import.row.extra_columns"}},
		}, 1},
		{"sep-line.csv", KindCSV, encUTF8, ";", "", []wantRow{
			{2, "jane@example.com", "User", nil},
		}, 0},
		{"quotes.csv", KindCSV, encUTF8, ",", "", []wantRow{
			{2, "jane@example.com", "User", nil},
			{3, `bob"@example.com,User`, "", []string{"import.row.quotes"}},
			{4, `"carol@example.com"x,User`, "", []string{"import.row.quotes"}},
			{5, "dave@example.com", "User", nil},
			{6, "erin@example.com\nx", "User", []string{"email.line_break"}},
			{7, "frank@example.com", "User", nil},
		}, 0},
		{"leading-blank-lines.csv", KindCSV, encUTF8, ",", "", []wantRow{
			{6, "jane@example.com", "User", nil},
			{8, "bob@example.com", "", []string{"import.row.role_missing"}},
		}, 3},
		{"utf8-tab.txt", KindCSV, encUTF8, "\t", "", []wantRow{
			{2, "jane@example.com", "User", nil},
			{3, "bob@example.com", "Administrator", nil},
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fx := newFixture(t)
			p, err := fx.preview(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if p.File.Kind != tt.kind || p.File.Encoding != tt.encoding || p.File.Separator != tt.sep || p.File.Sheet != tt.sheet {
				t.Errorf("file = %+v, want kind %s encoding %q separator %q sheet %q", p.File, tt.kind, tt.encoding, tt.sep, tt.sheet)
			}
			if p.File.Name != tt.file {
				t.Errorf("name = %q, want %q", p.File.Name, tt.file)
			}
			rows := fx.allRows(t, p.ID, false)
			checkRows(t, rows, tt.rows)
			valid := 0
			for _, w := range tt.rows {
				if len(w.keys) == 0 {
					valid++
				}
			}
			s := p.Summary
			if s.Rows != len(tt.rows) || s.Valid != valid || s.Invalid != len(tt.rows)-valid || s.BlankRows != tt.blank {
				t.Errorf("summary = %+v, want %d rows, %d valid, %d blank", s, len(tt.rows), valid, tt.blank)
			}
		})
	}
}

// checkRows compares rows with what they should be.
func checkRows(t *testing.T, rows []Row, want []wantRow) {
	t.Helper()
	if len(rows) != len(want) {
		for _, r := range rows {
			t.Logf("row %d: %q %q %v", r.Number, r.Email, r.Role, issueKeys(r))
		}
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		r := rows[i]
		if r.Number != w.row || r.Email != w.email || r.Role != w.role {
			t.Errorf("row %d = %d %q %q, want %d %q %q", i, r.Number, r.Email, r.Role, w.row, w.email, w.role)
		}
		if got := issueKeys(r); !slices.Equal(got, w.keys) {
			t.Errorf("row %d issues = %v, want %v", w.row, got, w.keys)
		}
		if r.Valid != (len(w.keys) == 0) {
			t.Errorf("row %d valid = %v", w.row, r.Valid)
		}
		for _, e := range r.Issues {
			if e.Message == "" || e.Code == "" {
				t.Errorf("row %d: issue %s lacks a code or message", w.row, e.Key)
			}
		}
	}
}

// TestPreviewImport_CorpusIssues checks the details the administrator reads
// in the issues of the LibreOffice file.
func TestPreviewImport_CorpusIssues(t *testing.T) {
	fx := newFixture(t)
	p, err := fx.preview(t, "lo-invitations.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	byRow := map[int]Row{}
	for _, r := range fx.allRows(t, p.ID, false) {
		byRow[r.Number] = r
	}
	dup := byRow[10].Issues[0]
	if dup.Args["row"] != 2 || dup.Code != backend.ECONFLICT || dup.Field != "email" {
		t.Errorf("duplicate issue = %+v, want a conflict naming row 2", dup)
	}
	unknown := byRow[9].Issues[0]
	if unknown.Args["role"] != "Manager" || unknown.Args["roles"] != "User, Administrator, Sales, EU, Vertrieb Süd" {
		t.Errorf("unknown role args = %v", unknown.Args)
	}
	if want := "“Manager” is not a role. Use one of: User, Administrator, Sales, EU, Vertrieb Süd."; unknown.Message != want {
		t.Errorf("unknown role message = %q, want %q", unknown.Message, want)
	}
	if extra := byRow[13].Issues[0]; extra.Args["columns"] != "C" {
		t.Errorf("extra column issue args = %v, want column C", extra.Args)
	}
	s := p.Summary
	if s.InvalidEmail != 4 || s.MissingEmail != 1 || s.MissingRole != 1 || s.UnknownRole != 1 ||
		s.Duplicate != 1 || s.Member != 1 || s.Invited != 1 || s.ExtraColumns != 1 {
		t.Errorf("summary = %+v", s)
	}
	if !slices.Equal(p.Roles, []string{"User", "Administrator", "Sales, EU", "Vertrieb Süd"}) {
		t.Errorf("roles = %v", p.Roles)
	}
}

func TestPreviewImport_FileErrors(t *testing.T) {
	tests := []struct {
		file string
		code string
		key  string
	}{
		{"empty.csv", backend.EINVALID, "import.empty"},
		{"bom-only.csv", backend.EINVALID, "import.empty"},
		{"blank-only.csv", backend.EINVALID, "import.empty"},
		{"header-only.csv", backend.EINVALID, "import.no_rows"},
		{"header-blank-rows.csv", backend.EINVALID, "import.no_rows"},
		{"wrong-header.csv", backend.EINVALID, "import.header"},
		{"swapped-header.csv", backend.EINVALID, "import.header"},
		{"one-column.csv", backend.EINVALID, "import.header"},
		{"lo-invitations.xls", backend.EINVALID, "import.xls"},
		{"lo-invitations.ods", backend.EINVALID, "import.ods"},
		{"renamed-pdf.csv", backend.EINVALID, "import.not_spreadsheet.pdf"},
		{"renamed-png.xlsx", backend.EINVALID, "import.not_spreadsheet.image"},
		{"renamed-zip.xlsx", backend.EINVALID, "import.not_spreadsheet.archive"},
		{"renamed-docx.xlsx", backend.EINVALID, "import.not_spreadsheet.word"},
		{"web-page.xls", backend.EINVALID, "import.not_spreadsheet.web"},
		{"nul-bytes.csv", backend.EINVALID, "import.not_spreadsheet.binary"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fx := newFixture(t)
			_, err := fx.preview(t, tt.file)
			assertKey(t, err, tt.code, tt.key)

			// The same from bytes, as the browser sends a file.
			data, rerr := os.ReadFile(filepath.Join("testdata", tt.file))
			if rerr != nil {
				t.Fatal(rerr)
			}
			_, err = fx.svc.PreviewImport(context.Background(), Source{Name: tt.file, Data: data}, nil)
			assertKey(t, err, tt.code, tt.key)
			if got := len(fx.svc.FindImports(context.Background())); got != 0 {
				t.Errorf("a refused file left %d previews", got)
			}
		})
	}
}

func TestPreviewImport_HeaderMessage(t *testing.T) {
	fx := newFixture(t)
	_, err := fx.preview(t, "wrong-header.csv")
	e := assertKey(t, err, backend.EINVALID, "import.header")
	want := "The columns do not match the template. Expected the columns: email, role. Found: e-mail, role, name. Download the template and do not change its columns."
	if e.Message != want {
		t.Errorf("message = %q\nwant      %q", e.Message, want)
	}
	if e.Args["expected"] != "email, role" || e.Args["found"] != "e-mail, role, name" {
		t.Errorf("args = %v", e.Args)
	}
}

// TestErrHeader_LongCells checks that a header cell is cut at 40
// characters, not bytes: a name of 30 Cyrillic letters (60 bytes) is shown
// whole, one of 50 is cut with an ellipsis.
func TestErrHeader_LongCells(t *testing.T) {
	short, long := strings.Repeat("ж", 30), strings.Repeat("ж", 50)
	e := backend.AsError(errHeader([]string{short, long}))
	if want := short + ", " + strings.Repeat("ж", 40) + "…"; e == nil || e.Args["found"] != want {
		t.Fatalf("errHeader found = %v, want %q", e, want)
	}
}

func TestPreviewImport_PathErrors(t *testing.T) {
	fx := newFixture(t)
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := fx.svc.PreviewImport(context.Background(), Source{Path: filepath.Join(t.TempDir(), "gone.csv")}, nil)
		assertKey(t, err, backend.ENOTFOUND, "import.file_not_found")
	})
	t.Run("Directory", func(t *testing.T) {
		_, err := fx.svc.PreviewImport(context.Background(), Source{Path: t.TempDir()}, nil)
		assertKey(t, err, backend.EINVALID, "import.not_spreadsheet.folder")
	})
}

// TestPreviewImport_NotText checks that a file that is not text says what
// it is, from its content, rather than quoting its first line as columns.
func TestPreviewImport_NotText(t *testing.T) {
	// Bytes as compressed or encrypted data has them: every value but NUL,
	// in an order that looks random.
	noise := make([]byte, 4096)
	for i, x := 0, uint32(1); i < len(noise); i++ {
		x = x*1103515245 + 12345
		noise[i] = byte(x>>16)%255 + 1
	}
	tests := []struct {
		name string
		data []byte
		key  string
	}{
		{"Noise", noise, "import.not_spreadsheet.binary"},
		{"NoiseAfterAHeader", append([]byte("email,role\n"), noise...), "import.not_spreadsheet.binary"},
		{"MP3", append([]byte("ID3\x04\x00\x00"), noise...), "import.not_spreadsheet.media"},
		{"MP4", append([]byte("\x00\x00\x00\x18ftypmp42"), noise...), "import.not_spreadsheet.media"},
		{"HEIC", append([]byte("\x00\x00\x00\x18ftypheic"), noise...), "import.not_spreadsheet.image"},
		{"WebP", append([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "), noise...), "import.not_spreadsheet.image"},
		{"WAV", append([]byte("RIFF\x10\x00\x00\x00WAVEfmt "), noise...), "import.not_spreadsheet.media"},
		{"SVG", []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"), "import.not_spreadsheet.web"},
		// Text is read as text, whatever its columns.
		{"Text", []byte("Dear Jane,\nhere is the list.\n\x1A"), "import.header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newFixture(t).svc.PreviewImport(context.Background(), Source{Name: "people.csv", Data: tt.data}, nil)
			assertKey(t, err, backend.EINVALID, tt.key)
		})
	}
}
