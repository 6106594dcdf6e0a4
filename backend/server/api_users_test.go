package server_test

import (
	"net/http"
	"testing"
	"time"
)

// TestAPIUserLastSignIn: the admin API reports when a member last signed
// in, whichever way they did (registering, the sign-in form), and null
// for one who never did.
func TestAPIUserLastSignIn(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newAPIEnv(t, nil)
		ada := e.call("GET", "/api/v1/users/"+e.admin.ID, nil).expect(t, http.StatusOK)
		if v, ok := ada.body["lastSignInAt"]; !ok || v != nil {
			t.Fatalf("never signed in: %s", ada.raw)
		}

		joined := time.Date(2030, 3, 1, 9, 30, 0, 0, time.UTC)
		e.db.Now = func() time.Time { return joined }
		_, token := e.inviteByAPI("sam@example.com", "user")
		e.join(token, "Sam Member", pw1)
		list := e.call("GET", "/api/v1/users?search=sam", nil).expect(t, http.StatusOK)
		sam := list.body["entries"].([]any)[0].(map[string]any)
		if sam["lastSignInAt"] != "2030-03-01T09:30:00.000Z" {
			t.Fatalf("after registering: %v", sam)
		}

		later := joined.Add(26 * time.Hour)
		e.db.Now = func() time.Time { return later }
		e.browser().login("sam@example.com", pw1).at(t, e.base, "/account")
		got := e.call("GET", "/api/v1/users/"+sam["id"].(string), nil).expect(t, http.StatusOK)
		if got.str("lastSignInAt") != "2030-03-02T11:30:00.000Z" {
			t.Fatalf("after signing in: %s", got.raw)
		}
	})
}
