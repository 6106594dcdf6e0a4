-- Search and sort keys, computed in Go (see search.go) whenever a name or an
-- address changes: sort_key orders names as people expect (Ä near A, case
-- ignored), search_text is the lower-case, accent-free text searches match.
ALTER TABLE users ADD COLUMN sort_key BLOB NOT NULL DEFAULT x'';
ALTER TABLE users ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Set by the directory server when an invitee registers or resets; Roster never reads it back.
ALTER TABLE users ADD COLUMN password_hash TEXT;

-- Invitations. Only the SHA-256 of a link's token is stored. An expired
-- invitation is a pending one whose expires_at has passed.
CREATE TABLE invitations (
	id               TEXT PRIMARY KEY,
	email            TEXT NOT NULL,
	email_key        TEXT NOT NULL,
	sort_key         BLOB NOT NULL,
	search_text      TEXT NOT NULL,
	role_id          TEXT REFERENCES roles (id) ON DELETE SET NULL,
	role_name        TEXT NOT NULL, -- kept for accepted and deleted ones if the role goes
	invited_by_id    TEXT REFERENCES users (id),
	invited_by_name  TEXT NOT NULL,
	token_hash       BLOB NOT NULL UNIQUE,
	state            TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'deleted')),
	outbox_id        INTEGER, -- the latest email sent for it
	user_id          TEXT REFERENCES users (id),
	created_at       TEXT NOT NULL,
	sent_at          TEXT NOT NULL, -- when the current link was issued (created, or last resent)
	expires_at       TEXT NOT NULL, -- sent_at + 7 days
	accepted_at      TEXT,
	deleted_at       TEXT,
	updated_at       TEXT NOT NULL
);
-- At most one open invitation per address; this index makes it so even
-- when two administrators invite the same address at the same moment.
CREATE UNIQUE INDEX invitations_open_email ON invitations (email_key) WHERE state = 'pending';
CREATE INDEX invitations_state_created ON invitations (state, created_at);
CREATE INDEX invitations_role_id ON invitations (role_id) WHERE state = 'pending';

-- Password resets: single use, the newest one per member voids the older ones.
CREATE TABLE password_resets (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id),
	token_hash  BLOB NOT NULL UNIQUE,
	outbox_id   INTEGER,
	created_at  TEXT NOT NULL,
	expires_at  TEXT NOT NULL,
	used_at     TEXT,
	voided_at   TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id) WHERE used_at IS NULL AND voided_at IS NULL;

-- The durable mail queue. data holds the template's values, the link token
-- included, and is set to NULL once the mail is sent or cancelled.
CREATE TABLE outbox (
	id                 INTEGER PRIMARY KEY,
	kind               TEXT NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
	recipient          TEXT NOT NULL,
	invitation_id      TEXT REFERENCES invitations (id),
	password_reset_id  TEXT REFERENCES password_resets (id),
	data               TEXT,
	state              TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
	attempts           INTEGER NOT NULL DEFAULT 0,
	next_attempt_at    TEXT NOT NULL,
	last_error         TEXT NOT NULL DEFAULT '',
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL,
	sent_at            TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_state ON outbox (state);

-- The unified Users list: current members and open invitations in one table,
-- kept in step with users and invitations by the triggers below, so a sorted,
-- filtered page is one index walk.
CREATE TABLE directory (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('user', 'invitation')),
	ref_id       TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	email        TEXT NOT NULL,
	email_key    TEXT NOT NULL,
	sort_key     BLOB NOT NULL,
	search_text  TEXT NOT NULL,
	role_id      TEXT NOT NULL,
	role_name    TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'pending')),
	joined_at    TEXT NOT NULL,
	expires_at   TEXT
);
CREATE INDEX directory_name ON directory (sort_key, id);
CREATE INDEX directory_email ON directory (email_key, id);
CREATE INDEX directory_joined ON directory (joined_at, id);
CREATE INDEX directory_role_name ON directory (role_name COLLATE NOCASE, sort_key, id);
CREATE INDEX directory_role_id ON directory (role_id, sort_key, id);
CREATE INDEX directory_status ON directory (status, sort_key, id);
CREATE INDEX directory_expires ON directory (expires_at, role_id) WHERE status = 'pending';

-- How many rows the list holds per status and role, so the unfiltered total
-- needs no count over the table.
CREATE TABLE directory_counts (
	status   TEXT NOT NULL,
	role_id  TEXT NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (status, role_id)
) WITHOUT ROWID;
CREATE TRIGGER directory_counts_ai AFTER INSERT ON directory BEGIN
	INSERT INTO directory_counts (status, role_id, n) VALUES (new.status, new.role_id, 1)
	ON CONFLICT (status, role_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER directory_counts_ad AFTER DELETE ON directory BEGIN
	UPDATE directory_counts SET n = n - 1 WHERE status = old.status AND role_id = old.role_id;
END;
CREATE TRIGGER directory_counts_au AFTER UPDATE OF status, role_id ON directory
WHEN new.status <> old.status OR new.role_id <> old.role_id BEGIN
	UPDATE directory_counts SET n = n - 1 WHERE status = old.status AND role_id = old.role_id;
	INSERT INTO directory_counts (status, role_id, n) VALUES (new.status, new.role_id, 1)
	ON CONFLICT (status, role_id) DO UPDATE SET n = n + 1;
END;

-- Trigram index over the search text: substring search without a table scan.
CREATE VIRTUAL TABLE directory_fts USING fts5 (
	search_text, content = 'directory', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER directory_ai AFTER INSERT ON directory BEGIN
	INSERT INTO directory_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER directory_ad AFTER DELETE ON directory BEGIN
	INSERT INTO directory_fts (directory_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER directory_au AFTER UPDATE OF search_text ON directory BEGIN
	INSERT INTO directory_fts (directory_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
	INSERT INTO directory_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- Members: listed unless removed.
CREATE TRIGGER users_directory_ai AFTER INSERT ON users WHEN new.status <> 'removed' BEGIN
	INSERT INTO directory (kind, ref_id, name, email, email_key, sort_key, search_text, role_id, role_name, status, joined_at)
	VALUES ('user', new.id, new.name, new.email, new.email_key, new.sort_key, new.search_text, new.role_id,
		(SELECT name FROM roles WHERE id = new.role_id), new.status, new.joined_at);
END;
CREATE TRIGGER users_directory_au AFTER UPDATE OF name, email, email_key, sort_key, search_text, role_id, status, joined_at ON users BEGIN
	DELETE FROM directory WHERE ref_id = old.id AND new.status = 'removed';
	UPDATE directory SET name = new.name, email = new.email, email_key = new.email_key, sort_key = new.sort_key,
		search_text = new.search_text, role_id = new.role_id, role_name = (SELECT name FROM roles WHERE id = new.role_id),
		status = new.status, joined_at = new.joined_at
	WHERE ref_id = new.id AND new.status <> 'removed';
END;

-- Invitations: listed while open (pending or expired, until accepted or deleted).
CREATE TRIGGER invitations_directory_ai AFTER INSERT ON invitations WHEN new.state = 'pending' BEGIN
	INSERT INTO directory (kind, ref_id, name, email, email_key, sort_key, search_text, role_id, role_name, status,
		joined_at, expires_at)
	VALUES ('invitation', new.id, '', new.email, new.email_key, new.sort_key, new.search_text, new.role_id,
		new.role_name, 'pending', new.sent_at, new.expires_at);
END;
CREATE TRIGGER invitations_directory_au AFTER UPDATE OF state, role_id, role_name, sent_at, expires_at ON invitations BEGIN
	DELETE FROM directory WHERE ref_id = old.id AND new.state <> 'pending';
	UPDATE directory SET role_id = new.role_id, role_name = new.role_name, joined_at = new.sent_at,
		expires_at = new.expires_at
	WHERE ref_id = new.id AND new.state = 'pending';
END;

-- A renamed role is renamed everywhere it is listed.
CREATE TRIGGER roles_directory_au AFTER UPDATE OF name ON roles BEGIN
	UPDATE directory SET role_name = new.name WHERE role_id = new.id;
	UPDATE invitations SET role_name = new.name WHERE role_id = new.id AND state = 'pending';
END;
