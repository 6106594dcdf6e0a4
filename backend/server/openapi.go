package server

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
)

// openAPIJSON is the OpenAPI 3.1 description of the admin API, paths
// relative to /api/v1. A test checks that it describes exactly the routes
// of apiRoutes and the fields of their DTOs.
//
//go:embed openapi.json
var openAPIJSON []byte

// newAPIDescription returns the description with its server set to the
// public URL of the API, so that clients resolve its paths correctly.
func newAPIDescription(serverURL string) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	doc["servers"] = []any{map[string]any{"url": serverURL}}
	return json.Marshal(doc)
}

func (s *Server) apiDescription(w http.ResponseWriter, r *http.Request) (int, any, error) {
	if _, err := queryParams(r); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, json.RawMessage(s.apiDesc), nil
}
