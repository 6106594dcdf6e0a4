package backend

import "context"

// MaxPushOps bounds the operations of one PushRequest.
const MaxPushOps = 1000

// SyncPushService applies the operations desktops push to a directory
// server (POST /api/v1/sync/push).
type SyncPushService interface {
	// Push applies req's operations in order, as actor acting through the
	// desktop clientName, each exactly once: an operation at or below the
	// client's last applied one is acknowledged without applying it again.
	// A refusal for good (ECONFLICT, ENOTFOUND, EFORBIDDEN, EINVALID) is
	// recorded as the operation's Conflict and counts as applied.
	// ECONFLICT (sync.gap) when operations are missing before the batch;
	// EFORBIDDEN (sync.client_taken) for another administrator's client id;
	// EINVALID for a malformed batch. Any other error stops the batch where
	// it happened, to be pushed again.
	Push(ctx context.Context, actor Actor, clientName string, req *PushRequest) (*PushResult, error)
}
