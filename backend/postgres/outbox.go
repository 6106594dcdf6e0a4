package postgres

import (
	"context"
	"fmt"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

// nextOutboxID reserves the id of an email about to be queued, so that the
// invitation or reset it belongs to can point at it when it is written
// (Dialect.NextOutboxID). The sequence hands out each id once, whoever else
// writes at the time.
func nextOutboxID(ctx context.Context, q sqlstore.Querier) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('outbox', 'id'))`).Scan(&id); err != nil {
		return 0, fmt.Errorf("enqueue mail: %w", mapError(err))
	}
	return id, nil
}

// Ensure the interface is implemented.
var _ backend.OutboxService = (*OutboxService)(nil)

// OutboxLease is how long a claimed entry belongs to the worker that claimed
// it. A worker marks each entry within seconds of sending it; an entry still
// "sending" after its lease belongs to a process that stopped without
// marking it, and goes back to the queue. It is far longer than a batch
// takes to send (each SMTP step has a deadline of 30 s).
const OutboxLease = 15 * time.Minute

// OutboxService implements backend.OutboxService on PostgreSQL: package
// sqlstore's durable mail queue, which the workers of several server
// processes share. Claims hold their entries for OutboxLease and skip the
// rows another worker is claiming (FOR UPDATE SKIP LOCKED), so no two
// workers hold one entry. CompactOutbox does nothing: PostgreSQL's
// write-ahead log is the server's to recycle, and VACUUM reclaims the rows
// whose data was cleared.
type OutboxService struct{ *sqlstore.OutboxService }

// NewOutboxService returns the outbox of db.
func NewOutboxService(db *DB) *OutboxService {
	return &OutboxService{sqlstore.NewOutboxService(newStore(db))}
}
