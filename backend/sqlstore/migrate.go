package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
)

// Conn is a pool or one connection of it: what Migrate needs.
type Conn interface {
	Querier
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Migrate applies the migrations of fsys (migration/*.sql) that the table
// schema_migrations does not record yet, each in its own transaction, in
// file name order. record is the statement that records one, with its name
// and at as arguments.
func Migrate(ctx context.Context, conn Conn, fsys fs.FS, record string, at any) error {
	names, err := fs.Glob(fsys, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		applied[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range names {
		if applied[name] {
			continue
		}
		if err := ApplyMigration(ctx, conn, fsys, name, record, at); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// ApplyMigration applies the migration of fsys called name in its own
// transaction and records it (see Migrate).
func ApplyMigration(ctx context.Context, conn Conn, fsys fs.FS, name, record string, at any) error {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Without arguments the statement goes by the simple protocol (in
	// PostgreSQL), which runs a file of several statements.
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, record, name, at); err != nil {
		return err
	}
	return tx.Commit()
}
