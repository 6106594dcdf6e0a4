package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
		return nil, backend.MsgUserNotFound.Error(backend.ENOTFOUND)
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
			return memberExists(u.Email)
		}
		return fmt.Errorf("insert user: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT name FROM roles WHERE id = ?`, u.RoleID).Scan(&u.RoleName); err != nil {
		return fmt.Errorf("insert user: role %s: %w", u.RoleID, err)
	}
	return nil
}

var _ backend.UserService = (*UserService)(nil)

// UserService implements backend.UserService.
type UserService struct {
	db *DB
}

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService {
	return &UserService{db: db}
}

// FindUserByID returns one member, removed ones included.
func (s *UserService) FindUserByID(ctx context.Context, id string) (*backend.User, error) {
	return findUserByID(ctx, s.db.db, id)
}

// userSortColumns maps UserFilter sort columns to ORDER BY terms.
var userSortColumns = map[string]string{
	"":         "u.sort_key",
	"name":     "u.sort_key",
	"email":    "u.email_key",
	"role":     "r.name COLLATE NOCASE",
	"status":   "u.status",
	"joinedAt": "u.joined_at",
}

// FindUsers returns a page of current members and how many match.
// EINVALID (with a Key) for a filter that fails UserFilter.Validate.
func (s *UserService) FindUsers(ctx context.Context, f backend.UserFilter) ([]*backend.User, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := []string{"u.status <> 'removed'"}, []any{}
	if f.Search != nil {
		where, args = append(where, `u.search_text LIKE ? ESCAPE '\'`), append(args, likePattern(foldText(*f.Search)))
	}
	if f.RoleID != nil {
		where, args = append(where, "u.role_id = ?"), append(args, *f.RoleID)
	}
	if f.Status != nil {
		where, args = append(where, "u.status = ?"), append(args, *f.Status)
	}
	order := userSortColumns[f.Sort.Column]
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM users u WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users u JOIN roles r ON r.id = u.role_id
		WHERE `+cond+` ORDER BY `+order+direction(f.Sort.Desc)+`, u.id`+direction(f.Sort.Desc)+` `+limitClause(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	users := []*backend.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find users: %w", err)
		}
		users = append(users, u)
	}
	return users, total, rows.Err()
}

// direction renders a sort direction.
func direction(desc bool) string {
	if desc {
		return " DESC"
	}
	return ""
}

// limitClause renders LIMIT/OFFSET; a limit of 0 or less means no limit.
func limitClause(offset, limit int) string {
	if offset < 0 {
		offset = 0
	}
	if limit <= 0 {
		return fmt.Sprintf("LIMIT -1 OFFSET %d", offset)
	}
	return fmt.Sprintf("LIMIT %d OFFSET %d", limit, offset)
}

// userState is what the audit log keeps of a member.
func userState(u *backend.User) map[string]any {
	return map[string]any{"name": u.Name, "email": u.Email, "role": u.RoleName, "status": u.Status}
}

func userTarget(u *backend.User) auditTarget {
	return auditTarget{Type: "user", ID: u.ID, Label: u.Name + " <" + u.Email + ">"}
}

// changeUser runs one change to a member inside a transaction: it loads the
// member, refuses removed ones, lets apply check and update, and writes the
// audit entry with the state before and after.
func (s *UserService) changeUser(ctx context.Context, id, action string, apply func(tx *Tx, u *backend.User) error) (*backend.User, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := findUserByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if before.Status == backend.UserRemoved {
		return nil, errUserRemoved(before)
	}
	if err := apply(tx, before); err != nil {
		return nil, err
	}
	after, err := findUserByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, tx, action, userTarget(after), userState(before), userState(after)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", action, mapError(err))
	}
	return after, nil
}

// errUserRemoved is the refusal to act on a removed member.
func errUserRemoved(u *backend.User) error {
	return backend.MsgUserRemoved.Error(backend.EFORBIDDEN, "name", u.Name)
}

// isLastAdmin is the rule of the last Administrator: u is an active
// Administrator and no other member is one.
func isLastAdmin(ctx context.Context, q queryer, u *backend.User) (bool, error) {
	if !u.IsAdministrator() {
		return false, nil
	}
	var others int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role_id = ? AND status = 'active' AND id <> ?`,
		backend.RoleAdministrator, u.ID).Scan(&others); err != nil {
		return false, fmt.Errorf("count administrators: %w", err)
	}
	return others == 0, nil
}

// IsLastAdministrator reports whether u is the only active Administrator.
func (s *UserService) IsLastAdministrator(ctx context.Context, u *backend.User) (bool, error) {
	return isLastAdmin(ctx, s.db.db, u)
}

// guardLastAdmin refuses a change that would leave no active Administrator.
func guardLastAdmin(ctx context.Context, tx *Tx, u *backend.User, what *backend.Message) error {
	last, err := isLastAdmin(ctx, tx, u)
	if err != nil {
		return err
	}
	if last {
		return what.Error(backend.EFORBIDDEN, "name", u.Name)
	}
	return nil
}

// guardSelf refuses a change to the administrator acting in this installation.
func guardSelf(ctx context.Context, u *backend.User, m *backend.Message) error {
	if actor := backend.ActorFromContext(ctx); actor.ID != "" && actor.ID == u.ID {
		return m.Error(backend.EFORBIDDEN)
	}
	return nil
}

// ChangeUserRole gives a member another role.
func (s *UserService) ChangeUserRole(ctx context.Context, id, roleID string) (*backend.User, error) {
	return s.changeUser(ctx, id, backend.AuditUserRoleChanged, func(tx *Tx, u *backend.User) error {
		role, err := findRoleByID(ctx, tx, roleID)
		if err != nil {
			return backend.AsError(err).WithField("roleId")
		}
		if role.ID == u.RoleID {
			return nil
		}
		if err := guardSelf(ctx, u, backend.MsgUserSelfRole); err != nil {
			return err
		}
		if role.ID != backend.RoleAdministrator {
			if err := guardLastAdmin(ctx, tx, u, backend.MsgUserLastAdminDemoted); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET role_id = ?, updated_at = ? WHERE id = ?`, role.ID, formatTime(tx.now), u.ID)
		return err
	})
}

// DeactivateUser stops a member from signing in.
func (s *UserService) DeactivateUser(ctx context.Context, id string) (*backend.User, error) {
	return s.changeUser(ctx, id, backend.AuditUserDeactivated, func(tx *Tx, u *backend.User) error {
		if u.Status == backend.UserInactive {
			return nil
		}
		if err := guardSelf(ctx, u, backend.MsgUserSelfDeactivate); err != nil {
			return err
		}
		if err := guardLastAdmin(ctx, tx, u, backend.MsgUserLastAdminDeactivated); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET status = 'inactive', updated_at = ? WHERE id = ?`, formatTime(tx.now), u.ID)
		return err
	})
}

// ActivateUser lets an inactive member sign in again.
func (s *UserService) ActivateUser(ctx context.Context, id string) (*backend.User, error) {
	return s.changeUser(ctx, id, backend.AuditUserActivated, func(tx *Tx, u *backend.User) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET status = 'active', updated_at = ? WHERE id = ?`, formatTime(tx.now), u.ID)
		return err
	})
}

// RemoveUser blocks a member's access at once and keeps a tombstone.
func (s *UserService) RemoveUser(ctx context.Context, id string) error {
	_, err := s.changeUser(ctx, id, backend.AuditUserRemoved, func(tx *Tx, u *backend.User) error {
		if err := guardSelf(ctx, u, backend.MsgUserSelfRemove); err != nil {
			return err
		}
		if err := guardLastAdmin(ctx, tx, u, backend.MsgUserLastAdminRemoved); err != nil {
			return err
		}
		now := formatTime(tx.now)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET status = 'removed', removed_at = ?, updated_at = ? WHERE id = ?`,
			now, now, u.ID); err != nil {
			return err
		}
		return voidPasswordResets(ctx, tx, u.ID)
	})
	if backend.ErrorCode(err) == backend.EFORBIDDEN && backend.AsError(err).Key == "user.removed" {
		return backend.MsgUserNotFound.Error(backend.ENOTFOUND)
	}
	return err
}
