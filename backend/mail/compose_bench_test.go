package mail

import (
	"testing"
	"time"

	"roster/backend"
)

// BenchmarkRenderCompose is the outbox's own work per message: render the
// invitation templates from an entry's data and compose the MIME message.
func BenchmarkRenderCompose(b *testing.B) {
	s := testSettings()
	data := map[string]string{
		backend.MailDataToken: "tok", backend.MailDataRole: "User", backend.MailDataInviter: "Ada Admin",
		backend.MailDataOrganisation: "Example Ltd", backend.MailDataExpiresAt: time.Now().Add(time.Hour).Format(time.RFC3339),
	}
	w := &Worker{}
	cfg := &Config{Settings: *s}
	e := &backend.OutboxEntry{Kind: backend.MailInvitation, To: "jane@example.com", Data: data}
	for b.Loop() {
		if _, err := w.compose(cfg, e, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
