package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"roster/backend"
)

// SyncFeed implements backend.SyncFeedService over the change feed that
// the triggers of migration sync_feed keep: sync_changes holds, per
// entity (a member, an invitation, a role with its permissions, an audit
// entry), the number of its latest change.
type SyncFeed struct {
	s *Store
	// on is set once capture is known to be on.
	on atomic.Bool
}

var _ backend.SyncFeedService = (*SyncFeed)(nil)

// NewSyncFeed returns the change feed of s.
func NewSyncFeed(s *Store) *SyncFeed {
	return &SyncFeed{s: s}
}

// EnableSyncFeed switches change capture on, if it is off (SQLite's
// schema has it off, so that a desktop's writes pay nothing for a feed it
// does not serve), and numbers every member, invitation, role and audit
// entry that exists then, in that order (so that a first pull's pages
// bring a row's role and members before the row). Pull calls it first;
// the server may call it when it starts.
func (f *SyncFeed) EnableSyncFeed(ctx context.Context) error {
	if f.on.Load() {
		return nil
	}
	s := f.s
	var capture int
	if err := s.DB.QueryRowContext(ctx, `SELECT capture FROM sync_feed WHERE id = 1`).Scan(&capture); err != nil {
		return s.wrap("read sync feed", err)
	}
	if capture == 1 {
		f.on.Store(true)
		return nil
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var base int64
	if err := tx.QueryRowContext(ctx, `SELECT seq FROM sync_feed WHERE id = 1 AND capture = 0`).Scan(&base); err != nil {
		if isNoRows(err) { // another process switched it on meanwhile
			f.on.Store(true)
			return nil
		}
		return s.wrap("enable sync feed", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_changes`); err != nil {
		return s.wrap("enable sync feed", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO sync_changes (entity, entity_id, seq)
		SELECT entity, entity_id, ? + row_number() OVER (ORDER BY ord, at, entity_id) FROM (
			SELECT 1 AS ord, 'role' AS entity, id AS entity_id, created_at AS at FROM roles
			UNION ALL SELECT 2, 'user', id, created_at FROM users
			UNION ALL SELECT 3, 'invitation', id, created_at FROM invitations
			UNION ALL SELECT 4, 'audit', uid, at FROM audit_log WHERE uid IS NOT NULL
		) AS existing`, base)
	if err != nil {
		return s.wrap("enable sync feed", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrap("enable sync feed", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_feed SET capture = 1, seq = ? WHERE id = 1`, base+n); err != nil {
		return s.wrap("enable sync feed", err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("enable sync feed", err)
	}
	f.on.Store(true)
	return nil
}

// changeSelect reads changes of sync_changes c with the current row of
// their entity, if it still exists; scanChange reads a row of it. A role's
// permissions come comma-separated.
const changeSelect = `SELECT c.seq, c.entity, c.entity_id,
	COALESCE(u.id, ''), COALESCE(u.name, ''), COALESCE(u.email, ''), COALESCE(u.role_id, ''), COALESCE(u.status, ''),
	u.joined_at, u.removed_at, u.created_at, u.updated_at, u.last_sign_in_at,
	COALESCE(i.id, ''), COALESCE(i.email, ''), COALESCE(i.role_id, ''), COALESCE(i.role_name, ''),
	COALESCE(i.invited_by_id, ''), COALESCE(i.invited_by_name, ''), COALESCE(i.state, ''), COALESCE(i.user_id, ''),
	i.created_at, i.sent_at, i.expires_at, i.accepted_at, i.deleted_at, i.updated_at,
	COALESCE(r.id, ''), COALESCE(r.name, ''), COALESCE(r.built_in, false), r.created_at, r.updated_at,
	COALESCE((SELECT string_agg(p.permission, ',') FROM role_permissions p WHERE p.role_id = r.id), ''),
	COALESCE(a.uid, ''), a.at, COALESCE(a.actor_id, ''), COALESCE(a.actor_name, ''), COALESCE(a.actor_client, ''),
	COALESCE(a.action, ''), COALESCE(a.target_type, ''), COALESCE(a.target_id, ''), COALESCE(a.target_label, ''),
	COALESCE(a.before, ''), COALESCE(a.after, '')
	FROM sync_changes c
	LEFT JOIN users u ON c.entity = 'user' AND u.id = c.entity_id
	LEFT JOIN invitations i ON c.entity = 'invitation' AND i.id = c.entity_id
	LEFT JOIN roles r ON c.entity = 'role' AND r.id = c.entity_id
	LEFT JOIN audit_log a ON c.entity = 'audit' AND a.uid = c.entity_id`

// pulled is a change as read, with the ids its row refers to.
type pulled struct {
	backend.Change
	// roles and users are the ids of the roles and members the row refers
	// to; the desktop's foreign keys need them stored first.
	roles, users []string
}

// scanChange reads one row of changeSelect.
func scanChange(row scanner) (*pulled, error) {
	var (
		c                           pulled
		u                           backend.UserRow
		uJoined, uCreated, uUpdated *time.Time
		i                           backend.InvitationRow
		iCreated, iSent, iExpires   *time.Time
		iUpdated                    *time.Time
		r                           backend.RoleRow
		rCreated, rUpdated          *time.Time
		perms                       string
		a                           backend.AuditRow
		aAt                         *time.Time
		before, after               string
	)
	if err := row.Scan(&c.Seq, &c.Entity, &c.ID,
		&u.ID, &u.Name, &u.Email, &u.RoleID, &u.Status,
		NullTime(&uJoined), NullTime(&u.RemovedAt), NullTime(&uCreated), NullTime(&uUpdated), NullTime(&u.LastSignInAt),
		&i.ID, &i.Email, &i.RoleID, &i.RoleName, &i.InvitedByID, &i.InvitedByName, &i.State, &i.UserID,
		NullTime(&iCreated), NullTime(&iSent), NullTime(&iExpires), NullTime(&i.AcceptedAt), NullTime(&i.DeletedAt), NullTime(&iUpdated),
		&r.ID, &r.Name, &r.BuiltIn, NullTime(&rCreated), NullTime(&rUpdated), &perms,
		&a.UID, NullTime(&aAt), &a.ActorID, &a.ActorName, &a.ActorClient, &a.Action, &a.TargetType, &a.TargetID, &a.TargetLabel,
		&before, &after); err != nil {
		return nil, err
	}
	var v any
	switch {
	case c.Entity == backend.EntityUser && u.ID != "":
		u.JoinedAt, u.CreatedAt, u.UpdatedAt = deref(uJoined), deref(uCreated), deref(uUpdated)
		v, c.roles = u, []string{u.RoleID}
	case c.Entity == backend.EntityInvitation && i.ID != "":
		i.CreatedAt, i.SentAt, i.ExpiresAt, i.UpdatedAt = deref(iCreated), deref(iSent), deref(iExpires), deref(iUpdated)
		v = i
		if i.RoleID != "" {
			c.roles = append(c.roles, i.RoleID)
		}
		for _, id := range []string{i.InvitedByID, i.UserID} {
			if id != "" {
				c.users = append(c.users, id)
			}
		}
	case c.Entity == backend.EntityRole && r.ID != "":
		r.CreatedAt, r.UpdatedAt = deref(rCreated), deref(rUpdated)
		r.Permissions = []backend.Permission{}
		for _, p := range strings.Split(perms, ",") {
			if p != "" {
				r.Permissions = append(r.Permissions, backend.Permission(p))
			}
		}
		sortPermissions(r.Permissions)
		v = r
	case c.Entity == backend.EntityAudit && a.UID != "":
		a.At = deref(aAt)
		if json.Valid([]byte(before)) {
			a.Before = json.RawMessage(before)
		}
		if json.Valid([]byte(after)) {
			a.After = json.RawMessage(after)
		}
		v = a
	default:
		c.Deleted = true
		return &c, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("change %s %s: %w", c.Entity, c.ID, err)
	}
	c.Row = b
	return &c, nil
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// Pull returns the entities changed after cursor, in the order of their
// latest change, at most limit of them, each as its row is now or as a
// tombstone (Deleted) when it is gone; Cursor is the last one's number,
// More says whether later changes exist, and Applied is how far client's
// operations are applied (0 for a client the server does not know).
//
// The page is read in one snapshot, Applied first: every change of an
// applied operation is at or before the end of the feed in that snapshot.
//
// A change's row may refer to a role or a member whose own latest change
// is later than the page (a member given a role that was renamed since):
// the page then brings that role or member too, ahead of its place (it
// comes again there), so that a desktop can store each page with its
// foreign keys checked. Such changes have numbers beyond Cursor.
func (f *SyncFeed) Pull(ctx context.Context, client string, cursor int64, limit int) (*backend.PullResult, error) {
	if limit <= 0 {
		limit = backend.DefaultPullLimit
	}
	limit = min(limit, backend.MaxPullLimit)
	cursor = max(cursor, 0)
	if err := f.EnableSyncFeed(ctx); err != nil {
		return nil, err
	}
	s := f.s
	q, end, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	res := &backend.PullResult{Cursor: cursor, Changes: []backend.Change{}}
	err = q.QueryRowContext(ctx, `SELECT last_seq FROM sync_clients WHERE id = ?`, client).Scan(&res.Applied)
	if err != nil && !isNoRows(err) {
		return nil, s.wrap("pull: applied", err)
	}
	page, err := f.changes(ctx, q, changeSelect+` WHERE c.seq > ? ORDER BY c.seq LIMIT ?`, cursor, limit+1)
	if err != nil {
		return nil, err
	}
	if len(page) > limit {
		page, res.More = page[:limit], true
	}
	if len(page) > 0 {
		res.Cursor = page[len(page)-1].Seq
	}
	if page, err = f.withReferences(ctx, q, page, res.Cursor); err != nil {
		return nil, err
	}
	for _, c := range page {
		res.Changes = append(res.Changes, c.Change)
	}
	return res, nil
}

// changes runs a query of changeSelect.
func (f *SyncFeed) changes(ctx context.Context, q Querier, query string, args ...any) ([]*pulled, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, f.s.wrap("pull", err)
	}
	defer rows.Close()
	var list []*pulled
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("pull: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, f.s.wrap("pull", err)
	}
	return list, nil
}

// withReferences adds to page the members, then the roles, that its rows
// refer to and whose latest change is after end, and sorts it by number.
func (f *SyncFeed) withReferences(ctx context.Context, q Querier, page []*pulled, end int64) ([]*pulled, error) {
	have := map[string]bool{}
	for _, c := range page {
		have[c.Entity+" "+c.ID] = true
	}
	for _, entity := range []string{backend.EntityUser, backend.EntityRole} {
		var ids []any
		for _, c := range page {
			refs := c.users
			if entity == backend.EntityRole {
				refs = c.roles
			}
			for _, id := range refs {
				if k := entity + " " + id; !have[k] {
					have[k] = true
					ids = append(ids, id)
				}
			}
		}
		for len(ids) > 0 {
			n := min(len(ids), 500)
			more, err := f.changes(ctx, q, changeSelect+` WHERE c.entity = ? AND c.seq > ? AND c.entity_id IN (?`+
				strings.Repeat(", ?", n-1)+`)`, append([]any{entity, end}, ids[:n]...)...)
			if err != nil {
				return nil, err
			}
			page, ids = append(page, more...), ids[n:]
		}
	}
	slices.SortFunc(page, func(a, b *pulled) int { return cmp.Compare(a.Seq, b.Seq) })
	return page, nil
}

// SyncHello returns the organisation, the actor as the Administrator, and
// whether the server is Empty: it has no invitation (in any state), no
// custom role, and no member (removed ones included) whose role is not
// Administrator. Audit entries do not count.
func (f *SyncFeed) SyncHello(ctx context.Context) (*backend.SyncHello, error) {
	s := f.s
	q, end, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	var h backend.SyncHello
	err = q.QueryRowContext(ctx, `SELECT uid, name FROM organisation WHERE id = 1`).Scan(&h.Organisation.ID, &h.Organisation.Name)
	if isNoRows(err) {
		return nil, errNotSetUp()
	} else if err != nil {
		return nil, s.wrap("sync hello", err)
	}
	if actor := backend.ActorFromContext(ctx); actor.ID != "" {
		u, err := s.FindUserByID(ctx, q, actor.ID)
		if err != nil {
			return nil, fmt.Errorf("sync hello: %w", err)
		}
		h.Administrator.ID, h.Administrator.Name, h.Administrator.Email = u.ID, u.Name, u.Email
	}
	if err := q.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM invitations)
		AND NOT EXISTS (SELECT 1 FROM roles WHERE NOT built_in)
		AND NOT EXISTS (SELECT 1 FROM users WHERE role_id <> ?)`, backend.RoleAdministrator).Scan(&h.Empty); err != nil {
		return nil, s.wrap("sync hello", err)
	}
	return &h, nil
}

// isNoRows reports whether err says a query found no row.
func isNoRows(err error) bool {
	return errors.Is(err, sql.ErrNoRows)
}
