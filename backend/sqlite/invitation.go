package sqlite

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

func findInvitationByID(ctx context.Context, q queryer, id string, now time.Time) (*backend.Invitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, `SELECT `+invitationColumns+invitationFrom+` WHERE i.id = ?`, id), now)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &backend.Error{Code: backend.ENOTFOUND, Message: "This invitation does not exist.", Key: "invitation.not_found"}
	} else if err != nil {
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	return inv, nil
}

// FindInvitationByID returns one invitation.
func (s *InvitationService) FindInvitationByID(ctx context.Context, id string) (*backend.Invitation, error) {
	return findInvitationByID(ctx, s.db.db, id, s.db.Now())
}

// invitationSortColumns maps InvitationFilter sort columns to ORDER BY terms.
var invitationSortColumns = map[string]string{
	"":          "i.sent_at",
	"createdAt": "i.sent_at",
	"email":     "i.email_key",
	"role":      "i.role_name COLLATE NOCASE",
	"invitedBy": "i.invited_by_name COLLATE NOCASE",
	"expiresAt": "i.expires_at",
	"delivery":  "o.state",
}

// FindInvitations returns a page of invitations, newest first by default.
func (s *InvitationService) FindInvitations(ctx context.Context, f backend.InvitationFilter) ([]*backend.Invitation, int, error) {
	now := s.db.Now()
	nowText := formatTime(now)
	var where []string
	var args []any
	state := backend.InvitationState("")
	if f.State != nil {
		state = *f.State
	}
	switch state {
	case "":
		where = append(where, "i.state = 'pending'")
	case backend.InvitationPending:
		where, args = append(where, "i.state = 'pending' AND i.expires_at > ?"), append(args, nowText)
	case backend.InvitationExpired:
		where, args = append(where, "i.state = 'pending' AND i.expires_at <= ?"), append(args, nowText)
	case backend.InvitationAccepted, backend.InvitationDeleted:
		where, args = append(where, "i.state = ?"), append(args, state)
	default:
		return nil, 0, backend.Errorf(backend.EINVALID, "There is no invitation state %q.", state)
	}
	if f.Search != nil && strings.TrimSpace(*f.Search) != "" {
		where, args = append(where, `i.search_text LIKE ? ESCAPE '\'`), append(args, likePattern(foldText(strings.TrimSpace(*f.Search))))
	}
	if f.Delivery != nil {
		where, args = append(where, "o.state = ?"), append(args, *f.Delivery)
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
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.db.QueryRowContext(ctx, `SELECT count(*)`+invitationFrom+` WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find invitations: %w", err)
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+invitationColumns+invitationFrom+` WHERE `+cond+
		` ORDER BY `+order+direction(desc)+`, i.id`+direction(desc)+` `+limitClause(f.Offset, f.Limit), args...)
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

// checkEmailFree refuses an address that a current member has or that has an open invitation.
func checkEmailFree(ctx context.Context, tx *Tx, email backend.Email) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_key = ? AND status <> 'removed'`, email.Key).Scan(&n); err != nil {
		return fmt.Errorf("check member: %w", err)
	}
	if n > 0 {
		return memberExists(email.Address)
	}
	var expires string
	err := tx.QueryRowContext(ctx, `SELECT expires_at FROM invitations WHERE email_key = ? AND state = 'pending'`, email.Key).Scan(&expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("check invitation: %w", err)
	}
	return invitationExists(email.Address, expires <= formatTime(tx.now))
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
		backend.MailDataExpiresAt:    formatTime(inv.ExpiresAt),
		backend.MailDataOrganisation: org,
	}
}

// invitationStore writes new invitations and their queued emails inside one
// transaction with prepared statements. Outbox ids are assigned in order
// (the transaction holds the write lock), so each invitation is written
// once, already pointing at its email.
type invitationStore struct {
	tx         *Tx
	org        string
	insInv     *sql.Stmt
	insMail    *sql.Stmt
	nextMail   int64
	firstRowid int64
}

func newInvitationStore(ctx context.Context, tx *Tx) (*invitationStore, error) {
	s := &invitationStore{tx: tx}
	var err error
	if s.org, err = organisationName(ctx, tx); err != nil {
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM outbox`).Scan(&s.nextMail); err != nil {
		return nil, fmt.Errorf("store invitations: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(rowid), 0) FROM invitations`).Scan(&s.firstRowid); err != nil {
		return nil, fmt.Errorf("store invitations: %w", err)
	}
	if s.insInv, err = tx.PrepareContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text,
		role_id, role_name, invited_by_id, invited_by_name, token_hash, state, outbox_id, created_at, sent_at, expires_at,
		updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`); err != nil {
		return nil, fmt.Errorf("store invitations: %w", err)
	}
	if s.insMail, err = tx.PrepareContext(ctx, `INSERT INTO outbox (id, kind, recipient, invitation_id, data, state,
		next_attempt_at, created_at, updated_at) VALUES (?, 'invitation', ?, ?, ?, 'queued', ?, ?, ?)`); err != nil {
		s.insInv.Close()
		return nil, fmt.Errorf("store invitations: %w", err)
	}
	return s, nil
}

func (s *invitationStore) Close() {
	s.insInv.Close()
	s.insMail.Close()
}

// add stores one invitation and queues its email. ECONFLICT when the address
// has an open invitation (the unique index decides, also under concurrency).
func (s *invitationStore) add(ctx context.Context, n *newInvitation) error {
	inv := n.inv
	s.nextMail++
	inv.OutboxID = s.nextMail
	now := formatTime(s.tx.now)
	if _, err := s.insInv.ExecContext(ctx, inv.ID, inv.Email, n.key, sortKey(inv.Email), searchText("", inv.Email),
		inv.RoleID, inv.RoleName, nullString(inv.InvitedByID), inv.InvitedByName, n.hash, inv.OutboxID, now, now,
		formatTime(inv.ExpiresAt), now); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return invitationExists(inv.Email, false)
		}
		return fmt.Errorf("store invitation: %w", err)
	}
	data, err := sealMailData(s.tx, invitationMailData(inv, inv.InvitedByName, s.org, n.token))
	if err != nil {
		return err
	}
	if _, err := s.insMail.ExecContext(ctx, inv.OutboxID, inv.Email, inv.ID, data, now, now, now); err != nil {
		return fmt.Errorf("queue invitation mail: %w", err)
	}
	return nil
}

// audit writes one audit entry per invitation stored, in one statement.
func (s *invitationStore) audit(ctx context.Context, action string) error {
	actor := backend.ActorFromContext(ctx)
	if _, err := s.tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id,
		target_label, after) SELECT ?, ?, ?, ?, 'invitation', id, email,
		json_object('email', email, 'expiresAt', expires_at, 'role', role_name)
		FROM invitations WHERE rowid > ? ORDER BY rowid`,
		formatTime(s.tx.now), nullString(actor.ID), actor.Name, action, s.firstRowid); err != nil {
		return fmt.Errorf("audit invitations: %w", err)
	}
	return nil
}

// invitationState is what the audit log keeps of an invitation.
func invitationState(inv *backend.Invitation) map[string]any {
	return map[string]any{"email": inv.Email, "role": inv.RoleName, "expiresAt": formatTime(inv.ExpiresAt)}
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
	if err := checkEmailFree(ctx, tx, email); err != nil {
		return nil, err
	}
	store, err := newInvitationStore(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	n := prepareInvitation(ctx, tx, email, role)
	if err := store.add(ctx, n); err != nil {
		return nil, err
	}
	if err := store.audit(ctx, backend.AuditInvitationCreated); err != nil {
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

	// Check every address first, outside the write lock.
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
	uses, err := findEmailUses(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	store, err := newInvitationStore(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	roles := map[string]*backend.Role{}
	result := &backend.BulkInviteResult{Invited: make([]*backend.Invitation, 0, total)}
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
		if err := store.add(ctx, n); err != nil {
			return nil, rowError(i, err)
		}
		result.Invited = append(result.Invited, n.inv)
	}
	if err := store.audit(ctx, backend.AuditInvitationsImported); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("invite users: %w", mapError(err))
	}
	progress(total, total)
	return result, nil
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
	now := formatTime(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'deleted', deleted_at = ?, updated_at = ? WHERE id = ?`,
		now, now, id); err != nil {
		return fmt.Errorf("delete invitation: %w", err)
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

// findOpenInvitation returns a pending or expired invitation; ENOTFOUND for others.
func findOpenInvitation(ctx context.Context, tx *Tx, id string) (*backend.Invitation, error) {
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
	before, err := findOpenInvitation(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	email, err := backend.ParseEmail(before.Email)
	if err != nil {
		return nil, err
	}
	var members int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email_key = ? AND status <> 'removed'`, email.Key).Scan(&members); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
	}
	if members > 0 {
		return nil, memberExists(email.Address)
	}
	if err := cancelMail(ctx, tx, "invitation_id", id); err != nil {
		return nil, err
	}
	token, hash := newToken()
	expires := tx.now.Add(backend.InvitationLifetime)
	now := formatTime(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET token_hash = ?, sent_at = ?, expires_at = ?, updated_at = ? WHERE id = ?`,
		hash, now, formatTime(expires), now, id); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
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
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET outbox_id = ? WHERE id = ?`, mail.ID, id); err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
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

// AcceptInvitation turns a valid invitation into a member.
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
	var id string
	err = tx.QueryRowContext(ctx, `SELECT id FROM invitations WHERE token_hash = ? AND state = 'pending'`, hashToken(p.Token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &backend.Error{Code: backend.ENOTFOUND, Message: "This invitation link is not valid. It may have been deleted, replaced by a newer one, or used.",
			Key: "invitation.invalid_link"}
	} else if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
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
	now := formatTime(tx.now)
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, p.PasswordHash, u.ID); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'accepted', accepted_at = ?, user_id = ?, updated_at = ? WHERE id = ?`,
		now, u.ID, now, id); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
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
