package sqlite

import (
	"context"

	"roster/backend"
	"roster/backend/sqlstore"
)

// enqueueMail stores an email to send inside tx (the transaction of the
// invitation or reset it belongs to) and fills e's ID, state and times.
func enqueueMail(ctx context.Context, tx *Tx, e *backend.OutboxEntry) error {
	return dialect.Enqueue(ctx, tx, tx.db.Keys, e)
}

// sealMailData seals an entry's Data for the data column under the DB's
// sealing key (see backend.SealMailData).
func sealMailData(tx *Tx, data map[string]string) ([]byte, error) {
	return backend.SealMailData(tx.db.Keys, data)
}

// Ensure the interface is implemented.
var _ backend.OutboxService = (*OutboxService)(nil)

// OutboxService implements backend.OutboxService: the durable mail queue
// (package sqlstore's), which one process sends from. Its claims read the
// due entries through the index outbox_due; the emails of a staged import
// wait there, due at heldUntil, until it is published.
type OutboxService struct {
	*sqlstore.OutboxService
	db *DB
}

// NewOutboxService returns the outbox of db.
func NewOutboxService(db *DB) *OutboxService {
	return &OutboxService{OutboxService: sqlstore.NewOutboxService(newStore(db)), db: db}
}
