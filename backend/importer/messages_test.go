package importer

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/msg"
)

// TestMessages checks that each error the importer makes has a declared
// key with a text in the catalogue, and that its English message is that
// text with its arguments filled in.
func TestMessages(t *testing.T) {
	rs := newRoleSet(testRoles())
	_, _, unknownRole := rs.check("Owner")
	errs := []error{
		errEmpty(), ErrTooLarge(60 << 20), errTooManyRows(), errNoRows(), errHeader([]string{"name", "role"}),
		errLegacyXLS(), errEncrypted(), errODS(), errDamaged(), errUnpackedTooLarge(), errRowTooLarge(7), errRowTooLarge(0),
		errCanceled(), errNotFound(), errSendRowFailed(4, &backend.Error{Code: backend.ECONFLICT, Message: "Already invited.", Key: "invitation.exists"}),
		openError(os.ErrNotExist), openError(os.ErrPermission), errUnreadable(fmt.Errorf("disk on fire")),
		&errExtraColumns([]string{"C", "D"}).err, &errTooLong("email").err, &errQuotes().err, &rs.missing.err, &unknownRole.err,
	}
	for kind := range otherWhat {
		errs = append(errs, errNotSpreadsheet(kind))
	}
	for _, err := range errs {
		e := backend.AsError(err)
		if backend.LookupMessage(e.Key) == nil || !msg.Has("en", "errors."+e.Key) {
			t.Errorf("%s is not declared with an English text", e.Key)
			continue
		}
		if want := msg.T("en", "errors."+e.Key, e.Args); e.Message != want || strings.Contains(want, "{{") {
			t.Errorf("%s:\n Go     %q\n window %q", e.Key, e.Message, want)
		}
	}
}
