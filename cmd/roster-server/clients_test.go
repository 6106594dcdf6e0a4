package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/backend/postgres/pgtest"
)

// TestClient runs client create, list and delete on SQLite and on
// PostgreSQL.
func TestClient(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testClient(t, map[string]string{"ROSTER_SERVER_DB": initDB(t)})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		env := map[string]string{"ROSTER_SERVER_POSTGRES": pgtest.NewDatabase(t)}
		runCLI(t, env, "init", "--base-url", base, "--organisation", "Example Ltd",
			"--admin-email", "ada@example.com", "--admin-name", "Ada Admin").expect(t, exitOK)
		testClient(t, env)
	})
}

func testClient(t *testing.T, env map[string]string) {
	r := runCLI(t, env, "client", "create", "--name", "Open WebUI", "--redirect-uri", "https://chat.example.com/oauth/oidc/callback",
		"--redirect-uri", "https://chat.example.com/other", "--post-logout-redirect-uri", "https://chat.example.com/", "--json")
	r.expect(t, exitOK)
	var created clientJSON
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || len(created.Secret) != 43 || created.Public || created.Name != "Open WebUI" ||
		len(created.RedirectURIs) != 2 || len(created.PostLogoutRedirectURIs) != 1 || created.CreatedAt.IsZero() {
		t.Fatalf("client create answered %s", r.stdout)
	}
	r = runCLI(t, env, "client", "create", "--name", "App", "--redirect-uri", "http://127.0.0.1:5173/cb", "--public")
	r.expect(t, exitOK, "Public client \"App\": id ", "must use PKCE")
	if strings.Contains(r.stdout, "secret (") {
		t.Fatalf("a public client got a secret: %s", r.stdout)
	}
	r = runCLI(t, env, "client", "list", "--json")
	r.expect(t, exitOK)
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 2 {
		t.Fatalf("client list answered %s (%v)", r.stdout, err)
	}
	if _, ok := list[0]["secret"]; ok || list[0]["id"] != created.ID || list[1]["public"] != true {
		t.Fatalf("client list answered %s", r.stdout)
	}
	if strings.Contains(r.stdout, created.Secret) {
		t.Fatal("client list shows a secret")
	}
	runCLI(t, env, "client", "list").expect(t, exitOK, created.ID+"  Open WebUI  confidential  https://chat.example.com/oauth/oidc/callback")
	runCLI(t, env, "client", "delete", created.ID).expect(t, exitOK, "Client "+created.ID+" is deleted.")
	runCLI(t, env, "client", "delete", created.ID, "--json").expect(t, exitError, "There is no OpenID Connect client with this id.")
	runCLI(t, env, "client", "create", "--name", "X", "--redirect-uri", "chat.example.com/cb").
		expect(t, exitError, "chat.example.com/cb is not an absolute http or https address")
	runCLI(t, env, "client", "create", "--name", "X").expect(t, exitUsage, "--name and --redirect-uri are required")
	runCLI(t, env, "client", "delete").expect(t, exitUsage, "one client ID is required")
	runCLI(t, env, "client", "rename").expect(t, exitUsage, "unknown command")
	runCLI(t, env, "client").expect(t, exitUsage, "client create|list|delete")
}

// TestServeOIDC serves the provider with a key file it creates, and
// without one.
func TestServeOIDC(t *testing.T) {
	db := initDB(t)
	key := filepath.Join(t.TempDir(), "oidc.key")
	addr, logs, stop := serveInProcess(t, "--db", db, "--base-url", base, "--oidc-key-file", key, "--oidc-access-token-ttl", "2m")
	res, err := http.Get("http://" + addr + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Issuer string `json:"issuer"`
		Token  string `json:"token_endpoint"`
	}
	json.NewDecoder(res.Body).Decode(&d)
	res.Body.Close()
	if d.Issuer != base || d.Token != base+"/oauth/token" {
		t.Fatalf("discovery %+v", d)
	}
	if info, err := os.Stat(key); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", info, err)
	}
	if !strings.Contains(logs.String(), `"access_token_ttl":"2m0s"`) {
		t.Fatalf("no provider in the log: %s", logs)
	}
	stop()

	addr, logs, _ = serveInProcess(t, "--db", db, "--base-url", base)
	res, err = http.Get("http://" + addr + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || !strings.Contains(logs.String(), "no OpenID Connect provider") {
		t.Fatalf("without a key file: %d, log %s", res.StatusCode, logs)
	}
	runCLI(t, nil, "serve", "--db", db, "--base-url", base, "--oidc-access-token-ttl", "forever").
		expect(t, exitUsage, "--oidc-access-token-ttl")
}
