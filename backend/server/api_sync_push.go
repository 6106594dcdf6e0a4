package server

import (
	"net/http"

	"roster/backend"
)

// maxPushBody bounds the body of a push: backend.MaxPushOps operations of
// up to about two kilobytes each.
const maxPushBody = 2 << 20

// apiSyncPush applies a batch of a desktop's operations (backend.PushRequest)
// as the token's administrator, acting through the desktop the Roster-Client
// header names, and answers how far they are applied and which were refused
// (backend.PushResult). Push refuses a batch of more than
// backend.MaxPushOps operations.
func (s *Server) apiSyncPush(w http.ResponseWriter, r *http.Request) (int, any, error) {
	if s.svc.SyncPush == nil {
		return 0, nil, badRequest(http.StatusNotFound, backend.MsgApiNotFound.Error(backend.ENOTFOUND))
	}
	var req backend.PushRequest
	if err := decodeJSONUpTo(w, r, &req, maxPushBody); err != nil {
		return 0, nil, err
	}
	actor := backend.ActorFromContext(r.Context())
	res, err := s.svc.SyncPush.Push(r.Context(), actor, actor.Client, &req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, res, nil
}
