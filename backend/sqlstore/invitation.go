package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"roster/backend"
)

// InvitationService implements backend.InvitationService but InviteUsers,
// which each store does its own way.
type InvitationService struct {
	s *Store
}

// NewInvitationService returns the invitation service of s.
func NewInvitationService(s *Store) *InvitationService {
	return &InvitationService{s: s}
}

// invitationColumns is what scanInvitation reads, from invitations i left
// joined with the outbox row of its latest email as o.
const invitationColumns = `i.id, i.email, COALESCE(i.role_id, ''), i.role_name, COALESCE(i.invited_by_id, ''),
	i.invited_by_name, i.state, i.created_at, i.sent_at, i.expires_at, i.accepted_at, i.deleted_at,
	COALESCE(i.user_id, ''), COALESCE(o.state, ''), COALESCE(o.last_error, ''), COALESCE(o.attempts, 0),
	o.sent_at, COALESCE(o.id, 0)`

const invitationFrom = ` FROM invitations i LEFT JOIN outbox o ON o.id = i.outbox_id`

// scanInvitation reads one row of invitationColumns; now decides expiry.
func scanInvitation(row scanner, now time.Time) (*backend.Invitation, error) {
	var inv backend.Invitation
	if err := row.Scan(&inv.ID, &inv.Email, &inv.RoleID, &inv.RoleName, &inv.InvitedByID, &inv.InvitedByName,
		&inv.State, Time(&inv.CreatedAt), Time(&inv.SentAt), Time(&inv.ExpiresAt),
		NullTime(&inv.AcceptedAt), NullTime(&inv.DeletedAt), &inv.UserID, &inv.Delivery, &inv.DeliveryError,
		&inv.DeliveryAttempts, NullTime(&inv.DeliveredAt), &inv.OutboxID); err != nil {
		return nil, err
	}
	if inv.State == backend.InvitationPending && !now.Before(inv.ExpiresAt) {
		inv.State = backend.InvitationExpired
	}
	return &inv, nil
}

func errInvitationNotFound() error {
	return backend.MsgInvitationNotFound.Error(backend.ENOTFOUND)
}

func (d *Dialect) findInvitationByID(ctx context.Context, q Querier, id string, now time.Time) (*backend.Invitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, `SELECT `+invitationColumns+invitationFrom+` WHERE i.id = ?`, id), now)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvitationNotFound()
	} else if err != nil {
		return nil, d.wrap("find invitation", err)
	}
	return inv, nil
}

// FindInvitationByID returns one invitation.
func (is *InvitationService) FindInvitationByID(ctx context.Context, id string) (*backend.Invitation, error) {
	return is.s.findInvitationByID(ctx, is.s.DB, id, is.s.Now())
}

// invitationSortColumn maps an InvitationFilter sort column to its ORDER BY term.
func (d *Dialect) invitationSortColumn(column string) string {
	switch column {
	case "email":
		return d.Bytes("i.email_key")
	case "role":
		return d.NoCase("i.role_name")
	case "invitedBy":
		return d.NoCase("i.invited_by_name")
	case "expiresAt":
		return "i.expires_at"
	case "delivery":
		return d.Bytes("o.state")
	}
	return "i.sent_at" // "" and "createdAt"
}

// FindInvitations returns a page of invitations, newest first by default.
// EINVALID (with a Key) for a filter that fails InvitationFilter.Validate.
func (is *InvitationService) FindInvitations(ctx context.Context, f backend.InvitationFilter) ([]*backend.Invitation, int, error) {
	s := is.s
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	now := s.Now().UTC()
	where, args := []string{"1 = 1"}, []any{}
	if s.InvitationsShown != "" {
		where = append(where, s.InvitationsShown)
	}
	state := backend.InvitationState("")
	if f.State != nil {
		state = *f.State
	}
	switch state {
	case "":
		where = append(where, "i.state = 'pending'")
	case backend.InvitationPending:
		where, args = append(where, "i.state = 'pending' AND i.expires_at > ?"), append(args, s.Time(now))
	case backend.InvitationExpired:
		where, args = append(where, "i.state = 'pending' AND i.expires_at <= ?"), append(args, s.Time(now))
	default: // accepted or deleted (Validate refused any other state)
		where, args = append(where, "i.state = ?"), append(args, string(state))
	}
	if f.Search != nil {
		where, args = append(where, `i.search_text LIKE ? ESCAPE '\'`), append(args, s.searchPattern(*f.Search, true))
	}
	if f.Delivery != nil {
		where, args = append(where, "o.state = ?"), append(args, string(*f.Delivery))
	}
	order := s.invitationSortColumn(f.Sort.Column)
	// Newest first unless asked otherwise; the other columns ascend by default.
	desc := f.Sort.Desc
	if f.Sort.Column == "" {
		desc = true
	}
	// NULLs (of o.state) come first when ascending, as in SQLite.
	nulls := s.NullsFirst
	if desc {
		nulls = s.NullsLast
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*)`+invitationFrom+` WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, s.wrap("find invitations", err)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+invitationColumns+invitationFrom+` WHERE `+cond+
		` ORDER BY `+order+Direction(desc)+nulls+`, i.id`+Direction(desc)+` `+s.Limit(f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, s.wrap("find invitations", err)
	}
	defer rows.Close()
	list := []*backend.Invitation{}
	for rows.Next() {
		inv, err := scanInvitation(rows, now)
		if err != nil {
			return nil, 0, fmt.Errorf("find invitations: %w", err)
		}
		list = append(list, inv)
	}
	return list, total, rows.Err()
}

// InvitationExists is the conflict for an address with an open invitation.
func InvitationExists(email string, expired bool) error {
	if expired {
		return backend.MsgInvitationExistsExpired.FieldError(backend.ECONFLICT, "email", "email", email)
	}
	return backend.MsgInvitationExists.FieldError(backend.ECONFLICT, "email", "email", email)
}

// MemberExists is the conflict for an address of a current member.
func MemberExists(email string) error {
	return backend.MsgUserExists.FieldError(backend.ECONFLICT, "email", "email", email)
}

func memberExists(email string) error { return MemberExists(email) }

// InviteRowError names the row of a bulk invitation (its 0-based index in
// the params) in that row's error: a coded error gets the argument
// "index", any other is wrapped with the row's number.
func InviteRowError(i int, err error) error {
	e := backend.AsError(err)
	if e == nil {
		return fmt.Errorf("invite row %d: %w", i+1, err)
	}
	c := *e
	c.Args = make(map[string]any, len(e.Args)+1)
	for k, v := range e.Args {
		c.Args[k] = v
	}
	c.Args["index"] = i
	return &c
}

// checkNotMember refuses the address of a current member.
func (d *Dialect) checkNotMember(ctx context.Context, q Querier, email backend.Email) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_key = ? AND status <> 'removed'`, email.Key).Scan(&n); err != nil {
		return d.wrap("check member", err)
	}
	if n > 0 {
		return memberExists(email.Address)
	}
	return nil
}

// checkEmailFree refuses an address that a current member has or that has
// an open invitation. Where writers run at once, the caller holds the
// address's lock (LockEmails).
func (d *Dialect) checkEmailFree(ctx context.Context, tx Tx, email backend.Email) error {
	if err := d.checkNotMember(ctx, tx, email); err != nil {
		return err
	}
	var expires time.Time
	err := tx.QueryRowContext(ctx, `SELECT expires_at FROM invitations WHERE email_key = ? AND state = 'pending'`, email.Key).
		Scan(Time(&expires))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return d.wrap("check invitation", err)
	}
	return InvitationExists(email.Address, !tx.Now().Before(expires))
}

// NewInvitation is an invitation about to be stored, with its link token
// and the token's hash (the only form of it that is stored).
type NewInvitation struct {
	Inv   *backend.Invitation
	Key   string // the address's Email.Key
	Token string
	Hash  []byte
}

// PendingInvitation is a new invitation of a checked address with a role,
// issued at now by the actor of ctx, with its link token and the token's
// hash (the only form of it that is stored with the invitation).
func PendingInvitation(ctx context.Context, email backend.Email, role *backend.Role, now time.Time) (inv *backend.Invitation, token string, hash []byte) {
	actor := backend.ActorFromContext(ctx)
	token, hash = NewToken()
	return &backend.Invitation{
		ID: NewID(), Email: email.Address, RoleID: role.ID, RoleName: role.Name,
		InvitedByID: actor.ID, InvitedByName: actor.Name, State: backend.InvitationPending,
		CreatedAt: now, SentAt: now, ExpiresAt: now.Add(backend.InvitationLifetime),
		Delivery: backend.DeliveryQueued,
	}, token, hash
}

// InvitationMailData is the template data of an invitation's email.
func InvitationMailData(inv *backend.Invitation, inviter, org, token string) map[string]string {
	return map[string]string{
		backend.MailDataToken:        token,
		backend.MailDataRole:         inv.RoleName,
		backend.MailDataInviter:      inviter,
		backend.MailDataExpiresAt:    FormatTime(inv.ExpiresAt),
		backend.MailDataOrganisation: org,
	}
}

// InvitationState is what the audit log keeps of an invitation.
func InvitationState(inv *backend.Invitation) map[string]any {
	return map[string]any{"email": inv.Email, "role": inv.RoleName, "expiresAt": FormatTime(inv.ExpiresAt)}
}

// InvitationTarget names an invitation in the audit log.
func InvitationTarget(inv *backend.Invitation) AuditTarget {
	return AuditTarget{Type: "invitation", ID: inv.ID, Label: inv.Email}
}

// InviteUser stores an invitation valid for 7 days and queues its email.
func (is *InvitationService) InviteUser(ctx context.Context, p backend.InviteParams) (*backend.Invitation, error) {
	email, err := backend.ParseEmail(p.Email)
	if err != nil {
		return nil, err
	}
	token, hash := NewToken()
	return is.s.inviteUser(ctx, email, p.Role, hash, token)
}

// inviteUser stores an invitation of email valid for 7 days, with the link
// of hash (OpInvite). With the link's token, it queues the email with it;
// without one (a hash given by the caller) it queues none.
func (s *Store) inviteUser(ctx context.Context, email backend.Email, roleIDOrName string, hash []byte, token string) (*backend.Invitation, error) {
	d := &backend.InviteOp{ID: NewID(), Email: email.Address, Role: roleIDOrName, TokenHash: hash}
	return recordOp(ctx, s, "invite user", backend.OpInvite, d, func(tx Tx) (*backend.Invitation, error) {
		inv, err := s.applyInvite(ctx, tx, d)
		if err != nil || token == "" {
			return inv, err
		}
		org, err := s.OrganisationName(ctx, tx)
		if err != nil {
			return nil, err
		}
		mail := &backend.OutboxEntry{Kind: backend.MailInvitation, To: inv.Email, InvitationID: inv.ID,
			Data: InvitationMailData(inv, inv.InvitedByName, org, token)}
		if err := s.queueMail(ctx, tx, mail, "invitations", inv.ID); err != nil {
			return nil, err
		}
		inv.OutboxID, inv.Delivery = mail.ID, mail.State
		return inv, nil
	})
}

// applyInvite applies OpInvite: it stores an invitation of d.Email with
// role d.Role (an id, or for the service methods also a name, which it
// replaces with the role's id) and the link of d.TokenHash, issued by the
// actor of ctx and valid for 7 days from tx's time. ECONFLICT when a
// current member has the address, it has an open invitation, or an
// invitation ever had the hash; EINVALID for an unknown role.
func (s *Store) applyInvite(ctx context.Context, tx Tx, d *backend.InviteOp) (*backend.Invitation, error) {
	email, err := backend.ParseEmail(d.Email)
	if err != nil {
		return nil, err
	}
	if err := backend.CheckTokenHash(d.TokenHash); err != nil {
		return nil, err
	}
	roleID, roleName, err := s.roleRef(ctx, tx, d.Role)
	if err != nil {
		return nil, err
	}
	d.Role = roleID
	if err := s.lockEmails(ctx, tx, email.Key); err != nil {
		return nil, err
	}
	if err := s.checkEmailFree(ctx, tx, email); err != nil {
		return nil, err
	}
	actor := backend.ActorFromContext(ctx)
	now := tx.Now()
	inv := &backend.Invitation{
		ID: d.ID, Email: email.Address, RoleID: roleID, RoleName: roleName,
		InvitedByID: actor.ID, InvitedByName: actor.Name, State: backend.InvitationPending,
		CreatedAt: now, SentAt: now, ExpiresAt: now.Add(backend.InvitationLifetime),
	}
	if err := s.insertInvitation(ctx, tx, inv, email.Key, d.TokenHash); err != nil {
		return nil, err
	}
	if err := s.WriteAudit(ctx, tx, backend.AuditInvitationCreated, InvitationTarget(inv), nil, InvitationState(inv)); err != nil {
		return nil, err
	}
	return inv, nil
}

// DeleteInvitation cancels an open invitation: its link stops working at once.
func (is *InvitationService) DeleteInvitation(ctx context.Context, id string) error {
	s := is.s
	d := &backend.InvitationOp{ID: id}
	_, err := recordOp(ctx, s, "delete invitation", backend.OpDeleteInvitation, d, func(tx Tx) (struct{}, error) {
		return struct{}{}, s.applyDeleteInvitation(ctx, tx, d)
	})
	return err
}

// applyDeleteInvitation applies OpDeleteInvitation: it cancels an open
// invitation and its unsent email. ENOTFOUND for an unknown, accepted or
// deleted invitation.
func (s *Store) applyDeleteInvitation(ctx context.Context, tx Tx, d *backend.InvitationOp) error {
	inv, err := s.findOpenInvitation(ctx, tx, d.ID)
	if err != nil {
		return err
	}
	now := s.Time(tx.Now())
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'deleted', deleted_at = ?, updated_at = ? WHERE id = ?`,
		now, now, d.ID); err != nil {
		return s.wrap("delete invitation", err)
	}
	if err := s.CancelMail(ctx, tx, "invitation_id", d.ID); err != nil {
		return err
	}
	return s.WriteAudit(ctx, tx, backend.AuditInvitationDeleted, InvitationTarget(inv), InvitationState(inv), nil)
}

// findOpenInvitation returns a pending or expired invitation, its row
// locked where writers run at once, so that deleting, resending and
// accepting it run one after the other; ENOTFOUND for others.
func (d *Dialect) findOpenInvitation(ctx context.Context, tx Tx, id string) (*backend.Invitation, error) {
	if err := d.lock(ctx, tx, "lock invitation", `SELECT id FROM invitations WHERE id = ?`, d.ForUpdate, id); err != nil {
		return nil, err
	}
	inv, err := d.findInvitationByID(ctx, tx, id, tx.Now())
	if err != nil {
		return nil, err
	}
	switch inv.State {
	case backend.InvitationAccepted:
		return nil, backend.MsgInvitationAccepted.Error(backend.ENOTFOUND, "email", inv.Email)
	case backend.InvitationDeleted:
		return nil, backend.MsgInvitationDeleted.Error(backend.ENOTFOUND)
	}
	return inv, nil
}

// ResendInvitation gives an open invitation a new link, valid 7 days from
// now, and queues its email.
func (is *InvitationService) ResendInvitation(ctx context.Context, id string) (*backend.Invitation, error) {
	token, hash := NewToken()
	return is.s.resendInvitation(ctx, backend.OpResendInvitation, id, hash, token)
}

// RenewInvitationLink gives an open invitation a new link, valid 7 days
// from now, and returns its token instead of emailing it.
func (is *InvitationService) RenewInvitationLink(ctx context.Context, id string) (*backend.Invitation, string, error) {
	token, hash := NewToken()
	inv, err := is.s.resendInvitation(ctx, backend.OpRenewInvitationLink, id, hash, "")
	if err != nil {
		return nil, "", err
	}
	return inv, token, nil
}

// resendInvitation gives an open invitation the link of hash (kind is
// OpResendInvitation or OpRenewInvitationLink). With the link's token, it
// queues the email with it, whose inviter is who resends it.
func (s *Store) resendInvitation(ctx context.Context, kind backend.OpKind, id string, hash []byte, token string) (*backend.Invitation, error) {
	d := &backend.RelinkOp{ID: id, TokenHash: hash}
	return recordOp(ctx, s, "resend invitation", kind, d, func(tx Tx) (*backend.Invitation, error) {
		inv, err := s.applyRelink(ctx, tx, kind, d)
		if err != nil || token == "" {
			return inv, err
		}
		org, err := s.OrganisationName(ctx, tx)
		if err != nil {
			return nil, err
		}
		mail := &backend.OutboxEntry{Kind: backend.MailInvitation, To: inv.Email, InvitationID: id,
			Data: InvitationMailData(inv, backend.ActorFromContext(ctx).Name, org, token)}
		if err := s.queueMail(ctx, tx, mail, "invitations", id); err != nil {
			return nil, err
		}
		inv.OutboxID, inv.Delivery, inv.DeliveryError, inv.DeliveryAttempts, inv.DeliveredAt = mail.ID, mail.State, "", 0, nil
		return inv, nil
	})
}

// applyRelink applies OpResendInvitation or OpRenewInvitationLink (kind):
// it gives an open invitation the link of d.TokenHash, valid 7 days from
// tx's time, and cancels an email queued for the old link. ENOTFOUND for
// an invitation that is not open; ECONFLICT when its address is a
// member's now or a link ever had the hash.
func (s *Store) applyRelink(ctx context.Context, tx Tx, kind backend.OpKind, d *backend.RelinkOp) (*backend.Invitation, error) {
	if err := backend.CheckTokenHash(d.TokenHash); err != nil {
		return nil, err
	}
	id := d.ID
	if s.LockEmails != nil {
		// The address first, then the invitation, as AcceptInvitation locks them.
		found, err := s.findInvitationByID(ctx, tx, id, tx.Now())
		if err != nil {
			return nil, err
		}
		email, err := backend.ParseEmail(found.Email)
		if err != nil {
			return nil, err
		}
		if err := s.lockEmails(ctx, tx, email.Key); err != nil {
			return nil, err
		}
	}
	before, err := s.findOpenInvitation(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	email, err := backend.ParseEmail(before.Email)
	if err != nil {
		return nil, err
	}
	if err := s.checkNotMember(ctx, tx, email); err != nil {
		return nil, err
	}
	if err := s.checkHashUnused(ctx, tx, "invitations", d.TokenHash); err != nil {
		return nil, err
	}
	if err := s.CancelMail(ctx, tx, "invitation_id", id); err != nil {
		return nil, err
	}
	now := tx.Now()
	expires := now.Add(backend.InvitationLifetime)
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ?, outbox_id = NULL, sent_at = ?, expires_at = ?,
		updated_at = ? WHERE id = ?`, d.TokenHash, s.Time(now), s.Time(expires), s.Time(now), id); err != nil {
		if s.hashTaken(err, "invitations") {
			return nil, errHashUsed()
		}
		return nil, s.wrap("resend invitation", err)
	}
	after, err := s.findInvitationByID(ctx, tx, id, now)
	if err != nil {
		return nil, err
	}
	action := backend.AuditInvitationResent
	if kind == backend.OpRenewInvitationLink {
		action = backend.AuditInvitationLinkCopied
	}
	if err := s.WriteAudit(ctx, tx, action, InvitationTarget(after), InvitationState(before), InvitationState(after)); err != nil {
		return nil, err
	}
	return after, nil
}

// errInvalidInvitationLink is the answer for an unknown, deleted or used link.
func errInvalidInvitationLink() error {
	return backend.MsgInvitationInvalidLink.Error(backend.ENOTFOUND)
}

// AcceptInvitation turns a valid invitation into a member. Where writers
// run at once, the invitation's row is locked, so of two registrations with
// one link only the first succeeds; the second then finds the link used.
func (is *InvitationService) AcceptInvitation(ctx context.Context, p backend.AcceptParams) (*backend.User, error) {
	s := is.s
	name, err := backend.ParseName(p.Name, "name")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.PasswordHash) == "" {
		return nil, errHashMissing()
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	const pending = `FROM invitations WHERE token_hash = ? AND state = 'pending'`
	hash := HashToken(p.Token)
	var id, emailKey string
	err = tx.QueryRowContext(ctx, `SELECT id, email_key `+pending, hash).Scan(&id, &emailKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvalidInvitationLink()
	} else if err != nil {
		return nil, s.wrap("accept invitation", err)
	}
	if s.ForUpdate != "" {
		// The address first, then the invitation, as ResendInvitation locks them.
		if err := s.lockEmails(ctx, tx, emailKey); err != nil {
			return nil, err
		}
		err = tx.QueryRowContext(ctx, `SELECT id `+pending+` AND id = ?`+s.ForUpdate, hash, id).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errInvalidInvitationLink()
		} else if err != nil {
			return nil, s.wrap("accept invitation", err)
		}
	}
	inv, err := s.findInvitationByID(ctx, tx, id, tx.Now())
	if err != nil {
		return nil, err
	}
	if inv.State == backend.InvitationExpired {
		return nil, backend.MsgInvitationExpired.Error(backend.EFORBIDDEN)
	}
	email, err := backend.ParseEmail(inv.Email)
	if err != nil {
		return nil, err
	}
	u := &backend.User{ID: NewID(), Name: name, Email: email.Address, RoleID: inv.RoleID, Status: backend.UserActive, JoinedAt: tx.Now()}
	if err := s.insertUser(ctx, tx, u, email.Key); err != nil {
		return nil, err
	}
	now := s.Time(tx.Now())
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, p.PasswordHash, u.ID); err != nil {
		return nil, s.wrap("accept invitation", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'accepted', accepted_at = ?, user_id = ?, updated_at = ? WHERE id = ?`,
		now, u.ID, now, id); err != nil {
		return nil, s.wrap("accept invitation", err)
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := s.WriteAudit(ctx, tx, backend.AuditUserJoined, UserTarget(u), nil, UserState(u)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, s.wrap("accept invitation", err)
	}
	return u, nil
}
