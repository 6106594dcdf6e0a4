-- Sync of operations (issue 12).

-- On the directory server: the operations it refused for good, per client
-- and sequence number, with the refusal (a coded error as JSON), so that a
-- push sent again gets the same answer. A desktop keeps the conflicts it
-- was told of here too, with the server's rows (server, JSON).
CREATE TABLE sync_conflicts (
	client_id  TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	data       TEXT NOT NULL,
	error      TEXT NOT NULL,
	at         TEXT NOT NULL,
	server     TEXT,
	PRIMARY KEY (client_id, seq)
) WITHOUT ROWID;

-- On a desktop: its operations the server has not acknowledged yet, in
-- order, each with the rows it touched as they were before it (undo, JSON),
-- so that a pull can take them back and replay them. AUTOINCREMENT: a
-- sequence number is never given twice, also once its operation is gone.
CREATE TABLE sync_ops (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	kind        TEXT NOT NULL,
	at          TEXT NOT NULL,
	data        TEXT NOT NULL,
	undo        TEXT NOT NULL,
	created_at  TEXT NOT NULL
);

-- On a desktop: the email of a pending operation (its data sealed as in the
-- outbox), queued once the server acknowledged the operation.
CREATE TABLE sync_mail (
	op_seq             INTEGER PRIMARY KEY,
	kind               TEXT NOT NULL,
	recipient          TEXT NOT NULL,
	invitation_id      TEXT,
	password_reset_id  TEXT,
	data               BLOB NOT NULL
);
