-- Sync of operations (issue 12).

-- The operations the server refused for good, per client and sequence
-- number, with the refusal (a coded error as JSON), so that a push sent
-- again gets the same answer.
CREATE TABLE sync_conflicts (
	client_id  TEXT NOT NULL REFERENCES sync_clients (id),
	seq        BIGINT NOT NULL,
	kind       TEXT NOT NULL,
	data       TEXT NOT NULL,
	error      TEXT NOT NULL,
	at         TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (client_id, seq)
);

-- A desktop's tables (its operations not yet acknowledged, with the rows
-- they touched as they were before them, and their held emails), as in
-- SQLite's migration 0013, so that both stores have one schema.
CREATE TABLE sync_ops (
	seq         BIGINT PRIMARY KEY,
	kind        TEXT NOT NULL,
	at          TIMESTAMPTZ NOT NULL,
	data        TEXT NOT NULL,
	undo        TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE sync_mail (
	op_seq             BIGINT PRIMARY KEY,
	kind               TEXT NOT NULL,
	recipient          TEXT NOT NULL,
	invitation_id      TEXT,
	password_reset_id  TEXT,
	data               BYTEA NOT NULL
);
