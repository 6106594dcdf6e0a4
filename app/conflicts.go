package app

import (
	"roster/backend"
)

// Conflicts is the facade of Admin Settings → Sync → Conflicts: the
// changes of this desktop that the directory server refused, and the two
// ways to resolve them.
type Conflicts struct {
	app *App
}

// ConflictRowDTO is a member, an invitation or a role as the Conflicts
// screen shows it.
type ConflictRowDTO struct {
	// Entity is "user", "invitation" or "role".
	Entity string `json:"entity"`
	ID     string `json:"id"`
	// Missing says the row does not exist (any more).
	Missing bool `json:"missing"`
	// Name is a member's or a role's name.
	Name     string `json:"name"`
	Email    string `json:"email"`
	RoleID   string `json:"roleId"`
	RoleName string `json:"roleName"`
	// Status is a member's status or an invitation's state.
	Status      string               `json:"status"`
	Permissions []backend.Permission `json:"permissions"`
}

// ConflictDTO is one refused change: what this desktop did (mine), why
// (error, with its message key and arguments), and what the server has
// (server).
type ConflictDTO struct {
	Seq int64 `json:"seq"`
	// Kind is the change: "invitation.create", "user.change_role", … .
	Kind   string           `json:"kind"`
	At     string           `json:"at"`
	Mine   ConflictRowDTO   `json:"mine"`
	Error  ErrorDTO         `json:"error"`
	Server []ConflictRowDTO `json:"server"`
	// Repeatable says Apply again can make the change again from here.
	Repeatable bool `json:"repeatable"`
}

// ApplyAgainParams is what Apply again changes in the refused change: an
// invitation's email and role, a member's new role, a role's name and
// permissions. Empty fields keep the change's.
type ApplyAgainParams struct {
	Email       string               `json:"email"`
	RoleID      string               `json:"roleId"`
	Name        string               `json:"name"`
	Permissions []backend.Permission `json:"permissions"`
}

func conflictRowDTO(r backend.ConflictRow) ConflictRowDTO {
	perms := r.Permissions
	if perms == nil {
		perms = []backend.Permission{}
	}
	return ConflictRowDTO{Entity: r.Entity, ID: r.ID, Missing: r.Missing, Name: r.Name, Email: r.Email, RoleID: r.RoleID,
		RoleName: r.RoleName, Status: r.Status, Permissions: perms}
}

func conflictDTO(c *backend.SyncConflict) ConflictDTO {
	d := ConflictDTO{Seq: c.Seq, Kind: string(c.Kind), At: formatTime(c.At), Mine: conflictRowDTO(c.Mine),
		Server: make([]ConflictRowDTO, len(c.Server)), Repeatable: c.Kind != backend.OpRenewInvitationLink}
	if c.Error != nil {
		d.Error = errorDTO(c.Error)
	}
	for i, r := range c.Server {
		d.Server[i] = conflictRowDTO(r)
	}
	return d
}

// FindConflicts returns the conflicts not yet resolved, newest first.
func (s *Conflicts) FindConflicts() ([]ConflictDTO, error) {
	list, err := s.app.deps.Conflicts.FindConflicts(s.app.callContext())
	if err != nil {
		return nil, err
	}
	out := make([]ConflictDTO, len(list))
	for i, c := range list {
		out[i] = conflictDTO(c)
	}
	return out, nil
}

// DiscardConflict drops the refused change: the rows stay as the server
// has them. Errors: not_found (sync.conflict_not_found).
func (s *Conflicts) DiscardConflict(seq int64) error {
	return s.app.deps.Conflicts.DiscardConflict(s.app.callContext(), seq)
}

// ApplyAgain makes the refused change again, edited, as a new change that
// is synced like any other; the conflict is then resolved. Errors:
// not_found (sync.conflict_not_found), invalid
// (sync.conflict_not_repeatable), and those of the change itself (an
// invitation's: invalid, conflict with field email or role; a member's:
// not_found, forbidden; a role's: invalid, conflict, forbidden), the
// conflict staying.
func (s *Conflicts) ApplyAgain(seq int64, p ApplyAgainParams) error {
	err := s.app.deps.Conflicts.ApplyAgain(s.app.callContext(), seq, backend.ConflictEdit{Email: p.Email, Role: p.RoleID,
		Name: p.Name, Permissions: p.Permissions})
	if err != nil {
		return err
	}
	s.app.notifyMail()
	return nil
}
