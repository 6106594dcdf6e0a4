package importer

import (
	"reflect"
	"testing"
)

// TestIssueKinds checks that every kind of row issue has its own key and is
// counted in exactly one field of the summary, a field no other kind uses.
func TestIssueKinds(t *testing.T) {
	keys := map[string]issueKind{}
	fields := map[string]issueKind{}
	for k := issueEmailMissing; int(k) < len(issueNames); k++ {
		if issueNames[k] == "" {
			t.Fatalf("kind %d has no key", k)
		}
		if o, ok := keys[k.key()]; ok {
			t.Errorf("kinds %d and %d share the key %s", o, k, k.key())
		}
		keys[k.key()] = k

		var s Summary
		s.count(k)
		v := reflect.ValueOf(s)
		var counted []string
		for i := range v.NumField() {
			if v.Field(i).Int() != 0 {
				counted = append(counted, v.Type().Field(i).Name)
			}
		}
		if len(counted) != 1 {
			t.Fatalf("%s is counted in %v, want one field", k.key(), counted)
		}
		if o, ok := fields[counted[0]]; ok {
			t.Errorf("%s and %s are both counted as %s", o.key(), k.key(), counted[0])
		}
		fields[counted[0]] = k
	}
}
