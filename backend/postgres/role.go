package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"roster/backend"
)

var _ backend.RoleService = (*RoleService)(nil)

// RoleService implements backend.RoleService.
type RoleService struct {
	db *DB
}

// NewRoleService returns the role service of db.
func NewRoleService(db *DB) *RoleService {
	return &RoleService{db: db}
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
const roleOrder = ` ORDER BY r.built_in DESC, r.id = 'administrator', lower(r.name) COLLATE "C", r.id`

func scanRole(row interface{ Scan(...any) error }) (*backend.Role, error) {
	var r backend.Role
	var perms string
	if err := row.Scan(&r.ID, &r.Name, &r.BuiltIn, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}, &perms,
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
func (s *RoleService) FindRoles(ctx context.Context) ([]*backend.Role, error) {
	rows, err := s.db.db.QueryContext(ctx, roleQuery+roleOrder)
	if err != nil {
		return nil, fmt.Errorf("find roles: %w", err)
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
func (s *RoleService) FindRoleByID(ctx context.Context, id string) (*backend.Role, error) {
	return findRoleByID(ctx, s.db.db, id)
}

func findRoleByID(ctx context.Context, q queryer, id string) (*backend.Role, error) {
	r, err := scanRole(q.QueryRowContext(ctx, roleQuery+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &backend.Error{Code: backend.ENOTFOUND, Message: "This role does not exist.", Key: "role.not_found"}
	} else if err != nil {
		return nil, fmt.Errorf("find role: %w", mapError(err))
	}
	return r, nil
}

// resolveRole finds a role by id or by name (case-insensitive), as invitations
// and import files name them. EINVALID (field "role") naming the allowed roles.
func resolveRole(ctx context.Context, q queryer, idOrName string) (*backend.Role, error) {
	key := strings.ToLower(strings.TrimSpace(idOrName))
	if key == "" {
		return nil, (&backend.Error{Code: backend.EINVALID, Message: "Choose a role.", Key: "role.missing"}).WithField("role")
	}
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM roles WHERE id = $1 OR name_key = $2 ORDER BY id = $1 DESC LIMIT 1`,
		strings.TrimSpace(idOrName), key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		names, nerr := roleNames(ctx, q)
		if nerr != nil {
			return nil, nerr
		}
		return nil, (&backend.Error{
			Code:    backend.EINVALID,
			Message: fmt.Sprintf("There is no role “%s”. Use one of: %s.", strings.TrimSpace(idOrName), strings.Join(names, ", ")),
			Key:     "role.unknown",
			Args:    map[string]any{"role": strings.TrimSpace(idOrName), "roles": strings.Join(names, ", ")},
		}).WithField("role")
	} else if err != nil {
		return nil, fmt.Errorf("resolve role: %w", mapError(err))
	}
	return findRoleByID(ctx, q, id)
}

// roleNames lists the roles' names in FindRoles order.
func roleNames(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.name FROM roles r`+roleOrder)
	if err != nil {
		return nil, fmt.Errorf("role names: %w", err)
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
		return "", nil, (&backend.Error{Code: backend.EINVALID, Message: "Give the role at least one permission.",
			Key: "role.no_permissions"}).WithField("permissions")
	}
	var perms []backend.Permission
	for _, perm := range p.Permissions {
		if !slices.Contains(backend.AllPermissions, perm) {
			return "", nil, (&backend.Error{Code: backend.EINVALID, Message: fmt.Sprintf("There is no permission “%s”.", perm),
				Key: "role.unknown_permission", Args: map[string]any{"permission": string(perm)}}).WithField("permissions")
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
	return (&backend.Error{Code: backend.ECONFLICT, Message: fmt.Sprintf("A role named “%s” exists already.", name),
		Key: "role.exists", Args: map[string]any{"name": name}}).WithField("name")
}

// CreateRole adds a custom role. The unique name_key decides a clash, also
// between two processes.
func (s *RoleService) CreateRole(ctx context.Context, p backend.RoleParams) (*backend.Role, error) {
	name, perms, err := parseRoleParams(p)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	id := newID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO roles (id, name, name_key, built_in, created_at, updated_at)
		VALUES ($1, $2, $3, false, $4, $4)`, id, name, strings.ToLower(name), tx.now); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return nil, roleConflict(name)
		}
		return nil, fmt.Errorf("create role: %w", err)
	}
	if err := setPermissions(ctx, tx, id, perms); err != nil {
		return nil, err
	}
	role, err := findRoleByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, tx, backend.AuditRoleCreated, roleTarget(role), nil, roleState(role)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create role: %w", mapError(err))
	}
	return role, nil
}

// lockRole locks a role's row until tx ends and returns the role. FOR
// UPDATE also waits for, and then holds off, the transactions that give the
// role to a member or an invitation (their foreign key check).
func lockRole(ctx context.Context, tx *Tx, id string) (*backend.Role, error) {
	var found string
	err := tx.QueryRowContext(ctx, `SELECT id FROM roles WHERE id = $1 FOR UPDATE`, id).Scan(&found)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &backend.Error{Code: backend.ENOTFOUND, Message: "This role does not exist.", Key: "role.not_found"}
	} else if err != nil {
		return nil, fmt.Errorf("lock role: %w", mapError(err))
	}
	return findRoleByID(ctx, tx, id)
}

// UpdateRole renames a custom role or changes its permissions.
func (s *RoleService) UpdateRole(ctx context.Context, id string, p backend.RoleParams) (*backend.Role, error) {
	name, perms, err := parseRoleParams(p)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := findRoleByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if before.BuiltIn {
		return nil, &backend.Error{Code: backend.EFORBIDDEN, Message: "The built-in roles User and Administrator cannot be changed.",
			Key: "role.built_in"}
	}
	if before, err = lockRole(ctx, tx, id); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE roles SET name = $1, name_key = $2, updated_at = $3 WHERE id = $4`,
		name, strings.ToLower(name), tx.now, id); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return nil, roleConflict(name)
		}
		return nil, fmt.Errorf("update role: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM role_permissions WHERE role_id = $1`, id); err != nil {
		return nil, fmt.Errorf("update role: %w", err)
	}
	if err := setPermissions(ctx, tx, id, perms); err != nil {
		return nil, err
	}
	after, err := findRoleByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, tx, backend.AuditRoleUpdated, roleTarget(after), roleState(before), roleState(after)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update role: %w", mapError(err))
	}
	return after, nil
}

// DeleteRole deletes a custom role that nobody has. It counts the role's
// members and invitations only once it holds the role's lock, so none can
// be given the role between the count and the delete.
func (s *RoleService) DeleteRole(ctx context.Context, id string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	role, err := findRoleByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if role.BuiltIn {
		return &backend.Error{Code: backend.EFORBIDDEN, Message: "The built-in roles User and Administrator cannot be deleted.",
			Key: "role.built_in"}
	}
	if role, err = lockRole(ctx, tx, id); err != nil {
		return err
	}
	if role.UserCount > 0 || role.InvitationCount > 0 {
		return &backend.Error{
			Code: backend.ECONFLICT,
			Message: fmt.Sprintf("“%s” is in use by %d members and %d open invitations. Give them another role first.",
				role.Name, role.UserCount, role.InvitationCount),
			Key:  "role.in_use",
			Args: map[string]any{"name": role.Name, "users": role.UserCount, "invitations": role.InvitationCount},
		}
	}
	// Removed members keep a tombstone that still names a role; it no longer matters which.
	if _, err := tx.ExecContext(ctx, `UPDATE users SET role_id = $1 WHERE role_id = $2 AND status = 'removed'`,
		backend.RoleUser, id); err != nil {
		return fmt.Errorf("delete role: %w", mapError(err))
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM roles WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete role: %w", mapError(err))
	}
	if err := writeAudit(ctx, tx, backend.AuditRoleDeleted, roleTarget(role), roleState(role), nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete role: %w", mapError(err))
	}
	return nil
}

func setPermissions(ctx context.Context, tx *Tx, roleID string, perms []backend.Permission) error {
	for _, p := range perms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)`, roleID, string(p)); err != nil {
			return fmt.Errorf("set permissions: %w", err)
		}
	}
	return nil
}

func roleTarget(r *backend.Role) auditTarget {
	return auditTarget{Type: "role", ID: r.ID, Label: r.Name}
}

// roleState is what the audit log keeps of a role.
func roleState(r *backend.Role) map[string]any {
	return map[string]any{"name": r.Name, "permissions": r.Permissions}
}
