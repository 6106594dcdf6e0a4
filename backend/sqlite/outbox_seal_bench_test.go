package sqlite

import (
	"context"
	"encoding/json"
	"testing"

	"roster/backend"
)

// BenchmarkSealMailData seals and opens one invitation's data, beside the
// plain JSON round trip that was stored before (the raw-library baseline).
func BenchmarkSealMailData(b *testing.B) {
	db := openInternalDB(b)
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	token, _ := newToken()
	data := map[string]string{
		backend.MailDataToken: token, backend.MailDataRole: "Administrator", backend.MailDataInviter: "Ada Admin",
		backend.MailDataExpiresAt: "2026-03-09T09:30:00.000Z", backend.MailDataOrganisation: "Example Ltd",
	}
	b.Run("JSON", func(b *testing.B) {
		for b.Loop() {
			plain, err := json.Marshal(data)
			if err != nil {
				b.Fatal(err)
			}
			var back map[string]string
			if err := json.Unmarshal(plain, &back); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Sealed", func(b *testing.B) {
		for b.Loop() {
			sealed, err := sealMailData(tx, data)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := backend.OpenMailData(db.Keys, sealed); err != nil {
				b.Fatal(err)
			}
		}
	})
}
