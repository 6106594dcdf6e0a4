package sqlite

import (
	"context"

	"roster/backend"
)

// enqueuePasswordChanged queues, inside tx (the one that changed it), the
// notice that u's password was changed. The notice is written in the
// language of the context (the member's, as their browser asked for the
// page where they changed it); without one, in the email settings'
// language when it is sent (the organisation's).
func enqueuePasswordChanged(ctx context.Context, tx *Tx, u *backend.User) error {
	org, err := organisationName(ctx, tx)
	if err != nil {
		return err
	}
	data := map[string]string{
		backend.MailDataRecipient:    u.Name,
		backend.MailDataOrganisation: org,
		backend.MailDataChangedAt:    formatTime(tx.now),
	}
	if lang := backend.LanguageFromContext(ctx); lang != "" {
		data[backend.MailDataLanguage] = lang
	}
	return enqueueMail(ctx, tx, &backend.OutboxEntry{Kind: backend.MailPasswordChanged, To: u.Email, Data: data})
}
