// Package pgtest gives tests a PostgreSQL database of their own on the
// cluster that scripts/with-postgres.sh starts (ROSTER_TEST_POSTGRES).
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"roster/backend/internal/servicetest"
)

// EnvVar names the URL of the test cluster's maintenance database.
const EnvVar = "ROSTER_TEST_POSTGRES"

// NewDatabase creates an empty database for tb, dropped when tb ends, and
// returns its URL. Without the cluster it skips tb, or fails it under
// ROSTER_REQUIRE_SERVICES=1.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvVar)
	if admin == "" {
		servicetest.Require(tb, "PostgreSQL ("+EnvVar+", which scripts/with-postgres.sh sets)")
	}
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("%s: %v", EnvVar, err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "roster_test_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			tb.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
