package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"roster/backend"
)

var _ backend.ConflictService = (*ConflictService)(nil)

// ConflictService implements backend.ConflictService over the conflicts a
// desktop recorded (RecordConflicts) for its client id, which a column
// resolved_at marks as resolved. A change made again goes through the
// same public service methods as any other, so it is a new operation.
type ConflictService struct {
	s      *Store
	inv    *InvitationService
	users  *UserService
	resets *PasswordResetService
	roles  *RoleService
}

// NewConflictService returns the conflict service of s.
func NewConflictService(s *Store) *ConflictService {
	return &ConflictService{s: s, inv: NewInvitationService(s), users: NewUserService(s),
		resets: NewPasswordResetService(s), roles: NewRoleService(s)}
}

// FindConflicts returns this desktop's conflicts not yet resolved, newest
// first, each with its change and the server's rows made readable with
// the names of this desktop's roles, members and invitations.
func (cs *ConflictService) FindConflicts(ctx context.Context) ([]*backend.SyncConflict, error) {
	s := cs.s
	client := s.OpLog.Client()
	list := []*backend.SyncConflict{}
	if client == "" {
		return list, nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT seq, kind, at, data, error, COALESCE(server, '[]') FROM sync_conflicts
		WHERE client_id = ? AND resolved_at IS NULL ORDER BY seq DESC`, client)
	if err != nil {
		return nil, s.wrap("find conflicts", err)
	}
	var stored []*backend.Conflict
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		stored = append(stored, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap("find conflicts", err)
	}
	if len(stored) == 0 {
		return list, nil
	}
	r, err := cs.newReader(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range stored {
		sc, err := r.conflict(ctx, c)
		if err != nil {
			return nil, err
		}
		list = append(list, sc)
	}
	return list, nil
}

// scanConflict reads a row of seq, kind, at, data, error, server.
func scanConflict(row scanner) (*backend.Conflict, error) {
	c := &backend.Conflict{}
	var kind, data, refusal, server string
	if err := row.Scan(&c.Seq, &kind, Time(&c.At), &data, &refusal, &server); err != nil {
		return nil, fmt.Errorf("find conflicts: %w", err)
	}
	c.Kind, c.Data = backend.OpKind(kind), json.RawMessage(data)
	if err := json.Unmarshal([]byte(refusal), &c.Error); err != nil {
		return nil, fmt.Errorf("find conflicts: %w", err)
	}
	if err := json.Unmarshal([]byte(server), &c.Server); err != nil {
		return nil, fmt.Errorf("find conflicts: %w", err)
	}
	return c, nil
}

// findConflict returns this desktop's unresolved conflict seq.
// ENOTFOUND (sync.conflict_not_found).
func (cs *ConflictService) findConflict(ctx context.Context, seq int64) (*backend.Conflict, error) {
	s := cs.s
	client := s.OpLog.Client()
	c, err := scanConflict(s.DB.QueryRowContext(ctx, `SELECT seq, kind, at, data, error, COALESCE(server, '[]')
		FROM sync_conflicts WHERE client_id = ? AND seq = ? AND resolved_at IS NULL`, client, seq))
	if client == "" || err != nil && isNoRows(err) {
		return nil, backend.MsgSyncConflictNotFound.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, err
	}
	return c, nil
}

// DiscardConflict marks conflict seq resolved; nothing else changes, as
// the replica holds the server's rows already.
func (cs *ConflictService) DiscardConflict(ctx context.Context, seq int64) error {
	return cs.resolve(ctx, seq)
}

// resolve marks this desktop's conflict seq resolved. ENOTFOUND when it
// is not there or resolved already.
func (cs *ConflictService) resolve(ctx context.Context, seq int64) error {
	s := cs.s
	client := s.OpLog.Client()
	if client == "" {
		return backend.MsgSyncConflictNotFound.Error(backend.ENOTFOUND)
	}
	res, err := s.DB.ExecContext(ctx, `UPDATE sync_conflicts SET resolved_at = ? WHERE client_id = ? AND seq = ? AND resolved_at IS NULL`,
		s.Time(s.Now().UTC()), client, seq)
	if err != nil {
		return s.wrap("resolve conflict", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.wrap("resolve conflict", err)
	} else if n == 0 {
		return backend.MsgSyncConflictNotFound.Error(backend.ENOTFOUND)
	}
	return nil
}

// ApplyAgain makes conflict seq's change again through its service
// method, with edit, and then marks the conflict resolved.
func (cs *ConflictService) ApplyAgain(ctx context.Context, seq int64, edit backend.ConflictEdit) error {
	c, err := cs.findConflict(ctx, seq)
	if err != nil {
		return err
	}
	var d struct {
		ID          string               `json:"id"`
		Email       string               `json:"email"`
		Role        string               `json:"role"`
		UserID      string               `json:"userId"`
		Name        string               `json:"name"`
		Permissions []backend.Permission `json:"permissions"`
	}
	if err := json.Unmarshal(c.Data, &d); err != nil {
		return backend.MsgSyncConflictNotRepeatable.Error(backend.EINVALID, "kind", string(c.Kind))
	}
	email, role, name, perms := or(edit.Email, d.Email), or(edit.Role, d.Role), or(edit.Name, d.Name), d.Permissions
	if edit.Permissions != nil {
		perms = edit.Permissions
	}
	switch c.Kind {
	case backend.OpInvite:
		_, err = cs.inv.InviteUser(ctx, backend.InviteParams{Email: email, Role: role})
	case backend.OpDeleteInvitation:
		err = cs.inv.DeleteInvitation(ctx, d.ID)
	case backend.OpResendInvitation:
		_, err = cs.inv.ResendInvitation(ctx, d.ID)
	case backend.OpChangeUserRole:
		_, err = cs.users.ChangeUserRole(ctx, d.ID, role)
	case backend.OpDeactivateUser:
		_, err = cs.users.DeactivateUser(ctx, d.ID)
	case backend.OpActivateUser:
		_, err = cs.users.ActivateUser(ctx, d.ID)
	case backend.OpRemoveUser:
		err = cs.users.RemoveUser(ctx, d.ID)
	case backend.OpSendPasswordReset:
		_, err = cs.resets.SendPasswordReset(ctx, d.UserID)
	case backend.OpCreateRole:
		_, err = cs.roles.CreateRole(ctx, backend.RoleParams{Name: name, Permissions: perms})
	case backend.OpUpdateRole:
		_, err = cs.roles.UpdateRole(ctx, d.ID, backend.RoleParams{Name: name, Permissions: perms})
	case backend.OpDeleteRole:
		err = cs.roles.DeleteRole(ctx, d.ID)
	default:
		// A renewed link is handed over by hand: a new one is made from
		// the Invitations list, where it can be copied.
		return backend.MsgSyncConflictNotRepeatable.Error(backend.EINVALID, "kind", string(c.Kind))
	}
	if err != nil {
		return err
	}
	return cs.resolve(ctx, seq)
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// conflictReader makes conflicts readable with this desktop's rows.
type conflictReader struct {
	cs    *ConflictService
	roles map[string]*backend.Role
}

func (cs *ConflictService) newReader(ctx context.Context) (*conflictReader, error) {
	roles, err := cs.roles.FindRoles(ctx)
	if err != nil {
		return nil, err
	}
	r := &conflictReader{cs: cs, roles: map[string]*backend.Role{}}
	for _, role := range roles {
		r.roles[role.ID] = role
	}
	return r, nil
}

// roleName is the name of role id here, or the id when it is not here.
func (r *conflictReader) roleName(id string) string {
	if role, ok := r.roles[id]; ok {
		return role.Name
	}
	return id
}

// conflict makes c readable.
func (r *conflictReader) conflict(ctx context.Context, c *backend.Conflict) (*backend.SyncConflict, error) {
	sc := &backend.SyncConflict{Seq: c.Seq, Kind: c.Kind, At: c.At, Error: c.Error, Server: []backend.ConflictRow{}}
	for _, ch := range c.Server {
		row, err := r.changeRow(&ch)
		if err != nil {
			return nil, err
		}
		sc.Server = append(sc.Server, *row)
	}
	var d struct {
		ID          string               `json:"id"`
		Email       string               `json:"email"`
		Role        string               `json:"role"`
		UserID      string               `json:"userId"`
		Name        string               `json:"name"`
		Permissions []backend.Permission `json:"permissions"`
	}
	if err := json.Unmarshal(c.Data, &d); err != nil {
		return nil, fmt.Errorf("find conflicts: %w", err)
	}
	var entity, id string
	switch c.Kind {
	case backend.OpInvite, backend.OpDeleteInvitation, backend.OpResendInvitation, backend.OpRenewInvitationLink:
		entity, id = backend.EntityInvitation, d.ID
	case backend.OpSendPasswordReset:
		entity, id = backend.EntityUser, d.UserID
	case backend.OpCreateRole, backend.OpUpdateRole, backend.OpDeleteRole:
		entity, id = backend.EntityRole, d.ID
	default:
		entity, id = backend.EntityUser, d.ID
	}
	// What it touched, as the server answered it or as it is here now.
	var current *backend.ConflictRow
	for i := range sc.Server {
		if sc.Server[i].Entity == entity && sc.Server[i].ID == id {
			current = &sc.Server[i]
		}
	}
	if current == nil {
		row, err := r.localRow(ctx, entity, id)
		if err != nil {
			return nil, err
		}
		current = row
		if len(sc.Server) == 0 {
			sc.Server = append(sc.Server, *row)
		}
	}
	mine := *current
	mine.Missing = false
	switch c.Kind {
	case backend.OpInvite:
		mine = backend.ConflictRow{Entity: entity, ID: id, Email: d.Email, RoleID: d.Role, RoleName: r.roleName(d.Role),
			Status: string(backend.InvitationPending)}
	case backend.OpChangeUserRole:
		mine.RoleID, mine.RoleName = d.Role, r.roleName(d.Role)
	case backend.OpCreateRole, backend.OpUpdateRole:
		mine.Name, mine.Permissions = d.Name, d.Permissions
	}
	if mine.Permissions == nil && entity == backend.EntityRole {
		mine.Permissions = []backend.Permission{}
	}
	mine.Entity, mine.ID = entity, id
	sc.Mine = mine
	return sc, nil
}

// changeRow makes a row the server answered readable.
func (r *conflictReader) changeRow(ch *backend.Change) (*backend.ConflictRow, error) {
	row := &backend.ConflictRow{Entity: ch.Entity, ID: ch.ID, Missing: ch.Deleted || len(ch.Row) == 0}
	if row.Missing {
		return row, nil
	}
	switch ch.Entity {
	case backend.EntityUser:
		var u backend.UserRow
		if err := json.Unmarshal(ch.Row, &u); err != nil {
			return nil, fmt.Errorf("find conflicts: %w", err)
		}
		row.Name, row.Email, row.RoleID, row.RoleName, row.Status = u.Name, u.Email, u.RoleID, r.roleName(u.RoleID), string(u.Status)
	case backend.EntityInvitation:
		var inv backend.InvitationRow
		if err := json.Unmarshal(ch.Row, &inv); err != nil {
			return nil, fmt.Errorf("find conflicts: %w", err)
		}
		row.Email, row.RoleID, row.RoleName, row.Status = inv.Email, inv.RoleID, inv.RoleName, string(inv.State)
	case backend.EntityRole:
		var role backend.RoleRow
		if err := json.Unmarshal(ch.Row, &role); err != nil {
			return nil, fmt.Errorf("find conflicts: %w", err)
		}
		row.Name, row.RoleID, row.RoleName, row.Permissions = role.Name, role.ID, role.Name, role.Permissions
	}
	return row, nil
}

// localRow is a row as this desktop has it now; Missing when it has none.
func (r *conflictReader) localRow(ctx context.Context, entity, id string) (*backend.ConflictRow, error) {
	row := &backend.ConflictRow{Entity: entity, ID: id}
	var err error
	switch entity {
	case backend.EntityUser:
		var u *backend.User
		if u, err = r.cs.users.FindUserByID(ctx, id); err == nil {
			row.Name, row.Email, row.RoleID, row.RoleName, row.Status = u.Name, u.Email, u.RoleID, u.RoleName, string(u.Status)
		}
	case backend.EntityInvitation:
		var inv *backend.Invitation
		if inv, err = r.cs.inv.FindInvitationByID(ctx, id); err == nil {
			row.Email, row.RoleID, row.RoleName, row.Status = inv.Email, inv.RoleID, inv.RoleName, string(inv.State)
		}
	case backend.EntityRole:
		if role, ok := r.roles[id]; ok {
			row.Name, row.RoleID, row.RoleName, row.Permissions = role.Name, role.ID, role.Name, role.Permissions
		} else {
			row.Missing = true
		}
	}
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		row.Missing = true
	} else if err != nil {
		return nil, err
	}
	return row, nil
}
