package backend

import "context"

type actorKey struct{}

// Actor is who performs an action, as written into the audit log.
type Actor struct {
	ID   string
	Name string
	// Client names the program the actor acts through, such as the Roster
	// desktop that called the directory server's admin API; "" when local.
	Client string
}

// SystemActor is the actor of actions Roster takes by itself (demo data, jobs).
var SystemActor = Actor{Name: "Roster"}

// NewContextWithActor returns a context that carries the acting administrator.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the acting administrator, or SystemActor.
func ActorFromContext(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return SystemActor
}
