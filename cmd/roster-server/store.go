package main

import (
	"context"

	"roster/backend"
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
	// HashedLinks issues links from token hashes that desktops minted (the
	// admin API); nil where the database does not offer it yet.
	HashedLinks backend.HashedLinkService
	// Ping reports whether the database answers.
	Ping func(ctx context.Context) error
	// Close closes the database.
	Close func() error
	// Where names the database for the log: the file, or the URL without
	// its password.
	Where string
	// sqlite is the SQLite database, whose outbox serve's mail worker
	// sends from; nil on PostgreSQL, which has no outbox service yet.
	sqlite *sqlite.DB
}

// openSQLite opens (and creates, if missing) the SQLite database at path.
func openSQLite(path string) (*store, error) {
	db := sqlite.NewDB(path)
	db.BusyTimeout = server.BusyTimeout // many requests' writes queue at once
	if err := db.Open(); err != nil {
		return nil, err
	}
	return &store{
		sqlite:        db,
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
	svc := postgres.NewServices(db)
	return &store{
		Organisations: svc.Organisations,
		Users:         svc.Users,
		Roles:         svc.Roles,
		Invitations:   postgres.NewInvitationService(db),
		Resets:        svc.Resets,
		Audit:         svc.Audit,
		Links:         svc.Links,
		Credentials:   svc.Credentials,
		Sessions:      svc.Sessions,
		APITokens:     svc.APITokens,
		RateLimits:    postgres.NewRateLimitService(db),
		HashedLinks:   svc.HashedLinks,
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
