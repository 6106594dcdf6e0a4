package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// env is a database with an organisation and the services over it, acting
// as its first administrator.
type env struct {
	db          *sqlite.DB
	ctx         context.Context
	admin       *backend.User
	users       *sqlite.UserService
	invitations *sqlite.InvitationService
	resets      *sqlite.PasswordResetService
	roles       *sqlite.RoleService
	directory   *sqlite.DirectoryService
	audit       *sqlite.AuditService
	raw         *sql.DB
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := MustOpenDB(t)
	admin := mustSetup(t, db)
	raw, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &env{
		db: db, admin: admin, raw: raw,
		ctx:         backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name}),
		users:       sqlite.NewUserService(db),
		invitations: sqlite.NewInvitationService(db),
		resets:      sqlite.NewPasswordResetService(db),
		roles:       sqlite.NewRoleService(db),
		directory:   sqlite.NewDirectoryService(db),
		audit:       sqlite.NewAuditService(db),
	}
}

// invite invites email with role or fails the test.
func (e *env) invite(t testing.TB, email, role string) *backend.Invitation {
	t.Helper()
	inv, err := e.invitations.InviteUser(e.ctx, backend.InviteParams{Email: email, Role: role})
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	return inv
}

// mailOf returns the outbox row of an outbox id: its state and template data.
func (e *env) mailOf(t testing.TB, id int64) (state string, data map[string]string) {
	t.Helper()
	m, err := sqlite.NewOutboxService(e.db).FindOutboxEntryByID(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return string(m.State), m.Data
}

// tokenOf returns the link token queued in an invitation's latest email.
func (e *env) tokenOf(t testing.TB, inv *backend.Invitation) string {
	t.Helper()
	_, data := e.mailOf(t, inv.OutboxID)
	if data[backend.MailDataToken] == "" {
		t.Fatalf("no token in the email of %s", inv.Email)
	}
	return data[backend.MailDataToken]
}

// join accepts an invitation as its invitee would, through the directory server.
func (e *env) join(t testing.TB, inv *backend.Invitation, name string) *backend.User {
	t.Helper()
	u, err := e.invitations.AcceptInvitation(context.Background(), backend.AcceptParams{
		Token: e.tokenOf(t, inv), Name: name, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
	})
	if err != nil {
		t.Fatalf("accept %s: %v", inv.Email, err)
	}
	return u
}

// count runs a count query on the raw database.
func (e *env) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.raw.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

func assertKey(tb testing.TB, err error, code, key string) {
	tb.Helper()
	assertCode(tb, err, code)
	if e := backend.AsError(err); e.Key != key {
		tb.Fatalf("error key = %q (%v), want %q", e.Key, err, key)
	}
}
