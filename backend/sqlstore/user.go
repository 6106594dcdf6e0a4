package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"roster/backend"
)

// userColumns is the column list that scanUser reads, for a query joining roles as r.
const userColumns = `u.id, u.name, u.email, u.role_id, r.name, u.status, u.joined_at, u.removed_at, u.created_at, u.updated_at,
	u.last_sign_in_at`

// scanUser reads one row of userColumns.
func scanUser(row scanner) (*backend.User, error) {
	var u backend.User
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.RoleID, &u.RoleName, &u.Status,
		Time(&u.JoinedAt), NullTime(&u.RemovedAt), Time(&u.CreatedAt), Time(&u.UpdatedAt), NullTime(&u.LastSignInAt)); err != nil {
		return nil, err
	}
	return &u, nil
}

// FindUserByID returns one user, removed ones included. ENOTFOUND if there is none.
func (d *Dialect) FindUserByID(ctx context.Context, q Querier, id string) (*backend.User, error) {
	return d.findUser(ctx, q, id, "")
}

// lockUser returns one user like FindUserByID and locks their row until tx
// ends (lock is ForUpdate to change them, ForShare to keep them as they are).
func (d *Dialect) lockUser(ctx context.Context, tx Tx, id, lock string) (*backend.User, error) {
	return d.findUser(ctx, tx, id, lock)
}

func (d *Dialect) findUser(ctx context.Context, q Querier, id, lock string) (*backend.User, error) {
	if lock != "" {
		lock += " OF u"
	}
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.MsgUserNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, d.MapError(err)
	}
	return u, nil
}

// insertUser stores a new user; it fills CreatedAt, UpdatedAt and RoleName.
// ECONFLICT when a current member already has the address.
func (d *Dialect) insertUser(ctx context.Context, tx Tx, u *backend.User, emailKey string) error {
	u.CreatedAt, u.UpdatedAt = tx.Now(), tx.Now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO users
		(id, name, email, email_key, sort_key, search_text, role_id, status, joined_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, u.Email, emailKey, d.SortKey(ListName(u.Name, u.Email)), SearchText(u.Name, u.Email),
		u.RoleID, string(u.Status), d.Time(u.JoinedAt), d.Time(u.CreatedAt), d.Time(u.UpdatedAt)); err != nil {
		if backend.ErrorCode(d.MapError(err)) == backend.ECONFLICT {
			return memberExists(u.Email)
		}
		return d.wrap("insert user", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT name FROM roles WHERE id = ?`, u.RoleID).Scan(&u.RoleName); err != nil {
		return fmt.Errorf("insert user: role %s: %w", u.RoleID, d.MapError(err))
	}
	return nil
}

// UserService implements backend.UserService.
type UserService struct {
	s *Store
}

var _ backend.UserService = (*UserService)(nil)

// NewUserService returns the user service of s.
func NewUserService(s *Store) *UserService {
	return &UserService{s: s}
}

// FindUserByID returns one member, removed ones included.
func (us *UserService) FindUserByID(ctx context.Context, id string) (*backend.User, error) {
	return us.s.FindUserByID(ctx, us.s.DB, id)
}

// userSortColumns maps UserFilter sort columns to ORDER BY terms.
func (d *Dialect) userSortColumns(column string) string {
	switch column {
	case "email":
		return d.Bytes("u.email_key")
	case "role":
		return d.NoCase("r.name")
	case "status":
		return d.Bytes("u.status")
	case "joinedAt":
		return "u.joined_at"
	}
	return "u.sort_key" // "" and "name"
}

// FindUsers returns a page of current members and how many match.
// EINVALID (with a Key) for a filter that fails UserFilter.Validate.
func (us *UserService) FindUsers(ctx context.Context, f backend.UserFilter) ([]*backend.User, int, error) {
	s := us.s
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := []string{"u.status <> 'removed'"}, []any{}
	if f.Search != nil {
		where, args = append(where, `u.search_text LIKE ? ESCAPE '\'`), append(args, s.searchPattern(*f.Search, true))
	}
	if f.RoleID != nil {
		where, args = append(where, "u.role_id = ?"), append(args, *f.RoleID)
	}
	if f.Status != nil {
		where, args = append(where, "u.status = ?"), append(args, string(*f.Status))
	}
	order := s.userSortColumns(f.Sort.Column)
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM users u WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, s.wrap("find users", err)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+userColumns+` FROM users u JOIN roles r ON r.id = u.role_id
		WHERE `+cond+` ORDER BY `+order+Direction(f.Sort.Desc)+`, u.id`+Direction(f.Sort.Desc)+` `+s.Limit(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, s.wrap("find users", err)
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

// UserState is what the audit log keeps of a member.
func UserState(u *backend.User) map[string]any {
	return map[string]any{"name": u.Name, "email": u.Email, "role": u.RoleName, "status": u.Status}
}

// UserTarget names a member in the audit log.
func UserTarget(u *backend.User) AuditTarget {
	return AuditTarget{Type: "user", ID: u.ID, Label: u.Name + " <" + u.Email + ">"}
}

// changeUser runs one change to a member inside tx: it locks and loads
// the member, refuses removed ones, lets apply check and update, and
// writes the audit entry with the state before and after.
func (s *Store) changeUser(ctx context.Context, tx Tx, id, action string, apply func(u *backend.User) error) (*backend.User, error) {
	before, err := s.lockUser(ctx, tx, id, s.ForUpdate)
	if err != nil {
		return nil, err
	}
	if before.Status == backend.UserRemoved {
		return nil, errUserRemoved(before)
	}
	if err := apply(before); err != nil {
		return nil, s.MapError(err)
	}
	after, err := s.FindUserByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := s.WriteAudit(ctx, tx, action, UserTarget(after), UserState(before), UserState(after)); err != nil {
		return nil, err
	}
	return after, nil
}

// errUserRemoved is the refusal to act on a removed member.
func errUserRemoved(u *backend.User) error {
	return backend.MsgUserRemoved.Error(backend.EFORBIDDEN, "name", u.Name)
}

// isLastAdmin is the rule of the last Administrator: u is an active
// Administrator and no other member is one.
func (d *Dialect) isLastAdmin(ctx context.Context, q Querier, u *backend.User) (bool, error) {
	if !u.IsAdministrator() {
		return false, nil
	}
	var others int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role_id = ? AND status = 'active' AND id <> ?`,
		backend.RoleAdministrator, u.ID).Scan(&others); err != nil {
		return false, d.wrap("count administrators", err)
	}
	return others == 0, nil
}

// IsLastAdministrator reports whether u is the only active Administrator.
func (us *UserService) IsLastAdministrator(ctx context.Context, u *backend.User) (bool, error) {
	return us.s.isLastAdmin(ctx, us.s.DB, u)
}

// guardLastAdmin refuses a change that would leave no active Administrator.
// Where writers run at once, it locks the Administrator role's row first
// (FOR NO KEY UPDATE, which the foreign key checks of users.role_id do not
// wait for), so that of two such changes the second counts after the first
// committed.
func (d *Dialect) guardLastAdmin(ctx context.Context, tx Tx, u *backend.User, what *backend.Message) error {
	if !u.IsAdministrator() {
		return nil
	}
	if err := d.lock(ctx, tx, "lock administrators", `SELECT 1 FROM roles WHERE id = 'administrator'`, d.ForUpdate); err != nil {
		return err
	}
	last, err := d.isLastAdmin(ctx, tx, u)
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
func (us *UserService) ChangeUserRole(ctx context.Context, id, roleID string) (*backend.User, error) {
	s := us.s
	d := &backend.UserRoleOp{ID: id, Role: roleID}
	return recordOp(ctx, s, backend.AuditUserRoleChanged, backend.OpChangeUserRole, d, func(tx Tx) (*backend.User, error) {
		return s.applyChangeUserRole(ctx, tx, d)
	})
}

// applyChangeUserRole applies OpChangeUserRole. ENOTFOUND for an unknown
// member or role; EFORBIDDEN for a removed member, the actor themself or
// the last Administrator.
func (s *Store) applyChangeUserRole(ctx context.Context, tx Tx, d *backend.UserRoleOp) (*backend.User, error) {
	return s.changeUser(ctx, tx, d.ID, backend.AuditUserRoleChanged, func(u *backend.User) error {
		role, err := s.findRoleByID(ctx, tx, d.Role)
		if err != nil {
			if e := backend.AsError(err); e != nil {
				return e.WithField("roleId")
			}
			return err
		}
		if role.ID == u.RoleID {
			return nil
		}
		if err := guardSelf(ctx, u, backend.MsgUserSelfRole); err != nil {
			return err
		}
		if role.ID != backend.RoleAdministrator {
			if err := s.guardLastAdmin(ctx, tx, u, backend.MsgUserLastAdminDemoted); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET role_id = ?, updated_at = ? WHERE id = ?`, role.ID, s.Time(tx.Now()), u.ID)
		return err
	})
}

// DeactivateUser stops a member from signing in.
func (us *UserService) DeactivateUser(ctx context.Context, id string) (*backend.User, error) {
	s := us.s
	d := &backend.UserOp{ID: id}
	return recordOp(ctx, s, backend.AuditUserDeactivated, backend.OpDeactivateUser, d, func(tx Tx) (*backend.User, error) {
		return s.applyDeactivateUser(ctx, tx, d)
	})
}

// applyDeactivateUser applies OpDeactivateUser. ENOTFOUND for an unknown
// member; EFORBIDDEN for a removed member, the actor themself or the last
// Administrator.
func (s *Store) applyDeactivateUser(ctx context.Context, tx Tx, d *backend.UserOp) (*backend.User, error) {
	return s.changeUser(ctx, tx, d.ID, backend.AuditUserDeactivated, func(u *backend.User) error {
		if u.Status == backend.UserInactive {
			return nil
		}
		if err := guardSelf(ctx, u, backend.MsgUserSelfDeactivate); err != nil {
			return err
		}
		if err := s.guardLastAdmin(ctx, tx, u, backend.MsgUserLastAdminDeactivated); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET status = 'inactive', updated_at = ? WHERE id = ?`, s.Time(tx.Now()), u.ID)
		return err
	})
}

// ActivateUser lets an inactive member sign in again.
func (us *UserService) ActivateUser(ctx context.Context, id string) (*backend.User, error) {
	s := us.s
	d := &backend.UserOp{ID: id}
	return recordOp(ctx, s, backend.AuditUserActivated, backend.OpActivateUser, d, func(tx Tx) (*backend.User, error) {
		return s.applyActivateUser(ctx, tx, d)
	})
}

// applyActivateUser applies OpActivateUser. ENOTFOUND for an unknown
// member; EFORBIDDEN for a removed one.
func (s *Store) applyActivateUser(ctx context.Context, tx Tx, d *backend.UserOp) (*backend.User, error) {
	return s.changeUser(ctx, tx, d.ID, backend.AuditUserActivated, func(u *backend.User) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET status = 'active', updated_at = ? WHERE id = ?`, s.Time(tx.Now()), u.ID)
		return err
	})
}

// RemoveUser blocks a member's access at once and keeps a tombstone.
func (us *UserService) RemoveUser(ctx context.Context, id string) error {
	s := us.s
	d := &backend.UserOp{ID: id}
	_, err := recordOp(ctx, s, backend.AuditUserRemoved, backend.OpRemoveUser, d, func(tx Tx) (struct{}, error) {
		return struct{}{}, s.applyRemoveUser(ctx, tx, d)
	})
	return err
}

// applyRemoveUser applies OpRemoveUser: it removes a member and voids
// their open password resets. ENOTFOUND for an unknown or removed member;
// EFORBIDDEN for the actor themself or the last Administrator.
func (s *Store) applyRemoveUser(ctx context.Context, tx Tx, d *backend.UserOp) error {
	_, err := s.changeUser(ctx, tx, d.ID, backend.AuditUserRemoved, func(u *backend.User) error {
		if err := guardSelf(ctx, u, backend.MsgUserSelfRemove); err != nil {
			return err
		}
		if err := s.guardLastAdmin(ctx, tx, u, backend.MsgUserLastAdminRemoved); err != nil {
			return err
		}
		now := s.Time(tx.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE users SET status = 'removed', removed_at = ?, updated_at = ? WHERE id = ?`,
			now, now, u.ID); err != nil {
			return err
		}
		return s.voidPasswordResets(ctx, tx, u.ID)
	})
	if backend.ErrorCode(err) == backend.EFORBIDDEN && backend.AsError(err).Key == "user.removed" {
		return backend.MsgUserNotFound.Error(backend.ENOTFOUND)
	}
	return err
}
