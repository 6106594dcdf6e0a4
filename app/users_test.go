package app

import (
	"testing"

	"roster/backend/sqlite"
)

func TestUsers_LastSignIn(t *testing.T) {
	a, db, _ := testApp(t)
	state, _ := a.System.GetState()
	ada, err := a.Users.FindUserByID(state.Admin.ID)
	if err != nil || ada.LastSignInAt != "" {
		t.Fatalf("never signed in: %+v %v", ada, err)
	}
	// A database the directory server signed her in on.
	sess, _, err := sqlite.NewSessionService(db).CreateSession(a.callContext(), ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ada, err = a.Users.FindUserByID(ada.ID); err != nil || ada.LastSignInAt != formatTime(sess.CreatedAt) {
		t.Fatalf("after signing in at %v: %+v %v", sess.CreatedAt, ada, err)
	}
}
