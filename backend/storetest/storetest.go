// Package storetest is the contract that every storage of the directory
// server passes: black-box tests over the backend service interfaces, run
// unchanged against package sqlite (a real file) and package postgres (a
// real cluster). Each test gets a fresh database, and opens it more than
// once where two server processes would share it.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"roster/backend"
)

// Stores are the services of one handle on a database, as one server
// process has them, and how to set that handle's clock.
type Stores struct {
	*backend.Storage
	// SetNow sets the clock of this handle's services to a fixed time.
	SetNow func(now time.Time)
}

// Open makes a new, empty database for one test and returns how to open
// it. Every call of the returned function opens another handle with its
// own connections and clock, as another server process would; the handles
// share the key that seals the outbox. The handles close when t ends.
type Open func(t *testing.T) func() *Stores

// Run runs the contract suite, each test on a fresh database.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, func() *Stores)
	}{
		{"Organisation", testOrganisation},
		{"Roles", testRoles},
		{"FindUsers", testFindUsers},
		{"InviteAccept", testInviteAccept},
		{"InvitationLinks", testInvitationLinks},
		{"InviteConflicts", testInviteConflicts},
		{"InvitationList", testInvitationList},
		{"PasswordReset", testPasswordReset},
		{"Sessions", testSessions},
		{"SessionsAcrossHandles", testSessionsAcrossHandles},
		{"Credentials", testCredentials},
		{"APITokens", testAPITokens},
		{"RateLimits", testRateLimits},
		{"LastAdmin", testLastAdmin},
		{"Audit", testAudit},
		{"AuditClient", testAuditClient},
		{"ConcurrentDemotions", testConcurrentDemotions},
		{"ConcurrentInvites", testConcurrentInvites},
		{"ConcurrentAccepts", testConcurrentAccepts},
		{"ConcurrentResets", testConcurrentResets},
		{"InviteWhileAccepting", testInviteWhileAccepting},
		{"HashedLinks", testHashedLinks},
		{"ConcurrentHashedInvites", testConcurrentHashedInvites},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// fixture is a set-up organisation on one handle, acting as its first
// Administrator.
type fixture struct {
	*Stores
	admin *backend.User
	ctx   context.Context // acts as admin
	sys   context.Context // acts as Roster itself: no self-protection applies
	now   time.Time
}

// start is when every test's clock begins.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// setUp opens a handle, sets its clock to start and sets up the organisation.
func setUp(t *testing.T, open func() *Stores) *fixture {
	t.Helper()
	s := open()
	s.SetNow(start)
	f := &fixture{Stores: s, now: start, sys: context.Background()}
	_, admin, err := s.Organisations.SetupOrganisation(f.sys, backend.SetupParams{
		OrganisationName: "Acme", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	f.admin = admin
	f.ctx = backend.NewContextWithActor(context.Background(), backend.Actor{ID: admin.ID, Name: admin.Name})
	return f
}

// on returns the fixture's organisation on another handle, at the same time.
func (f *fixture) on(open func() *Stores) *fixture {
	s := open()
	s.SetNow(f.now)
	return &fixture{Stores: s, admin: f.admin, ctx: f.ctx, sys: f.sys, now: f.now}
}

// advance moves the clock of this handle.
func (f *fixture) advance(d time.Duration) {
	f.now = f.now.Add(d)
	f.SetNow(f.now)
}

// invite invites email with role and returns the invitation and its link token.
func (f *fixture) invite(t *testing.T, email, role string) (*backend.Invitation, string) {
	t.Helper()
	inv, err := f.Invitations.InviteUser(f.ctx, backend.InviteParams{Email: email, Role: role})
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	token, err := f.Links.TakeInvitationToken(f.ctx, inv.ID)
	if err != nil {
		t.Fatalf("take invitation token: %v", err)
	}
	return inv, token
}

// member invites and registers someone and returns them.
func (f *fixture) member(t *testing.T, name, email, role string) *backend.User {
	t.Helper()
	_, token := f.invite(t, email, role)
	u, err := f.Invitations.AcceptInvitation(f.sys, backend.AcceptParams{Token: token, Name: name, PasswordHash: hashOf(name)})
	if err != nil {
		t.Fatalf("accept %s: %v", email, err)
	}
	return u
}

// resetToken issues a password reset for a member and returns its token.
func (f *fixture) resetToken(t *testing.T, userID string) (*backend.PasswordReset, string) {
	t.Helper()
	r, err := f.Resets.SendPasswordReset(f.ctx, userID)
	if err != nil {
		t.Fatalf("send password reset: %v", err)
	}
	token, err := f.Links.TakePasswordResetToken(f.ctx, r.ID)
	if err != nil {
		t.Fatalf("take reset token: %v", err)
	}
	return r, token
}

// session signs a member in and returns the session's token.
func (f *fixture) session(t *testing.T, userID string) (*backend.Session, string) {
	t.Helper()
	sess, token, err := f.Sessions.CreateSession(f.sys, userID)
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return sess, token
}

// hashOf stands for a password hash: the stores keep it, never read it.
func hashOf(s string) string {
	return "$argon2id$v=19$m=19456,t=2,p=1$" + s
}

// wantCode fails the test unless err has the code and, if key is not "",
// the key.
func wantCode(t *testing.T, err error, code, key string) {
	t.Helper()
	if got := backend.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if key != "" {
		if e := backend.AsError(err); e == nil || e.Key != key {
			t.Fatalf("error %v: key is not %q", err, key)
		}
	}
}

// noErr fails the test on an error.
func noErr(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// together runs fns at the same moment, as far as goroutines allow, and
// returns their errors in order.
func together(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i, fn := range fns {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			errs[i] = fn()
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
	return errs
}

// outcomes counts errors by code ("" for success).
func outcomes(errs []error) map[string]int {
	m := map[string]int{}
	for _, err := range errs {
		m[backend.ErrorCode(err)]++
	}
	return m
}

func describe(errs []error) string {
	s := ""
	for i, err := range errs {
		s += fmt.Sprintf("\n  %d: %v", i, err)
	}
	return s
}
