package app

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/mail"
	"roster/backend/sqlite"
)

func TestInvitations_RenewInvitationLink(t *testing.T) {
	setUp := func(t *testing.T) (*App, *sqlite.DB, *bytes.Buffer, InvitationDTO) {
		a, db, logs := testApp(t)
		log := logrus.New()
		log.SetLevel(logrus.ErrorLevel)
		a.deps.Email = mail.NewService(sqlite.NewEmailSettingStore(db), &memoryKeyring{secrets: map[string]string{}},
			a.deps.Organisations, log)
		inv, err := a.Invitations.InviteUser(InviteParams{Email: "sam@example.com", Role: "user"})
		if err != nil {
			t.Fatal(err)
		}
		return a, db, logs, inv
	}
	storedHash := func(t *testing.T, db *sqlite.DB, id string) []byte {
		t.Helper()
		var hash []byte
		if err := rawQueryRow(t, db, `SELECT token_hash FROM invitations WHERE id = ?`, id).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		return hash
	}

	t.Run("OK", func(t *testing.T) {
		a, db, logs, inv := setUp(t)
		if _, err := a.Email.SaveEmailSettings(validParams()); err != nil {
			t.Fatal(err)
		}
		got, err := a.Invitations.RenewInvitationLink(inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		token, ok := strings.CutPrefix(got.Link, "https://chat.example.com/invite/")
		if !ok || len(token) < 40 {
			t.Fatalf("link %q", got.Link)
		}
		if sum := sha256.Sum256([]byte(token)); string(storedHash(t, db, inv.ID)) != string(sum[:]) {
			t.Fatal("the stored hash is not the new link's")
		}
		if strings.Contains(logs.String(), token) {
			t.Fatal("the token was logged")
		}
		if got.Invitation.ID != inv.ID || got.Invitation.Delivery != "" || got.Invitation.ExpiresAt == "" {
			t.Fatalf("invitation %+v", got.Invitation)
		}
		page, err := a.Audit.FindAuditEntries(AuditParams{Action: backend.AuditInvitationLinkCopied})
		if err != nil || page.Total != 1 || page.Entries[0].TargetLabel != "sam@example.com" ||
			strings.Contains(page.Entries[0].Before+page.Entries[0].After, token) {
			t.Fatalf("audit %+v %v", page, err)
		}
		// The invitation's own history: created, then the link copied.
		page, err = a.Audit.FindAuditEntries(AuditParams{Subject: inv.ID})
		if err != nil || page.Total != 2 || page.Entries[0].Action != backend.AuditInvitationLinkCopied ||
			page.Entries[1].Action != backend.AuditInvitationCreated {
			t.Fatalf("history %+v %v", page, err)
		}
	})

	t.Run("ErrNoPlatformAddress", func(t *testing.T) {
		a, db, _, inv := setUp(t)
		before := storedHash(t, db, inv.ID)
		_, err := a.Invitations.RenewInvitationLink(inv.ID)
		if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Key != "invitation.link_no_url" {
			t.Fatalf("without a platform address: %v", err)
		}
		if string(storedHash(t, db, inv.ID)) != string(before) {
			t.Fatal("the old link stopped working although no new one was made")
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		a, _, _, _ := setUp(t)
		if _, err := a.Email.SaveEmailSettings(validParams()); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Invitations.RenewInvitationLink("no-such-id"); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("unknown invitation: %v", err)
		}
	})
}
