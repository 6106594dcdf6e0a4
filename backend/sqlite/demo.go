package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

// Demo data: an organisation with n members and n invitations in every state,
// all at example.com, for screenshots, UI tests and benchmarks.

var demoFirst = []string{"Ada", "Ben", "Chloé", "Dmitri", "Elif", "Finn", "Greta", "Hiro", "Ines", "Jörg", "Kai",
	"Lena", "Malik", "Nora", "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Tanja", "Umar", "Vera", "Wen", "Xavier",
	"Yara", "Zoë", "Amélie", "Björn", "Carmen", "Dana", "Emil", "Fatima", "Gustav", "Hannah", "Ivan", "Julia"}

var demoLast = []string{"Andersson", "Becker", "Çelik", "Dubois", "Engel", "Fischer", "García", "Hoffmann", "Ivanova",
	"Jansen", "Kowalski", "Lehmann", "Müller", "Nakamura", "O'Brien", "Peters", "Quast", "Richter", "Schäfer",
	"Tanaka", "Urban", "Vogel", "Weiß", "Xu", "Yilmaz", "Zimmermann", "Åberg", "Bauer", "Costa", "Dietrich"}

// asciiLocal turns a name into the local part of an example address.
func asciiLocal(s string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "ë", "e", "ç", "c", "Ç", "c",
		"ø", "o", "Ø", "o", "å", "a", "Å", "a", "á", "a", "í", "i", "'", "", " ", ".")
	return strings.ToLower(r.Replace(s))
}

// SeedDemoData fills an empty database with an organisation, its
// administrator Ada Admin (ada@example.com), two custom roles, n members and
// n invitations. ECONFLICT when the database has an organisation already.
func SeedDemoData(ctx context.Context, db *DB, n int) error {
	if n < 0 {
		return backend.Errorf(backend.EINVALID, "The number of demo users cannot be negative.")
	}
	orgs := NewOrganisationService(db)
	if _, err := orgs.FindOrganisation(ctx); err == nil {
		return backend.Errorf(backend.ECONFLICT, "%s already holds an organisation; demo data goes only into a new database.", db.Path())
	} else if backend.ErrorCode(err) != backend.ENOTFOUND {
		return err
	}
	_, admin, err := orgs.SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com",
	})
	if err != nil {
		return err
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name})
	roles := NewRoleService(db)
	support, err := roles.CreateRole(ctx, backend.RoleParams{Name: "Support", Permissions: []backend.Permission{
		backend.PermChat, backend.PermUseSkills}})
	if err != nil {
		return err
	}
	lead, err := roles.CreateRole(ctx, backend.RoleParams{Name: "Team lead", Permissions: []backend.Permission{
		backend.PermChat, backend.PermUseSkills, backend.PermCreateSkills, backend.PermManageUsers}})
	if err != nil {
		return err
	}
	roleFor := func(i int) (string, string) {
		switch {
		case i%20 == 0:
			return backend.RoleAdministrator, "Administrator"
		case i%10 == 3:
			return support.ID, support.Name
		case i%25 == 7:
			return lead.ID, lead.Name
		}
		return backend.RoleUser, "User"
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The rows are gathered in temporary tables first and then copied each
	// with one statement: the triggers that list members and invitations
	// add them to both search indexes, and FTS5 writes out what it holds at
	// every statement, so row by row that would be a segment a row (see
	// migration 0009).
	for _, q := range []string{
		`CREATE TEMP TABLE demo_users AS SELECT id, name, email, email_key, sort_key, search_text, role_id, status,
			joined_at, created_at, updated_at FROM users WHERE 0`,
		`CREATE TEMP TABLE demo_invitations AS SELECT id, email, email_key, sort_key, search_text, role_id, role_name,
			invited_by_id, invited_by_name, token_hash, state, created_at, sent_at, expires_at, accepted_at, deleted_at,
			updated_at FROM invitations WHERE 0`,
		`CREATE TEMP TABLE demo_outbox AS SELECT recipient, invitation_id, state, attempts, next_attempt_at, last_error,
			created_at, updated_at, sent_at FROM outbox WHERE 0`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	insUser, err := tx.PrepareContext(ctx, `INSERT INTO temp.demo_users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insUser.Close()
	for i := range n {
		first, last := demoFirst[rng.IntN(len(demoFirst))], demoLast[rng.IntN(len(demoLast))]
		name := first + " " + last
		email := fmt.Sprintf("%s.%s.%d@example.com", asciiLocal(first), asciiLocal(last), i)
		role, _ := roleFor(i)
		status := backend.UserActive
		if i%10 == 9 {
			status = backend.UserInactive
		}
		joined := formatTime(tx.now.Add(-time.Duration(rng.IntN(730*24)) * time.Hour))
		if _, err := insUser.ExecContext(ctx, newID(), name, email, email, sortKey(name), sqlstore.SearchText(name, email), role,
			status, joined, joined, joined); err != nil {
			return fmt.Errorf("demo user: %w", err)
		}
	}

	insInv, err := tx.PrepareContext(ctx, `INSERT INTO temp.demo_invitations
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insInv.Close()
	insMail, err := tx.PrepareContext(ctx, `INSERT INTO temp.demo_outbox VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insMail.Close()
	for i := range n {
		first, last := demoFirst[rng.IntN(len(demoFirst))], demoLast[rng.IntN(len(demoLast))]
		email := fmt.Sprintf("%s.%s.invited%d@example.com", asciiLocal(first), asciiLocal(last), i)
		role, roleName := roleFor(i)
		state := "pending"
		var accepted, deleted any
		// Mostly open invitations (a fifth of them expired), some accepted and deleted ones.
		sent := tx.now.Add(-time.Duration(rng.IntN(6*24)) * time.Hour)
		switch i % 10 {
		case 7:
			sent = tx.now.Add(-time.Duration(8*24+rng.IntN(30*24)) * time.Hour) // expired
		case 8:
			state, accepted = "accepted", formatTime(sent.Add(3*time.Hour))
		case 9:
			state, deleted = "deleted", formatTime(sent.Add(5*time.Hour))
		}
		_, hash := newToken()
		id := newID()
		sentText := formatTime(sent)
		if _, err := insInv.ExecContext(ctx, id, email, email, sortKey(email), sqlstore.SearchText("", email), role, roleName,
			admin.ID, admin.Name, hash, state, sentText, sentText, formatTime(sent.Add(backend.InvitationLifetime)),
			accepted, deleted, sentText); err != nil {
			return fmt.Errorf("demo invitation: %w", err)
		}
		// Delivery: most sent, a few failed with the server's answer.
		mailState, attempts, lastErr, sentAt := "sent", 1, "", any(formatTime(sent.Add(time.Minute)))
		if i%17 == 5 {
			mailState, attempts, lastErr, sentAt = "failed", 5, "550 5.1.1 <"+email+">: Recipient address rejected: User unknown", nil
		}
		if _, err := insMail.ExecContext(ctx, email, id, mailState, attempts, sentText, lastErr, sentText, sentText, sentAt); err != nil {
			return fmt.Errorf("demo mail: %w", err)
		}
	}
	for _, q := range []string{
		`INSERT INTO users (id, name, email, email_key, sort_key, search_text, role_id, status, joined_at, created_at,
			updated_at) SELECT * FROM temp.demo_users ORDER BY rowid`,
		`INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id, role_name, invited_by_id,
			invited_by_name, token_hash, state, created_at, sent_at, expires_at, accepted_at, deleted_at, updated_at)
			SELECT * FROM temp.demo_invitations ORDER BY rowid`,
		`INSERT INTO outbox (kind, recipient, invitation_id, state, attempts, next_attempt_at, last_error, created_at,
			updated_at, sent_at) SELECT 'invitation', * FROM temp.demo_outbox ORDER BY rowid`,
		// Each invitation's email, found by its invitation (an index of the outbox).
		`UPDATE invitations SET outbox_id = (SELECT o.id FROM outbox o WHERE o.invitation_id = invitations.id)
			WHERE id IN (SELECT id FROM temp.demo_invitations)`,
		`DROP TABLE temp.demo_users`,
		`DROP TABLE temp.demo_invitations`,
		`DROP TABLE temp.demo_outbox`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	if err := writeAudit(ctx, tx, backend.AuditDemoSeeded, auditTarget{"organisation", "1", "Example Ltd"}, nil,
		map[string]any{"users": n, "invitations": n}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("demo data: %w", mapError(err))
	}
	_, err = db.db.ExecContext(ctx, `PRAGMA optimize`)
	return err
}
