package importer

import (
	"context"
	"testing"
)

// TestService_Lookalike checks that an address whose domain mixes scripts is
// a warning with its punycode form, not an issue: the row stays valid and is
// sent, while an internationalised domain of one script gets no warning.
func TestService_Lookalike(t *testing.T) {
	ctx := context.Background()
	// Row 3's "exаmple" has a Cyrillic а; row 4's domain is all Latin.
	const data = "email,role\nada@example.com,User\nada@ex\u0430mple.com,User\nkim@bücher.de,User\ncat@ex\u0430mple.com,Owner\n"
	t.Run("OK", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "l.csv", Data: []byte(data)})
		rows := fx.allRows(t, p.ID, false)
		want := map[int]string{2: "", 3: "ada@xn--exmple-4nf.com", 4: "", 5: "cat@xn--exmple-4nf.com"}
		for _, r := range rows {
			if r.Punycode != want[r.Number] {
				t.Errorf("row %d (%s): punycode %q, want %q", r.Number, r.Email, r.Punycode, want[r.Number])
			}
		}
		if !rows[1].Valid || len(rows[1].Issues) != 0 {
			t.Errorf("row 3 = %+v, want valid without issues", rows[1])
		}
		if p.Summary.Lookalike != 2 || p.Summary.Valid != 3 || p.Summary.Invalid != 1 {
			t.Errorf("summary = %+v, want 2 look-alikes, 3 valid, 1 invalid", p.Summary)
		}
		res, err := fx.svc.SendImport(ctx, p.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 3 || res.Summary.Lookalike != 1 {
			t.Errorf("send result = %+v, want 3 sent and the unsent look-alike counted", res)
		}
	})
	t.Run("OKNeedsAttention", func(t *testing.T) {
		// The rows to look at are the invalid one and the valid look-alike,
		// so that opening the preview on them shows the warning too.
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "l.csv", Data: []byte(data)})
		var got []int
		for _, r := range fx.allRows(t, p.ID, true) {
			got = append(got, r.Number)
		}
		if len(got) != 2 || got[0] != 3 || got[1] != 5 {
			t.Errorf("rows needing attention = %v, want [3 5]", got)
		}
		if _, err := fx.svc.SendImport(ctx, p.ID, nil); err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, r := range fx.allRows(t, p.ID, true) {
			got = append(got, r.Number)
		}
		if len(got) != 1 || got[0] != 5 {
			t.Errorf("rows needing attention after sending = %v, want [5] (the sent look-alike is done)", got)
		}
	})
	t.Run("OKCorrected", func(t *testing.T) {
		fx := newFixture(t)
		p := fx.mustPreview(t, Source{Name: "l.csv", Data: []byte(data)})
		res, err := fx.svc.UpdateImportRow(ctx, p.ID, RowUpdate{Row: 3, Email: "ada@example.org", Role: "User"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows[0].Punycode != "" || res.Summary.Lookalike != 1 {
			t.Errorf("corrected row = %+v, summary %+v", res.Rows[0], res.Summary)
		}
	})
}
