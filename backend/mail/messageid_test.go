package mail

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"roster/backend"
)

func TestMessageID(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	entry := func() *backend.OutboxEntry {
		return &backend.OutboxEntry{ID: 42, Kind: backend.MailInvitation, To: "jane@example.com",
			InvitationID: "01a220f6-aa69-7228-a4db-0f6f9a87cb6c", CreatedAt: created,
			Data: map[string]string{backend.MailDataToken: "first-token"}}
	}
	id := messageID(entry(), "noreply@xn--bcher-kva.example")

	t.Run("OK", func(t *testing.T) {
		if !regexp.MustCompile(`^<roster\.42\.[0-9A-V]{24}@xn--bcher-kva\.example>$`).MatchString(id) {
			t.Fatalf("Message-ID = %q", id)
		}
		// Every attempt at the same entry, whatever else changed since.
		again := entry()
		again.Attempts, again.State, again.Data = 3, backend.DeliverySending, nil
		if got := messageID(again, "noreply@xn--bcher-kva.example"); got != id {
			t.Fatalf("Message-ID of a resend = %q, want %q", got, id)
		}
	})

	t.Run("OtherEntries", func(t *testing.T) {
		for name, change := range map[string]func(*backend.OutboxEntry){
			"id":         func(e *backend.OutboxEntry) { e.ID = 43 },
			"invitation": func(e *backend.OutboxEntry) { e.InvitationID = "01a220f6-aa69-7228-a4db-0f6f9a87cb6d" },
			"created":    func(e *backend.OutboxEntry) { e.CreatedAt = created.Add(time.Millisecond) },
			"recipient":  func(e *backend.OutboxEntry) { e.To = "john@example.com" },
		} {
			e := entry()
			change(e)
			if messageID(e, "noreply@xn--bcher-kva.example") == id {
				t.Errorf("another %s, the same Message-ID", name)
			}
		}
	})

	t.Run("InTheMessage", func(t *testing.T) {
		r := &backend.MailPreview{Subject: "Hello", Text: "Hi", HTML: "<p>Hi</p>"}
		msg, err := compose(testSettings(), "jane@example.com", r, entry())
		if err != nil {
			t.Fatal(err)
		}
		want := "Message-Id: " + messageID(entry(), msg.from) + "\r\n"
		if !strings.Contains(string(msg.body), want) || strings.Count(strings.ToLower(string(msg.body)), "message-id:") != 1 {
			t.Fatalf("message lacks exactly one %q:\n%s", want, msg.body)
		}
	})
}
