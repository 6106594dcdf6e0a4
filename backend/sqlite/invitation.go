package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

var _ backend.InvitationService = (*InvitationService)(nil)

// InvitationService implements backend.InvitationService: package sqlstore
// has its rules, InviteUsers (invitation_import.go) is SQLite's own.
type InvitationService struct {
	*sqlstore.InvitationService
	db *DB

	// stageHook, if set, runs after each transaction that stored staged
	// rows of an import and after its publication; an error stops the
	// import there as a crash would. Tests set it.
	stageHook func(importID int64, published bool) error
}

// NewInvitationService returns the invitation service of db.
func NewInvitationService(db *DB) *InvitationService {
	return &InvitationService{InvitationService: sqlstore.NewInvitationService(newStore(db)), db: db}
}

// FindInvitations returns a page of invitations, each with its sync mark.
func (s *InvitationService) FindInvitations(ctx context.Context, f backend.InvitationFilter) ([]*backend.Invitation, int, error) {
	list, total, err := s.InvitationService.FindInvitations(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(list))
	for i, inv := range list {
		ids[i] = inv.ID
	}
	marks, err := s.db.syncMarks(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	for _, inv := range list {
		inv.Sync = marks[inv.ID]
	}
	return list, total, nil
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
// token's hash.
func newPendingInvitation(ctx context.Context, email backend.Email, role *backend.Role, now time.Time) (inv *backend.Invitation, token string, hash []byte) {
	return sqlstore.PendingInvitation(ctx, email, role, now)
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
	return sealMailData(s.tx, sqlstore.InvitationMailData(inv, inv.InvitedByName, org, token))
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
		inv.RoleID, inv.RoleName, sqlstore.NullString(inv.InvitedByID), inv.InvitedByName, n.hash, inv.OutboxID, created,
		formatTime(inv.SentAt), formatTime(inv.ExpiresAt), created, s.importID); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return 0, sqlstore.InvitationExists(inv.Email, false)
		}
		return 0, fmt.Errorf("store invitation: %w", err)
	}
	return res.LastInsertId()
}
