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
	*backend.Storage
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
	return &store{Storage: sqlite.NewStorage(db), Close: db.Close, Where: db.Path(),
		mail: mailStore{outbox: sqlite.NewOutboxService(db), setKeys: func(k backend.OutboxKeys) { db.Keys = k },
			settings: sqlite.NewEmailSettingStore(db)}}, nil
}

// openPostgres opens the PostgreSQL database at url, applying its pending
// migrations.
func openPostgres(url string) (*store, error) {
	db := postgres.NewDB(url)
	if err := db.Open(); err != nil {
		return nil, err
	}
	return &store{Storage: postgres.NewStorage(db), Close: db.Close, Where: db.Redacted(),
		mail: mailStore{outbox: postgres.NewOutboxService(db), setKeys: func(k backend.OutboxKeys) { db.Keys = k }}}, nil
}
