package server

import (
	"context"
	"net/http"

	"roster/backend"
)

// userDTO is a member as the API returns them.
type userDTO struct {
	ID        string             `json:"id"`
	Name      string             `json:"name"`
	Email     string             `json:"email"`
	RoleID    string             `json:"roleId"`
	RoleName  string             `json:"roleName"`
	Status    backend.UserStatus `json:"status"`
	JoinedAt  string             `json:"joinedAt"`
	RemovedAt *string            `json:"removedAt"`
	// LastSignInAt is when they last signed in here; null when never.
	LastSignInAt *string `json:"lastSignInAt"`
	// IsSelf is set for the Administrator whose token made the call.
	IsSelf bool `json:"isSelf"`
	// IsLastAdmin is set for the only active Administrator, who cannot be
	// demoted, deactivated or removed.
	IsLastAdmin bool `json:"isLastAdmin"`
}

// userPageDTO is a page of members and how many match in all.
type userPageDTO struct {
	Entries []userDTO `json:"entries"`
	Total   int       `json:"total"`
}

// updateUserRequest changes one thing of a member: their role or whether
// they are active.
type updateUserRequest struct {
	RoleID *string `json:"roleId"`
	Active *bool   `json:"active"`
}

// tokenHashRequest carries the SHA-256 of a link token the caller minted.
type tokenHashRequest struct {
	TokenHash string `json:"tokenHash"`
}

// issueByHash reads a tokenHashRequest body and calls issue with the id of
// the request's path and the hash. EINVALID (field "tokenHash") for a hash
// that is not a SHA-256 in hex; the errors of issue.
func issueByHash[T any](w http.ResponseWriter, r *http.Request, issue func(ctx context.Context, id string, hash []byte) (T, error)) (T, error) {
	var req tokenHashRequest
	if err := decodeJSON(w, r, &req); err != nil {
		var zero T
		return zero, err
	}
	hash, err := backend.ParseTokenHash(req.TokenHash)
	if err != nil {
		var zero T
		return zero, err
	}
	return issue(r.Context(), r.PathValue("id"), hash)
}

// deleteByPath calls remove with the id of the request's path and answers
// 204, or its error.
func deleteByPath(r *http.Request, remove func(ctx context.Context, id string) error) (int, any, error) {
	if err := remove(r.Context(), r.PathValue("id")); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// passwordResetDTO is a password reset link that was issued.
type passwordResetDTO struct {
	ID        string `json:"id"`
	UserID    string `json:"userId"`
	CreatedAt string `json:"createdAt"`
	ExpiresAt string `json:"expiresAt"`
}

// newUserDTO converts a member, asking the one rule of the last
// Administrator whether it protects them.
func (s *Server) newUserDTO(ctx context.Context, u *backend.User) (userDTO, error) {
	last, err := s.svc.Users.IsLastAdministrator(ctx, u)
	if err != nil {
		return userDTO{}, err
	}
	return userDTO{ID: u.ID, Name: u.Name, Email: u.Email, RoleID: u.RoleID, RoleName: u.RoleName, Status: u.Status,
		JoinedAt: apiTime(u.JoinedAt), RemovedAt: apiTimePtr(u.RemovedAt),
		LastSignInAt: apiTimePtr(u.LastSignInAt),
		IsSelf:       backend.ActorFromContext(ctx).ID == u.ID, IsLastAdmin: last}, nil
}

// userAnswer is the answer of an operation on one member.
func (s *Server) userAnswer(ctx context.Context, status int, u *backend.User) (int, any, error) {
	d, err := s.newUserDTO(ctx, u)
	if err != nil {
		return 0, nil, err
	}
	return status, d, nil
}

func (s *Server) apiFindUsers(w http.ResponseWriter, r *http.Request) (int, any, error) {
	v, err := queryParams(r, "search", "roleId", "status", "sort", "desc", "offset", "limit")
	if err != nil {
		return 0, nil, err
	}
	f := backend.UserFilter{Search: optional(v, "search"), RoleID: optional(v, "roleId"),
		Status: optionalAs[backend.UserStatus](v, "status")}
	if err := sortAndPage(v, &f.Sort, &f.Offset, &f.Limit); err != nil {
		return 0, nil, err
	}
	if err := f.Validate(); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	users, total, err := s.svc.Users.FindUsers(ctx, f)
	if err != nil {
		return 0, nil, err
	}
	out := userPageDTO{Entries: make([]userDTO, len(users)), Total: total}
	for i, u := range users {
		if out.Entries[i], err = s.newUserDTO(ctx, u); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, out, nil
}

func (s *Server) apiFindUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	u, err := s.svc.Users.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return s.userAnswer(r.Context(), http.StatusOK, u)
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var req updateUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return 0, nil, err
	}
	ctx, id := r.Context(), r.PathValue("id")
	var u *backend.User
	var err error
	switch {
	case (req.RoleID == nil) == (req.Active == nil):
		return 0, nil, backend.MsgApiUpdateOne.Error(backend.EINVALID)
	case req.RoleID != nil:
		u, err = s.svc.Users.ChangeUserRole(ctx, id, *req.RoleID)
	case *req.Active:
		u, err = s.svc.Users.ActivateUser(ctx, id)
	default:
		u, err = s.svc.Users.DeactivateUser(ctx, id)
	}
	if err != nil {
		return 0, nil, err
	}
	return s.userAnswer(ctx, http.StatusOK, u)
}

func (s *Server) apiRemoveUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	return deleteByPath(r, s.svc.Users.RemoveUser)
}

func (s *Server) apiSendPasswordReset(w http.ResponseWriter, r *http.Request) (int, any, error) {
	reset, err := issueByHash(w, r, s.svc.HashedLinks.SendPasswordResetWithTokenHash)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, passwordResetDTO{ID: reset.ID, UserID: reset.UserID, CreatedAt: apiTime(reset.CreatedAt),
		ExpiresAt: apiTime(reset.ExpiresAt)}, nil
}
