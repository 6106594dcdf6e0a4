package postgres

import (
	"context"
	"fmt"
	"strings"

	"roster/backend"
	"roster/backend/sqlstore"
)

var _ backend.InvitationService = (*InvitationService)(nil)

// InvitationService implements backend.InvitationService: package sqlstore
// has its rules, InviteUsers is this package's own.
type InvitationService struct {
	*sqlstore.InvitationService
	db *DB
}

// NewInvitationService returns the invitation service of db.
func NewInvitationService(db *DB) *InvitationService {
	return &InvitationService{InvitationService: sqlstore.NewInvitationService(newStore(db)), db: db}
}

// addInvitation stores one invitation and queues its email
// (Dialect.AddInvitation). Its email's id comes from the outbox's sequence first, so the
// invitation is written once, already pointing at it. ECONFLICT when the
// address has an open invitation (the unique index decides, also when
// another process invited it a moment ago).
func addInvitation(ctx context.Context, tx *Tx, n *sqlstore.NewInvitation, org string) error {
	inv := n.Inv
	id, err := nextOutboxID(ctx, tx)
	if err != nil {
		return err
	}
	inv.OutboxID = id
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, email, email_key, sort_key, search_text,
		role_id, role_name, invited_by_id, invited_by_name, token_hash, state, outbox_id, created_at, sent_at, expires_at,
		updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $12, $13, $12)`,
		inv.ID, inv.Email, n.Key, sortKey(inv.Email), sqlstore.SearchText("", inv.Email),
		inv.RoleID, inv.RoleName, nullString(inv.InvitedByID), inv.InvitedByName, n.Hash, inv.OutboxID, tx.now,
		inv.ExpiresAt); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			if e := backend.AsError(mapError(err)); e.Key == "conflict" {
				return sqlstore.InvitationExists(inv.Email, false)
			}
		}
		return fmt.Errorf("store invitation: %w", mapError(err))
	}
	mail := &backend.OutboxEntry{ID: inv.OutboxID, Kind: backend.MailInvitation, To: inv.Email, InvitationID: inv.ID,
		Data: sqlstore.InvitationMailData(inv, inv.InvitedByName, org, n.Token)}
	return dialect.Enqueue(ctx, storeTx{tx}, tx.db.Keys, mail)
}

// InviteUsers stores many invitations in one transaction, all or none.
func (s *InvitationService) InviteUsers(ctx context.Context, params []backend.InviteParams, progress backend.Progress) (*backend.BulkInviteResult, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	total := len(params)

	// Check every address first, before the transaction.
	emails := make([]backend.Email, total)
	keys := make([]string, total)
	seen := make(map[string]int, total)
	for i, p := range params {
		email, err := backend.ParseEmail(p.Email)
		if err != nil {
			return nil, sqlstore.InviteRowError(i, err)
		}
		if j, dup := seen[email.Key]; dup {
			return nil, sqlstore.InviteRowError(i, backend.MsgInvitationDuplicate.FieldError(backend.ECONFLICT, "email", "email", email.Address, "firstRow", j+1, "row", i+1))
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
	org, err := dialect.OrganisationName(ctx, storeTx{tx})
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
			return nil, sqlstore.InviteRowError(i, sqlstore.MemberExists(emails[i].Address))
		case backend.EmailInvited:
			return nil, sqlstore.InviteRowError(i, sqlstore.InvitationExists(emails[i].Address, false))
		}
		roleKey := strings.ToLower(strings.TrimSpace(p.Role))
		role, ok := roles[roleKey]
		if !ok {
			if role, err = dialect.ResolveRole(ctx, storeTx{tx}, p.Role); err != nil {
				return nil, sqlstore.InviteRowError(i, err)
			}
			roles[roleKey] = role
		}
		inv, token, hash := sqlstore.PendingInvitation(ctx, emails[i], role, tx.now)
		if err := addInvitation(ctx, tx, &sqlstore.NewInvitation{Inv: inv, Key: keys[i], Token: token, Hash: hash}, org); err != nil {
			return nil, sqlstore.InviteRowError(i, err)
		}
		if err := dialect.WriteAudit(ctx, storeTx{tx}, backend.AuditInvitationsImported, sqlstore.InvitationTarget(inv), nil,
			sqlstore.InvitationState(inv)); err != nil {
			return nil, sqlstore.InviteRowError(i, err)
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
