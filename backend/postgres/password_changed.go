package postgres

import (
	"context"

	"roster/backend"
)

// enqueuePasswordChanged queues, inside tx (the one that changed it), the
// notice that u's password was changed, as package sqlite does: in the
// language of the context (the member's, as their browser asked for the
// page where they changed it); without one, in the language the worker
// sends in.
func enqueuePasswordChanged(ctx context.Context, tx *Tx, u *backend.User) error {
	org, err := organisationName(ctx, tx)
	if err != nil {
		return err
	}
	data := map[string]string{
		backend.MailDataRecipient:    u.Name,
		backend.MailDataOrganisation: org,
		backend.MailDataChangedAt:    tx.now.UTC().Format("2006-01-02T15:04:05.000Z"),
	}
	if lang := backend.LanguageFromContext(ctx); lang != "" {
		data[backend.MailDataLanguage] = lang
	}
	return enqueueMail(ctx, tx, &backend.OutboxEntry{Kind: backend.MailPasswordChanged, To: u.Email, Data: data})
}
