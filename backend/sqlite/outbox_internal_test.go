package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/backend"
)

// openInternalDB opens a new database file for tests that need the raw handle.
func openInternalDB(tb testing.TB) *DB {
	tb.Helper()
	db := NewDB(filepath.Join(tb.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestOutboxService_RetryChecksTheLink: retrying the email of an invitation
// that can no longer be accepted would send a dead link.
func TestOutboxService_RetryChecksTheLink(t *testing.T) {
	ctx := backend.NewContextWithActor(context.Background(), backend.Actor{Name: "Ada Admin"})
	db := openInternalDB(t)
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := NewOutboxService(db)

	invite := func(id string, expires time.Time) *backend.OutboxEntry {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		_, hash := newToken()
		if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id,
			role_name, invited_by_name, token_hash, state, created_at, sent_at, expires_at, updated_at)
			VALUES (?, ?, ?, x'', '', 'user', 'User', 'Ada Admin', ?, 'pending', ?, ?, ?, ?)`,
			id, id+"@example.com", id+"@example.com", hash, formatTime(now), formatTime(now), formatTime(expires), formatTime(now)); err != nil {
			t.Fatal(err)
		}
		e := &backend.OutboxEntry{Kind: backend.MailInvitation, To: id + "@example.com", InvitationID: id,
			Data: map[string]string{backend.MailDataToken: "secret-token"}}
		if err := enqueueMail(ctx, tx, e); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET outbox_id = ? WHERE id = ?`, e.ID, id); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClaimOutboxEntries(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkOutboxFailed(ctx, e.ID, backend.DeliveryFailure{Message: "550 5.1.1 unknown user"}); err != nil {
			t.Fatal(err)
		}
		return e
	}

	open := invite("open", now.Add(backend.InvitationLifetime))
	expired := invite("expired", now.Add(-time.Minute))

	if err := s.RetryOutboxEntry(ctx, open.ID); err != nil {
		t.Fatalf("retry of an open invitation's email: %v", err)
	}
	err := s.RetryOutboxEntry(ctx, expired.ID)
	if e := backend.AsError(err); e == nil || e.Code != backend.ECONFLICT || e.Key != "outbox.invitation_closed" {
		t.Fatalf("retry of an expired invitation's email = %v, want conflict outbox.invitation_closed", err)
	}

	var action, label, before, after, actor string
	if err := db.db.QueryRowContext(ctx, `SELECT action, target_label, before, after, actor_name FROM audit_log
		WHERE action = ?`, backend.AuditMailRetried).Scan(&action, &label, &before, &after, &actor); err != nil {
		t.Fatalf("audit entry of the retry: %v", err)
	}
	if label != "open@example.com" || actor != "Ada Admin" || !strings.Contains(before, "failed") || !strings.Contains(after, "queued") {
		t.Fatalf("audit entry = %q %q %q %q", label, actor, before, after)
	}
	if strings.Contains(before+after, "secret-token") {
		t.Fatal("the audit entry contains the link token")
	}
}

func TestEmailSettingStore(t *testing.T) {
	ctx := context.Background()
	db := openInternalDB(t)
	s := NewEmailSettingStore(db)
	if _, err := s.FindEmailSettings(ctx); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("before saving: %v, want not found", err)
	}
	es := backend.DefaultEmailSettings()
	es.Host, es.FromAddress, es.PlatformURL = "smtp.example.com", "noreply@example.com", "https://chat.example.com"
	for _, host := range []string{"smtp.example.com", "mail.example.com"} {
		es.Host = host
		if err := s.UpdateEmailSettings(ctx, &es, true); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindEmailSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if *got != es {
			t.Fatalf("found %+v, want %+v", got, es)
		}
	}
	// The generic setting service reads the same value.
	var viaSettings backend.EmailSettings
	if err := NewSettingService(db).FindSetting(ctx, backend.SettingEmail, &viaSettings); err != nil || viaSettings != es {
		t.Fatalf("FindSetting = %+v, %v", viaSettings, err)
	}
	var n int
	var before, after string
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`,
		backend.AuditEmailSettingsSaved).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := db.db.QueryRowContext(ctx, `SELECT before, after FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1`,
		backend.AuditEmailSettingsSaved).Scan(&before, &after); err != nil {
		t.Fatal(err)
	}
	if n != 2 || !strings.Contains(before, "smtp.example.com") || !strings.Contains(after, "mail.example.com") || !strings.Contains(after, `"passwordChanged":true`) {
		t.Fatalf("audit: %d entries, before %s, after %s", n, before, after)
	}
}
