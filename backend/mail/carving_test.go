package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"roster/backend"
	"roster/backend/secret"
	"roster/backend/sqlite"
)

// tokenPattern matches what looks like a link token: 43 base64url
// characters with none around them. Row ids (UUIDs, which are made of the
// same characters) run into the text stored next to them in a record, so a
// match that contains one is not a token (a random token holds a UUID's
// shape with a probability of about 2^-100); nor is one that contains
// "CREATE": the schema's records run an object's type and names into its
// statement the same way ("triggerinvitations_sync_auinvitationsCREATE";
// a random token holds "CREATE" with a probability of about 2^-31).
var (
	tokenPattern = regexp.MustCompile(`(?:^|[^A-Za-z0-9_-])([A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)`)
	uuidPattern  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// tokenShaped returns what in b looks like a link token.
func tokenShaped(b []byte) []string {
	var found []string
	for _, m := range tokenPattern.FindAllSubmatch(b, -1) {
		if !uuidPattern.Match(m[1]) && !bytes.Contains(m[1], []byte("CREATE")) {
			found = append(found, string(m[1]))
		}
	}
	return found
}

// carve looks through every file in dir, as someone with a copy of it
// would, for the tokens and for anything shaped like a token.
func carve(tb testing.TB, dir string, tokens []string) {
	tb.Helper()
	files, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Fatalf("%s is empty; carving it proves nothing", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		found := 0
		for _, token := range tokens {
			if bytes.Contains(b, []byte(token)) {
				found++
			}
		}
		if found > 0 {
			tb.Errorf("%s holds %d of the %d link tokens", f.Name(), found, len(tokens))
		}
		if m := tokenShaped(b); len(m) > 0 {
			tb.Errorf("%s holds %d strings shaped like a link token, such as %q", f.Name(), len(m), m[0])
		}
	}
}

// copyDir copies the files of dir (the database, its log and index) as
// they are now.
func copyDir(tb testing.TB, dir string) string {
	tb.Helper()
	to := tb.TempDir()
	files, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, f.Name()), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return to
}

// TestOutbox_NoTokenInTheFiles delivers a few hundred invitations and a
// password reset through the worker, collects their links from the
// received emails, and carves the database's files for them: while they are
// queued (sealed with the keyring's key), while Roster runs after they were
// sent, and after it closed. The links it finds would still work: one of
// them is used at the end.
func TestOutbox_NoTokenInTheFiles(t *testing.T) {
	m := startMailpit(t, 0)
	k := testKeyring(t)
	t.Cleanup(func() { k.DeleteSecret(secret.OutboxKeyName) })
	ctx := adminContext()
	dir := t.TempDir()
	db := sqlite.NewDB(filepath.Join(dir, "roster.db"))
	db.Keys = secret.NewOutboxKeys(k, testLog(t))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			db.Close()
		}
	})
	if db.Keys.SealingKey().Session {
		t.Fatal("the outbox key is a session key; the keyring was not used")
	}
	admin := setupOrganisation(t, db)
	svc := newService(t, db, settingsFor(m, backend.SecurityNone), "")
	outbox := sqlite.NewOutboxService(db)

	const bulk = 300
	to := make([]string, bulk)
	for i := range to {
		to[i] = fmt.Sprintf("carve%d@example.com", i)
	}
	enqueue(t, db, to...)
	if _, err := sqlite.NewInvitationService(db).InviteUser(ctx, backend.InviteParams{Email: "carve-one@example.com", Role: "User"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewPasswordResetService(db).SendPasswordReset(ctx, admin.ID); err != nil {
		t.Fatal(err)
	}
	const total = bulk + 2
	queued := copyDir(t, dir)

	stop := runWorker(t, fastWorker(t, outbox, svc))
	waitStats(t, outbox, "all sent", func(s *backend.OutboxStats) bool { return s.Sent == total })
	stop()

	var invites, resets []string
	for _, msg := range m.all(t) {
		full := m.message(t, msg.ID)
		if msg.To[0].Address == admin.Email {
			resets = append(resets, linkToken(t, full.Text, "/reset/"))
		} else {
			invites = append(invites, linkToken(t, full.Text, "/invite/"))
		}
	}
	if len(invites) != total-1 || len(resets) != 1 {
		t.Fatalf("received %d invitation and %d reset links, want %d and 1", len(invites), len(resets), total-1)
	}
	tokens := append(invites, resets...)

	t.Run("WhileQueued", func(t *testing.T) { carve(t, queued, tokens) })
	t.Run("WhileRunning", func(t *testing.T) { carve(t, copyDir(t, dir), tokens) })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	closed = true
	t.Run("AfterClose", func(t *testing.T) { carve(t, dir, tokens) })

	// The links were real: an invitation's and the reset's still work.
	reopened := sqlite.NewDB(filepath.Join(dir, "roster.db"))
	if err := reopened.Open(); err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	if _, err := sqlite.NewInvitationService(reopened).AcceptInvitation(context.Background(), backend.AcceptParams{
		Token: invites[0], Name: "Carl Carver", PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
	}); err != nil {
		t.Fatalf("the invitation link does not work: %v", err)
	}
	if err := sqlite.NewPasswordResetService(reopened).ResetPassword(context.Background(), backend.ResetParams{
		Token: resets[0], PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
	}); err != nil {
		t.Fatalf("the reset link does not work: %v", err)
	}
}
