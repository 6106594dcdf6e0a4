package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"roster/backend"
)

// RoleService implements backend.RoleService.
type RoleService struct {
	s *Store
}

var _ backend.RoleService = (*RoleService)(nil)

// NewRoleService returns the role service of s.
func NewRoleService(s *Store) *RoleService {
	return &RoleService{s: s}
}

// roleQuery selects roles with their permissions (comma-separated) and how
// many members and open invitations use them.
const roleQuery = `SELECT r.id, r.name, r.built_in, r.created_at, r.updated_at,
	COALESCE((SELECT string_agg(permission, ',') FROM role_permissions p WHERE p.role_id = r.id), ''),
	(SELECT count(*) FROM users u WHERE u.role_id = r.id AND u.status <> 'removed'),
	(SELECT count(*) FROM invitations i WHERE i.role_id = r.id AND i.state = 'pending')
	FROM roles r`

// roleOrder is FindRoles' order: built-in ones first (User, then
// Administrator), then by name ignoring case.
func (d *Dialect) roleOrder() string {
	return ` ORDER BY r.built_in DESC, r.id = 'administrator', ` + d.NoCase("r.name") + `, r.id`
}

func scanRole(row scanner) (*backend.Role, error) {
	var r backend.Role
	var perms string
	if err := row.Scan(&r.ID, &r.Name, &r.BuiltIn, Time(&r.CreatedAt), Time(&r.UpdatedAt), &perms,
		&r.UserCount, &r.InvitationCount); err != nil {
		return nil, err
	}
	for _, p := range strings.Split(perms, ",") {
		if p != "" {
			r.Permissions = append(r.Permissions, backend.Permission(p))
		}
	}
	sortPermissions(r.Permissions)
	return &r, nil
}

// sortPermissions puts permissions in the guide's order.
func sortPermissions(ps []backend.Permission) {
	slices.SortFunc(ps, func(a, b backend.Permission) int {
		return slices.Index(backend.AllPermissions, a) - slices.Index(backend.AllPermissions, b)
	})
}

// FindRoles returns every role, built-in ones first, then by name.
func (rs *RoleService) FindRoles(ctx context.Context) ([]*backend.Role, error) {
	s := rs.s
	rows, err := s.DB.QueryContext(ctx, roleQuery+s.roleOrder())
	if err != nil {
		return nil, s.wrap("find roles", err)
	}
	defer rows.Close()
	var roles []*backend.Role
	for rows.Next() {
		r, err := scanRole(rows)
		if err != nil {
			return nil, fmt.Errorf("find roles: %w", err)
		}
		roles = append(roles, r)
	}
	return roles, rows.Err()
}

// FindRoleByID returns one role.
func (rs *RoleService) FindRoleByID(ctx context.Context, id string) (*backend.Role, error) {
	return rs.s.findRoleByID(ctx, rs.s.DB, id)
}

func (d *Dialect) findRoleByID(ctx context.Context, q Querier, id string) (*backend.Role, error) {
	r, err := scanRole(q.QueryRowContext(ctx, roleQuery+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.MsgRoleNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, d.wrap("find role", err)
	}
	return r, nil
}

// ResolveRole finds a role by id or by name (case-insensitive), as invitations
// and import files name them. EINVALID (field "role") naming the allowed roles.
func (d *Dialect) ResolveRole(ctx context.Context, q Querier, idOrName string) (*backend.Role, error) {
	id, _, err := d.roleRef(ctx, q, idOrName)
	if err != nil {
		return nil, err
	}
	return d.findRoleByID(ctx, q, id)
}

// roleRef returns the id and name of a role named by id or by name
// (case-insensitive), with ResolveRole's errors, without reading the rest
// of the role.
func (d *Dialect) roleRef(ctx context.Context, q Querier, idOrName string) (id, name string, err error) {
	trimmed := strings.TrimSpace(idOrName)
	key := strings.ToLower(trimmed)
	if key == "" {
		return "", "", backend.MsgRoleMissing.FieldError(backend.EINVALID, "role")
	}
	err = q.QueryRowContext(ctx, `SELECT id, name FROM roles WHERE id = ? OR name_key = ? ORDER BY id = ? DESC LIMIT 1`,
		trimmed, key, trimmed).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		names, nerr := d.roleNames(ctx, q)
		if nerr != nil {
			return "", "", nerr
		}
		return "", "", backend.MsgRoleUnknown.FieldError(backend.EINVALID, "role", "role", trimmed, "roles", strings.Join(names, ", "))
	} else if err != nil {
		return "", "", d.wrap("resolve role", err)
	}
	return id, name, nil
}

// roleNames lists the roles' names in FindRoles order.
func (d *Dialect) roleNames(ctx context.Context, q Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.name FROM roles r`+d.roleOrder())
	if err != nil {
		return nil, d.wrap("role names", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// parseRoleParams validates a role's name and permissions.
func parseRoleParams(p backend.RoleParams) (string, []backend.Permission, error) {
	name, err := backend.ParseName(p.Name, "name")
	if err != nil {
		return "", nil, err
	}
	if len(p.Permissions) == 0 {
		return "", nil, backend.MsgRoleNoPermissions.FieldError(backend.EINVALID, "permissions")
	}
	var perms []backend.Permission
	for _, perm := range p.Permissions {
		if !slices.Contains(backend.AllPermissions, perm) {
			return "", nil, backend.MsgRoleUnknownPermission.FieldError(backend.EINVALID, "permissions", "permission", string(perm))
		}
		if !slices.Contains(perms, perm) {
			perms = append(perms, perm)
		}
	}
	sortPermissions(perms)
	return name, perms, nil
}

// roleConflict is the error for a taken role name.
func roleConflict(name string) error {
	return backend.MsgRoleExists.FieldError(backend.ECONFLICT, "name", "name", name)
}

// CreateRole adds a custom role. The unique name_key decides a clash, also
// between two processes.
func (rs *RoleService) CreateRole(ctx context.Context, p backend.RoleParams) (*backend.Role, error) {
	s := rs.s
	name, perms, err := parseRoleParams(p)
	if err != nil {
		return nil, err
	}
	d := &backend.RoleOp{ID: NewID(), Name: name, Permissions: perms}
	return recordOp(ctx, s, "create role", backend.OpCreateRole, d, func(tx Tx) (*backend.Role, error) {
		return s.applyCreateRole(ctx, tx, d)
	})
}

// applyCreateRole applies OpCreateRole: it adds custom role d.ID.
// EINVALID for a bad name or permissions; ECONFLICT when another role has
// the name.
func (s *Store) applyCreateRole(ctx context.Context, tx Tx, d *backend.RoleOp) (*backend.Role, error) {
	name, perms, err := parseRoleParams(backend.RoleParams{Name: d.Name, Permissions: d.Permissions})
	if err != nil {
		return nil, err
	}
	now := s.Time(tx.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO roles (id, name, name_key, built_in, created_at, updated_at)
		VALUES (?, ?, ?, false, ?, ?)`, d.ID, name, strings.ToLower(name), now, now); err != nil {
		return nil, s.roleWriteError("create role", name, err)
	}
	return s.savePermissions(ctx, tx, d.ID, perms, backend.AuditRoleCreated, nil)
}

// lockRole returns role r again, read after its row was locked until tx
// ends, where writers run at once (with one writer, r as it is): FOR UPDATE
// also waits for, and then holds off, the transactions that give the role
// to a member or an invitation (their foreign key check).
func (d *Dialect) lockRole(ctx context.Context, tx Tx, r *backend.Role) (*backend.Role, error) {
	if d.ForKeyUpdate == "" {
		return r, nil
	}
	var found string
	err := tx.QueryRowContext(ctx, `SELECT id FROM roles WHERE id = ?`+d.ForKeyUpdate, r.ID).Scan(&found)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.MsgRoleNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, d.wrap("lock role", err)
	}
	return d.findRoleByID(ctx, tx, r.ID)
}

// UpdateRole renames a custom role or changes its permissions.
func (rs *RoleService) UpdateRole(ctx context.Context, id string, p backend.RoleParams) (*backend.Role, error) {
	s := rs.s
	name, perms, err := parseRoleParams(p)
	if err != nil {
		return nil, err
	}
	d := &backend.RoleOp{ID: id, Name: name, Permissions: perms}
	return recordOp(ctx, s, "update role", backend.OpUpdateRole, d, func(tx Tx) (*backend.Role, error) {
		return s.applyUpdateRole(ctx, tx, d)
	})
}

// applyUpdateRole applies OpUpdateRole: it renames custom role d.ID or
// changes its permissions. EINVALID for a bad name or permissions;
// ENOTFOUND for an unknown role; EFORBIDDEN for a built-in one; ECONFLICT
// when another role has the name.
func (s *Store) applyUpdateRole(ctx context.Context, tx Tx, d *backend.RoleOp) (*backend.Role, error) {
	name, perms, err := parseRoleParams(backend.RoleParams{Name: d.Name, Permissions: d.Permissions})
	if err != nil {
		return nil, err
	}
	before, err := s.findRoleByID(ctx, tx, d.ID)
	if err != nil {
		return nil, err
	}
	if before.BuiltIn {
		return nil, backend.MsgRoleBuiltIn.Error(backend.EFORBIDDEN)
	}
	if before, err = s.lockRole(ctx, tx, before); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE roles SET name = ?, name_key = ?, updated_at = ? WHERE id = ?`,
		name, strings.ToLower(name), s.Time(tx.Now()), d.ID); err != nil {
		return nil, s.roleWriteError("update role", name, err)
	}
	return s.savePermissions(ctx, tx, d.ID, perms, backend.AuditRoleUpdated, before)
}

// DeleteRole deletes a custom role that nobody has. Where writers run at
// once, it counts the role's members and invitations only once it holds the
// role's lock, so none can be given the role between the count and the
// delete.
func (rs *RoleService) DeleteRole(ctx context.Context, id string) error {
	s := rs.s
	d := &backend.RoleOp{ID: id}
	_, err := recordOp(ctx, s, "delete role", backend.OpDeleteRole, d, func(tx Tx) (struct{}, error) {
		return struct{}{}, s.applyDeleteRole(ctx, tx, d)
	})
	return err
}

// applyDeleteRole applies OpDeleteRole: it deletes custom role d.ID.
// ENOTFOUND for an unknown role; EFORBIDDEN for a built-in one; ECONFLICT
// while members or open invitations have it.
func (s *Store) applyDeleteRole(ctx context.Context, tx Tx, d *backend.RoleOp) error {
	role, err := s.findRoleByID(ctx, tx, d.ID)
	if err != nil {
		return err
	}
	if role.BuiltIn {
		return backend.MsgRoleBuiltIn.Error(backend.EFORBIDDEN)
	}
	if role, err = s.lockRole(ctx, tx, role); err != nil {
		return err
	}
	if role.UserCount > 0 || role.InvitationCount > 0 {
		return backend.MsgRoleInUse.Error(backend.ECONFLICT, "name", role.Name, "users", role.UserCount, "invitations", role.InvitationCount)
	}
	// Removed members keep a tombstone that still names a role; it no longer matters which.
	if _, err := tx.ExecContext(ctx, `UPDATE users SET role_id = ? WHERE role_id = ? AND status = 'removed'`,
		backend.RoleUser, d.ID); err != nil {
		return s.wrap("delete role", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM roles WHERE id = ?`, d.ID); err != nil {
		return s.wrap("delete role", err)
	}
	return s.WriteAudit(ctx, tx, backend.AuditRoleDeleted, roleTarget(role), roleState(role), nil)
}

// roleWriteError is the error of a write of a role named name: ECONFLICT
// when another role has the name, else err with what.
func (d *Dialect) roleWriteError(what, name string, err error) error {
	if backend.ErrorCode(d.MapError(err)) == backend.ECONFLICT {
		return roleConflict(name)
	}
	return d.wrap(what, err)
}

// savePermissions gives role id the permissions perms (replacing those of
// before, the role as it was, if it is not new), reads the role back and
// records action in the audit log.
func (d *Dialect) savePermissions(ctx context.Context, tx Tx, id string, perms []backend.Permission, action string,
	before *backend.Role) (*backend.Role, error) {
	var was any
	if before != nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM role_permissions WHERE role_id = ?`, id); err != nil {
			return nil, d.wrap("set permissions", err)
		}
		was = roleState(before)
	}
	for _, p := range perms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)`, id, string(p)); err != nil {
			return nil, d.wrap("set permissions", err)
		}
	}
	role, err := d.findRoleByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := d.WriteAudit(ctx, tx, action, roleTarget(role), was, roleState(role)); err != nil {
		return nil, err
	}
	return role, nil
}

func roleTarget(r *backend.Role) AuditTarget {
	return AuditTarget{Type: "role", ID: r.ID, Label: r.Name}
}

// roleState is what the audit log keeps of a role.
func roleState(r *backend.Role) map[string]any {
	return map[string]any{"name": r.Name, "permissions": r.Permissions}
}
