package syncclient

import (
	"context"
	"errors"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/sqlstore"
)

// DefaultJoinTimeout bounds Join's first full pull: the administrator
// waits for it at the first-run screen.
const DefaultJoinTimeout = 5 * time.Minute

// Joining is what Join needs beside the connection: the sync engine that
// pulls the server's rows, and the replica that adopts its organisation.
type Joining struct {
	// Sync runs one full sync (syncer.Engine's SyncOnce); ctx carries the
	// acting administrator.
	Sync func(ctx context.Context) error
	// Replica is the desktop's database.
	Replica JoinReplica
	// Timeout bounds the first pull (default DefaultJoinTimeout).
	Timeout time.Duration
}

// JoinReplica is the desktop's database as Join uses it (sqlite.SyncReplica).
type JoinReplica interface {
	Begin(ctx context.Context) (sqlstore.Tx, error)
	// SetSyncCursor moves where the next pull starts.
	SetSyncCursor(ctx context.Context, tx sqlstore.Tx, cursor int64) error
	// AdoptOrganisation makes the desktop a replica of organisation id
	// (name), acting as administrator adminID.
	AdoptOrganisation(ctx context.Context, tx sqlstore.Tx, id, name, adminID string) error
}

// Join makes this desktop, not yet set up, a replica of the server's
// organisation: it checks the address and the token with the server's
// hello, keeps the connection and the token as Connect does, pulls
// everything the server has, and adopts the server's organisation with
// the token's administrator as this desktop's. A failed Join leaves the
// desktop not set up and not connected (rows a broken pull wrote stay
// until a later Join pulls everything again from the start). Errors:
// those of Connect; ECONFLICT organisation.exists when the desktop is set
// up already; the pull's errors (EUNAVAILABLE sync.*).
func (s *Service) Join(ctx context.Context, p ConnectParams) (*Status, error) {
	if s.Joining == nil {
		return nil, errors.New("syncclient: Join without Joining")
	}
	client, err := New(p.URL, p.Token, s.Options)
	if err != nil {
		return nil, err
	}
	if _, err := s.Organisations.FindOrganisation(ctx); err == nil {
		return nil, backend.MsgOrganisationExists.Error(backend.ECONFLICT)
	} else if backend.ErrorCode(err) != backend.ENOTFOUND {
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
		s.Log.WithError(err).WithField("server", client.Server()).Warn("sync: cannot join")
		return nil, err
	}
	clientID, err := s.clientID(ctx)
	if err != nil {
		return nil, err
	}
	// Whatever an earlier, broken join pulled is pulled again from the start.
	if err := s.resetCursor(ctx); err != nil {
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
	if err := s.join(ctx, conn, clientID); err != nil {
		s.Log.WithError(err).WithField("server", conn.URL).Warn("sync: cannot join the server's organisation")
		s.forget(ctx)
		return nil, err
	}
	s.Log.WithFields(logrus.Fields{"server": conn.URL, "organisation": conn.OrganisationID, "administrator": conn.AdministratorID,
		"client": clientID, "sessionOnly": p.SessionOnly}).Info("sync: joined the server's organisation")
	if s.OnConnect != nil {
		s.OnConnect()
	}
	return s.FindStatus(ctx)
}

// join saves the connection, records as client, pulls everything and
// adopts the server's organisation.
func (s *Service) join(ctx context.Context, conn *Connection, clientID string) error {
	if err := s.Settings.UpdateSetting(ctx, SettingServer, conn); err != nil {
		return err
	}
	if err := s.Settings.UpdateSetting(ctx, SettingClient, clientID); err != nil {
		return err
	}
	if s.Recording != nil {
		s.Recording.SetClient(clientID)
	}
	timeout := s.Joining.Timeout
	if timeout <= 0 {
		timeout = DefaultJoinTimeout
	}
	pullCtx, cancel := context.WithTimeout(backend.NewContextWithActor(ctx, backend.Actor{
		ID: conn.AdministratorID, Name: conn.AdministratorName, Client: ClientName()}), timeout)
	defer cancel()
	if err := s.Joining.Sync(pullCtx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return backend.MsgSyncTimeout.Error(backend.EUNAVAILABLE, "server", conn.URL)
		}
		return err
	}
	tx, err := s.Joining.Replica.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.Joining.Replica.AdoptOrganisation(ctx, tx, conn.OrganisationID, conn.OrganisationName, conn.AdministratorID); err != nil {
		return err
	}
	return tx.Commit()
}

// resetCursor makes the next pull start at the beginning.
func (s *Service) resetCursor(ctx context.Context) error {
	tx, err := s.Joining.Replica.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.Joining.Replica.SetSyncCursor(ctx, tx, 0); err != nil {
		return err
	}
	return tx.Commit()
}

// forget undoes a failed Join's connection: the server, the token and
// recording go; what cannot be undone is logged.
func (s *Service) forget(ctx context.Context) {
	if s.Recording != nil {
		s.Recording.SetClient("")
	}
	if err := s.Settings.UpdateSetting(context.WithoutCancel(ctx), SettingServer, nil); err != nil {
		s.Log.WithError(err).Warn("sync: cannot forget the server after a failed join")
	}
	s.mu.Lock()
	keyring := s.haveKeyring
	s.session, s.haveSession = "", false
	s.keyring, s.haveKeyring = "", false
	s.mu.Unlock()
	if keyring && s.Secrets != nil {
		if err := s.Secrets.DeleteSecret(SecretToken); err != nil {
			s.Log.WithError(err).Warn("sync: cannot delete the API token from the keyring")
		}
	}
}

// Connected says whether the desktop is connected to a server.
func (s *Service) Connected(ctx context.Context) (bool, error) {
	conn, err := s.connection(ctx)
	return conn != nil, err
}
