package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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

	// stageHook, if set, runs after each transaction that stored staged
	// rows of an import and after its publication; an error stops the
	// import there as a crash would. Tests set it.
	stageHook func(importID int64, published bool) error
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
		return nil, backend.MsgInvitationNotFound.Error(backend.ENOTFOUND)
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
// EINVALID (with a Key) for a filter that fails InvitationFilter.Validate.
func (s *InvitationService) FindInvitations(ctx context.Context, f backend.InvitationFilter) ([]*backend.Invitation, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	now := s.db.Now()
	nowText := formatTime(now)
	// The invitations of a staged import are not shown until it is published.
	where := []string{`(i.import_id IS NULL OR i.import_id NOT IN (` + stagedImports + `))`}
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
	default: // accepted or deleted (Validate refused any other state)
		where, args = append(where, "i.state = ?"), append(args, state)
	}
	if f.Search != nil {
		where, args = append(where, `i.search_text LIKE ? ESCAPE '\'`), append(args, likePattern(foldText(*f.Search)))
	}
	if f.Delivery != nil {
		where, args = append(where, "o.state = ?"), append(args, *f.Delivery)
	}
	order := invitationSortColumns[f.Sort.Column]
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
		return backend.MsgInvitationExistsExpired.FieldError(backend.ECONFLICT, "email", "email", email)
	}
	return backend.MsgInvitationExists.FieldError(backend.ECONFLICT, "email", "email", email)
}

// memberExists is the conflict for an address of a current member.
func memberExists(email string) error {
	return backend.MsgUserExists.FieldError(backend.ECONFLICT, "email", "email", email)
}

// checkEmailFree refuses an address that a current member has or that has an open invitation.
func checkEmailFree(ctx context.Context, tx *Tx, email backend.Email) error {
	if err := checkNotMember(ctx, tx, email); err != nil {
		return err
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

// checkNotMember refuses the address of a current member.
func checkNotMember(ctx context.Context, q queryer, email backend.Email) error {
	members, err := findMembers(ctx, q, []string{email.Key})
	if err != nil {
		return err
	}
	if members[email.Key] {
		return memberExists(email.Address)
	}
	return nil
}

// findMembers is the one query that tells which address keys belong to
// current members (removed ones do not count), for any number of keys.
func findMembers(ctx context.Context, q queryer, keys []string) (map[string]bool, error) {
	return findKeys(ctx, q, `SELECT email_key FROM users WHERE status <> 'removed' AND email_key IN (SELECT value FROM json_each(?))`, keys)
}

// findKeys runs a query that selects the address keys among a JSON list of keys.
func findKeys(ctx context.Context, q queryer, query string, keys []string) (map[string]bool, error) {
	found := map[string]bool{}
	if len(keys) == 0 {
		return found, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, query, string(list))
	if err != nil {
		return nil, fmt.Errorf("find addresses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("find addresses: %w", err)
		}
		found[k] = true
	}
	return found, rows.Err()
}

// newPendingInvitation is a new invitation of a checked address with a
// role, issued at now by the actor of ctx, with its link token and the
// token's hash (the only form of it that is stored with the invitation).
func newPendingInvitation(ctx context.Context, email backend.Email, role *backend.Role, now time.Time) (inv *backend.Invitation, token string, hash []byte) {
	actor := backend.ActorFromContext(ctx)
	token, hash = newToken()
	return &backend.Invitation{
		ID: newID(), Email: email.Address, RoleID: role.ID, RoleName: role.Name,
		InvitedByID: actor.ID, InvitedByName: actor.Name, State: backend.InvitationPending,
		CreatedAt: now, SentAt: now, ExpiresAt: now.Add(backend.InvitationLifetime),
		Delivery: backend.DeliveryQueued,
	}, token, hash
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

// heldUntil is the next_attempt_at of the emails of a staged import: the
// outbox worker claims no email before it, so they wait until the import
// is published and they are released.
const heldUntil = "9999-12-31T23:59:59.999Z"

// invitationStore writes new invitations and their queued emails inside one
// transaction with prepared statements. Each email is inserted first and its
// id taken from the insert, so that the invitation is written once, already
// pointing at it; the email's foreign key to the invitation is checked at
// commit (defer_foreign_keys).
type invitationStore struct {
	tx       *Tx
	importID any    // NULL, or the staged import the rows belong to
	due      string // the emails' next_attempt_at
	insInv   *sql.Stmt
	insMail  *sql.Stmt
}

// newInvitationStore prepares the inserts of tx. Rows of a staged import
// (importID > 0) carry it, and their emails are held.
func newInvitationStore(ctx context.Context, tx *Tx, importID int64) (*invitationStore, error) {
	s := &invitationStore{tx: tx, importID: nil, due: formatTime(tx.now)}
	if importID > 0 {
		s.importID, s.due = importID, heldUntil
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return nil, fmt.Errorf("store invitations: %w", err)
	}
	var err error
	if s.insInv, err = tx.PrepareContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text,
		role_id, role_name, invited_by_id, invited_by_name, token_hash, state, outbox_id, created_at, sent_at, expires_at,
		updated_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, fmt.Errorf("store invitations: %w", err)
	}
	if s.insMail, err = tx.PrepareContext(ctx, `INSERT INTO outbox (kind, recipient, invitation_id, data, state,
		next_attempt_at, created_at, updated_at) VALUES ('invitation', ?, ?, ?, 'queued', ?, ?, ?)`); err != nil {
		s.insInv.Close()
		return nil, fmt.Errorf("store invitations: %w", err)
	}
	return s, nil
}

func (s *invitationStore) Close() {
	s.insInv.Close()
	s.insMail.Close()
}

// mailData renders the data column of an invitation's email from its
// template data: the one place where both the single and the bulk path
// turn it into its stored form, row by row.
func (s *invitationStore) mailData(inv *backend.Invitation, org, token string) ([]byte, error) {
	return sealMailData(s.tx, invitationMailData(inv, inv.InvitedByName, org, token))
}

// storedInvitation is an invitation about to be stored: the row, its keys
// (computed before the write lock is taken), its token's hash and the data
// column of its email.
type storedInvitation struct {
	inv     *backend.Invitation
	key     string
	sortKey []byte
	search  string
	hash    []byte
	data    []byte
}

// add stores one invitation and queues its email; it sets inv.OutboxID and
// returns the invitation's rowid. ECONFLICT when the address has an open
// invitation (the unique index decides, also under concurrency, and also
// against the staged rows of an import).
func (s *invitationStore) add(ctx context.Context, n *storedInvitation) (int64, error) {
	inv := n.inv
	created := formatTime(inv.CreatedAt)
	res, err := s.insMail.ExecContext(ctx, inv.Email, inv.ID, n.data, s.due, created, created)
	if err != nil {
		return 0, fmt.Errorf("queue invitation mail: %w", err)
	}
	if inv.OutboxID, err = res.LastInsertId(); err != nil {
		return 0, fmt.Errorf("queue invitation mail: %w", err)
	}
	if res, err = s.insInv.ExecContext(ctx, inv.ID, inv.Email, n.key, n.sortKey, n.search,
		inv.RoleID, inv.RoleName, nullString(inv.InvitedByID), inv.InvitedByName, n.hash, inv.OutboxID, created,
		formatTime(inv.SentAt), formatTime(inv.ExpiresAt), created, s.importID); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return 0, invitationExists(inv.Email, false)
		}
		return 0, fmt.Errorf("store invitation: %w", err)
	}
	return res.LastInsertId()
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
	org, err := organisationName(ctx, tx)
	if err != nil {
		return nil, err
	}
	store, err := newInvitationStore(ctx, tx, 0)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	inv, token, hash := newPendingInvitation(ctx, email, role, tx.now)
	n := &storedInvitation{inv: inv, key: email.Key, sortKey: sortKey(inv.Email), search: searchText("", inv.Email), hash: hash}
	if n.data, err = store.mailData(inv, org, token); err != nil {
		return nil, err
	}
	if _, err := store.add(ctx, n); err != nil {
		return nil, err
	}
	if err := writeAudit(ctx, tx, backend.AuditInvitationCreated, invitationTarget(inv), nil, invitationState(inv)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("invite user: %w", mapError(err))
	}
	return inv, nil
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
		return nil, backend.MsgInvitationAccepted.Error(backend.ENOTFOUND, "email", inv.Email)
	case backend.InvitationDeleted:
		return nil, backend.MsgInvitationDeleted.Error(backend.ENOTFOUND)
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
	if err := checkNotMember(ctx, tx, email); err != nil {
		return nil, err
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
		return nil, backend.MsgPasswordMissing.FieldError(backend.EINVALID, "passwordHash")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRowContext(ctx, `SELECT id FROM invitations WHERE token_hash = ? AND state = 'pending'`, hashToken(p.Token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.MsgInvitationInvalidLink.Error(backend.ENOTFOUND)
	} else if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	inv, err := findInvitationByID(ctx, tx, id, tx.now)
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
