package syncclient

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/sirupsen/logrus"

	"roster/backend"
)

// Where the connection is kept: the server and this desktop's client id in
// the settings table, the API token in the OS keyring.
const (
	SettingServer = "sync.server"
	SettingClient = "sync.client"
	SecretToken   = "sync-token"
)

// DefaultConnectTimeout bounds Connect's hello: the administrator waits
// for it.
const DefaultConnectTimeout = 15 * time.Second

// Connection is what the settings table keeps about the server this
// desktop is connected to, as the server described itself at Connect.
type Connection struct {
	URL                string    `json:"url"`
	ServerVersion      string    `json:"serverVersion"`
	OrganisationID     string    `json:"organisationId"`
	OrganisationName   string    `json:"organisationName"`
	AdministratorID    string    `json:"administratorId"`
	AdministratorName  string    `json:"administratorName"`
	AdministratorEmail string    `json:"administratorEmail"`
	ConnectedAt        time.Time `json:"connectedAt"`
}

// TokenStore says where the API token is kept.
type TokenStore string

// The places of the token.
const (
	TokenNone    TokenStore = ""        // no token saved
	TokenKeyring TokenStore = "keyring" // in the OS keyring
	TokenSession TokenStore = "session" // in memory until Roster quits
)

// Status is the connection as Admin Settings → Sync shows it; never the token.
type Status struct {
	// Connection is nil while the desktop is not connected.
	Connection *Connection
	// Client is this desktop's client id, "" before its first connect.
	Client     string
	TokenStore TokenStore
	// KeyringProblem says why the OS keyring cannot be used (EUNAVAILABLE,
	// a keyring.* key), or is nil.
	KeyringProblem *backend.Error
}

// ConnectParams is the server to connect to and the administrator's token.
type ConnectParams struct {
	URL   string
	Token string
	// SessionOnly keeps the token in memory until Roster quits instead of
	// in the OS keyring: offer it when Connect failed with a keyring.* error.
	SessionOnly bool
}

// Service keeps the desktop's connection to a directory server. It holds
// the token in memory only: read from the keyring once, or given for this
// session.
type Service struct {
	Settings      backend.SettingService
	Secrets       backend.SecretStore
	Organisations backend.OrganisationService
	Log           *logrus.Logger
	// Options are those of the clients it makes.
	Options Options
	// ConnectTimeout bounds Connect's hello (default DefaultConnectTimeout).
	ConnectTimeout time.Duration
	// Recording, if set, is the database's operation log: it records this
	// desktop's changes while it is connected to a server of its own
	// organisation (Connect, Resume), and stops at Disconnect.
	Recording interface{ SetClient(client string) }
	// OnConnect, if set, is called after Connect or Join succeeded (to
	// sync now).
	OnConnect func()
	// Joining, if set, lets Join make this desktop, not yet set up, a
	// replica of the server's organisation.
	Joining *Joining

	mu          sync.Mutex
	session     string // the token kept for this session only
	haveSession bool
	keyring     string // the keyring's token, once read
	haveKeyring bool
}

// NewService returns the connection service.
func NewService(settings backend.SettingService, secrets backend.SecretStore, orgs backend.OrganisationService, log *logrus.Logger) *Service {
	return &Service{Settings: settings, Secrets: secrets, Organisations: orgs, Log: log}
}

// FindStatus returns the connection, the client id and where the token is.
func (s *Service) FindStatus(ctx context.Context) (*Status, error) {
	conn, err := s.connection(ctx)
	if err != nil {
		return nil, err
	}
	st := &Status{Connection: conn}
	if err := s.Settings.FindSetting(ctx, SettingClient, &st.Client); err != nil && backend.ErrorCode(err) != backend.ENOTFOUND {
		return nil, err
	}
	_, st.TokenStore, err = s.token()
	if err != nil {
		e := backend.AsError(err)
		if e == nil || e.Code != backend.EUNAVAILABLE {
			return nil, err
		}
		st.KeyringProblem = e
	}
	return st, nil
}

// Connect checks the address and the token with the server's hello and,
// when the server manages this desktop's organisation, keeps the
// connection and the token. Errors: EINVALID with field "url" or "token";
// the client's errors (EUNAVAILABLE unreachable, EFORBIDDEN token refused,
// …); ENOTFOUND before first-run setup (Join then); ECONFLICT
// sync.other_organisation, or sync.empty_server when the server's
// organisation is another one still empty (Roster does not send its
// organisation to a server: a desktop joins the server's); EUNAVAILABLE with
// field "token" and a keyring.* key when the keyring cannot keep the token
// (offer SessionOnly). On any error nothing is changed.
func (s *Service) Connect(ctx context.Context, p ConnectParams) (*Status, error) {
	client, err := New(p.URL, p.Token, s.Options)
	if err != nil {
		return nil, err
	}
	org, err := s.Organisations.FindOrganisation(ctx)
	if err != nil {
		return nil, err
	}
	timeout := s.ConnectTimeout
	if timeout <= 0 {
		timeout = DefaultConnectTimeout
	}
	helloCtx, cancel := context.WithTimeout(ctx, timeout)
	hello, err := client.Hello(helloCtx)
	cancel()
	if err != nil {
		s.Log.WithError(err).WithField("server", client.Server()).Warn("sync: cannot connect")
		return nil, err
	}
	if hello.Organisation.ID != org.ID {
		s.Log.WithFields(logrus.Fields{"server": client.Server(), "serverOrganisation": hello.Organisation.ID, "organisation": org.ID,
			"empty": hello.Empty}).Warn("sync: refused a server of another organisation")
		if hello.Empty {
			// Roster cannot send an organisation to a server: a desktop
			// joins the server's organisation at first run instead.
			return nil, backend.MsgSyncEmptyServer.Error(backend.ECONFLICT,
				"server", client.Server(), "serverOrganisation", hello.Organisation.Name, "organisation", org.Name)
		}
		return nil, backend.MsgSyncOtherOrganisation.Error(backend.ECONFLICT,
			"server", client.Server(), "serverOrganisation", hello.Organisation.Name, "organisation", org.Name)
	}
	clientID, err := s.clientID(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.keepToken(p.Token, p.SessionOnly); err != nil {
		return nil, err
	}
	conn := &Connection{
		URL:                client.Server(),
		ServerVersion:      hello.Version,
		OrganisationID:     hello.Organisation.ID,
		OrganisationName:   hello.Organisation.Name,
		AdministratorID:    hello.Administrator.ID,
		AdministratorName:  hello.Administrator.Name,
		AdministratorEmail: hello.Administrator.Email,
		ConnectedAt:        time.Now().UTC(),
	}
	if err := s.Settings.UpdateSetting(ctx, SettingServer, conn); err != nil {
		return nil, err
	}
	if err := s.Settings.UpdateSetting(ctx, SettingClient, clientID); err != nil {
		return nil, err
	}
	s.Log.WithFields(logrus.Fields{"server": conn.URL, "organisation": conn.OrganisationID, "administrator": conn.AdministratorID,
		"client": clientID, "sessionOnly": p.SessionOnly}).Info("sync: connected")
	s.record(conn, org, clientID)
	if s.OnConnect != nil {
		s.OnConnect()
	}
	return s.FindStatus(ctx)
}

// Resume starts recording operations at start when the desktop is
// connected to a server of its own organisation.
func (s *Service) Resume(ctx context.Context) error {
	st, err := s.FindStatus(ctx)
	if err != nil || st.Connection == nil {
		return err
	}
	org, err := s.Organisations.FindOrganisation(ctx)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	s.record(st.Connection, org, st.Client)
	return nil
}

// record turns recording on when conn's server manages org.
func (s *Service) record(conn *Connection, org *backend.Organisation, client string) {
	if s.Recording != nil && conn.OrganisationID == org.ID {
		s.Recording.SetClient(client)
	}
}

// Disconnect forgets the server and the token; the client id stays, so
// that this desktop's operations keep their numbers. A token the keyring
// cannot delete now is logged and replaced at the next Connect.
func (s *Service) Disconnect(ctx context.Context) (*Status, error) {
	if err := s.Settings.UpdateSetting(ctx, SettingServer, nil); err != nil {
		return nil, err
	}
	if s.Recording != nil {
		s.Recording.SetClient("")
	}
	s.mu.Lock()
	s.session, s.haveSession = "", false
	s.keyring, s.haveKeyring = "", false
	s.mu.Unlock()
	if s.Secrets != nil {
		if err := s.Secrets.DeleteSecret(SecretToken); err != nil {
			s.Log.WithError(err).Warn("sync: cannot delete the API token from the keyring")
		}
	}
	s.Log.Info("sync: disconnected")
	return s.FindStatus(ctx)
}

// Transport returns the client of the connected server with its token.
// ENOTFOUND sync.not_connected; EUNAVAILABLE sync.no_token, or a keyring.*
// key when the keyring cannot be read.
func (s *Service) Transport(ctx context.Context) (*Client, error) {
	conn, err := s.connection(ctx)
	if err != nil {
		return nil, err
	}
	if conn == nil {
		return nil, backend.MsgSyncNotConnected.Error(backend.ENOTFOUND)
	}
	token, store, err := s.token()
	if err != nil {
		return nil, err
	}
	if store == TokenNone {
		return nil, backend.MsgSyncNoToken.FieldError(backend.EUNAVAILABLE, "token")
	}
	return New(conn.URL, token, s.Options)
}

// CurrentTransport returns the connected server's client and this
// desktop's client id, or no transport (and no error) while the desktop is
// not connected: the shape of syncer.Engine's Transport. EUNAVAILABLE as
// Transport when the token cannot be had.
func (s *Service) CurrentTransport(ctx context.Context) (backend.SyncTransport, string, error) {
	c, err := s.Transport(ctx)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return nil, "", nil
	} else if err != nil {
		return nil, "", err
	}
	var client string
	if err := s.Settings.FindSetting(ctx, SettingClient, &client); err != nil {
		return nil, "", err
	}
	return c, client, nil
}

// connection returns the saved connection, or nil when there is none.
func (s *Service) connection(ctx context.Context) (*Connection, error) {
	var conn *Connection
	err := s.Settings.FindSetting(ctx, SettingServer, &conn)
	if backend.ErrorCode(err) == backend.ENOTFOUND || (err == nil && (conn == nil || conn.URL == "")) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return conn, nil
}

// clientID returns this desktop's client id, a new random one before the
// first connect (saved by the caller).
func (s *Service) clientID(ctx context.Context) (string, error) {
	var id string
	err := s.Settings.FindSetting(ctx, SettingClient, &id)
	switch {
	case err == nil && id != "":
		return id, nil
	case err == nil, backend.ErrorCode(err) == backend.ENOTFOUND:
		return uuid.NewString(), nil
	}
	return "", err
}

// keepToken puts token in the keyring, or in memory for this session.
func (s *Service) keepToken(token string, sessionOnly bool) error {
	if sessionOnly {
		s.mu.Lock()
		s.session, s.haveSession = token, true
		s.mu.Unlock()
		s.Log.Info("sync: the API token is kept for this session only")
		return nil
	}
	if err := s.Secrets.SetSecret(SecretToken, token); err != nil {
		s.Log.WithError(err).Warn("sync: cannot store the API token in the keyring")
		if e := backend.AsError(err); e != nil {
			return e.WithField("token")
		}
		return err
	}
	s.mu.Lock()
	s.keyring, s.haveKeyring = token, true
	s.session, s.haveSession = "", false
	s.mu.Unlock()
	return nil
}

// token returns the token and where it is: the session's, else the
// keyring's (read once). A keyring without one gives TokenNone and no
// error; an unusable keyring its EUNAVAILABLE error.
func (s *Service) token() (string, TokenStore, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.haveSession {
		return s.session, TokenSession, nil
	}
	if s.haveKeyring {
		return s.keyring, TokenKeyring, nil
	}
	if s.Secrets == nil {
		return "", TokenNone, nil
	}
	t, err := s.Secrets.GetSecret(SecretToken)
	switch backend.ErrorCode(err) {
	case "":
		s.keyring, s.haveKeyring = t, true
		return t, TokenKeyring, nil
	case backend.ENOTFOUND:
		return "", TokenNone, nil
	}
	return "", TokenNone, err
}
