package app

import (
	"roster/backend"
)

// Users is the facade of the Users section: the unified list of members and
// invitations, and what can be done to a member.
type Users struct {
	app *App
}

// DirectoryParams filters, sorts and pages the Users list. Empty strings do not filter.
type DirectoryParams struct {
	Search string `json:"search"`
	RoleID string `json:"roleId"`
	// Status is "active", "inactive", "pending", "expired" or "".
	Status string `json:"status"`
	// Sort is "name" (default), "email", "role", "status" or "joinedAt".
	Sort   string `json:"sort"`
	Desc   bool   `json:"desc"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

// DirectoryEntryDTO is one row of the Users list.
type DirectoryEntryDTO struct {
	Kind     backend.EntryKind   `json:"kind"`
	ID       string              `json:"id"`
	Name     string              `json:"name"`
	Email    string              `json:"email"`
	RoleID   string              `json:"roleId"`
	RoleName string              `json:"roleName"`
	Status   backend.EntryStatus `json:"status"`
	// JoinedAt is when a member joined, or when an invitation was sent.
	JoinedAt  string `json:"joinedAt"`
	ExpiresAt string `json:"expiresAt"`
	// Sync is "waiting" while a change of the row is not on the server,
	// "conflict" when the server refused one, or "".
	Sync backend.SyncMark `json:"sync"`
}

// DirectoryPageDTO is a page of the Users list. When atLeast is set, more
// than total rows match.
type DirectoryPageDTO struct {
	Entries []DirectoryEntryDTO `json:"entries"`
	Total   int                 `json:"total"`
	AtLeast bool                `json:"atLeast"`
}

// UserDTO is a member, as the details panel shows them.
type UserDTO struct {
	ID        string             `json:"id"`
	Name      string             `json:"name"`
	Email     string             `json:"email"`
	RoleID    string             `json:"roleId"`
	RoleName  string             `json:"roleName"`
	Status    backend.UserStatus `json:"status"`
	JoinedAt  string             `json:"joinedAt"`
	RemovedAt string             `json:"removedAt"`
	// LastSignInAt is when they last signed in on the directory server;
	// "" when unknown (never, or not known on this computer).
	LastSignInAt string `json:"lastSignInAt"`
	// IsSelf is set for the administrator using this installation.
	IsSelf bool `json:"isSelf"`
	// IsLastAdmin is set when this is the only active Administrator: they
	// cannot be demoted, deactivated or removed.
	IsLastAdmin bool `json:"isLastAdmin"`
}

// ChangeRoleParams names the new role of a member.
type ChangeRoleParams struct {
	RoleID string `json:"roleId"`
}

// PasswordResetDTO describes a reset link that was sent.
type PasswordResetDTO struct {
	ID        string `json:"id"`
	UserID    string `json:"userId"`
	CreatedAt string `json:"createdAt"`
	ExpiresAt string `json:"expiresAt"`
}

// UsersExportParams exports the Users list as currently filtered and sorted.
type UsersExportParams struct {
	ExportParams
	DirectoryParams
}

// directoryFilter converts and validates the list's parameters (search text,
// sort column, status), so that storage gets only bounded, clean values.
func directoryFilter(p DirectoryParams) (backend.DirectoryFilter, error) {
	f := backend.DirectoryFilter{Sort: backend.SortOrder{Column: p.Sort, Desc: p.Desc}, Offset: p.Offset, Limit: p.Limit}
	if p.Search != "" {
		f.Search = &p.Search
	}
	if p.RoleID != "" {
		f.RoleID = &p.RoleID
	}
	if p.Status != "" {
		s := backend.EntryStatus(p.Status)
		f.Status = &s
	}
	return f, f.Validate()
}

func directoryEntryDTO(e *backend.DirectoryEntry) DirectoryEntryDTO {
	d := DirectoryEntryDTO{Kind: e.Kind, ID: e.ID, Name: e.Name, Email: e.Email, RoleID: e.RoleID, RoleName: e.RoleName,
		Status: e.Status, JoinedAt: formatTime(e.JoinedAt), Sync: e.Sync}
	if e.ExpiresAt != nil {
		d.ExpiresAt = formatTime(*e.ExpiresAt)
	}
	return d
}

// FindDirectory returns a page of the Users list: members and invitations
// not yet accepted, in one query. Errors: invalid (unknown sort or status,
// a search too long or with control characters).
func (s *Users) FindDirectory(p DirectoryParams) (DirectoryPageDTO, error) {
	if p.Limit <= 0 || p.Limit > 500 {
		p.Limit = 100
	}
	f, err := directoryFilter(p)
	if err != nil {
		return DirectoryPageDTO{}, err
	}
	page, err := s.app.deps.Directory.FindDirectory(s.app.callContext(), f)
	if err != nil {
		return DirectoryPageDTO{}, err
	}
	out := DirectoryPageDTO{Entries: make([]DirectoryEntryDTO, len(page.Entries)), Total: page.Total, AtLeast: page.AtLeast}
	for i, e := range page.Entries {
		out.Entries[i] = directoryEntryDTO(e)
	}
	return out, nil
}

// userDTO converts a member and works out the flags the details panel needs.
func (s *Users) userDTO(u *backend.User) (UserDTO, error) {
	ctx := s.app.callContext()
	d := UserDTO{ID: u.ID, Name: u.Name, Email: u.Email, RoleID: u.RoleID, RoleName: u.RoleName, Status: u.Status,
		JoinedAt: formatTime(u.JoinedAt), IsSelf: backend.ActorFromContext(ctx).ID == u.ID}
	if u.RemovedAt != nil {
		d.RemovedAt = formatTime(*u.RemovedAt)
	}
	if u.LastSignInAt != nil {
		d.LastSignInAt = formatTime(*u.LastSignInAt)
	}
	last, err := s.app.deps.Users.IsLastAdministrator(ctx, u)
	if err != nil {
		return UserDTO{}, err
	}
	d.IsLastAdmin = last
	return d, nil
}

// FindUserByID returns a member. Errors: not_found.
func (s *Users) FindUserByID(id string) (UserDTO, error) {
	u, err := s.app.deps.Users.FindUserByID(s.app.callContext(), id)
	if err != nil {
		return UserDTO{}, err
	}
	return s.userDTO(u)
}

// ChangeUserRole gives a member another role. Errors: not_found; forbidden
// (last active Administrator, yourself, removed member).
func (s *Users) ChangeUserRole(id string, p ChangeRoleParams) (UserDTO, error) {
	u, err := s.app.deps.Users.ChangeUserRole(s.app.callContext(), id, p.RoleID)
	if err != nil {
		return UserDTO{}, err
	}
	return s.userDTO(u)
}

// DeactivateUser stops a member from signing in. Errors: not_found, forbidden.
func (s *Users) DeactivateUser(id string) (UserDTO, error) {
	u, err := s.app.deps.Users.DeactivateUser(s.app.callContext(), id)
	if err != nil {
		return UserDTO{}, err
	}
	return s.userDTO(u)
}

// ActivateUser lets a member sign in again. Errors: not_found, forbidden.
func (s *Users) ActivateUser(id string) (UserDTO, error) {
	u, err := s.app.deps.Users.ActivateUser(s.app.callContext(), id)
	if err != nil {
		return UserDTO{}, err
	}
	return s.userDTO(u)
}

// RemoveUser blocks a member's access at once and returns their tombstone.
// Errors: not_found, forbidden.
func (s *Users) RemoveUser(id string) (UserDTO, error) {
	ctx := s.app.callContext()
	if err := s.app.deps.Users.RemoveUser(ctx, id); err != nil {
		return UserDTO{}, err
	}
	s.app.log.WithField("user", id).Info("user removed")
	return s.FindUserByID(id)
}

// SendPasswordReset emails a member a new single-use reset link, valid 24
// hours; older links stop working. Errors: not_found, forbidden (inactive).
func (s *Users) SendPasswordReset(id string) (PasswordResetDTO, error) {
	r, err := s.app.deps.PasswordResets.SendPasswordReset(s.app.callContext(), id)
	if err != nil {
		return PasswordResetDTO{}, err
	}
	s.app.notifyMail()
	return PasswordResetDTO{ID: r.ID, UserID: r.UserID, CreatedAt: formatTime(r.CreatedAt), ExpiresAt: formatTime(r.ExpiresAt)}, nil
}

// ExportUsers saves the Users list, as filtered and sorted, as CSV or XLSX
// through the save dialog. It returns the path, or "" when cancelled.
func (s *Users) ExportUsers(p UsersExportParams) (string, error) {
	ctx := s.app.callContext()
	f, err := directoryFilter(p.DirectoryParams)
	if err != nil {
		return "", err
	}
	entries := pages(func(offset, limit int) ([]*backend.DirectoryEntry, error) {
		f.Offset, f.Limit = offset, limit
		page, err := s.app.deps.Directory.FindDirectory(ctx, f)
		if err != nil {
			return nil, err
		}
		return page.Entries, nil
	})
	header := []string{"name", "email", "role", "status", "joined or invited at", "invitation expires at"}
	return s.app.exportTable(p.ExportParams, "users", "Users", header, rowsOf(entries, func(e *backend.DirectoryEntry) []string {
		d := directoryEntryDTO(e)
		return []string{d.Name, d.Email, d.RoleName, string(d.Status), d.JoinedAt, d.ExpiresAt}
	}))
}
