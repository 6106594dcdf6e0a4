// Package synctest holds what the tests of sync share: reading the rows
// that sync carries from a database (a directory server's, on SQLite or
// PostgreSQL, or a desktop replica's) and comparing two of them row for row.
package synctest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"roster/backend"
	"roster/backend/sqlstore"
)

// Rows are the synced columns of a database's members, invitations, roles
// (with their permissions, sorted) and audit entries, each list in id order.
type Rows struct {
	Users       []backend.UserRow
	Invitations []backend.InvitationRow
	Roles       []backend.RoleRow
	Audit       []backend.AuditRow
}

// ReadRows reads the synced rows of a database through q (a pool or a
// transaction of either store; the statements have no arguments).
func ReadRows(ctx context.Context, q sqlstore.Querier) (*Rows, error) {
	var r Rows
	err := scan(ctx, q, `SELECT id, name, email, role_id, status, joined_at, removed_at, created_at, updated_at, last_sign_in_at
		FROM users ORDER BY id`, func(s scanner) error {
		var u backend.UserRow
		err := s.Scan(&u.ID, &u.Name, &u.Email, &u.RoleID, &u.Status, sqlstore.Time(&u.JoinedAt), sqlstore.NullTime(&u.RemovedAt),
			sqlstore.Time(&u.CreatedAt), sqlstore.Time(&u.UpdatedAt), sqlstore.NullTime(&u.LastSignInAt))
		r.Users = append(r.Users, u)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	err = scan(ctx, q, `SELECT id, email, COALESCE(role_id, ''), role_name, COALESCE(invited_by_id, ''), invited_by_name,
		state, COALESCE(user_id, ''), created_at, sent_at, expires_at, accepted_at, deleted_at, updated_at
		FROM invitations ORDER BY id`, func(s scanner) error {
		var i backend.InvitationRow
		err := s.Scan(&i.ID, &i.Email, &i.RoleID, &i.RoleName, &i.InvitedByID, &i.InvitedByName, &i.State, &i.UserID,
			sqlstore.Time(&i.CreatedAt), sqlstore.Time(&i.SentAt), sqlstore.Time(&i.ExpiresAt), sqlstore.NullTime(&i.AcceptedAt),
			sqlstore.NullTime(&i.DeletedAt), sqlstore.Time(&i.UpdatedAt))
		r.Invitations = append(r.Invitations, i)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("invitations: %w", err)
	}
	perms := map[string][]backend.Permission{}
	err = scan(ctx, q, `SELECT role_id, permission FROM role_permissions`, func(s scanner) error {
		var id, p string
		err := s.Scan(&id, &p)
		perms[id] = append(perms[id], backend.Permission(p))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("role permissions: %w", err)
	}
	err = scan(ctx, q, `SELECT id, name, built_in, created_at, updated_at FROM roles ORDER BY id`, func(s scanner) error {
		var role backend.RoleRow
		err := s.Scan(&role.ID, &role.Name, &role.BuiltIn, sqlstore.Time(&role.CreatedAt), sqlstore.Time(&role.UpdatedAt))
		role.Permissions = perms[role.ID]
		slices.SortFunc(role.Permissions, func(a, b backend.Permission) int {
			return slices.Index(backend.AllPermissions, a) - slices.Index(backend.AllPermissions, b)
		})
		r.Roles = append(r.Roles, role)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("roles: %w", err)
	}
	err = scan(ctx, q, `SELECT uid, at, COALESCE(actor_id, ''), actor_name, COALESCE(actor_client, ''), action, target_type,
		target_id, target_label, COALESCE(before, ''), COALESCE(after, '') FROM audit_log ORDER BY uid`, func(s scanner) error {
		var a backend.AuditRow
		var before, after string
		err := s.Scan(&a.UID, sqlstore.Time(&a.At), &a.ActorID, &a.ActorName, &a.ActorClient, &a.Action, &a.TargetType,
			&a.TargetID, &a.TargetLabel, &before, &after)
		if before != "" {
			a.Before = json.RawMessage(before)
		}
		if after != "" {
			a.After = json.RawMessage(after)
		}
		r.Audit = append(r.Audit, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return &r, nil
}

type scanner interface{ Scan(...any) error }

func scan(ctx context.Context, q sqlstore.Querier, query string, row func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Diff lists the differences between two databases' rows (want, got):
// each row that one lacks or that differs, as JSON.
func Diff(want, got *Rows) []string {
	var diffs []string
	diffs = diffList(diffs, "user", want.Users, got.Users, func(u backend.UserRow) string { return u.ID })
	diffs = diffList(diffs, "invitation", want.Invitations, got.Invitations, func(i backend.InvitationRow) string { return i.ID })
	diffs = diffList(diffs, "role", want.Roles, got.Roles, func(r backend.RoleRow) string { return r.ID })
	diffs = diffList(diffs, "audit entry", want.Audit, got.Audit, func(a backend.AuditRow) string { return a.UID })
	return diffs
}

func diffList[T any](diffs []string, what string, want, got []T, id func(T) string) []string {
	index := func(list []T) map[string]string {
		m := make(map[string]string, len(list))
		for _, v := range list {
			b, _ := json.Marshal(v)
			m[id(v)] = string(b)
		}
		return m
	}
	w, g := index(want), index(got)
	for k, wv := range w {
		switch gv, ok := g[k]; {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s %s missing: want %s", what, k, wv))
		case gv != wv:
			diffs = append(diffs, fmt.Sprintf("%s %s differs:\n  want %s\n  got  %s", what, k, wv, gv))
		}
	}
	for k, gv := range g {
		if _, ok := w[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s %s extra: %s", what, k, gv))
		}
	}
	slices.Sort(diffs)
	return diffs
}

// Equal fails tb unless the databases behind server and replica have the
// same synced rows, listing up to 20 differences.
func Equal(tb testing.TB, server, replica sqlstore.Querier) {
	tb.Helper()
	ctx := context.Background()
	want, err := ReadRows(ctx, server)
	if err != nil {
		tb.Fatalf("server: %v", err)
	}
	got, err := ReadRows(ctx, replica)
	if err != nil {
		tb.Fatalf("replica: %v", err)
	}
	if diffs := Diff(want, got); len(diffs) > 0 {
		tb.Fatalf("the replica differs from the server in %d rows:\n%s", len(diffs), strings.Join(diffs[:min(len(diffs), 20)], "\n"))
	}
}
