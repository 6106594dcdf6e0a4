package server

import (
	"net/http"

	"roster/backend"
)

// invitationDTO is an invitation as the API returns it. Its link token is
// never here: the server only ever had its hash.
type invitationDTO struct {
	ID            string                  `json:"id"`
	Email         string                  `json:"email"`
	RoleID        string                  `json:"roleId"`
	RoleName      string                  `json:"roleName"`
	InvitedByID   string                  `json:"invitedById"`
	InvitedByName string                  `json:"invitedByName"`
	State         backend.InvitationState `json:"state"`
	CreatedAt     string                  `json:"createdAt"`
	SentAt        string                  `json:"sentAt"`
	ExpiresAt     string                  `json:"expiresAt"`
	AcceptedAt    *string                 `json:"acceptedAt"`
	DeletedAt     *string                 `json:"deletedAt"`
	UserID        string                  `json:"userId"`
}

// invitationPageDTO is a page of invitations and how many match in all.
type invitationPageDTO struct {
	Entries []invitationDTO `json:"entries"`
	Total   int             `json:"total"`
}

// inviteRequest invites one person. Role is a role's id or its name
// (case-insensitive); TokenHash is the SHA-256 of the link token the
// caller minted and emails.
type inviteRequest struct {
	Email            string `json:"email"`
	Role             string `json:"role"`
	TokenHash        string `json:"tokenHash"`
	ConfirmLookalike bool   `json:"confirmLookalike"`
}

func newInvitationDTO(inv *backend.Invitation) invitationDTO {
	return invitationDTO{ID: inv.ID, Email: inv.Email, RoleID: inv.RoleID, RoleName: inv.RoleName,
		InvitedByID: inv.InvitedByID, InvitedByName: inv.InvitedByName, State: inv.State,
		CreatedAt: apiTime(inv.CreatedAt), SentAt: apiTime(inv.SentAt), ExpiresAt: apiTime(inv.ExpiresAt),
		AcceptedAt: apiTimePtr(inv.AcceptedAt), DeletedAt: apiTimePtr(inv.DeletedAt), UserID: inv.UserID}
}

func (s *Server) apiFindInvitations(w http.ResponseWriter, r *http.Request) (int, any, error) {
	v, err := queryParams(r, "search", "state", "sort", "desc", "offset", "limit")
	if err != nil {
		return 0, nil, err
	}
	f := backend.InvitationFilter{Search: optional(v, "search"), State: optionalAs[backend.InvitationState](v, "state")}
	if err := sortAndPage(v, &f.Sort, &f.Offset, &f.Limit); err != nil {
		return 0, nil, err
	}
	if err := f.Validate(); err != nil {
		return 0, nil, err
	}
	list, total, err := s.svc.Invitations.FindInvitations(r.Context(), f)
	if err != nil {
		return 0, nil, err
	}
	out := invitationPageDTO{Entries: make([]invitationDTO, len(list)), Total: total}
	for i, inv := range list {
		out.Entries[i] = newInvitationDTO(inv)
	}
	return http.StatusOK, out, nil
}

func (s *Server) apiFindInvitation(w http.ResponseWriter, r *http.Request) (int, any, error) {
	inv, err := s.svc.Invitations.FindInvitationByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, newInvitationDTO(inv), nil
}

func (s *Server) apiInviteUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var req inviteRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return 0, nil, err
	}
	// A malformed address is left to the service, which says what is wrong.
	if email, err := backend.ParseEmail(req.Email); err == nil {
		if err := email.CheckLookalike(req.ConfirmLookalike); err != nil {
			return 0, nil, err
		}
	}
	hash, err := backend.ParseTokenHash(req.TokenHash)
	if err != nil {
		return 0, nil, err
	}
	inv, err := s.svc.HashedLinks.InviteUserWithTokenHash(r.Context(), backend.InviteParams{Email: req.Email, Role: req.Role}, hash)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", s.url(apiPrefix+"/invitations/"+inv.ID))
	return http.StatusCreated, newInvitationDTO(inv), nil
}

func (s *Server) apiDeleteInvitation(w http.ResponseWriter, r *http.Request) (int, any, error) {
	return deleteByPath(r, s.svc.Invitations.DeleteInvitation)
}

func (s *Server) apiResendInvitation(w http.ResponseWriter, r *http.Request) (int, any, error) {
	inv, err := issueByHash(w, r, s.svc.HashedLinks.ResendInvitationWithTokenHash)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, newInvitationDTO(inv), nil
}
