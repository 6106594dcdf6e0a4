package importer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"roster/backend"
)

// The roles of the tests: the built-in two and custom ones whose names need
// quoting in CSV (a comma) and a correct decoding (an umlaut).
func testRoles() []*backend.Role {
	return []*backend.Role{
		{ID: backend.RoleUser, Name: "User", BuiltIn: true},
		{ID: backend.RoleAdministrator, Name: "Administrator", BuiltIn: true},
		{ID: "sales", Name: "Sales, EU"},
		{ID: "sued", Name: "Vertrieb Süd"},
	}
}

// fakeRoles is a RoleService's FindRoles.
type fakeRoles struct {
	mu    sync.Mutex
	roles []*backend.Role
	err   error
}

func (f *fakeRoles) FindRoles(context.Context) ([]*backend.Role, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.roles), f.err
}

// fakeEmails is a DirectoryService's FindEmailUses over a map; it records
// the size of every batch it was asked.
type fakeEmails struct {
	mu      sync.Mutex
	uses    map[string]backend.EmailUse
	batches []int
	err     error
}

func (f *fakeEmails) FindEmailUses(_ context.Context, keys []string) (map[string]backend.EmailUse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches = append(f.batches, len(keys))
	if f.err != nil {
		return nil, f.err
	}
	out := make(map[string]backend.EmailUse)
	for _, k := range keys {
		if u, ok := f.uses[k]; ok {
			out[k] = u
		}
	}
	return out, nil
}

func (f *fakeEmails) set(key string, use backend.EmailUse) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if use == "" {
		delete(f.uses, key)
	} else {
		f.uses[key] = use
	}
}

// fakeInviter records what InviteUsers was given, or fails as told.
type fakeInviter struct {
	mu     sync.Mutex
	calls  [][]backend.InviteParams
	err    error
	before func() // runs first, as another administrator might meanwhile
}

func (f *fakeInviter) InviteUsers(_ context.Context, params []backend.InviteParams, progress backend.Progress) (*backend.BulkInviteResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, slices.Clone(params))
	if f.before != nil {
		f.before()
	}
	if f.err != nil {
		return nil, f.err
	}
	res := &backend.BulkInviteResult{}
	for i := range params {
		res.Invited++
		if progress != nil {
			progress(i+1, len(params))
		}
	}
	return res, nil
}

// fixture is a Service over fakes: member@example.com is a member and
// invited@example.com has a pending invitation.
type fixture struct {
	svc     *Service
	roles   *fakeRoles
	emails  *fakeEmails
	inviter *fakeInviter
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	fx := &fixture{
		roles: &fakeRoles{roles: testRoles()},
		emails: &fakeEmails{uses: map[string]backend.EmailUse{
			"member@example.com":  backend.EmailMember,
			"invited@example.com": backend.EmailInvited,
		}},
		inviter: &fakeInviter{},
	}
	fx.svc = NewService(fx.roles, fx.emails, fx.inviter)
	return fx
}

// preview reads a file of the corpus from disk.
func (fx *fixture) preview(tb testing.TB, name string) (*Preview, error) {
	tb.Helper()
	return fx.svc.PreviewImport(context.Background(), Source{Path: filepath.Join("testdata", name)}, nil)
}

// mustPreview reads src and fails the test on an error.
func (fx *fixture) mustPreview(tb testing.TB, src Source) *Preview {
	tb.Helper()
	p, err := fx.svc.PreviewImport(context.Background(), src, nil)
	if err != nil {
		tb.Fatalf("PreviewImport(%s): %v", src.Name+src.Path, err)
	}
	return p
}

// allRows pages through every row of a preview.
func (fx *fixture) allRows(tb testing.TB, id string, needsAttention bool) []Row {
	tb.Helper()
	var out []Row
	for {
		rows, total, err := fx.svc.FindImportRows(context.Background(), id, RowFilter{Offset: len(out), Limit: 333, NeedsAttention: needsAttention})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, rows...)
		if len(rows) == 0 || len(out) >= total {
			if len(out) != total {
				tb.Fatalf("paged %d rows, total says %d", len(out), total)
			}
			return out
		}
	}
}

// assertKey checks that err is a coded error with that code and key.
func assertKey(tb testing.TB, err error, code, key string) *backend.Error {
	tb.Helper()
	e := backend.AsError(err)
	if e == nil {
		tb.Fatalf("error = %v, want a *backend.Error with key %q", err, key)
	}
	if e.Code != code || e.Key != key {
		tb.Fatalf("error = %s/%s (%s), want %s/%s", e.Code, e.Key, e.Message, code, key)
	}
	if e.Message == "" {
		tb.Fatalf("error %s has no message", key)
	}
	return e
}

// issueKeys returns the keys of a row's issues.
func issueKeys(r Row) []string {
	var keys []string
	for _, e := range r.Issues {
		keys = append(keys, e.Key)
	}
	return keys
}

func writeFile(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}
