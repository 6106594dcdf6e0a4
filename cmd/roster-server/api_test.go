package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestServeAdminAPI: serve answers the admin API for a token of token create.
func TestServeAdminAPI(t *testing.T) {
	db := initDB(t)
	var created struct {
		Token string `json:"token"`
	}
	r := runCLI(t, nil, "token", "create", "--db", db, "--email", "ada@example.com", "--json")
	r.expect(t, exitOK)
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || created.Token == "" {
		t.Fatalf("token create: %q, %v", r.stdout, err)
	}
	addr, _, stop := serveInProcess(t, "--db", db, "--base-url", base)
	defer stop()
	get := func(token string) int {
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/roles", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(created.Token); code != http.StatusOK {
		t.Fatalf("GET /api/v1/roles with the token: %d", code)
	}
	if code := get(""); code != http.StatusUnauthorized {
		t.Fatalf("GET /api/v1/roles without a token: %d", code)
	}
}
