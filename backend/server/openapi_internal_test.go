package server

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"roster/backend"
)

// openAPIDoc is the part of the description the tests compare.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties           map[string]json.RawMessage `json:"properties"`
			Required             []string                   `json:"required"`
			AdditionalProperties *bool                      `json:"additionalProperties"`
		} `json:"schemas"`
	} `json:"components"`
}

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	return doc
}

// TestOpenAPIDescribesEveryRoute: the router serves exactly the operations
// of apiRoutes (see TestAPIDescriptionRoutes for the router's side), and the
// description has exactly those.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	var described, routed []string
	for path, item := range doc.Paths {
		for method := range item {
			if method != "parameters" {
				described = append(described, strings.ToUpper(method)+" "+path)
			}
		}
	}
	for _, rt := range (&Server{}).apiRoutes() {
		routed = append(routed, rt.method+" "+rt.path)
	}
	sort.Strings(described)
	sort.Strings(routed)
	if !slices.Equal(described, routed) {
		t.Fatalf("described:\n%s\nrouted:\n%s", strings.Join(described, "\n"), strings.Join(routed, "\n"))
	}
}

// TestOpenAPISchemasMatchDTOs: every schema has exactly the JSON fields of
// the Go type the API sends or reads, and says which are required.
func TestOpenAPISchemasMatchDTOs(t *testing.T) {
	doc := loadOpenAPI(t)
	types := map[string]any{
		"Error": errorDTO{}, "User": userDTO{}, "UserPage": userPageDTO{}, "UpdateUser": updateUserRequest{},
		"TokenHash": tokenHashRequest{}, "PasswordReset": passwordResetDTO{}, "Role": roleDTO{}, "Roles": rolesDTO{},
		"CreateRole": createRoleRequest{}, "UpdateRole": updateRoleRequest{}, "Invitation": invitationDTO{},
		"InvitationPage": invitationPageDTO{}, "Invite": inviteRequest{}, "AuditEntry": auditEntryDTO{}, "AuditPage": auditPageDTO{},
		"SyncHello": backend.SyncHello{}, "PullResult": backend.PullResult{}, "Change": backend.Change{},
	}
	for name, schema := range doc.Components.Schemas {
		if name == "Permission" {
			continue
		}
		v, ok := types[name]
		if !ok {
			t.Errorf("schema %s has no Go type in this test", name)
			continue
		}
		var fields []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			fields = append(fields, tag)
		}
		var props []string
		for p := range schema.Properties {
			props = append(props, p)
		}
		sort.Strings(fields)
		sort.Strings(props)
		if !slices.Equal(fields, props) {
			t.Errorf("schema %s has %v, %s has %v", name, props, rt.Name(), fields)
		}
		if schema.AdditionalProperties == nil || *schema.AdditionalProperties {
			t.Errorf("schema %s allows other properties", name)
		}
		for _, r := range schema.Required {
			if !slices.Contains(props, r) {
				t.Errorf("schema %s requires %s, which it lacks", name, r)
			}
		}
		if strings.HasSuffix(rt.Name(), "DTO") && len(schema.Required) != len(props) {
			t.Errorf("schema %s of an answer leaves fields optional; the API always sends every field", name)
		}
	}
	if len(types) != len(doc.Components.Schemas)-1 {
		t.Errorf("%d types for %d schemas", len(types), len(doc.Components.Schemas)-1)
	}
}
