package app

import (
	"context"
	"errors"
	"time"

	"roster/backend"
	"roster/backend/syncclient"
	"roster/backend/syncer"
)

// EventSyncStatus reports every change of where sync stands: SyncStatusDTO.
const EventSyncStatus = "sync:status"

// DefaultSyncNowTimeout bounds SyncNow: the administrator waits for it.
const DefaultSyncNowTimeout = 2 * time.Minute

// Sync is the facade of Admin Settings → Sync: the connection to the
// organisation's directory server. The API token is only ever sent in,
// never out.
type Sync struct {
	app *App
	// timeout bounds SyncNow (DefaultSyncNowTimeout when 0).
	timeout time.Duration
	changes throttle
	// emitStatus, if set, receives the status events instead of the
	// window (tests).
	emitStatus func(SyncStatusDTO)
}

// SyncSettingsDTO is the Sync section's content. The token is never part
// of it: TokenStore says whether and where one is kept.
type SyncSettingsDTO struct {
	// Connected is false until Connect succeeded (and after Disconnect);
	// the server's fields are then empty.
	Connected bool `json:"connected"`
	// URL is the server's base address.
	URL           string `json:"url"`
	ServerVersion string `json:"serverVersion"`
	// OrganisationName is the organisation the server manages.
	OrganisationName   string `json:"organisationName"`
	AdministratorName  string `json:"administratorName"`
	AdministratorEmail string `json:"administratorEmail"`
	ConnectedAt        string `json:"connectedAt"`
	// ClientName is how the server's audit log names this desktop.
	ClientName string `json:"clientName"`
	// TokenStore is "keyring", "session" (kept in memory until Roster
	// quits) or "" (none saved).
	TokenStore string `json:"tokenStore"`
	// KeyringProblem says why the system keyring cannot be used (code
	// "unavailable", a keyring.* key), or is null.
	KeyringProblem *ErrorDTO `json:"keyringProblem"`
}

// SyncConnectParams is the server to connect to and the administrator's
// API token (made with roster-server token create).
type SyncConnectParams struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	// SessionOnly keeps the token in memory until Roster quits instead of
	// in the system keyring: offer it when connecting failed with a
	// keyring.* error.
	SessionOnly bool `json:"sessionOnly"`
}

// GetSyncSettings returns the connection and where the token is.
func (s *Sync) GetSyncSettings() (SyncSettingsDTO, error) {
	st, err := s.app.deps.Sync.FindStatus(s.app.callContext())
	if err != nil {
		return SyncSettingsDTO{}, err
	}
	return syncSettingsDTO(st), nil
}

// ConnectSync asks the server who it is and, when it manages this
// desktop's organisation, keeps the connection and the token. Errors: invalid with
// field "url" or "token" (sync.url_*, sync.token_*, sync.redirect);
// unavailable (sync.unreachable, sync.timeout, sync.certificate,
// sync.server_failed, sync.bad_answer, sync.not_supported, api.rate_limited);
// forbidden with field "token" (sync.token_refused, api_token.not_admin);
// conflict (sync.other_organisation, sync.empty_server); unavailable with field "token" and a
// keyring.* key when the keyring cannot keep the token (offer
// SessionOnly). On any error nothing is changed.
func (s *Sync) ConnectSync(p SyncConnectParams) (SyncSettingsDTO, error) {
	st, err := s.app.deps.Sync.Connect(s.app.callContext(), syncclient.ConnectParams{URL: p.URL, Token: p.Token, SessionOnly: p.SessionOnly})
	if err != nil {
		return SyncSettingsDTO{}, err
	}
	return syncSettingsDTO(st), nil
}

// DisconnectSync forgets the server and the token.
func (s *Sync) DisconnectSync() (SyncSettingsDTO, error) {
	st, err := s.app.deps.Sync.Disconnect(s.app.callContext())
	if err != nil {
		return SyncSettingsDTO{}, err
	}
	return syncSettingsDTO(st), nil
}

// syncSettingsDTO describes a connection status, never its token.
func syncSettingsDTO(st *syncclient.Status) SyncSettingsDTO {
	dto := SyncSettingsDTO{ClientName: syncclient.ClientName(), TokenStore: string(st.TokenStore)}
	if c := st.Connection; c != nil {
		dto.Connected = true
		dto.URL = c.URL
		dto.ServerVersion = c.ServerVersion
		dto.OrganisationName = c.OrganisationName
		dto.AdministratorName = c.AdministratorName
		dto.AdministratorEmail = c.AdministratorEmail
		dto.ConnectedAt = formatTime(c.ConnectedAt)
	}
	if p := st.KeyringProblem; p != nil {
		problem := errorDTO(p)
		dto.KeyringProblem = &problem
	}
	return dto
}

// SyncStatusDTO is where sync stands, for the Sync section and the
// window's indicator.
type SyncStatusDTO struct {
	// Connected says a directory server is configured; the rest is then
	// meaningful.
	Connected bool `json:"connected"`
	// Running says a sync is under way.
	Running bool `json:"running"`
	// Pending counts the changes made here the server has not yet
	// acknowledged.
	Pending int `json:"pending"`
	// LastSyncAt is when a sync last completed ("" not yet since Roster
	// started).
	LastSyncAt string `json:"lastSyncAt"`
	// LastError is why the last attempt failed, or null after a success.
	LastError *ErrorDTO `json:"lastError"`
	// Conflicts counts the refusals the last sync brought.
	Conflicts int `json:"conflicts"`
}

// JoinSync makes this Roster, not yet set up, a replica of the directory
// server's organisation: it checks the address and the token as
// ConnectSync does, pulls all members, invitations, roles and audit
// entries, and adopts the server's organisation with the token's
// administrator. Errors: those of ConnectSync but sync.other_organisation;
// conflict (organisation.exists) once set up. A failed join leaves Roster
// at the first-run screen, not connected, and can be tried again.
func (s *Sync) JoinSync(p SyncConnectParams) (SyncSettingsDTO, error) {
	st, err := s.app.deps.Sync.Join(s.app.callContext(), syncclient.ConnectParams{URL: p.URL, Token: p.Token, SessionOnly: p.SessionOnly})
	if err != nil {
		return SyncSettingsDTO{}, err
	}
	return syncSettingsDTO(st), nil
}

// GetSyncStatus returns where sync stands.
func (s *Sync) GetSyncStatus() (SyncStatusDTO, error) {
	return s.status(s.app.callContext())
}

// SyncNow syncs at once and returns where sync then stands. Errors:
// not_found (sync.not_connected); the sync's errors (unavailable sync.*
// when the server cannot be reached, sync.timeout when it took too long).
func (s *Sync) SyncNow() (SyncStatusDTO, error) {
	ctx := s.app.callContext()
	connected, err := s.app.deps.Sync.Connected(ctx)
	if err != nil {
		return SyncStatusDTO{}, err
	}
	if !connected {
		return SyncStatusDTO{}, backend.MsgSyncNotConnected.Error(backend.ENOTFOUND)
	}
	timeout := s.timeout
	if timeout <= 0 {
		timeout = DefaultSyncNowTimeout
	}
	syncCtx, cancel := context.WithTimeout(ctx, timeout)
	err = s.app.deps.SyncEngine.SyncNow(syncCtx)
	cancel()
	if errors.Is(err, context.DeadlineExceeded) {
		server := ""
		if st, e := s.app.deps.Sync.FindStatus(ctx); e == nil && st.Connection != nil {
			server = st.Connection.URL
		}
		return SyncStatusDTO{}, backend.MsgSyncTimeout.Error(backend.EUNAVAILABLE, "server", server)
	}
	if err != nil {
		return SyncStatusDTO{}, err
	}
	return s.status(ctx)
}

// status describes the engine's status, with the pending changes counted now.
func (s *Sync) status(ctx context.Context) (SyncStatusDTO, error) {
	connected, err := s.app.deps.Sync.Connected(ctx)
	if err != nil {
		return SyncStatusDTO{}, err
	}
	dto := SyncStatusDTO{Connected: connected}
	engine := s.app.deps.SyncEngine
	if engine == nil {
		return dto, nil
	}
	st := engine.Status()
	dto.Running, dto.Conflicts = st.Running, st.Conflicts
	if dto.Pending, err = engine.Replica.CountPendingOps(ctx); err != nil {
		return SyncStatusDTO{}, err
	}
	if st.LastSyncAt != nil {
		dto.LastSyncAt = formatTime(*st.LastSyncAt)
	}
	if st.LastError != nil {
		// The engine logged it in full; the window gets the coded message.
		e := ErrorDTO{Code: backend.EINTERNAL, Message: backend.ErrorMessage(st.LastError), Key: "internal"}
		if coded := backend.AsError(st.LastError); coded != nil && coded.Code != backend.EINTERNAL {
			e = errorDTO(coded)
		}
		dto.LastError = &e
	}
	return dto, nil
}

// reportStatus sends where sync stands to the window.
func (s *Sync) reportStatus() {
	dto, err := s.status(context.Background())
	if err != nil {
		s.app.log.WithError(err).Warn("sync: cannot read the status")
		return
	}
	if s.emitStatus != nil {
		s.emitStatus(dto)
		return
	}
	s.app.emit(EventSyncStatus, dto)
}

// SyncStatusChanged returns the callback for syncer.Engine.OnStatus.
func (a *App) SyncStatusChanged() func(syncer.Status) {
	return func(syncer.Status) { a.Sync.reportStatus() }
}

// SyncChanged reports the status after a local change was recorded (one
// more change waiting for sync), at most about five times a second: a
// burst of changes ends with the engine's sync, which reports again.
func (a *App) SyncChanged() {
	if a.Sync.changes.allow(false) {
		a.Sync.reportStatus()
	}
}
