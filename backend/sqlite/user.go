package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"roster/backend"
)

// queryer is what both *sql.DB and *Tx offer for reads.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// userColumns is the column list that scanUser reads, for a query joining roles as r.
const userColumns = `u.id, u.name, u.email, u.role_id, r.name, u.status, u.joined_at, u.removed_at, u.created_at, u.updated_at`

// scanUser reads one row of userColumns.
func scanUser(row interface{ Scan(...any) error }) (*backend.User, error) {
	var u backend.User
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.RoleID, &u.RoleName, &u.Status,
		timeCol{&u.JoinedAt}, nullTime{&u.RemovedAt}, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}); err != nil {
		return nil, err
	}
	return &u, nil
}

// findUserByID returns one user, removed ones included. ENOTFOUND if there is none.
func findUserByID(ctx context.Context, q queryer, id string) (*backend.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.Errorf(backend.ENOTFOUND, "This user does not exist.")
	} else if err != nil {
		return nil, err
	}
	return u, nil
}

// insertUser stores a new user; it fills CreatedAt, UpdatedAt and RoleName.
// ECONFLICT when a current member already has the address.
func insertUser(ctx context.Context, tx *Tx, u *backend.User, emailKey string) error {
	u.CreatedAt, u.UpdatedAt = tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO users
		(id, name, email, email_key, sort_key, search_text, role_id, status, joined_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, u.Email, emailKey, sortKey(listName(u.Name, u.Email)), searchText(u.Name, u.Email),
		u.RoleID, u.Status, formatTime(u.JoinedAt), formatTime(u.CreatedAt), formatTime(u.UpdatedAt)); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return (&backend.Error{Code: backend.ECONFLICT, Message: u.Email + " is already a member.",
				Key: "user.exists", Args: map[string]any{"email": u.Email}}).WithField("email")
		}
		return fmt.Errorf("insert user: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT name FROM roles WHERE id = ?`, u.RoleID).Scan(&u.RoleName); err != nil {
		return fmt.Errorf("insert user: role %s: %w", u.RoleID, err)
	}
	return nil
}
