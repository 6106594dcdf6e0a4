package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"roster/backend"
	"roster/backend/export"
)

// dupCSV has three rows with one address (rows 2, 4, 5) and one other.
const dupCSV = "email,role\nann@example.com,User\nben@example.com,User\nANN@example.com ,User\n ann@EXAMPLE.com,Administrator\n"

func TestService_UpdateImportRow(t *testing.T) {
	ctx := context.Background()
	t.Run("FixingTheFirstUnflagsTheNext", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte(dupCSV)})
		checkRows(t, fx.allRows(t, p.ID, false), []wantRow{
			{2, "ann@example.com", "User", nil},
			{3, "ben@example.com", "User", nil},
			{4, "ANN@example.com", "User", []string{"import.row.duplicate"}},
			{5, "ann@EXAMPLE.com", "Administrator", []string{"import.row.duplicate"}},
		})
		// Row 2 gets another address: row 4 becomes the first ann, row 5
		// its duplicate.
		res, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 2, Email: "cat@example.com", Role: "user"})
		if err != nil {
			t.Fatal(err)
		}
		if got := numbers(res.Rows); !slices.Equal(got, []int{2, 4, 5}) {
			t.Fatalf("changed rows = %v, want 2, 4, 5", got)
		}
		checkRows(t, res.Rows, []wantRow{
			{2, "cat@example.com", "user", nil},
			{4, "ANN@example.com", "User", nil},
			{5, "ann@EXAMPLE.com", "Administrator", []string{"import.row.duplicate"}},
		})
		if res.Rows[2].Issues[0].Args["row"] != 4 {
			t.Errorf("row 5 = %+v, want a duplicate of row 4", res.Rows[2].Issues[0])
		}
		if res.Summary.Valid != 3 || res.Summary.Duplicate != 1 {
			t.Errorf("summary = %+v", res.Summary)
		}
	})
	t.Run("EditMakesADuplicate", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte(dupCSV)})
		// Row 3 takes ann's address: it is the duplicate of row 2.
		res, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 3, Email: "Ann@Example.com", Role: "User"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows[0].Number != 3 || res.Rows[0].Issues[0].Key != "import.row.duplicate" || res.Rows[0].Issues[0].Args["row"] != 2 {
			t.Errorf("row 3 = %+v", res.Rows[0])
		}
		// Then row 2 moves away, and row 3, now first, is valid again.
		res, err = fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 2, Email: "zed@example.com", Role: "User"})
		if err != nil {
			t.Fatal(err)
		}
		byNumber := map[int]Row{}
		for _, r := range res.Rows {
			byNumber[r.Number] = r
		}
		if !byNumber[3].Valid || byNumber[4].Issues[0].Args["row"] != 3 || byNumber[5].Issues[0].Args["row"] != 3 {
			t.Errorf("rows after the move = %+v", res.Rows)
		}
		// Every row agrees with a fresh reading of the same rows.
		checkRows(t, fx.allRows(t, p.ID, false), []wantRow{
			{2, "zed@example.com", "User", nil},
			{3, "Ann@Example.com", "User", nil},
			{4, "ANN@example.com", "User", []string{"import.row.duplicate"}},
			{5, "ann@EXAMPLE.com", "Administrator", []string{"import.row.duplicate"}},
		})
	})
	t.Run("EarlierRowTakesOver", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte("email,role\nx@example.com,User\nann@example.com,User\n")})
		// Row 2 becomes ann: it comes first, so row 3 is now the duplicate.
		res, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 2, Email: "ann@example.com", Role: "User"})
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, res.Rows, []wantRow{
			{2, "ann@example.com", "User", nil},
			{3, "ann@example.com", "User", []string{"import.row.duplicate"}},
		})
	})
	t.Run("ChecksTheDirectory", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte(dupCSV)})
		res, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 3, Email: "member@example.com", Role: "User"})
		if err != nil {
			t.Fatal(err)
		}
		if got := issueKeys(res.Rows[0]); !slices.Equal(got, []string{"import.row.member"}) {
			t.Errorf("issues = %v", got)
		}
	})
	t.Run("ClearsRowProblems", func(t *testing.T) {
		fx := newFixture(t)
		p, err := fx.preview(t, "quotes.csv")
		if err != nil {
			t.Fatal(err)
		}
		res, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 3, Email: " bob@example.com ", Role: "  "})
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, res.Rows, []wantRow{{3, "bob@example.com", "", []string{"import.row.role_missing"}}})
		if res.Summary.Malformed != 1 || res.Summary.MissingRole != 1 {
			t.Errorf("summary = %+v", res.Summary)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte(dupCSV)})
		_, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 1, Email: "a@example.com", Role: "User"})
		assertKey(t, err, backend.ENOTFOUND, "import.row_not_found")
		_, err = fx.svc.UpdateImportRow(ctx, "nope", RowUpdate{Row: 2, Email: "a@example.com", Role: "User"})
		assertKey(t, err, backend.ENOTFOUND, "import.not_found")
	})
}

func numbers(rows []Row) []int {
	var out []int
	for _, r := range rows {
		out = append(out, r.Number)
	}
	return out
}

func TestService_FindImportRows(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	var b strings.Builder
	b.WriteString("email,role\n")
	for i := range 2500 {
		if i%10 == 0 {
			fmt.Fprintf(&b, "bad%d,User\n", i)
		} else {
			fmt.Fprintf(&b, "p%d@example.com,User\n", i)
		}
	}
	p := fx.mustPreview(t, Source{Name: "r.csv", Data: []byte(b.String())})
	rows, total, err := fx.svc.FindImportRows(ctx, p.ID, RowFilter{Offset: 0, Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2500 || len(rows) != maxPageSize {
		t.Errorf("first page: %d rows of %d, want %d of 2500", len(rows), total, maxPageSize)
	}
	rows, total, _ = fx.svc.FindImportRows(ctx, p.ID, RowFilter{Offset: 2490, Limit: 50})
	if total != 2500 || len(rows) != 10 || rows[0].Number != 2492 {
		t.Errorf("last page: %d rows of %d starting at %v", len(rows), total, numbers(rows[:1]))
	}
	invalid := fx.allRows(t, p.ID, true)
	if len(invalid) != 250 || invalid[0].Number != 2 || invalid[1].Number != 12 {
		t.Errorf("invalid rows: %d, first %v", len(invalid), numbers(invalid[:2]))
	}
	rows, total, _ = fx.svc.FindImportRows(ctx, p.ID, RowFilter{Offset: 5000, Limit: 10})
	if len(rows) != 0 || total != 2500 {
		t.Errorf("beyond the end: %d rows of %d", len(rows), total)
	}
	if _, _, err := fx.svc.FindImportRows(ctx, "nope", RowFilter{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
}

func TestService_SendImport(t *testing.T) {
	ctx := context.Background()
	t.Run("SendsTheValidRows", func(t *testing.T) {
		fx := newFixture(t)
		p, err := fx.preview(t, "lo-utf8-comma.csv")
		if err != nil {
			t.Fatal(err)
		}
		var events []Progress
		res, err := fx.svc.SendImport(ctx, p.ID, func(pr Progress) { events = append(events, pr) })
		if err != nil {
			t.Fatal(err)
		}
		if len(fx.inviter.calls) != 1 {
			t.Fatalf("InviteUsers called %d times", len(fx.inviter.calls))
		}
		var got []string
		for _, c := range fx.inviter.calls[0] {
			got = append(got, c.Email+" "+c.Role)
		}
		want := []string{
			"jane.doe@example.com user", "JOHN.SMITH@Example.com administrator", "juergen@müller.example user",
			"dave@example.com user", "erin@example.com user", "frank@example.com user", "grace@example.com sales",
			"ivan@example.com user", "lena@example.com sued", "kim@example.com user",
		}
		if !slices.Equal(got, want) {
			t.Errorf("sent %q\nwant %q", got, want)
		}
		if res.Sent != 10 || res.Skipped != 11 || res.Summary.Sent != 10 || res.Summary.Invalid != 11 || res.Summary.Valid != 0 {
			t.Errorf("result = %+v", res)
		}
		last := events[len(events)-1]
		if !last.Final || last.Phase != PhaseSending || last.Done != 10 || last.Total != 10 {
			t.Errorf("last event = %+v", last)
		}
		for _, e := range events[:len(events)-1] {
			if e.Final {
				t.Errorf("a final event before the last: %+v", e)
			}
		}
		// Sent rows stay sent, and a second send has nothing left.
		_, err = fx.svc.SendImport(ctx, p.ID, nil)
		assertKey(t, err, backend.EINVALID, "import.nothing_to_send")
		_, err = fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 2, Email: "x@example.com", Role: "User"})
		assertKey(t, err, backend.ECONFLICT, "import.row_sent")
		// A corrected row is sent on its own the next time.
		if _, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 6, Email: "fixed@example.com", Role: "User"}); err != nil {
			t.Fatal(err)
		}
		res, err = fx.svc.SendImport(ctx, p.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 1 || len(fx.inviter.calls[1]) != 1 || fx.inviter.calls[1][0].Email != "fixed@example.com" {
			t.Errorf("second send: %+v, %v", res, fx.inviter.calls[1])
		}
	})
	t.Run("ChecksAgainBeforeSending", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte("email,role\nann@example.com,User\nben@example.com,Sales, EU\ncat@example.com,User\n")})
		// Since the preview, ann was invited elsewhere and a role was deleted.
		fx.emails.set("ann@example.com", backend.EmailInvited)
		fx.roles.roles = fx.roles.roles[:2]
		res, err := fx.svc.SendImport(ctx, p.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 1 || fx.inviter.calls[0][0].Email != "cat@example.com" {
			t.Errorf("sent %v", fx.inviter.calls[0])
		}
		checkRows(t, fx.allRows(t, p.ID, true), []wantRow{
			{2, "ann@example.com", "User", []string{"import.row.invited"}},
			{3, "ben@example.com", "Sales", []string{"import.row.extra_columns", "import.row.role_unknown"}},
		})
	})
	t.Run("AllOrNothing", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte("email,role\nann@example.com,User\nbad,User\nben@example.com,User\n")})
		// Between the check and the transaction, ben is invited elsewhere:
		// the store refuses the second invitation it is given (row 4).
		fx.inviter.before = func() { fx.emails.set("ben@example.com", backend.EmailInvited) }
		fx.inviter.err = (&backend.Error{Code: backend.ECONFLICT, Field: "email", Message: "ben@example.com has a pending invitation."}).
			WithKey("invitation.exists", map[string]any{"index": 1})
		_, err := fx.svc.SendImport(ctx, p.ID, nil)
		e := assertKey(t, err, backend.ECONFLICT, "import.send_row_failed")
		if e.Args["row"] != 4 || e.Args["reasonKey"] != "invitation.exists" || !strings.Contains(e.Message, "row 4") {
			t.Errorf("error = %+v", e)
		}
		// Nothing is marked sent, and row 4 shows why.
		got := fx.allRows(t, p.ID, false)
		if got[0].Sent || !got[0].Valid || got[2].Valid {
			t.Errorf("rows after the failure: %+v", got)
		}
		if keys := issueKeys(got[2]); !slices.Equal(keys, []string{"import.row.invited"}) {
			t.Errorf("row 4 issues = %v", keys)
		}
		// Once the store accepts, the remaining valid row goes.
		fx.inviter.err, fx.inviter.before = nil, nil
		res, err := fx.svc.SendImport(ctx, p.ID, nil)
		if err != nil || res.Sent != 1 {
			t.Fatalf("retry: %+v, %v", res, err)
		}
	})
	t.Run("InternalError", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "d.csv", Data: []byte(dupCSV)})
		fx.inviter.err = errors.New("disk I/O error")
		_, err := fx.svc.SendImport(ctx, p.ID, nil)
		if backend.ErrorCode(err) != backend.EINTERNAL || !strings.Contains(err.Error(), "disk I/O error") {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := newFixture(t).svc.SendImport(ctx, "nope", nil)
		assertKey(t, err, backend.ENOTFOUND, "import.not_found")
	})
}

func TestService_PreviewProgress(t *testing.T) {
	fx := newFixture(t)
	var (
		mu     sync.Mutex
		events []Progress
	)
	p, err := fx.svc.PreviewImport(context.Background(), Source{Name: "r.csv", Data: rowsCSV(5000)}, func(pr Progress) {
		mu.Lock()
		events = append(events, pr)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	first := -1
	for i, e := range events {
		if e.ImportID != p.ID {
			t.Fatalf("event %d names import %q, want %q", i, e.ImportID, p.ID)
		}
		if len(e.FirstRows) > 0 && first < 0 {
			first = i
		}
	}
	if first < 0 {
		t.Fatal("no event carried the first rows")
	}
	e := events[first]
	if len(e.FirstRows) != firstRows || e.FirstRows[0].Number != 2 || e.Phase != PhaseReading || e.Done >= e.Total {
		t.Errorf("first rows event: %d rows from %d, phase %s, %d of %d", len(e.FirstRows), e.FirstRows[0].Number, e.Phase, e.Done, e.Total)
	}
	last := events[len(events)-1]
	if !last.Final || last.Done != last.Total || last.Phase != PhaseValidating {
		t.Errorf("last event = %+v", last)
	}
	// Addresses were checked in batches, never all at once.
	if slices.Max(fx.emails.batches) > lookupBatch {
		t.Errorf("batches = %v", fx.emails.batches)
	}

	// A refused file still ends with a final event.
	events = nil
	_, err = fx.svc.PreviewImport(context.Background(), Source{Name: "x.csv", Data: []byte("nope\n")}, func(pr Progress) { events = append(events, pr) })
	if err == nil || len(events) == 0 || !events[len(events)-1].Final {
		t.Errorf("refused file: err %v, events %+v", err, events)
	}
}

func TestService_Previews(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	var ids []string
	for range maxPreviews + 1 {
		ids = append(ids, fx.mustPreview(t, Source{Name: "d.csv", Data: []byte(dupCSV)}).ID)
	}
	open := fx.svc.FindImports(ctx)
	if len(open) != maxPreviews || open[0].ID != ids[1] {
		t.Fatalf("open previews %d, the oldest %s should have gone", len(open), ids[0])
	}
	_, err := fx.svc.FindImportByID(ctx, ids[0])
	assertKey(t, err, backend.ENOTFOUND, "import.not_found")
	got, err := fx.svc.FindImportByID(ctx, ids[2])
	if err != nil || got.File.Name != "d.csv" || got.Summary.Rows != 4 {
		t.Fatalf("FindImportByID = %+v, %v", got, err)
	}
	if err := fx.svc.DiscardImport(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	assertKey(t, fx.svc.DiscardImport(ctx, ids[2]), backend.ENOTFOUND, "import.not_found")
	if len(fx.svc.FindImports(ctx)) != maxPreviews-1 {
		t.Error("discarded preview still listed")
	}
}

// TestService_WriteRejectedRowsBrokenQuotes checks that a row whose cells
// cannot be told apart keeps its text in the file of rejected rows,
// neutralised like every cell, so that it can be corrected there.
func TestService_WriteRejectedRowsBrokenQuotes(t *testing.T) {
	fx := newFixture(t)
	data := "email,role\r\n\r\n" +
		"bob\"@example.com,User\r\n" +
		"=HYPERLINK(\"http://x\")\"x,User\r\n" +
		"\"carol@example.com\r\nx\"y,Administrator\r\n" +
		"jane@example.com,User\r\n"
	p := fx.mustPreview(t, Source{Name: "quotes.csv", Data: []byte(data)})
	if p.Summary.Malformed != 3 || p.Summary.Valid != 1 {
		t.Fatalf("summary = %+v", p.Summary)
	}
	var buf bytes.Buffer
	n, err := fx.svc.WriteRejectedRows(context.Background(), p.ID, &buf)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	quotes := "The quotation marks of this row do not pair up, so its cells cannot be told apart."
	want := [][]string{
		{"email", "role", "error"},
		{`bob"@example.com,User`, "", "Row 3: " + quotes},
		{`'=HYPERLINK("http://x")"x,User`, "", "Row 4: " + quotes},
		{"\"carol@example.com\nx\"y,Administrator", "", "Row 5: " + quotes},
	}
	if n != 3 || !slices.EqualFunc(records, want, slices.Equal) {
		t.Errorf("%d rows written:\n got  %q\n want %q", n, records, want)
	}

	// Far into a file, past the text the reader keeps at hand.
	var b strings.Builder
	b.WriteString("email,role\n")
	for i := range 20_000 {
		if i%7000 == 6999 {
			fmt.Fprintf(&b, "broken%d\"@example.com,User\n", i)
		} else {
			fmt.Fprintf(&b, "person%d@example.com,User\n", i)
		}
	}
	p = fx.mustPreview(t, Source{Name: "big.csv", Data: []byte(b.String())})
	var got []string
	for _, r := range fx.allRows(t, p.ID, true) {
		got = append(got, fmt.Sprintf("%d %s", r.Number, r.Email))
	}
	if want := []string{`7001 broken6999"@example.com,User`, `14001 broken13999"@example.com,User`}; !slices.Equal(got, want) {
		t.Errorf("invalid rows %q, want %q", got, want)
	}
}

func TestService_WriteRejectedRows(t *testing.T) {
	fx := newFixture(t)
	p, err := fx.preview(t, "lo-invitations.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := fx.svc.WriteRejectedRows(context.Background(), p.ID, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), bomUTF8) {
		t.Error("no byte order mark for Excel")
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if n != 11 || len(records) != 12 || !slices.Equal(records[0], []string{"email", "role", "error"}) {
		t.Fatalf("%d rows written, records %q", n, records)
	}
	byEmail := map[string][]string{}
	for _, r := range records[1:] {
		byEmail[r[0]] = r
	}
	if r := byEmail["'=1+1"]; r == nil || !strings.HasPrefix(r[2], "Row 22: ") {
		t.Errorf("the formula-like cell was not neutralised: %q", records)
	}
	if r := byEmail["bob@example.com"]; r == nil || r[2] != "Row 9: “Manager” is not a role. Use one of: User, Administrator, Sales, EU, Vertrieb Süd." {
		t.Errorf("bob's row = %q", r)
	}
	// The rejected rows are a template with an error column: without it,
	// they read again as the same rows.
	var again bytes.Buffer
	w := csv.NewWriter(&again)
	for _, r := range records {
		w.Write(r[:2])
	}
	w.Flush()
	p2 := fx.mustPreview(t, Source{Name: "again.csv", Data: again.Bytes()})
	if p2.Summary.Rows != 11 {
		t.Errorf("re-read %d rows", p2.Summary.Rows)
	}

	// Uploaded as saved, error column and all, it reads as the same rows,
	// with the neutralised cells as they were in the first file. (Rows that
	// were duplicates of accepted rows, or had extra columns, are fine now.)
	p3 := fx.mustPreview(t, Source{Name: "rejected.csv", Data: buf.Bytes()})
	if p3.Summary.Rows != 11 || p3.Summary.ExtraColumns != 0 || p3.Summary.InvalidEmail != 4 {
		t.Fatalf("the rejected rows read as %+v", p3.Summary)
	}
	emails := map[string]bool{}
	for _, r := range fx.allRows(t, p3.ID, false) {
		emails[r.Email] = true
	}
	if !emails["=1+1"] || emails["'=1+1"] || !emails["bob@example.com"] {
		t.Errorf("re-read addresses %v", emails)
	}
}

func TestService_WriteTemplate(t *testing.T) {
	ctx := context.Background()
	t.Run("CSV", func(t *testing.T) {
		fx := newFixture(t)
		var buf bytes.Buffer
		if err := fx.svc.WriteTemplate(ctx, &buf, export.CSV); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != "\ufeffemail,role\r\n" {
			t.Errorf("template = %q", got)
		}
		// Uploaded as it is, it says to fill it in.
		_, err := fx.svc.PreviewImport(ctx, Source{Name: "t.csv", Data: buf.Bytes()}, nil)
		assertKey(t, err, backend.EINVALID, "import.no_rows")
	})
	for _, tt := range []struct {
		name    string
		roles   []string
		formula string
	}{
		{"XLSXInlineList", []string{"User", "Administrator", "Editor"}, `"User,Administrator,Editor"`},
		{"XLSXRoleSheet", []string{"User", "Administrator", "Sales, EU"}, "Roles!$A$1:$A$3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.roles.roles = nil
			for _, n := range tt.roles {
				fx.roles.roles = append(fx.roles.roles, &backend.Role{ID: strings.ToLower(n), Name: n})
			}
			var buf bytes.Buffer
			if err := fx.svc.WriteTemplate(ctx, &buf, export.XLSX); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if list := f.GetSheetList(); list[0] != "Invitations" {
				t.Errorf("sheets = %v", list)
			}
			rows, _ := f.GetRows("Invitations")
			if len(rows) != 1 || !slices.Equal(rows[0], []string{"email", "role"}) {
				t.Errorf("rows = %q", rows)
			}
			dvs, err := f.GetDataValidations("Invitations")
			if err != nil || len(dvs) != 1 {
				t.Fatalf("validations = %v, %v", dvs, err)
			}
			if dvs[0].Type != "list" || dvs[0].Sqref != "B2:B200001" || dvs[0].Formula1 != tt.formula {
				t.Errorf("validation = %s %s %q, want list B2:B200001 %q", dvs[0].Type, dvs[0].Sqref, dvs[0].Formula1, tt.formula)
			}
			if strings.HasPrefix(tt.formula, "Roles!") {
				names, _ := f.GetRows("Roles")
				if len(names) != 3 || names[2][0] != "Sales, EU" {
					t.Errorf("role sheet = %q", names)
				}
				if visible, _ := f.GetSheetVisible("Roles"); visible {
					t.Error("the role sheet is visible")
				}
			}
			// Filled in, it reads back.
			if err := f.SetSheetRow("Invitations", "A2", &[]any{"jane@example.com", tt.roles[len(tt.roles)-1]}); err != nil {
				t.Fatal(err)
			}
			var filled bytes.Buffer
			if err := f.Write(&filled); err != nil {
				t.Fatal(err)
			}
			p := fx.mustPreview(t, Source{Name: "t.xlsx", Data: filled.Bytes()})
			if p.Summary.Valid != 1 || p.File.Sheet != "Invitations" {
				t.Errorf("filled template: %+v", p)
			}
		})
	}
	t.Run("UnknownFormat", func(t *testing.T) {
		err := newFixture(t).svc.WriteTemplate(ctx, &bytes.Buffer{}, "ods")
		assertKey(t, err, backend.EINVALID, "import.template_format")
	})
}
