package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/sqlite"
	"roster/backend/syncclient"
)

const syncToken = "rst_desktop-test-token-0123456789"

// helloServer is a directory server's hello endpoint as the sync contract
// describes it, for unit tests: it manages organisation orgID (or holds
// nothing, when empty) and knows one token.
func helloServer(t *testing.T, orgID, orgName string, empty bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodGet || r.URL.Path != "/api/v1/sync/hello" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"code":"not_found","message":"The admin API has no such address.","key":"api.not_found","args":{},"field":""}}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+syncToken {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"code":"unauthorized","message":"x","key":"api_token.invalid","args":{},"field":""}}`))
			return
		}
		var h backend.SyncHello
		h.Server, h.Version, h.Empty = "http://"+r.Host, "9.9.9", empty
		h.Organisation.ID, h.Organisation.Name = orgID, orgName
		h.Administrator.ID, h.Administrator.Name, h.Administrator.Email = "admin-1", "Ada Lovelace", "ada@example.com"
		json.NewEncoder(w).Encode(h)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// newSyncApp returns an App whose Sync facade works on a real database with
// a set-up organisation, and that organisation.
func newSyncApp(t *testing.T, keyring *memoryKeyring) (*App, *sqlite.DB, *backend.Organisation) {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	orgs := sqlite.NewOrganisationService(db)
	org, _, err := orgs.SetupOrganisation(context.Background(), backend.SetupParams{
		OrganisationName: "Example Ltd", AdminName: "Ada Lovelace", AdminEmail: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	svc := syncclient.NewService(sqlite.NewSettingService(db), keyring, orgs, log)
	svc.Options.Name = "Roster on test-host"
	a := New(Deps{Log: log, Organisations: orgs, Settings: sqlite.NewSettingService(db), Sync: svc})
	return a, db, org
}

// syncSetting returns the raw value of a settings key, or "" when unset.
func syncSetting(t *testing.T, db *sqlite.DB, key string) string {
	t.Helper()
	var v string
	err := rawQueryRow(t, db, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	return v
}

// assertNoToken fails when the token is in the database file or the DTO.
func assertNoToken(t *testing.T, db *sqlite.DB, dto SyncSettingsDTO) {
	t.Helper()
	var n int
	if err := rawQueryRow(t, db, `SELECT count(*) FROM settings WHERE value LIKE ?`, "%"+syncToken+"%").Scan(&n); err != nil || n != 0 {
		t.Fatalf("settings holding the token: %d, %v", n, err)
	}
	b, _ := json.Marshal(dto)
	if strings.Contains(string(b), syncToken) {
		t.Fatalf("the DTO carries the token: %s", b)
	}
}

func TestSync_Connect(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}}
		a, db, org := newSyncApp(t, keyring)
		srv := helloServer(t, org.ID, "Example Ltd", false)
		before, err := a.Sync.GetSyncSettings()
		if err != nil || before.Connected || before.TokenStore != "" {
			t.Fatalf("before = %+v, %v", before, err)
		}
		got, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL + "/", Token: syncToken})
		if err != nil {
			t.Fatal(err)
		}
		if !got.Connected || got.URL != srv.URL || got.OrganisationName != "Example Ltd" || got.AdministratorName != "Ada Lovelace" ||
			got.AdministratorEmail != "ada@example.com" || got.ServerVersion != "9.9.9" ||
			got.TokenStore != "keyring" || got.KeyringProblem != nil || got.ConnectedAt == "" {
			t.Fatalf("connected = %+v", got)
		}
		if keyring.secrets[syncclient.SecretToken] != syncToken {
			t.Fatal("the token is not in the keyring")
		}
		if syncSetting(t, db, syncclient.SettingClient) == "" || !strings.Contains(syncSetting(t, db, syncclient.SettingServer), srv.URL) {
			t.Fatal("the connection is not in the settings table")
		}
		assertNoToken(t, db, got)
		if again, err := a.Sync.GetSyncSettings(); err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("read again = %+v, %v", again, err)
		}
		// The sync engine gets a working client from what was kept.
		tr, err := a.deps.Sync.Transport(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if h, err := tr.Hello(context.Background()); err != nil || h.Organisation.ID != org.ID {
			t.Fatalf("hello through the kept connection = %+v, %v", h, err)
		}
		cur, client, err := a.deps.Sync.CurrentTransport(context.Background())
		if err != nil || cur == nil || client == "" || !strings.Contains(syncSetting(t, db, syncclient.SettingClient), client) {
			t.Fatalf("current transport = %v, %q, %v", cur, client, err)
		}
	})

	t.Run("ErrEmptyServerOfAnotherOrganisation", func(t *testing.T) {
		// Roster does not send its organisation to a server: an empty
		// server of another organisation is refused like any other, with
		// the advice to join it instead, and nothing is kept.
		keyring := &memoryKeyring{secrets: map[string]string{}}
		a, db, _ := newSyncApp(t, keyring)
		srv := helloServer(t, "some-other-org", "Empty Org", true)
		_, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken})
		dto := a.FormatError(err).(ErrorDTO)
		if dto.Code != backend.ECONFLICT || dto.Key != "sync.empty_server" ||
			dto.Args["serverOrganisation"] != "Empty Org" || dto.Args["organisation"] != "Example Ltd" || dto.Args["server"] != srv.URL {
			t.Fatalf("error = %+v", dto)
		}
		if syncSetting(t, db, syncclient.SettingServer) != "" || len(keyring.secrets) != 0 || a.deps.Sync.Recording != nil {
			t.Fatal("the refused connect kept something")
		}
		if got, err := a.Sync.GetSyncSettings(); err != nil || got.Connected {
			t.Fatalf("after the refusal = %+v, %v", got, err)
		}
	})

	t.Run("ErrOtherOrganisationChangesNothing", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}}
		a, db, org := newSyncApp(t, keyring)
		own := helloServer(t, org.ID, "Example Ltd", false)
		if _, err := a.Sync.ConnectSync(SyncConnectParams{URL: own.URL, Token: syncToken}); err != nil {
			t.Fatal(err)
		}
		server, client := syncSetting(t, db, syncclient.SettingServer), syncSetting(t, db, syncclient.SettingClient)

		other := helloServer(t, "other-org", "Other Corp", false)
		_, err := a.Sync.ConnectSync(SyncConnectParams{URL: other.URL, Token: syncToken, SessionOnly: true})
		dto := a.FormatError(err).(ErrorDTO)
		if dto.Code != backend.ECONFLICT || dto.Key != "sync.other_organisation" ||
			dto.Args["serverOrganisation"] != "Other Corp" || dto.Args["organisation"] != "Example Ltd" || dto.Args["server"] != other.URL {
			t.Fatalf("error = %+v", dto)
		}
		if syncSetting(t, db, syncclient.SettingServer) != server || syncSetting(t, db, syncclient.SettingClient) != client {
			t.Fatal("the refused connect changed the settings")
		}
		got, err := a.Sync.GetSyncSettings()
		if err != nil || got.URL != own.URL || got.TokenStore != "keyring" || keyring.secrets[syncclient.SecretToken] != syncToken {
			t.Fatalf("after the refusal = %+v, %v", got, err)
		}
	})

	t.Run("ErrTokenRefused", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}}
		a, db, org := newSyncApp(t, keyring)
		srv := helloServer(t, org.ID, "Example Ltd", false)
		_, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: "rst_wrong"})
		dto := a.FormatError(err).(ErrorDTO)
		if dto.Code != backend.EFORBIDDEN || dto.Key != "sync.token_refused" || dto.Field != "token" {
			t.Fatalf("error = %+v", dto)
		}
		if syncSetting(t, db, syncclient.SettingServer) != "" || syncSetting(t, db, syncclient.SettingClient) != "" || len(keyring.secrets) != 0 {
			t.Fatal("the refused connect kept something")
		}
	})

	t.Run("ErrUnreachable", func(t *testing.T) {
		a, _, _ := newSyncApp(t, &memoryKeyring{secrets: map[string]string{}})
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, err := a.Sync.ConnectSync(SyncConnectParams{URL: url, Token: syncToken})
		if dto := a.FormatError(err).(ErrorDTO); dto.Code != backend.EUNAVAILABLE || dto.Key != "sync.unreachable" {
			t.Fatalf("error = %+v", dto)
		}
	})

	t.Run("ErrTimeout", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}}
		a, db, _ := newSyncApp(t, keyring)
		// Only the connect timeout can end the wait: the client allows an hour.
		a.deps.Sync.Options.Timeout = time.Hour
		a.deps.Sync.ConnectTimeout = 50 * time.Millisecond
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer srv.Close()
		defer close(release)
		_, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken})
		if dto := a.FormatError(err).(ErrorDTO); dto.Code != backend.EUNAVAILABLE || dto.Key != "sync.timeout" {
			t.Fatalf("error = %+v", dto)
		}
		if syncSetting(t, db, syncclient.SettingServer) != "" || len(keyring.secrets) != 0 {
			t.Fatal("the connect that timed out kept something")
		}
	})

	t.Run("KeyringLockedThenSessionOnly", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}, locked: true}
		a, db, org := newSyncApp(t, keyring)
		srv := helloServer(t, org.ID, "Example Ltd", false)
		_, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken})
		dto := a.FormatError(err).(ErrorDTO)
		if dto.Code != backend.EUNAVAILABLE || dto.Key != "keyring.locked" || dto.Field != "token" {
			t.Fatalf("error = %+v", dto)
		}
		got, err := a.Sync.GetSyncSettings()
		if err != nil || got.Connected || got.KeyringProblem == nil || got.KeyringProblem.Key != "keyring.locked" {
			t.Fatalf("after the refused connect = %+v, %v", got, err)
		}
		if got, err = a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken, SessionOnly: true}); err != nil {
			t.Fatal(err)
		}
		if !got.Connected || got.TokenStore != "session" {
			t.Fatalf("session-only connect = %+v", got)
		}
		assertNoToken(t, db, got)
	})

	t.Run("ErrNoOrganisation", func(t *testing.T) {
		db := sqlite.NewDB(filepath.Join(t.TempDir(), "roster.db"))
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		log := logrus.New()
		log.SetLevel(logrus.ErrorLevel)
		orgs := sqlite.NewOrganisationService(db)
		a := New(Deps{Log: log, Organisations: orgs, Sync: syncclient.NewService(sqlite.NewSettingService(db), &memoryKeyring{secrets: map[string]string{}}, orgs, log)})
		srv := helloServer(t, "org", "Org", false)
		if _, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken}); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("error = %v", err)
		}
	})

	t.Run("FieldErrorsNameTheParams", func(t *testing.T) {
		a, _, _ := newSyncApp(t, &memoryKeyring{secrets: map[string]string{}})
		fields := map[string]bool{}
		for _, f := range reflect.VisibleFields(reflect.TypeOf(SyncConnectParams{})) {
			fields[strings.Split(f.Tag.Get("json"), ",")[0]] = true
		}
		for _, p := range []SyncConnectParams{
			{URL: "", Token: syncToken},
			{URL: "ftp://roster.example.com", Token: syncToken},
			{URL: "http://roster.example.com", Token: syncToken},
			{URL: "https://roster.example.com", Token: ""},
			{URL: "https://roster.example.com", Token: "two words"},
		} {
			_, err := a.Sync.ConnectSync(p)
			dto := a.FormatError(err).(ErrorDTO)
			if dto.Code != backend.EINVALID || !fields[dto.Field] || !strings.HasPrefix(dto.Key, "sync.") {
				t.Errorf("%+v: error = %+v; want invalid with a field of SyncConnectParams", p, dto)
			}
		}
	})
}

func TestSync_Disconnect(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}}
		a, db, org := newSyncApp(t, keyring)
		srv := helloServer(t, org.ID, "Example Ltd", false)
		if _, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken}); err != nil {
			t.Fatal(err)
		}
		client := syncSetting(t, db, syncclient.SettingClient)
		got, err := a.Sync.DisconnectSync()
		if err != nil {
			t.Fatal(err)
		}
		if got.Connected || got.URL != "" || got.TokenStore != "" || len(keyring.secrets) != 0 {
			t.Fatalf("disconnected = %+v, keyring %v", got, keyring.secrets)
		}
		if _, err := a.deps.Sync.Transport(context.Background()); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("transport after disconnect: %v", err)
		}
		// The sync engine sees no server, which is not an error.
		if cur, client, err := a.deps.Sync.CurrentTransport(context.Background()); cur != nil || client != "" || err != nil {
			t.Fatalf("current transport after disconnect = %v, %q, %v", cur, client, err)
		}
		// The client id stays, so this desktop's operations keep their numbers.
		if _, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken}); err != nil {
			t.Fatal(err)
		}
		if syncSetting(t, db, syncclient.SettingClient) != client {
			t.Fatal("reconnecting made a new client id")
		}
	})

	t.Run("SessionToken", func(t *testing.T) {
		keyring := &memoryKeyring{secrets: map[string]string{}, locked: true}
		a, _, org := newSyncApp(t, keyring)
		srv := helloServer(t, org.ID, "Example Ltd", false)
		if _, err := a.Sync.ConnectSync(SyncConnectParams{URL: srv.URL, Token: syncToken, SessionOnly: true}); err != nil {
			t.Fatal(err)
		}
		got, err := a.Sync.DisconnectSync()
		if err != nil || got.Connected || got.TokenStore != "" {
			t.Fatalf("disconnected = %+v, %v", got, err)
		}
	})
}
