package app

import (
	"roster/backend/syncclient"
)

// Sync is the facade of Admin Settings → Sync: the connection to the
// organisation's directory server. The API token is only ever sent in,
// never out.
type Sync struct {
	app *App
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
