-- Identities that hold across databases, for sync: every audit entry and the
-- organisation get a text id that a desktop replica and the directory server
-- share. Older rows get a random one. And the desktops a server syncs with.
ALTER TABLE audit_log ADD COLUMN uid TEXT NOT NULL DEFAULT gen_random_uuid()::text;
CREATE UNIQUE INDEX audit_log_uid ON audit_log (uid);

ALTER TABLE organisation ADD COLUMN uid TEXT NOT NULL DEFAULT gen_random_uuid()::text;

-- The desktops that push operations, each with the sequence number of its
-- last applied operation (0 before the first).
CREATE TABLE sync_clients (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id),
	name        TEXT NOT NULL,
	last_seq    BIGINT NOT NULL DEFAULT 0,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);
