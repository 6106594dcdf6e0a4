package server

import (
	"encoding/json"
	"math"
	"net/http"
	"sync"

	"roster/backend"
)

// apiVersion is the admin API's version, as its description gives it.
var apiVersion = sync.OnceValue(func() string {
	var doc struct {
		Info struct {
			Version string `json:"version"`
		} `json:"info"`
	}
	json.Unmarshal(openAPIJSON, &doc)
	return doc.Info.Version
})

// apiSyncHello answers a desktop that connects: this server's base URL
// and API version, its organisation, the token's Administrator and
// whether it holds nothing but its Administrators (backend.SyncHello).
func (s *Server) apiSyncHello(w http.ResponseWriter, r *http.Request) (int, any, error) {
	if _, err := queryParams(r); err != nil {
		return 0, nil, err
	}
	h, err := s.svc.SyncFeed.SyncHello(r.Context())
	if err != nil {
		return 0, nil, err
	}
	h.Server, h.Version = s.base, apiVersion()
	return http.StatusOK, h, nil
}

// apiSyncPull answers a page of the change feed after a cursor
// (backend.PullResult): ?client=ID&cursor=N&limit=L, limit from 1 to
// backend.MaxPullLimit, backend.DefaultPullLimit when absent.
func (s *Server) apiSyncPull(w http.ResponseWriter, r *http.Request) (int, any, error) {
	v, err := queryParams(r, "client", "cursor", "limit")
	if err != nil {
		return 0, nil, err
	}
	cursor, err := intParam(v, "cursor", 0, 0, math.MaxInt64)
	if err != nil {
		return 0, nil, err
	}
	limit, err := intParam(v, "limit", backend.DefaultPullLimit, 1, backend.MaxPullLimit)
	if err != nil {
		return 0, nil, err
	}
	res, err := s.svc.SyncFeed.Pull(r.Context(), v.Get("client"), int64(cursor), limit)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, res, nil
}
