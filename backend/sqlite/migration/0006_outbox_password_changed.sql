-- The outbox may hold a third kind of email: "password_changed", the notice
-- a member gets when their password was changed (by a reset link or on
-- their account page). SQLite cannot alter a CHECK constraint, so the table
-- is rebuilt the safe way (https://sqlite.org/lang_altertable.html#otheralter):
-- create the new table, copy every row, drop the old one, rename the new
-- one, and create its indexes again (those of 0002 and 0004), all in this
-- migration's one transaction. Nothing refers to outbox by a foreign key,
-- and no trigger or view is defined on it; the copy runs with foreign keys
-- enforced, so a row whose invitation or reset is missing fails the whole
-- migration. (outbox_migration_test.go checks that every index or trigger
-- any migration defines on outbox exists afterwards, and that
-- foreign_key_check finds nothing.)
CREATE TABLE outbox_new (
	id                 INTEGER PRIMARY KEY,
	kind               TEXT NOT NULL CHECK (kind IN ('invitation', 'password_reset', 'password_changed')),
	recipient          TEXT NOT NULL,
	invitation_id      TEXT REFERENCES invitations (id),
	password_reset_id  TEXT REFERENCES password_resets (id),
	data               BLOB, -- sealed (see sealMailData); NULL once sent or cancelled
	state              TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
	attempts           INTEGER NOT NULL DEFAULT 0,
	next_attempt_at    TEXT NOT NULL,
	last_error         TEXT NOT NULL DEFAULT '',
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL,
	sent_at            TEXT,
	error_category     TEXT NOT NULL DEFAULT ''
);

INSERT INTO outbox_new (id, kind, recipient, invitation_id, password_reset_id, data, state, attempts,
		next_attempt_at, last_error, created_at, updated_at, sent_at, error_category)
	SELECT id, kind, recipient, invitation_id, password_reset_id, data, state, attempts,
		next_attempt_at, last_error, created_at, updated_at, sent_at, error_category
	FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_state ON outbox (state);
CREATE INDEX outbox_invitation ON outbox (invitation_id) WHERE invitation_id IS NOT NULL; -- 0004
