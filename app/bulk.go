package app

import (
	"context"

	"roster/backend"
)

// MaxBulkItems is the most rows one bulk action takes, and the most ids
// UserIDsMatching and InvitationIDsMatching return.
const MaxBulkItems = 10_000

// matchPage is how many rows UserIDsMatching and InvitationIDsMatching read
// per query.
const matchPage = 1000

// Bulk is the facade of acting on many selected rows at once: change the
// role of, deactivate or remove members; resend or delete invitations. Each
// row is done in its own transaction by the same service method as the
// single action, so the same rules hold and the same audit entries are
// written; a row that fails is reported with its coded error and the others
// go on. Progress goes out as EventBulkProgress; CancelBulk stops an action
// between two rows.
type Bulk struct {
	app *App
	// emit, when set (in tests), receives the events instead of the window.
	emit func(name string, payload any)
	// running are the bulk actions under way, for CancelBulk.
	running calls
}

// CancelBulk stops the bulk actions under way after the row each is doing:
// they return what was done, with canceled set. It does nothing when none runs.
func (b *Bulk) CancelBulk() {
	b.running.cancelAll()
}

// UserIDsMatching returns the ids of the members in the Users list as
// filtered (search, role, status; invitations are left out), in its order,
// at most MaxBulkItems. Errors: invalid, as FindDirectory.
func (b *Bulk) UserIDsMatching(p DirectoryParams) (BulkMatchDTO, error) {
	p.Offset, p.Limit = 0, matchPage
	f, err := directoryFilter(p)
	if err != nil {
		return BulkMatchDTO{}, err
	}
	ctx := b.app.callContext()
	return matchIDs(f.Limit, func(offset int) ([]string, int, error) {
		f.Offset = offset
		page, err := b.app.deps.Directory.FindDirectory(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		ids := make([]string, 0, len(page.Entries))
		for _, e := range page.Entries {
			if e.Kind == backend.EntryUser {
				ids = append(ids, e.ID)
			}
		}
		return ids, len(page.Entries), nil
	})
}

// InvitationIDsMatching returns the ids of the invitations in the
// Invitations list as filtered, in its order, at most MaxBulkItems.
// Errors: invalid, as FindInvitations.
func (b *Bulk) InvitationIDsMatching(p InvitationsParams) (BulkMatchDTO, error) {
	p.Offset, p.Limit = 0, matchPage
	f, err := invitationFilter(p)
	if err != nil {
		return BulkMatchDTO{}, err
	}
	ctx := b.app.callContext()
	return matchIDs(f.Limit, func(offset int) ([]string, int, error) {
		f.Offset = offset
		list, _, err := b.app.deps.Invitations.FindInvitations(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		ids := make([]string, len(list))
		for k, inv := range list {
			ids[k] = inv.ID
		}
		return ids, len(list), nil
	})
}

// matchIDs collects the ids of a list page by page, limit rows a page from
// the first, until a page comes back short: at most MaxBulkItems, with
// Capped set when there are more. page returns the ids of the rows at
// offset to select and how many rows it read.
func matchIDs(limit int, page func(offset int) (ids []string, rows int, err error)) (BulkMatchDTO, error) {
	out := BulkMatchDTO{IDs: []string{}}
	for offset := 0; ; offset += limit {
		ids, rows, err := page(offset)
		if err != nil {
			return BulkMatchDTO{}, err
		}
		for _, id := range ids {
			if len(out.IDs) == MaxBulkItems {
				out.Capped = true
				return out, nil
			}
			out.IDs = append(out.IDs, id)
		}
		if rows < limit {
			return out, nil
		}
	}
}

// ChangeUsersRole gives the members another role, each as ChangeUserRole
// would. Errors: invalid (no more than MaxBulkItems), not_found (field
// roleId) for an unknown role; each member's own error is in the result.
func (b *Bulk) ChangeUsersRole(p BulkRoleParams) (BulkResultDTO, error) {
	ctx := b.app.callContext()
	if len(p.IDs) > MaxBulkItems {
		return BulkResultDTO{}, tooMany()
	}
	if _, err := b.app.deps.Roles.FindRoleByID(ctx, p.RoleID); err != nil {
		if e := backend.AsError(err); e != nil && e.Code == backend.ENOTFOUND {
			return BulkResultDTO{}, e.WithField("roleId")
		}
		return BulkResultDTO{}, err
	}
	return b.run(ctx, BulkChangeRole, p.IDs, b.userLabel, func(ctx context.Context, id string) error {
		_, err := b.app.deps.Users.ChangeUserRole(ctx, id, p.RoleID)
		return err
	})
}

// DeactivateUsers stops the members from signing in, each as DeactivateUser
// would. Errors: invalid (no more than MaxBulkItems); each member's own
// error is in the result.
func (b *Bulk) DeactivateUsers(p BulkParams) (BulkResultDTO, error) {
	return b.run(b.app.callContext(), BulkDeactivate, p.IDs, b.userLabel, func(ctx context.Context, id string) error {
		_, err := b.app.deps.Users.DeactivateUser(ctx, id)
		return err
	})
}

// RemoveUsers blocks the members' access at once, each as RemoveUser would.
// Errors: invalid (no more than MaxBulkItems); each member's own error (the
// last active Administrator, yourself, removed already) is in the result.
func (b *Bulk) RemoveUsers(p BulkParams) (BulkResultDTO, error) {
	return b.run(b.app.callContext(), BulkRemove, p.IDs, b.userLabel, b.app.deps.Users.RemoveUser)
}

// ResendInvitations gives the invitations new links, valid 7 more days, and
// queues their emails, each as ResendInvitation would. Errors: invalid (no
// more than MaxBulkItems); each invitation's own error is in the result.
func (b *Bulk) ResendInvitations(p BulkParams) (BulkResultDTO, error) {
	res, err := b.run(b.app.callContext(), BulkResend, p.IDs, b.invitationLabel, func(ctx context.Context, id string) error {
		_, err := b.app.deps.Invitations.ResendInvitation(ctx, id)
		return err
	})
	if res.Done > 0 {
		b.app.notifyMail()
	}
	return res, err
}

// DeleteInvitations cancels the invitations; their links stop working at
// once, each as DeleteInvitation would. Errors: invalid (no more than
// MaxBulkItems); each invitation's own error is in the result.
func (b *Bulk) DeleteInvitations(p BulkParams) (BulkResultDTO, error) {
	return b.run(b.app.callContext(), BulkDelete, p.IDs, b.invitationLabel, b.app.deps.Invitations.DeleteInvitation)
}

func tooMany() error {
	return backend.MsgBulkTooMany.Error(backend.EINVALID, "max", MaxBulkItems)
}

// userLabel names a member in a failure: their address, or "" when unknown.
func (b *Bulk) userLabel(ctx context.Context, id string) string {
	if u, err := b.app.deps.Users.FindUserByID(ctx, id); err == nil {
		return u.Email
	}
	return ""
}

// invitationLabel names an invitation in a failure: its address, or "" when unknown.
func (b *Bulk) invitationLabel(ctx context.Context, id string) string {
	if inv, err := b.app.deps.Invitations.FindInvitationByID(ctx, id); err == nil {
		return inv.Email
	}
	return ""
}

// run does one action to every id in turn, each in its own call of do (which
// owns its transaction), collecting the failures and reporting progress. It
// stops between two ids when CancelBulk is called. The same id given twice
// is done once.
func (b *Bulk) run(ctx context.Context, action BulkAction, ids []string, label func(context.Context, string) string,
	do func(context.Context, string) error) (BulkResultDTO, error) {
	if len(ids) > MaxBulkItems {
		return BulkResultDTO{}, tooMany()
	}
	ctx, end := b.running.start(ctx)
	defer end()

	seen := make(map[string]bool, len(ids))
	unique := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	res := BulkResultDTO{Total: len(unique), Failed: []BulkFailureDTO{}}
	th := &throttle{interval: progressInterval}
	report := func(final bool) {
		if !th.allow(final) {
			return
		}
		ev := BulkProgress{Action: action, Done: res.Done + len(res.Failed), Total: res.Total, Failed: len(res.Failed), Final: final}
		if b.emit != nil {
			b.emit(EventBulkProgress, ev)
		} else {
			b.app.emit(EventBulkProgress, ev)
		}
	}
	report(false)
	for _, id := range unique {
		if ctx.Err() != nil {
			res.Canceled = true
			break
		}
		// An item is done whole or not at all: the call does not see the
		// cancellation, only the loop does.
		if err := do(context.WithoutCancel(ctx), id); err != nil {
			res.Failed = append(res.Failed, BulkFailureDTO{ID: id, Label: label(ctx, id), Error: b.itemError(action, id, err)})
		} else {
			res.Done++
		}
		report(false)
	}
	report(true)
	b.app.log.WithField("action", action).WithField("done", res.Done).WithField("failed", len(res.Failed)).
		WithField("canceled", res.Canceled).Info("bulk action finished")
	return res, nil
}

// itemError is a row's error as the window receives it: coded errors as
// they are; anything else logged in full and shown as a short sentence.
func (b *Bulk) itemError(action BulkAction, id string, err error) ErrorDTO {
	e := backend.AsError(err)
	if e == nil || e.Code == backend.EINTERNAL {
		b.app.log.WithError(err).WithField("action", action).WithField("id", id).Error("bulk action failed on a row")
		return ErrorDTO{Code: backend.EINTERNAL, Message: backend.ErrorMessage(err), Key: "internal"}
	}
	return errorDTO(e)
}
