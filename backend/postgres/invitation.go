package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"roster/backend"
)

var _ backend.InvitationService = (*InvitationService)(nil)

// InvitationService implements backend.InvitationService.
type InvitationService struct {
	db *DB
}

// NewInvitationService returns the invitation service of db.
func NewInvitationService(db *DB) *InvitationService {
	return &InvitationService{db: db}
}

// invitationColumns is what scanInvitation reads, from invitations i left
// joined with the outbox row of its latest email as o.
const invitationColumns = `i.id, i.email, COALESCE(i.role_id, ''), i.role_name, COALESCE(i.invited_by_id, ''),
	i.invited_by_name, i.state, i.created_at, i.sent_at, i.expires_at, i.accepted_at, i.deleted_at,
	COALESCE(i.user_id, ''), COALESCE(o.state, ''), COALESCE(o.last_error, ''), COALESCE(o.attempts, 0),
	o.sent_at, COALESCE(o.id, 0)`

const invitationFrom = ` FROM invitations i LEFT JOIN outbox o ON o.id = i.outbox_id`

// scanInvitation reads one row of invitationColumns; now decides expiry.
func scanInvitation(row interface{ Scan(...any) error }, now time.Time) (*backend.Invitation, error) {
	var inv backend.Invitation
	if err := row.Scan(&inv.ID, &inv.Email, &inv.RoleID, &inv.RoleName, &inv.InvitedByID, &inv.InvitedByName,
		&inv.State, timeCol{&inv.CreatedAt}, timeCol{&inv.SentAt}, timeCol{&inv.ExpiresAt},
		nullTime{&inv.AcceptedAt}, nullTime{&inv.DeletedAt}, &inv.UserID, &inv.Delivery, &inv.DeliveryError,
		&inv.DeliveryAttempts, nullTime{&inv.DeliveredAt}, &inv.OutboxID); err != nil {
		return nil, err
	}
	if inv.State == backend.InvitationPending && !now.Before(inv.ExpiresAt) {
		inv.State = backend.InvitationExpired
	}
	return &inv, nil
}

func errInvitationNotFound() error {
	return &backend.Error{Code: backend.ENOTFOUND, Message: "This invitation does not exist.", Key: "invitation.not_found"}
}

func findInvitationByID(ctx context.Context, q queryer, id string, now time.Time) (*backend.Invitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, `SELECT `+invitationColumns+invitationFrom+` WHERE i.id = $1`, id), now)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvitationNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find invitation: %w", mapError(err))
	}
	return inv, nil
}

// FindInvitationByID returns one invitation.
func (s *InvitationService) FindInvitationByID(ctx context.Context, id string) (*backend.Invitation, error) {
	return findInvitationByID(ctx, s.db.db, id, s.db.Now())
}

// invitationSortColumns maps InvitationFilter sort columns to ORDER BY
// terms; text sorts by its bytes, as in SQLite.
var invitationSortColumns = map[string]string{
	"":          "i.sent_at",
	"createdAt": "i.sent_at",
	"email":     `i.email_key COLLATE "C"`,
	"role":      `lower(i.role_name) COLLATE "C"`,
	"invitedBy": `lower(i.invited_by_name) COLLATE "C"`,
	"expiresAt": "i.expires_at",
	"delivery":  `o.state COLLATE "C"`,
}

// FindInvitations returns a page of invitations, newest first by default.
func (s *InvitationService) FindInvitations(ctx context.Context, f backend.InvitationFilter) ([]*backend.Invitation, int, error) {
	now := s.db.Now().UTC()
	var p params
	var where []string
	state := backend.InvitationState("")
	if f.State != nil {
		state = *f.State
	}
	switch state {
	case "":
		where = append(where, "i.state = 'pending'")
	case backend.InvitationPending:
		where = append(where, "i.state = 'pending' AND i.expires_at > "+p.add(now))
	case backend.InvitationExpired:
		where = append(where, "i.state = 'pending' AND i.expires_at <= "+p.add(now))
	case backend.InvitationAccepted, backend.InvitationDeleted:
		where = append(where, "i.state = "+p.add(string(state)))
	default:
		return nil, 0, backend.Errorf(backend.EINVALID, "There is no invitation state %q.", state)
	}
	if f.Search != nil && strings.TrimSpace(*f.Search) != "" {
		where = append(where, `i.search_text LIKE `+p.add(likePattern(foldText(strings.TrimSpace(*f.Search))))+` ESCAPE '\'`)
	}
	if f.Delivery != nil {
		where = append(where, "o.state = "+p.add(string(*f.Delivery)))
	}
	order, ok := invitationSortColumns[f.Sort.Column]
	if !ok {
		return nil, 0, backend.Errorf(backend.EINVALID, "Invitations cannot be sorted by %q.", f.Sort.Column)
	}
	// Newest first unless asked otherwise; the other columns ascend by default.
	desc := f.Sort.Desc
	if f.Sort.Column == "" {
		desc = true
	}
	// SQLite puts NULLs first when ascending; say so here too.
	nulls := " NULLS FIRST"
	if desc {
		nulls = " NULLS LAST"
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.db.QueryRowContext(ctx, `SELECT count(*)`+invitationFrom+` WHERE `+cond, p...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find invitations: %w", err)
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+invitationColumns+invitationFrom+` WHERE `+cond+
		` ORDER BY `+order+direction(desc)+nulls+`, i.id`+direction(desc)+` `+limitClause(f.Offset, f.Limit), p...)
	if err != nil {
		return nil, 0, fmt.Errorf("find invitations: %w", err)
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

// invitationExists is the conflict for an address with an open invitation.
func invitationExists(email string, expired bool) error {
	if expired {
		return (&backend.Error{Code: backend.ECONFLICT,
			Message: email + " has an expired invitation. Resend it, or delete it and invite again.",
			Key:     "invitation.exists_expired", Args: map[string]any{"email": email}}).WithField("email")
	}
	return (&backend.Error{Code: backend.ECONFLICT, Message: email + " has been invited already.",
		Key: "invitation.exists", Args: map[string]any{"email": email}}).WithField("email")
}

// memberExists is the conflict for an address of a current member.
func memberExists(email string) error {
	return (&backend.Error{Code: backend.ECONFLICT, Message: email + " is already a member.",
		Key: "user.exists", Args: map[string]any{"email": email}}).WithField("email")
}

// checkEmailFree refuses an address that a current member has or that has
// an open invitation. The caller holds the address's lock (lockEmails).
func checkEmailFree(ctx context.Context, tx *Tx, email backend.Email) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_key = $1 AND status <> 'removed'`, email.Key).Scan(&n); err != nil {
		return fmt.Errorf("check member: %w", mapError(err))
	}
	if n > 0 {
		return memberExists(email.Address)
	}
	var expires time.Time
	err := tx.QueryRowContext(ctx, `SELECT expires_at FROM invitations WHERE email_key = $1 AND state = 'pending'`, email.Key).Scan(&expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("check invitation: %w", mapError(err))
	}
	return invitationExists(email.Address, !tx.now.Before(expires))
}

// newInvitation is an invitation about to be stored, with its link token.
type newInvitation struct {
	inv   *backend.Invitation
	key   string
	token string
	hash  []byte
}

// prepareInvitation builds the row of an invitation from a checked address and role.
func prepareInvitation(ctx context.Context, tx *Tx, email backend.Email, role *backend.Role) *newInvitation {
	actor := backend.ActorFromContext(ctx)
	token, hash := newToken()
	return &newInvitation{
		inv: &backend.Invitation{
			ID: newID(), Email: email.Address, RoleID: role.ID, RoleName: role.Name,
			InvitedByID: actor.ID, InvitedByName: actor.Name, State: backend.InvitationPending,
			CreatedAt: tx.now, SentAt: tx.now, ExpiresAt: tx.now.Add(backend.InvitationLifetime),
			Delivery: backend.DeliveryQueued,
		},
		key: email.Key, token: token, hash: hash,
	}
}

// invitationMailData is the template data of an invitation's email.
func invitationMailData(inv *backend.Invitation, inviter, org, token string) map[string]string {
	return map[string]string{
		backend.MailDataToken:        token,
		backend.MailDataRole:         inv.RoleName,
		backend.MailDataInviter:      inviter,
		backend.MailDataExpiresAt:    inv.ExpiresAt.UTC().Format("2006-01-02T15:04:05.000Z"),
		backend.MailDataOrganisation: org,
	}
}

// addInvitation stores one invitation, queues its email and writes its audit
// entry. Its email's id comes from the outbox's sequence first, so the
// invitation is written once, already pointing at it. ECONFLICT when the
// address has an open invitation (the unique index decides, also when
// another process invited it a moment ago).
func addInvitation(ctx context.Context, tx *Tx, n *newInvitation, org, action string) error {
	inv := n.inv
	id, err := nextOutboxID(ctx, tx)
	if err != nil {
		return err
	}
	inv.OutboxID = id
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text,
		role_id, role_name, invited_by_id, invited_by_name, token_hash, state, outbox_id, created_at, sent_at, expires_at,
		updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $12, $13, $12)`,
		inv.ID, inv.Email, n.key, sortKey(inv.Email), searchText("", inv.Email),
		inv.RoleID, inv.RoleName, nullString(inv.InvitedByID), inv.InvitedByName, n.hash, inv.OutboxID, tx.now,
		inv.ExpiresAt); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			if e := backend.AsError(mapError(err)); e.Key == "conflict" {
				return invitationExists(inv.Email, false)
			}
		}
		return fmt.Errorf("store invitation: %w", mapError(err))
	}
	mail := &backend.OutboxEntry{ID: inv.OutboxID, Kind: backend.MailInvitation, To: inv.Email, InvitationID: inv.ID,
		Data: invitationMailData(inv, inv.InvitedByName, org, n.token)}
	if err := enqueueMail(ctx, tx, mail); err != nil {
		return err
	}
	return writeAudit(ctx, tx, action, invitationTarget(inv), nil, invitationState(inv))
}

// invitationState is what the audit log keeps of an invitation.
func invitationState(inv *backend.Invitation) map[string]any {
	return map[string]any{"email": inv.Email, "role": inv.RoleName, "expiresAt": inv.ExpiresAt.UTC().Format("2006-01-02T15:04:05.000Z")}
}

func invitationTarget(inv *backend.Invitation) auditTarget {
	return auditTarget{Type: "invitation", ID: inv.ID, Label: inv.Email}
}

// InviteUser stores an invitation valid for 7 days and queues its email.
func (s *InvitationService) InviteUser(ctx context.Context, p backend.InviteParams) (*backend.Invitation, error) {
	email, err := backend.ParseEmail(p.Email)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	role, err := resolveRole(ctx, tx, p.Role)
	if err != nil {
		return nil, err
	}
	if err := lockEmails(ctx, tx, email.Key); err != nil {
		return nil, err
	}
	if err := checkEmailFree(ctx, tx, email); err != nil {
		return nil, err
	}
	org, err := organisationName(ctx, tx)
	if err != nil {
		return nil, err
	}
	n := prepareInvitation(ctx, tx, email, role)
	if err := addInvitation(ctx, tx, n, org, backend.AuditInvitationCreated); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("invite user: %w", mapError(err))
	}
	return n.inv, nil
}

// InviteUsers stores many invitations in one transaction, all or none.
func (s *InvitationService) InviteUsers(ctx context.Context, params []backend.InviteParams, progress backend.Progress) (*backend.BulkInviteResult, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	total := len(params)
	rowError := func(i int, err error) error {
		e := backend.AsError(err)
		if e == nil {
			return fmt.Errorf("invite row %d: %w", i+1, err)
		}
		c := *e
		c.Args = map[string]any{}
		for k, v := range e.Args {
			c.Args[k] = v
		}
		c.Args["index"] = i
		return &c
	}

	// Check every address first, before the transaction.
	emails := make([]backend.Email, total)
	keys := make([]string, total)
	seen := make(map[string]int, total)
	for i, p := range params {
		email, err := backend.ParseEmail(p.Email)
		if err != nil {
			return nil, rowError(i, err)
		}
		if j, dup := seen[email.Key]; dup {
			return nil, rowError(i, (&backend.Error{Code: backend.ECONFLICT,
				Message: fmt.Sprintf("%s appears twice (rows %d and %d).", email.Address, j+1, i+1),
				Key:     "invitation.duplicate", Args: map[string]any{"email": email.Address, "firstRow": j + 1, "row": i + 1}}).WithField("email"))
		}
		seen[email.Key] = i
		emails[i], keys[i] = email, email.Key
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := lockEmails(ctx, tx, keys...); err != nil {
		return nil, err
	}
	uses, err := findEmailUses(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	org, err := organisationName(ctx, tx)
	if err != nil {
		return nil, err
	}
	roles := map[string]*backend.Role{}
	result := &backend.BulkInviteResult{}
	for i, p := range params {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			progress(i, total)
		}
		switch uses[keys[i]] {
		case backend.EmailMember:
			return nil, rowError(i, memberExists(emails[i].Address))
		case backend.EmailInvited:
			return nil, rowError(i, invitationExists(emails[i].Address, false))
		}
		roleKey := strings.ToLower(strings.TrimSpace(p.Role))
		role, ok := roles[roleKey]
		if !ok {
			if role, err = resolveRole(ctx, tx, p.Role); err != nil {
				return nil, rowError(i, err)
			}
			roles[roleKey] = role
		}
		n := prepareInvitation(ctx, tx, emails[i], role)
		if err := addInvitation(ctx, tx, n, org, backend.AuditInvitationsImported); err != nil {
			return nil, rowError(i, err)
		}
		result.Invited++
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("invite users: %w", mapError(err))
	}
	progress(total, total)
	return result, nil
}

// findEmailUses says which of the addresses (Email.Key) a current member has
// or an open invitation holds.
func findEmailUses(ctx context.Context, tx *Tx, keys []string) (map[string]backend.EmailUse, error) {
	uses := make(map[string]backend.EmailUse)
	rows, err := tx.QueryContext(ctx, `SELECT email_key, 'member' FROM users WHERE email_key = ANY($1) AND status <> 'removed'
		UNION ALL SELECT email_key, 'invited' FROM invitations WHERE email_key = ANY($1) AND state = 'pending'`, keys)
	if err != nil {
		return nil, fmt.Errorf("find email uses: %w", mapError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var key, use string
		if err := rows.Scan(&key, &use); err != nil {
			return nil, err
		}
		if use == "member" {
			uses[key] = backend.EmailMember
		} else if uses[key] != backend.EmailMember {
			uses[key] = backend.EmailInvited
		}
	}
	return uses, rows.Err()
}

// DeleteInvitation cancels an open invitation: its link stops working at once.
func (s *InvitationService) DeleteInvitation(ctx context.Context, id string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	inv, err := findOpenInvitation(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'deleted', deleted_at = $1, updated_at = $1 WHERE id = $2`,
		tx.now, id); err != nil {
		return fmt.Errorf("delete invitation: %w", mapError(err))
	}
	if err := cancelMail(ctx, tx, "invitation_id", id); err != nil {
		return err
	}
	if err := writeAudit(ctx, tx, backend.AuditInvitationDeleted, invitationTarget(inv), invitationState(inv), nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete invitation: %w", mapError(err))
	}
	return nil
}

// lockInvitation locks an invitation's row until tx ends, so that deleting,
// resending and accepting it run one after the other. ENOTFOUND.
func lockInvitation(ctx context.Context, tx *Tx, id string) error {
	var found string
	err := tx.QueryRowContext(ctx, `SELECT id FROM invitations WHERE id = $1 FOR NO KEY UPDATE`, id).Scan(&found)
	if errors.Is(err, sql.ErrNoRows) {
		return errInvitationNotFound()
	} else if err != nil {
		return fmt.Errorf("lock invitation: %w", mapError(err))
	}
	return nil
}

// findOpenInvitation locks and returns a pending or expired invitation;
// ENOTFOUND for others.
func findOpenInvitation(ctx context.Context, tx *Tx, id string) (*backend.Invitation, error) {
	if err := lockInvitation(ctx, tx, id); err != nil {
		return nil, err
	}
	inv, err := findInvitationByID(ctx, tx, id, tx.now)
	if err != nil {
		return nil, err
	}
	switch inv.State {
	case backend.InvitationAccepted:
		return nil, &backend.Error{Code: backend.ENOTFOUND, Message: inv.Email + " has accepted this invitation already.",
			Key: "invitation.accepted", Args: map[string]any{"email": inv.Email}}
	case backend.InvitationDeleted:
		return nil, &backend.Error{Code: backend.ENOTFOUND, Message: "This invitation was deleted.", Key: "invitation.deleted"}
	}
	return inv, nil
}

// ResendInvitation gives an open invitation a new link, valid 7 days from now.
func (s *InvitationService) ResendInvitation(ctx context.Context, id string) (*backend.Invitation, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// The address first, then the invitation, as AcceptInvitation locks them.
	found, err := findInvitationByID(ctx, tx, id, tx.now)
	if err != nil {
		return nil, err
	}
	email, err := backend.ParseEmail(found.Email)
	if err != nil {
		return nil, err
	}
	if err := lockEmails(ctx, tx, email.Key); err != nil {
		return nil, err
	}
	before, err := findOpenInvitation(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	var members int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_key = $1 AND status <> 'removed'`, email.Key).Scan(&members); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", mapError(err))
	}
	if members > 0 {
		return nil, memberExists(email.Address)
	}
	if err := cancelMail(ctx, tx, "invitation_id", id); err != nil {
		return nil, err
	}
	token, hash := newToken()
	expires := tx.now.Add(backend.InvitationLifetime)
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = $1, sent_at = $2, expires_at = $3, updated_at = $2 WHERE id = $4`,
		hash, tx.now, expires, id); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", mapError(err))
	}
	after := *before
	after.SentAt, after.ExpiresAt, after.State = tx.now, expires, backend.InvitationPending
	org, err := organisationName(ctx, tx)
	if err != nil {
		return nil, err
	}
	// The inviter of the new email is who resends it.
	mail := &backend.OutboxEntry{Kind: backend.MailInvitation, To: after.Email, InvitationID: id,
		Data: invitationMailData(&after, backend.ActorFromContext(ctx).Name, org, token)}
	if err := enqueueMail(ctx, tx, mail); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET outbox_id = $1 WHERE id = $2`, mail.ID, id); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", mapError(err))
	}
	if err := writeAudit(ctx, tx, backend.AuditInvitationResent, invitationTarget(&after), invitationState(before), invitationState(&after)); err != nil {
		return nil, err
	}
	result, err := findInvitationByID(ctx, tx, id, tx.now)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", mapError(err))
	}
	return result, nil
}

// errInvalidInvitationLink is the answer for an unknown, deleted or used link.
func errInvalidInvitationLink() error {
	return &backend.Error{Code: backend.ENOTFOUND, Message: "This invitation link is not valid. It may have been deleted, replaced by a newer one, or used.",
		Key: "invitation.invalid_link"}
}

// AcceptInvitation turns a valid invitation into a member. The invitation's
// row is locked, so of two registrations with one link only the first
// succeeds; the second then finds the link used.
func (s *InvitationService) AcceptInvitation(ctx context.Context, p backend.AcceptParams) (*backend.User, error) {
	name, err := backend.ParseName(p.Name, "name")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.PasswordHash) == "" {
		return nil, (&backend.Error{Code: backend.EINVALID, Message: "A password is required.", Key: "password.missing"}).WithField("passwordHash")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var id, emailKey string
	err = tx.QueryRowContext(ctx, `SELECT id, email_key FROM invitations WHERE token_hash = $1 AND state = 'pending'`,
		hashToken(p.Token)).Scan(&id, &emailKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvalidInvitationLink()
	} else if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", mapError(err))
	}
	// The address first, then the invitation, as ResendInvitation locks them.
	if err := lockEmails(ctx, tx, emailKey); err != nil {
		return nil, err
	}
	var still string
	err = tx.QueryRowContext(ctx, `SELECT id FROM invitations WHERE id = $1 AND token_hash = $2 AND state = 'pending' FOR NO KEY UPDATE`,
		id, hashToken(p.Token)).Scan(&still)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvalidInvitationLink()
	} else if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", mapError(err))
	}
	inv, err := findInvitationByID(ctx, tx, id, tx.now)
	if err != nil {
		return nil, err
	}
	if inv.State == backend.InvitationExpired {
		return nil, &backend.Error{Code: backend.EFORBIDDEN, Message: "This invitation has expired. Ask an administrator for a new one.",
			Key: "invitation.expired"}
	}
	email, err := backend.ParseEmail(inv.Email)
	if err != nil {
		return nil, err
	}
	u := &backend.User{ID: newID(), Name: name, Email: email.Address, RoleID: inv.RoleID, Status: backend.UserActive, JoinedAt: tx.now}
	if err := insertUser(ctx, tx, u, email.Key); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, p.PasswordHash, u.ID); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", mapError(err))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'accepted', accepted_at = $1, user_id = $2, updated_at = $1 WHERE id = $3`,
		tx.now, u.ID, id); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", mapError(err))
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := writeAudit(ctx, tx, backend.AuditUserJoined, userTarget(u), nil, userState(u)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", mapError(err))
	}
	return u, nil
}
