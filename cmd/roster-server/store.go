package main

import (
	"context"

	"roster/backend"
	"roster/backend/mail"
	"roster/backend/postgres"
	"roster/backend/server"
	"roster/backend/sqlite"
)

// store is the open database of a command and the services over it: a
// SQLite file (--db) or a PostgreSQL database (--postgres), which several
// server processes can share.
type store struct {
	Organisations backend.OrganisationService
	Users         backend.UserService
	Roles         backend.RoleService
	Invitations   backend.InvitationService
	Resets        backend.PasswordResetService
	Audit         backend.AuditService
	Links         backend.LinkService
	Credentials   backend.CredentialService
	Sessions      backend.SessionService
	APITokens     backend.APITokenService
	RateLimits    backend.RateLimitService
	// HashedLinks issues links from token hashes minted elsewhere: by a
	// desktop (the admin API) or by the commands, which queue no email.
	HashedLinks backend.HashedLinkService
	// Ping reports whether the database answers.
	Ping func(ctx context.Context) error
	// Close closes the database.
	Close func() error
	// Where names the database for the log: the file, or the URL without
	// its password.
	Where string
	// mail is what serve's mail worker needs of the database.
	mail mailStore
}

// mailStore is the outbox of a database and how to seal it.
type mailStore struct {
	// outbox is the queue the mail worker sends from.
	outbox mail.Queue
	// setKeys makes the database seal (and open) the outbox's data with
	// keys.
	setKeys func(keys backend.OutboxKeys)
	// settings finds the organisation's saved email settings, if the
	// database keeps any (PostgreSQL does not: the desktops keep theirs).
	settings settingsFinder
}

// settingsFinder finds saved email settings; ENOTFOUND before any were saved.
type settingsFinder interface {
	FindEmailSettings(ctx context.Context) (*backend.EmailSettings, error)
}

// openSQLite opens (and creates, if missing) the SQLite database at path.
func openSQLite(path string) (*store, error) {
	db := sqlite.NewDB(path)
	db.BusyTimeout = server.BusyTimeout // many requests' writes queue at once
	if err := db.Open(); err != nil {
		return nil, err
	}
	return &store{
		mail: mailStore{outbox: sqlite.NewOutboxService(db), setKeys: func(k backend.OutboxKeys) { db.Keys = k },
			settings: sqlite.NewEmailSettingStore(db)},
		Organisations: sqlite.NewOrganisationService(db),
		Users:         sqlite.NewUserService(db),
		Roles:         sqlite.NewRoleService(db),
		Invitations:   sqlite.NewInvitationService(db),
		Resets:        sqlite.NewPasswordResetService(db),
		Audit:         sqlite.NewAuditService(db),
		Links:         sqlite.NewLinkService(db),
		Credentials:   sqlite.NewCredentialService(db),
		Sessions:      sqlite.NewSessionService(db),
		APITokens:     sqlite.NewAPITokenService(db),
		RateLimits:    sqlite.NewRateLimitService(db),
		HashedLinks:   sqlite.NewHashedLinkService(db),
		Ping:          db.Ping,
		Close:         db.Close,
		Where:         db.Path(),
	}, nil
}

// openPostgres opens the PostgreSQL database at url, applying its pending
// migrations.
func openPostgres(url string) (*store, error) {
	db := postgres.NewDB(url)
	if err := db.Open(); err != nil {
		return nil, err
	}
	return &store{
		mail:          mailStore{outbox: postgres.NewOutboxService(db), setKeys: func(k backend.OutboxKeys) { db.Keys = k }},
		Organisations: postgres.NewOrganisationService(db),
		Users:         postgres.NewUserService(db),
		Roles:         postgres.NewRoleService(db),
		Invitations:   postgres.NewInvitationService(db),
		Resets:        postgres.NewPasswordResetService(db),
		Audit:         postgres.NewAuditService(db),
		Links:         postgres.NewLinkService(db),
		Credentials:   postgres.NewCredentialService(db),
		Sessions:      postgres.NewSessionService(db),
		APITokens:     postgres.NewAPITokenService(db),
		RateLimits:    postgres.NewRateLimitService(db),
		HashedLinks:   postgres.NewHashedLinkService(db),
		Ping:          db.Ping,
		Close:         db.Close,
		Where:         db.Redacted(),
	}, nil
}

// services are the services the server uses.
func services(st *store) server.Services {
	return server.Services{
		Organisations: st.Organisations,
		Users:         st.Users,
		Invitations:   st.Invitations,
		Resets:        st.Resets,
		Links:         st.Links,
		Credentials:   st.Credentials,
		Sessions:      st.Sessions,
		RateLimits:    st.RateLimits,
		APITokens:     st.APITokens,
		Roles:         st.Roles,
		Audit:         st.Audit,
		HashedLinks:   st.HashedLinks,
		Ready:         st.Ping,
	}
}
