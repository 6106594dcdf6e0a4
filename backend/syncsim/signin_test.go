package syncsim_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"roster/backend"
	"roster/backend/sqlite"
)

// TestLastSignInReachesTheDesktop: a member signs in on the directory
// server; the next sync brings the time to the desktop's details panel.
func TestLastSignInReachesTheDesktop(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			ctx := context.Background()
			srv := newServer(t, store)
			r := srv.newReplica(t, 0, rand.New(rand.NewPCG(1, 2)), &stats{})
			r.transport.rate = 0
			users, _, err := srv.st.Users.FindUsers(srv.ctx, backend.UserFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var member *backend.User
			for _, u := range users {
				if !srv.isDesk(u.ID) {
					member = u
					break
				}
			}
			local, err := sqlite.NewUserService(r.db).FindUserByID(ctx, member.ID)
			if err != nil || local.LastSignInAt != nil {
				t.Fatalf("before signing in, the desktop has %+v, %v", local, err)
			}
			if _, _, err := srv.st.Sessions.CreateSession(ctx, member.ID); err != nil {
				t.Fatal(err)
			}
			onServer, err := srv.st.Users.FindUserByID(ctx, member.ID)
			if err != nil || onServer.LastSignInAt == nil {
				t.Fatalf("the server has %+v, %v", onServer, err)
			}
			if err := r.engine.SyncOnce(r.acting(ctx)); err != nil {
				t.Fatal(err)
			}
			local, err = sqlite.NewUserService(r.db).FindUserByID(ctx, member.ID)
			if err != nil {
				t.Fatal(err)
			}
			if local.LastSignInAt == nil || !local.LastSignInAt.Equal(*onServer.LastSignInAt) {
				t.Fatalf("the desktop says the last sign-in was %v, the server %v", local.LastSignInAt, onServer.LastSignInAt)
			}
		})
	}
}
