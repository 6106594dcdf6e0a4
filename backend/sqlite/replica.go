package sqlite

// The desktop as a replica of a directory server: it stores the rows a
// pull brings (backend.Change) as the server has them, and computes what
// the desktop derives itself (email keys, sort keys, search text, the
// Users list's rows through its triggers).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

// settingSyncCursor is the settings key of the server cursor the replica
// has applied up to.
const settingSyncCursor = "sync.cursor"

// SyncCursor returns the server cursor the replica has applied up to, 0
// before the first pull.
func (db *DB) SyncCursor(ctx context.Context) (int64, error) {
	var cursor int64
	err := findSetting(ctx, db.db, settingSyncCursor, &cursor)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return 0, nil
	}
	return cursor, err
}

// SetSyncCursor records, in the transaction that applied a pull's page,
// the cursor the replica has applied up to.
func (db *DB) SetSyncCursor(ctx context.Context, tx sqlstore.Tx, cursor int64) error {
	return updateSetting(ctx, tx, settingSyncCursor, cursor, tx.Now())
}

// replicaChanges are a page's changes sorted into what ApplyChanges
// stores, in its order.
type replicaChanges struct {
	roles       []backend.RoleRow
	users       []backend.UserRow
	invitations []backend.InvitationRow
	audit       []backend.AuditRow
	goneRoles   []string
}

// sortChanges decodes changes, keeping the latest of each entity.
func sortChanges(changes []backend.Change) (*replicaChanges, error) {
	latest := make(map[[2]string]int, len(changes))
	for i, c := range changes {
		k := [2]string{c.Entity, c.ID}
		if j, ok := latest[k]; !ok || changes[j].Seq < c.Seq {
			latest[k] = i
		}
	}
	rc := &replicaChanges{}
	for i, c := range changes {
		if latest[[2]string{c.Entity, c.ID}] != i {
			continue
		}
		if c.Deleted {
			if c.Entity != backend.EntityRole {
				return nil, fmt.Errorf("change %d: a tombstone of %s %s: only roles are ever deleted", c.Seq, c.Entity, c.ID)
			}
			rc.goneRoles = append(rc.goneRoles, c.ID)
			continue
		}
		var err error
		switch c.Entity {
		case backend.EntityRole:
			rc.roles, err = appendRow(rc.roles, c)
		case backend.EntityUser:
			rc.users, err = appendRow(rc.users, c)
		case backend.EntityInvitation:
			rc.invitations, err = appendRow(rc.invitations, c)
		case backend.EntityAudit:
			rc.audit, err = appendRow(rc.audit, c)
		default:
			err = fmt.Errorf("change %d: unknown entity %q", c.Seq, c.Entity)
		}
		if err != nil {
			return nil, err
		}
	}
	return rc, nil
}

func appendRow[T any](list []T, c backend.Change) ([]T, error) {
	var v T
	if err := json.Unmarshal(c.Row, &v); err != nil {
		return nil, fmt.Errorf("change %d (%s %s): %w", c.Seq, c.Entity, c.ID, err)
	}
	return append(list, v), nil
}

// preparer is what a transaction that prepares statements offers.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// statements prepares a page's statements once, where the transaction
// can; otherwise each runs through tx.
type statements struct {
	ctx   context.Context
	tx    sqlstore.Tx
	stmts []*sql.Stmt
}

// exec returns a function that runs query with its arguments.
func (s *statements) exec(query string) (func(args ...any) error, error) {
	p, ok := s.tx.(preparer)
	if !ok {
		return func(args ...any) error {
			_, err := s.tx.ExecContext(s.ctx, query, args...)
			return err
		}, nil
	}
	stmt, err := p.PrepareContext(s.ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmts = append(s.stmts, stmt)
	return func(args ...any) error {
		_, err := stmt.ExecContext(s.ctx, args...)
		return err
	}, nil
}

func (s *statements) close() {
	for _, st := range s.stmts {
		st.Close()
	}
}

// The statements of ApplyChanges. A row that shares a unique key with the
// one being stored (a role's name, a current member's or an open
// invitation's address) is one the server has changed since: its key is
// set aside (its id appended) until its own change, in this page or a
// later one, brings it back.
const (
	replicaRoleAside = `UPDATE roles SET name_key = name_key || char(10) || id WHERE name_key = ? AND id <> ?`
	replicaRole      = `INSERT INTO roles (id, name, name_key, built_in, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, built_in = excluded.built_in,
		created_at = excluded.created_at, updated_at = excluded.updated_at`
	replicaPermsClear = `DELETE FROM role_permissions WHERE role_id = ?`
	replicaPerm       = `INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)`
	replicaUserAside  = `UPDATE users SET email_key = email_key || char(10) || id
		WHERE email_key = ? AND status <> 'removed' AND id <> ?`
	replicaUser = `INSERT INTO users (id, name, email, email_key, sort_key, search_text, role_id, status, joined_at,
		removed_at, created_at, updated_at, last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, email_key = excluded.email_key,
		sort_key = excluded.sort_key, search_text = excluded.search_text, role_id = excluded.role_id,
		status = excluded.status, joined_at = excluded.joined_at, removed_at = excluded.removed_at,
		created_at = excluded.created_at, updated_at = excluded.updated_at, last_sign_in_at = excluded.last_sign_in_at`
	replicaInvitationAside = `UPDATE invitations SET email_key = email_key || char(10) || id
		WHERE email_key = ? AND state = 'pending' AND id <> ?`
	// The token hash is the desktop's own (an invitation it made) or, for
	// one made elsewhere, a stand-in (replicaTokenHash): the token stays
	// on the desktop that minted it.
	replicaInvitation = `INSERT INTO invitations (id, email, email_key, sort_key, search_text, role_id, role_name,
		invited_by_id, invited_by_name, token_hash, state, user_id, created_at, sent_at, expires_at, accepted_at,
		deleted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key,
		sort_key = excluded.sort_key, search_text = excluded.search_text, role_id = excluded.role_id,
		role_name = excluded.role_name, invited_by_id = excluded.invited_by_id,
		invited_by_name = excluded.invited_by_name, state = excluded.state, user_id = excluded.user_id,
		created_at = excluded.created_at, sent_at = excluded.sent_at, expires_at = excluded.expires_at,
		accepted_at = excluded.accepted_at, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at`
	// An email this desktop queued for an invitation whose link the server
	// has closed (deleted, accepted) or replaced (resent elsewhere, so
	// sent_at moved) would carry a link that no longer works: it goes.
	replicaInvitationMail = `UPDATE outbox SET state = 'cancelled', data = NULL, updated_at = ?
		WHERE invitation_id = ? AND state IN ('queued', 'failed')
		AND (? <> 'pending' OR NOT EXISTS (SELECT 1 FROM invitations WHERE id = ? AND sent_at = ?))`
	replicaAudit = `INSERT INTO audit_log (uid, at, actor_id, actor_name, actor_client, action, target_type, target_id,
		target_label, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (uid) DO UPDATE SET at = excluded.at, actor_id = excluded.actor_id, actor_name = excluded.actor_name,
		actor_client = excluded.actor_client, action = excluded.action, target_type = excluded.target_type,
		target_id = excluded.target_id, target_label = excluded.target_label, before = excluded.before,
		after = excluded.after`
	// A role's members on this desktop when the server deleted it are
	// members whose later change moved them off it; until that change
	// comes they have the role User.
	replicaRoleGoneUsers = `UPDATE users SET role_id = 'user' WHERE role_id = ?`
	replicaRoleGone      = `DELETE FROM roles WHERE id = ?`
)

// ApplyChanges stores a pull's changes in tx, as the server has the rows:
// roles with their permissions, members, invitations (keeping what only
// this desktop has: an invitation's token hash and latest email) and
// audit entries (by uid), in that order so that every reference is
// stored first, then the deleted roles. Where changes name an entity more
// than once, the latest counts. The Users list follows through its
// triggers.
func (db *DB) ApplyChanges(ctx context.Context, tx sqlstore.Tx, changes []backend.Change) (err error) {
	rc, err := sortChanges(changes)
	if err != nil {
		return fmt.Errorf("apply changes: %w", err)
	}
	var held *heldTriggers
	if len(rc.users)+len(rc.invitations) >= bulkListRows {
		if held, err = holdListTriggers(ctx, tx); err != nil {
			return fmt.Errorf("apply changes: %w", mapError(err))
		}
		defer func() {
			if rerr := held.restore(ctx, tx); rerr != nil && err == nil {
				err = fmt.Errorf("apply changes: %w", mapError(rerr))
			}
		}()
	}
	st := &statements{ctx: ctx, tx: tx}
	defer st.close()
	for _, apply := range []func(*statements, *replicaChanges) error{applyRoles, applyUsers, applyInvitations} {
		if err := apply(st, rc); err != nil {
			return fmt.Errorf("apply changes: %w", mapError(err))
		}
	}
	if held != nil {
		if err := buildListRows(ctx, tx, rc); err != nil {
			return fmt.Errorf("apply changes: %w", mapError(err))
		}
	}
	if err := applyAudit(st, rc); err != nil {
		return fmt.Errorf("apply changes: %w", mapError(err))
	}
	if err := applyGoneRoles(st, rc); err != nil {
		return fmt.Errorf("apply changes: %w", mapError(err))
	}
	return nil
}

// bulkListRows is how many members and invitations a page brings at least
// for ApplyChanges to write their Users list rows itself, in bulk: the
// list's triggers write a row, its seven indexes and its two search
// indexes one member at a time, four times slower than statements over
// the whole page (BENCHMARKS.md, "Sync: pull").
var bulkListRows = 200

// listInsertTriggers are the triggers that write a new member's or
// invitation's Users list row and its search index entries; the update
// and delete triggers keep running.
var listInsertTriggers = []string{"users_directory_ai", "invitations_directory_ai", "directory_ai", "directory_words_ai"}

// heldTriggers are triggers dropped inside a transaction, with the
// statements that create them again.
type heldTriggers struct {
	create []string
	done   bool
}

// holdListTriggers drops listInsertTriggers inside tx, so that
// buildListRows writes what they would have. The transaction holds the
// write lock, and restore creates them again before it commits: no other
// connection ever sees the schema without them.
func holdListTriggers(ctx context.Context, tx sqlstore.Tx) (*heldTriggers, error) {
	rows, err := tx.QueryContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?, ?)
		ORDER BY name`, listInsertTriggers[0], listInsertTriggers[1], listInsertTriggers[2], listInsertTriggers[3])
	if err != nil {
		return nil, fmt.Errorf("hold the Users list's triggers: %w", err)
	}
	h := &heldTriggers{}
	for rows.Next() {
		var create string
		if err := rows.Scan(&create); err != nil {
			rows.Close()
			return nil, err
		}
		h.create = append(h.create, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(h.create) != len(listInsertTriggers) {
		return nil, fmt.Errorf("hold the Users list's triggers: found %d of %d", len(h.create), len(listInsertTriggers))
	}
	for _, name := range listInsertTriggers {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
			return nil, fmt.Errorf("hold the Users list's triggers: %w", err)
		}
	}
	return h, nil
}

// restore creates the held triggers again (once).
func (h *heldTriggers) restore(ctx context.Context, tx sqlstore.Tx) error {
	if h.done {
		return nil
	}
	h.done = true
	for _, create := range h.create {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("restore the Users list's triggers: %w", err)
		}
	}
	return nil
}

// buildListRows writes what the held list triggers would have for the
// page's new members and invitations: their Users list rows (in name
// order, as the list's main index wants them), then the search index
// entries of those rows. Rows that existed before the page kept theirs
// through the update triggers.
func buildListRows(ctx context.Context, tx sqlstore.Tx, rc *replicaChanges) error {
	userIDs := make([]string, len(rc.users))
	for i, u := range rc.users {
		userIDs[i] = u.ID
	}
	invIDs := make([]string, len(rc.invitations))
	for i, inv := range rc.invitations {
		invIDs[i] = inv.ID
	}
	users, err := json.Marshal(userIDs)
	if err != nil {
		return err
	}
	invs, err := json.Marshal(invIDs)
	if err != nil {
		return err
	}
	// Rows inserted from here on get ids above the largest one now.
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM directory`).Scan(&last); err != nil {
		return fmt.Errorf("build list rows: %w", err)
	}
	for _, q := range []struct {
		query string
		arg   any
	}{
		{`INSERT INTO directory (kind, ref_id, name, email, email_key, sort_key, search_text, role_id, role_name, status, joined_at)
			SELECT 'user', u.id, u.name, u.email, u.email_key, u.sort_key, u.search_text, u.role_id, r.name, u.status, u.joined_at
			FROM users u JOIN roles r ON r.id = u.role_id
			WHERE u.id IN (SELECT value FROM json_each(?)) AND u.status <> 'removed'
			AND NOT EXISTS (SELECT 1 FROM directory d WHERE d.ref_id = u.id)
			ORDER BY u.sort_key, u.id`, string(users)},
		{`INSERT INTO directory (kind, ref_id, name, email, email_key, sort_key, search_text, role_id, role_name, status,
			joined_at, expires_at)
			SELECT 'invitation', i.id, '', i.email, i.email_key, i.sort_key, i.search_text, i.role_id, i.role_name, 'pending',
			i.sent_at, i.expires_at
			FROM invitations i
			WHERE i.id IN (SELECT value FROM json_each(?)) AND i.state = 'pending' AND i.import_id IS NULL
			AND NOT EXISTS (SELECT 1 FROM directory d WHERE d.ref_id = i.id)
			ORDER BY i.sort_key, i.id`, string(invs)},
		{`INSERT INTO directory_fts (rowid, search_text) SELECT id, search_text FROM directory WHERE id > ?`, last},
		{`INSERT INTO directory_words (rowid, search_text) SELECT id, search_text FROM directory WHERE id > ?`, last},
	} {
		if _, err := tx.ExecContext(ctx, q.query, q.arg); err != nil {
			return fmt.Errorf("build list rows: %w", err)
		}
	}
	return nil
}

// prepared prepares queries in order.
func prepared(st *statements, queries ...string) ([]func(args ...any) error, error) {
	fns := make([]func(args ...any) error, len(queries))
	for i, q := range queries {
		fn, err := st.exec(q)
		if err != nil {
			return nil, err
		}
		fns[i] = fn
	}
	return fns, nil
}

func applyRoles(st *statements, rc *replicaChanges) error {
	if len(rc.roles) == 0 {
		return nil
	}
	fns, err := prepared(st, replicaRoleAside, replicaRole, replicaPermsClear, replicaPerm)
	if err != nil {
		return err
	}
	aside, upsert, clear, perm := fns[0], fns[1], fns[2], fns[3]
	for _, r := range rc.roles {
		key := strings.ToLower(r.Name)
		if err := aside(key, r.ID); err != nil {
			return fmt.Errorf("role %s: %w", r.ID, err)
		}
		if err := upsert(r.ID, r.Name, key, r.BuiltIn, formatTime(r.CreatedAt), formatTime(r.UpdatedAt)); err != nil {
			return fmt.Errorf("role %s: %w", r.ID, err)
		}
		if err := clear(r.ID); err != nil {
			return fmt.Errorf("role %s: %w", r.ID, err)
		}
		for _, p := range r.Permissions {
			if err := perm(r.ID, string(p)); err != nil {
				return fmt.Errorf("role %s: %w", r.ID, err)
			}
		}
	}
	return nil
}

// emailKey is the key of a stored address (backend.Email.Key); an address
// that no longer parses keeps its lower-case form.
func emailKey(address string) string {
	e, err := backend.ParseEmail(address)
	if err != nil {
		return strings.ToLower(address)
	}
	return e.Key
}

func applyUsers(st *statements, rc *replicaChanges) error {
	if len(rc.users) == 0 {
		return nil
	}
	fns, err := prepared(st, replicaUserAside, replicaUser)
	if err != nil {
		return err
	}
	aside, upsert := fns[0], fns[1]
	for _, u := range rc.users {
		key := emailKey(u.Email)
		if u.Status != backend.UserRemoved {
			if err := aside(key, u.ID); err != nil {
				return fmt.Errorf("user %s: %w", u.ID, err)
			}
		}
		if err := upsert(u.ID, u.Name, u.Email, key, sortKey(sqlstore.ListName(u.Name, u.Email)),
			sqlstore.SearchText(u.Name, u.Email), u.RoleID, string(u.Status), formatTime(u.JoinedAt),
			timeOrNull(u.RemovedAt), formatTime(u.CreatedAt), formatTime(u.UpdatedAt), timeOrNull(u.LastSignInAt)); err != nil {
			return fmt.Errorf("user %s: %w", u.ID, err)
		}
	}
	return nil
}

func applyInvitations(st *statements, rc *replicaChanges) error {
	if len(rc.invitations) == 0 {
		return nil
	}
	fns, err := prepared(st, replicaInvitationAside, replicaInvitation, replicaInvitationMail)
	if err != nil {
		return err
	}
	aside, upsert, cancelMail := fns[0], fns[1], fns[2]
	now := formatTime(st.tx.Now())
	for _, i := range rc.invitations {
		if err := cancelMail(now, i.ID, string(i.State), i.ID, formatTime(i.SentAt)); err != nil {
			return fmt.Errorf("invitation %s: %w", i.ID, err)
		}
		key := emailKey(i.Email)
		if i.State == backend.InvitationPending {
			if err := aside(key, i.ID); err != nil {
				return fmt.Errorf("invitation %s: %w", i.ID, err)
			}
		}
		if err := upsert(i.ID, i.Email, key, sortKey(i.Email), sqlstore.SearchText("", i.Email),
			sqlstore.NullString(i.RoleID), i.RoleName, sqlstore.NullString(i.InvitedByID), i.InvitedByName, replicaTokenHash(i.ID),
			string(i.State), sqlstore.NullString(i.UserID), formatTime(i.CreatedAt), formatTime(i.SentAt),
			formatTime(i.ExpiresAt), timeOrNull(i.AcceptedAt), timeOrNull(i.DeletedAt), formatTime(i.UpdatedAt)); err != nil {
			return fmt.Errorf("invitation %s: %w", i.ID, err)
		}
	}
	return nil
}

func applyAudit(st *statements, rc *replicaChanges) error {
	if len(rc.audit) == 0 {
		return nil
	}
	upsert, err := st.exec(replicaAudit)
	if err != nil {
		return err
	}
	for _, a := range rc.audit {
		if err := upsert(a.UID, formatTime(a.At), sqlstore.NullString(a.ActorID), a.ActorName,
			sqlstore.NullString(a.ActorClient), a.Action, a.TargetType, a.TargetID, a.TargetLabel,
			jsonOrNull(a.Before), jsonOrNull(a.After)); err != nil {
			return fmt.Errorf("audit entry %s: %w", a.UID, err)
		}
	}
	return nil
}

func applyGoneRoles(st *statements, rc *replicaChanges) error {
	for _, id := range rc.goneRoles {
		if id == backend.RoleUser || id == backend.RoleAdministrator {
			return errors.New("a built-in role deleted")
		}
		if _, err := st.tx.ExecContext(st.ctx, replicaRoleGoneUsers, id); err != nil {
			return fmt.Errorf("role %s: %w", id, err)
		}
		if _, err := st.tx.ExecContext(st.ctx, replicaRoleGone, id); err != nil {
			return fmt.Errorf("role %s: %w", id, err)
		}
	}
	return nil
}

// replicaTokenHash is the token hash a replica keeps for an invitation
// made elsewhere: unique as its id is, and in the order of its id (new
// ones append to the index), and longer than a SHA-256, so that no link's
// token ever hashes to it.
func replicaTokenHash(id string) []byte {
	return []byte("replica:" + id)
}

// timeOrNull renders an optional time as stored.
func timeOrNull(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

// jsonOrNull stores raw JSON as text; none is NULL.
func jsonOrNull(raw json.RawMessage) any {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return string(raw)
}
