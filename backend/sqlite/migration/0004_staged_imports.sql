-- An import is stored in short transactions (so other writers wait well
-- under a second) as staged rows, hidden until one short transaction
-- publishes them all; see InviteUsers in invitation.go.
--
-- staged:    its rows are being written, or were left by a crash and are
--            removed at the next open. Its invitations reserve their
--            addresses (invitations_open_email) but are not listed, their
--            emails are held (next_attempt_at '9999-…') and nothing is audited.
-- published: the commit point has passed: its rows are listed and counted;
--            its audit entries are written and its emails released in
--            chunks up to done_rowid (also after a restart), then the row goes.
CREATE TABLE imports (
	id            INTEGER PRIMARY KEY,
	state         TEXT NOT NULL CHECK (state IN ('staged', 'published')),
	actor_id      TEXT,
	actor_name    TEXT NOT NULL,
	-- Its invitations have rowids first_rowid..last_rowid (other invitations
	-- may lie between, they have another import_id).
	first_rowid   INTEGER NOT NULL DEFAULT 0,
	last_rowid    INTEGER NOT NULL DEFAULT 0,
	done_rowid    INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL,
	published_at  TEXT
);

-- The import a row came with; NULL for rows stored one by one. It stays
-- after publication: a row is hidden only while its import is staged.
ALTER TABLE invitations ADD COLUMN import_id INTEGER;
ALTER TABLE directory ADD COLUMN import_id INTEGER;
CREATE INDEX directory_import ON directory (import_id) WHERE import_id IS NOT NULL;
-- Counting pending or expired invitations stays an index-only walk.
DROP INDEX directory_expires;
CREATE INDEX directory_expires ON directory (expires_at, role_id, import_id) WHERE status = 'pending';

-- An invitation's emails, found without a scan: for cancelling them, and for
-- the foreign key check when a staged invitation is removed.
CREATE INDEX outbox_invitation ON outbox (invitation_id) WHERE invitation_id IS NOT NULL;

-- A staged invitation's list row carries its import; removing a staged
-- invitation removes its list row.
DROP TRIGGER invitations_directory_ai;
CREATE TRIGGER invitations_directory_ai AFTER INSERT ON invitations WHEN new.state = 'pending' BEGIN
	INSERT INTO directory (kind, ref_id, name, email, email_key, sort_key, search_text, role_id, role_name, status,
		joined_at, expires_at, import_id)
	VALUES ('invitation', new.id, '', new.email, new.email_key, new.sort_key, new.search_text, new.role_id,
		new.role_name, 'pending', new.sent_at, new.expires_at, new.import_id);
END;
CREATE TRIGGER invitations_directory_ad AFTER DELETE ON invitations BEGIN
	DELETE FROM directory WHERE ref_id = old.id;
END;

-- The counters count listed rows only: a staged row is counted when its
-- import is published (by the publishing transaction, per role).
DROP TRIGGER directory_counts_ai;
CREATE TRIGGER directory_counts_ai AFTER INSERT ON directory WHEN new.import_id IS NULL BEGIN
	INSERT INTO directory_counts (status, role_id, n) VALUES (new.status, new.role_id, 1)
	ON CONFLICT (status, role_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER directory_counts_ad;
CREATE TRIGGER directory_counts_ad AFTER DELETE ON directory
WHEN old.import_id IS NULL OR old.import_id NOT IN (SELECT id FROM imports WHERE state = 'staged') BEGIN
	UPDATE directory_counts SET n = n - 1 WHERE status = old.status AND role_id = old.role_id;
END;
DROP TRIGGER directory_counts_au;
CREATE TRIGGER directory_counts_au AFTER UPDATE OF status, role_id ON directory
WHEN (new.status <> old.status OR new.role_id <> old.role_id)
	AND (old.import_id IS NULL OR old.import_id NOT IN (SELECT id FROM imports WHERE state = 'staged')) BEGIN
	UPDATE directory_counts SET n = n - 1 WHERE status = old.status AND role_id = old.role_id;
	INSERT INTO directory_counts (status, role_id, n) VALUES (new.status, new.role_id, 1)
	ON CONFLICT (status, role_id) DO UPDATE SET n = n + 1;
END;
