package app

import (
	"roster/backend"
)

// Invitations is the facade of the Invitations section and of Invite one user.
type Invitations struct {
	app *App
}

// InviteParams is one person to invite.
type InviteParams struct {
	Email string `json:"email"`
	// Role is a role's id (or its name, case-insensitive).
	Role string `json:"role"`
	// ConfirmLookalike says the administrator saw that the address's domain
	// mixes scripts (beside its punycode form) and means it.
	ConfirmLookalike bool `json:"confirmLookalike"`
}

// InvitationDTO is an invitation with the delivery of its latest email.
type InvitationDTO struct {
	ID            string                  `json:"id"`
	Email         string                  `json:"email"`
	RoleID        string                  `json:"roleId"`
	RoleName      string                  `json:"roleName"`
	InvitedByName string                  `json:"invitedByName"`
	State         backend.InvitationState `json:"state"`
	CreatedAt     string                  `json:"createdAt"`
	SentAt        string                  `json:"sentAt"`
	ExpiresAt     string                  `json:"expiresAt"`
	AcceptedAt    string                  `json:"acceptedAt"`
	DeletedAt     string                  `json:"deletedAt"`
	// Delivery is the state of its latest email; DeliveryError the mail
	// server's last answer when it was not accepted.
	Delivery         backend.DeliveryState `json:"delivery"`
	DeliveryError    string                `json:"deliveryError"`
	DeliveryAttempts int                   `json:"deliveryAttempts"`
	DeliveredAt      string                `json:"deliveredAt"`
	OutboxID         int64                 `json:"outboxId"`
	// Sync is "waiting" while a change of it is not on the server,
	// "conflict" when the server refused one, or "".
	Sync backend.SyncMark `json:"sync"`
}

// InvitationLinkDTO is an invitation with its new link, to be copied: the
// one DTO that carries a link's token, returned once to the window that
// asked for it and never logged.
type InvitationLinkDTO struct {
	Invitation InvitationDTO `json:"invitation"`
	Link       string        `json:"link"`
}

// InvitationsParams filters, sorts and pages the Invitations list.
type InvitationsParams struct {
	Search string `json:"search"`
	// State is "pending", "expired", "accepted", "deleted", or "" for
	// pending and expired ones.
	State string `json:"state"`
	// Delivery is "queued", "sending", "sent", "failed" or "".
	Delivery string `json:"delivery"`
	// Sort is "createdAt" (default, newest first), "email", "role",
	// "invitedBy", "expiresAt" or "delivery".
	Sort   string `json:"sort"`
	Desc   bool   `json:"desc"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

// InvitationPageDTO is a page of invitations.
type InvitationPageDTO struct {
	Entries []InvitationDTO `json:"entries"`
	Total   int             `json:"total"`
}

// InvitationsExportParams exports the Invitations list as currently filtered.
type InvitationsExportParams struct {
	ExportParams
	InvitationsParams
}

func invitationDTO(inv *backend.Invitation) InvitationDTO {
	d := InvitationDTO{ID: inv.ID, Email: inv.Email, RoleID: inv.RoleID, RoleName: inv.RoleName,
		InvitedByName: inv.InvitedByName, State: inv.State, CreatedAt: formatTime(inv.CreatedAt),
		SentAt: formatTime(inv.SentAt), ExpiresAt: formatTime(inv.ExpiresAt), Delivery: inv.Delivery,
		DeliveryError: inv.DeliveryError, DeliveryAttempts: inv.DeliveryAttempts, OutboxID: inv.OutboxID, Sync: inv.Sync}
	if inv.AcceptedAt != nil {
		d.AcceptedAt = formatTime(*inv.AcceptedAt)
	}
	if inv.DeletedAt != nil {
		d.DeletedAt = formatTime(*inv.DeletedAt)
	}
	if inv.DeliveredAt != nil {
		d.DeliveredAt = formatTime(*inv.DeliveredAt)
	}
	return d
}

// invitationFilter converts and validates the list's parameters (search
// text, state, delivery, sort column), so that storage gets only bounded,
// clean values.
func invitationFilter(p InvitationsParams) (backend.InvitationFilter, error) {
	f := backend.InvitationFilter{Sort: backend.SortOrder{Column: p.Sort, Desc: p.Desc}, Offset: p.Offset, Limit: p.Limit}
	if p.Search != "" {
		f.Search = &p.Search
	}
	if p.State != "" {
		s := backend.InvitationState(p.State)
		f.State = &s
	}
	if p.Delivery != "" {
		d := backend.DeliveryState(p.Delivery)
		f.Delivery = &d
	}
	return f, f.Validate()
}

// FindInvitations returns a page of invitations. Errors: invalid (unknown
// state, delivery or sort, a search too long or with control characters).
func (s *Invitations) FindInvitations(p InvitationsParams) (InvitationPageDTO, error) {
	if p.Limit <= 0 || p.Limit > 500 {
		p.Limit = 100
	}
	f, err := invitationFilter(p)
	if err != nil {
		return InvitationPageDTO{}, err
	}
	list, total, err := s.app.deps.Invitations.FindInvitations(s.app.callContext(), f)
	if err != nil {
		return InvitationPageDTO{}, err
	}
	out := InvitationPageDTO{Entries: make([]InvitationDTO, len(list)), Total: total}
	for i, inv := range list {
		out.Entries[i] = invitationDTO(inv)
	}
	return out, nil
}

// FindInvitationByID returns one invitation. Errors: not_found.
func (s *Invitations) FindInvitationByID(id string) (InvitationDTO, error) {
	inv, err := s.app.deps.Invitations.FindInvitationByID(s.app.callContext(), id)
	if err != nil {
		return InvitationDTO{}, err
	}
	return invitationDTO(inv), nil
}

// InviteUser invites one person and queues their email. Errors: invalid
// (field email or role; field confirmLookalike, key email.lookalike, for an
// address whose domain mixes scripts, unless confirmed), conflict (field
// email: a member, or invited already).
func (s *Invitations) InviteUser(p InviteParams) (InvitationDTO, error) {
	// A malformed address is left to the service, which says what is wrong.
	if email, err := backend.ParseEmail(p.Email); err == nil {
		if err := email.CheckLookalike(p.ConfirmLookalike); err != nil {
			return InvitationDTO{}, err
		}
	}
	inv, err := s.app.deps.Invitations.InviteUser(s.app.callContext(), backend.InviteParams{Email: p.Email, Role: p.Role})
	if err != nil {
		return InvitationDTO{}, err
	}
	s.app.notifyMail()
	return invitationDTO(inv), nil
}

// DeleteInvitation cancels an invitation; its link stops working at once.
// Errors: not_found.
func (s *Invitations) DeleteInvitation(id string) (InvitationDTO, error) {
	ctx := s.app.callContext()
	if err := s.app.deps.Invitations.DeleteInvitation(ctx, id); err != nil {
		return InvitationDTO{}, err
	}
	return s.FindInvitationByID(id)
}

// ResendInvitation sends a new link, valid 7 more days; the old link stops
// working. Errors: not_found, conflict (the address became a member).
func (s *Invitations) ResendInvitation(id string) (InvitationDTO, error) {
	inv, err := s.app.deps.Invitations.ResendInvitation(s.app.callContext(), id)
	if err != nil {
		return InvitationDTO{}, err
	}
	s.app.notifyMail()
	return invitationDTO(inv), nil
}

// RenewInvitationLink gives an invitation a new link, valid 7 days, and
// returns it for the administrator to copy and hand over: no email is
// sent, the old link stops working, and the audit log records it. Errors:
// invalid (invitation.link_no_url: no platform address saved, the link
// cannot be made; nothing changes), not_found, conflict (the address
// became a member).
func (s *Invitations) RenewInvitationLink(id string) (InvitationLinkDTO, error) {
	ctx := s.app.callContext()
	settings, err := s.app.deps.Email.FindEmailSettings(ctx)
	if backend.ErrorCode(err) == backend.ENOTFOUND || err == nil && settings.PlatformURL == "" {
		return InvitationLinkDTO{}, backend.MsgInvitationLinkNoUrl.Error(backend.EINVALID)
	} else if err != nil {
		return InvitationLinkDTO{}, err
	}
	inv, token, err := s.app.deps.Invitations.RenewInvitationLink(ctx, id)
	if err != nil {
		return InvitationLinkDTO{}, err
	}
	return InvitationLinkDTO{Invitation: invitationDTO(inv), Link: settings.InvitationLink(token)}, nil
}

// ExportInvitations saves the Invitations list, as filtered and sorted, as
// CSV or XLSX through the save dialog. It returns the path, or "" when cancelled.
func (s *Invitations) ExportInvitations(p InvitationsExportParams) (string, error) {
	ctx := s.app.callContext()
	f, err := invitationFilter(p.InvitationsParams)
	if err != nil {
		return "", err
	}
	list := pages(func(offset, limit int) ([]*backend.Invitation, error) {
		f.Offset, f.Limit = offset, limit
		l, _, err := s.app.deps.Invitations.FindInvitations(ctx, f)
		return l, err
	})
	header := []string{"email", "role", "invited by", "sent at", "expires at", "state", "delivery", "mail server answer"}
	return s.app.exportTable(p.ExportParams, "invitations", "Invitations", header, rowsOf(list, func(inv *backend.Invitation) []string {
		d := invitationDTO(inv)
		return []string{d.Email, d.RoleName, d.InvitedByName, d.SentAt, d.ExpiresAt, string(d.State), string(d.Delivery), d.DeliveryError}
	}))
}
