package syncsim_test

// The sync simulation (issue 12): one directory server (a real SQLite file,
// and a real PostgreSQL database when scripts/with-postgres.sh runs) and
// three desktop replicas (real SQLite files) in one process, a few hundred
// random changes per seed from all replicas and from the server's own
// admin API, random network cuts, lost answers and replica restarts. After
// the final sync every replica equals the server row for row, no operation
// is lost or applied twice, and every refusal is a conflict on the replica
// that made it; the server's invariants hold after every step.
//
// A failing seed prints the command that runs it alone.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"

	"roster/backend"
)

var (
	seedFlag  = flag.Uint64("sync.seed", 0, "run only this seed of the sync simulation")
	seedsFlag = flag.Int("sync.seeds", 12, "how many seeds the sync simulation runs on SQLite (PostgreSQL runs half as many)")
	stepsFlag = flag.Int("sync.steps", 200, "random steps per seed")
)

// A fault the transport plays on one call.
type fault int

const (
	faultNone fault = iota
	faultCut        // the request never reaches the server
	faultLost       // the server answers, the answer is lost
)

// flaky is a transport whose calls fail as the seed says.
type flaky struct {
	inner backend.SyncTransport
	rng   *rand.Rand
	rate  float64 // the share of calls with a fault
	stats *stats
}

func (f *flaky) pick() fault {
	if f.rate == 0 || f.rng.Float64() >= f.rate {
		return faultNone
	}
	if f.rng.IntN(2) == 0 {
		return faultCut
	}
	return faultLost
}

var errCut = backend.Errorf(backend.EUNAVAILABLE, "simulated network cut")

func (f *flaky) Hello(ctx context.Context) (*backend.SyncHello, error) { return f.inner.Hello(ctx) }

func (f *flaky) Push(ctx context.Context, req *backend.PushRequest) (*backend.PushResult, error) {
	switch f.pick() {
	case faultCut:
		f.stats.cuts++
		return nil, errCut
	case faultLost:
		f.stats.lost++
		if _, err := f.inner.Push(ctx, req); err != nil {
			return nil, err
		}
		return nil, errCut
	}
	return f.inner.Push(ctx, req)
}

func (f *flaky) Pull(ctx context.Context, client string, cursor int64, limit int) (*backend.PullResult, error) {
	switch f.pick() {
	case faultCut:
		f.stats.cuts++
		return nil, errCut
	case faultLost:
		f.stats.lost++
		if _, err := f.inner.Pull(ctx, client, cursor, limit); err != nil {
			return nil, err
		}
		return nil, errCut
	}
	return f.inner.Pull(ctx, client, cursor, limit)
}

type stats struct {
	changes, refusedLocally, syncs, failedSyncs, cuts, lost, restarts, serverChanges int
}

func seeds(store storeKind) []uint64 {
	if *seedFlag != 0 {
		return []uint64{*seedFlag}
	}
	n := *seedsFlag
	if store.name == "postgres" {
		n = max(1, n/2)
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

func TestSimulation(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			for _, seed := range seeds(store) {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					defer func() {
						if t.Failed() {
							prefix := ""
							if store.name == "postgres" {
								prefix = "scripts/with-postgres.sh "
							}
							t.Logf("reproduce: %sgo test -tags sqlite_fts5 ./backend/syncsim/ -run 'TestSimulation/%s/seed=%d$' -sync.seed=%d",
								prefix, store.name, seed, seed)
						}
					}()
					runSeed(t, store, seed)
				})
			}
		})
	}
}

// runSeed plays one seed.
func runSeed(t *testing.T, store storeKind, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	st := &stats{}
	srv := newServer(t, store)
	reps := make([]*replica, 3)
	for i := range reps {
		reps[i] = srv.newReplica(t, i, rng, st)
	}
	for step := range *stepsFlag {
		r := reps[rng.IntN(len(reps))]
		switch n := rng.IntN(100); {
		case n < 65:
			r.change(t, ctx, rng, st)
		case n < 88:
			st.syncs++
			if err := r.engine.SyncOnce(r.acting(ctx)); err != nil {
				if !errors.Is(err, errCut) {
					t.Fatalf("step %d: sync of replica %d: %v", step, r.n, err)
				}
				st.failedSyncs++
			}
		case n < 93:
			st.restarts++
			r.restart(t)
		default:
			st.serverChanges++
			srv.change(t, ctx, rng, reps)
		}
		srv.checkInvariants(t, step)
	}
	// The network heals: every replica syncs until all agree.
	for _, r := range reps {
		r.transport.rate = 0
	}
	for range 3 {
		for _, r := range reps {
			if err := r.engine.SyncOnce(r.acting(ctx)); err != nil {
				t.Fatalf("final sync of replica %d: %v", r.n, err)
			}
		}
	}
	conflicts := 0
	for _, r := range reps {
		conflicts += r.checkConverged(t, srv)
	}
	t.Logf("seed %d: %d changes (%d refused locally, %d by the server), %d syncs (%d failed), %d cuts, %d lost answers, "+
		"%d restarts, %d server changes (%d invitees joined)", seed, st.changes, st.refusedLocally, conflicts, st.syncs,
		st.failedSyncs, st.cuts, st.lost, st.restarts, st.serverChanges, srv.joined)
}

// The addresses the simulation invites: few, so that replicas collide.
func address(rng *rand.Rand) string {
	return fmt.Sprintf("person%02d@example.com", rng.IntN(24))
}

// change makes one random local change on r, as its administrator would in
// the window; a change the replica itself refuses is counted and records
// nothing.
func (r *replica) change(t *testing.T, ctx context.Context, rng *rand.Rand, st *stats) {
	t.Helper()
	ctx = r.acting(ctx)
	svc := r.services()
	users, _, err := svc.Users.FindUsers(ctx, backend.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	open, _, err := svc.Invitations.FindInvitations(ctx, backend.InvitationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	roles, err := svc.Roles.FindRoles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The administrators the replicas act as keep their rights: the
	// simulation is about the directory, not about locking a desktop out
	// (a removed administrator's token is refused, as it should be).
	anyUser := func() string {
		for range 8 {
			if u := users[rng.IntN(len(users))]; !r.world.isDesk(u.ID) {
				return u.ID
			}
		}
		return "missing"
	}
	anyInvitation := func() string {
		if len(open) == 0 {
			return "missing"
		}
		return open[rng.IntN(len(open))].ID
	}
	anyRole := func() string { return roles[rng.IntN(len(roles))].ID }
	perms := []backend.Permission{backend.PermChat, backend.PermUseSkills}
	switch rng.IntN(11) {
	case 0, 1, 2:
		_, err = svc.Invitations.InviteUser(ctx, backend.InviteParams{Email: address(rng), Role: anyRole()})
	case 3:
		err = svc.Invitations.DeleteInvitation(ctx, anyInvitation())
	case 4:
		_, err = svc.Invitations.ResendInvitation(ctx, anyInvitation())
	case 5:
		_, err = svc.Users.ChangeUserRole(ctx, anyUser(), anyRole())
	case 6:
		_, err = svc.Users.DeactivateUser(ctx, anyUser())
	case 7:
		_, err = svc.Users.ActivateUser(ctx, anyUser())
	case 8:
		if rng.IntN(3) == 0 {
			err = svc.Users.RemoveUser(ctx, anyUser())
		} else {
			_, err = svc.Resets.SendPasswordReset(ctx, anyUser())
		}
	case 9:
		_, err = svc.Roles.CreateRole(ctx, backend.RoleParams{Name: fmt.Sprintf("Team %d", rng.IntN(6)), Permissions: perms})
	case 10:
		role := anyRole()
		if rng.IntN(2) == 0 {
			err = svc.Roles.DeleteRole(ctx, role)
		} else {
			_, err = svc.Roles.UpdateRole(ctx, role, backend.RoleParams{Name: fmt.Sprintf("Team %d", rng.IntN(6)), Permissions: perms})
		}
	}
	switch backend.ErrorCode(err) {
	case "":
		st.changes++
		r.changes++
		r.engine.Notify()
	case backend.ECONFLICT, backend.ENOTFOUND, backend.EFORBIDDEN, backend.EINVALID:
		st.refusedLocally++
	default:
		t.Fatalf("replica %d: local change: %v", r.n, err)
	}
}
