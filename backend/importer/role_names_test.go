package importer

import (
	"context"
	"testing"

	"roster/backend"
)

// TestService_BuiltInRoleNames checks that a file may name the built-in
// roles as the window shows them in German as well as by their stored names,
// in any case, while an unknown name is still refused.
func TestService_BuiltInRoleNames(t *testing.T) {
	fx := newFixture(t)
	const data = "email,role\na@example.com,Benutzer\nb@example.com,benutzer\nc@example.com,User\nd@example.com,ADMINISTRATOR\ne@example.com,Nutzer\n"
	p := fx.mustPreview(t, Source{Name: "de.csv", Data: []byte(data)})
	if p.Summary.Valid != 4 || p.Summary.UnknownRole != 1 {
		t.Fatalf("summary = %+v, want 4 valid and the unknown role refused", p.Summary)
	}
	if _, err := fx.svc.SendImport(context.Background(), p.ID, nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a@example.com": backend.RoleUser, "b@example.com": backend.RoleUser,
		"c@example.com": backend.RoleUser, "d@example.com": backend.RoleAdministrator}
	if len(fx.inviter.calls) != 1 || len(fx.inviter.calls[0]) != len(want) {
		t.Fatalf("invited %v, want the 4 valid rows", fx.inviter.calls)
	}
	for _, ip := range fx.inviter.calls[0] {
		if ip.Role != want[ip.Email] {
			t.Errorf("%s invited as %q, want %q", ip.Email, ip.Role, want[ip.Email])
		}
	}
}
