-- The directory server's schema on PostgreSQL: the tables of the SQLite
-- schema (backend/sqlite/migration) that the server uses, with PostgreSQL's
-- types. The desktop's list index (directory, FTS5) and settings are not
-- here: the server lists with plain SQL over users and invitations.

-- Roles: the two built-in ones and the organisation's custom ones.
CREATE TABLE roles (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	name_key    TEXT NOT NULL UNIQUE, -- lower(name): role names match case-insensitively
	built_in    BOOLEAN NOT NULL DEFAULT false,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE role_permissions (
	role_id     TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
	permission  TEXT NOT NULL CHECK (permission IN ('chat', 'use_skills', 'create_skills',
	            'manage_users', 'change_settings', 'configure_models')),
	PRIMARY KEY (role_id, permission)
);

INSERT INTO roles (id, name, name_key, built_in, created_at, updated_at) VALUES
	('user', 'User', 'user', true, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
	('administrator', 'Administrator', 'administrator', true, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z');

INSERT INTO role_permissions (role_id, permission) VALUES
	('user', 'chat'), ('user', 'use_skills'), ('user', 'create_skills'),
	('administrator', 'chat'), ('administrator', 'use_skills'), ('administrator', 'create_skills'),
	('administrator', 'manage_users'), ('administrator', 'change_settings'),
	('administrator', 'configure_models');

-- Users: members of the organisation. A removed user stays as a tombstone.
-- sort_key orders names as people expect and search_text is the folded text
-- searches match; both are computed in Go (search.go).
CREATE TABLE users (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	email          TEXT NOT NULL,
	email_key      TEXT NOT NULL, -- see backend.Email.Key
	sort_key       BYTEA NOT NULL,
	search_text    TEXT NOT NULL,
	role_id        TEXT NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
	status         TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'removed')),
	password_hash  TEXT,
	joined_at      TIMESTAMPTZ NOT NULL,
	removed_at     TIMESTAMPTZ,
	created_at     TIMESTAMPTZ NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);
-- One member per address; a removed member's address is free again.
CREATE UNIQUE INDEX users_email_key ON users (email_key) WHERE status <> 'removed';
CREATE INDEX users_role_id ON users (role_id);
CREATE INDEX users_sort_key ON users (sort_key, id) WHERE status <> 'removed';

-- The organisation this database manages (one row) and its first administrator.
CREATE TABLE organisation (
	id             INTEGER PRIMARY KEY CHECK (id = 1),
	name           TEXT NOT NULL,
	admin_user_id  TEXT NOT NULL REFERENCES users (id),
	created_at     TIMESTAMPTZ NOT NULL
);

-- Every administrative action. before and after are the JSON the services
-- wrote, kept as text so it reads back byte for byte.
CREATE TABLE audit_log (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at            TIMESTAMPTZ NOT NULL,
	actor_id      TEXT,
	actor_name    TEXT NOT NULL,
	action        TEXT NOT NULL,
	target_type   TEXT NOT NULL,
	target_id     TEXT NOT NULL,
	target_label  TEXT NOT NULL,
	before        TEXT,
	after         TEXT
);
CREATE INDEX audit_log_at ON audit_log (at, id);

-- Invitations. Only the SHA-256 of a link's token is stored. An expired
-- invitation is a pending one whose expires_at has passed.
CREATE TABLE invitations (
	id               TEXT PRIMARY KEY,
	email            TEXT NOT NULL,
	email_key        TEXT NOT NULL,
	sort_key         BYTEA NOT NULL,
	search_text      TEXT NOT NULL,
	role_id          TEXT REFERENCES roles (id) ON DELETE SET NULL,
	role_name        TEXT NOT NULL, -- kept for accepted and deleted ones if the role goes
	invited_by_id    TEXT REFERENCES users (id),
	invited_by_name  TEXT NOT NULL,
	token_hash       BYTEA NOT NULL UNIQUE,
	state            TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'deleted')),
	outbox_id        BIGINT, -- the latest email sent for it
	user_id          TEXT REFERENCES users (id),
	created_at       TIMESTAMPTZ NOT NULL,
	sent_at          TIMESTAMPTZ NOT NULL, -- when the current link was issued (created, or last resent)
	expires_at       TIMESTAMPTZ NOT NULL, -- sent_at + 7 days
	accepted_at      TIMESTAMPTZ,
	deleted_at       TIMESTAMPTZ,
	updated_at       TIMESTAMPTZ NOT NULL
);
-- At most one open invitation per address, also when two server processes
-- invite the same address at the same moment.
CREATE UNIQUE INDEX invitations_open_email ON invitations (email_key) WHERE state = 'pending';
CREATE INDEX invitations_state_sent ON invitations (state, sent_at);
CREATE INDEX invitations_role_id ON invitations (role_id) WHERE state = 'pending';

-- Password resets: single use, the newest one per member voids the older ones.
CREATE TABLE password_resets (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id),
	token_hash  BYTEA NOT NULL UNIQUE,
	outbox_id   BIGINT,
	created_at  TIMESTAMPTZ NOT NULL,
	expires_at  TIMESTAMPTZ NOT NULL,
	used_at     TIMESTAMPTZ,
	voided_at   TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id) WHERE used_at IS NULL AND voided_at IS NULL;

-- The durable mail queue. data holds the template's values, the link token
-- included, sealed (AES-256-GCM), and is set to NULL once the mail is sent
-- or cancelled.
CREATE TABLE outbox (
	id                 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	kind               TEXT NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
	recipient          TEXT NOT NULL,
	invitation_id      TEXT REFERENCES invitations (id),
	password_reset_id  TEXT REFERENCES password_resets (id),
	data               BYTEA,
	state              TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
	attempts           INTEGER NOT NULL DEFAULT 0,
	next_attempt_at    TIMESTAMPTZ NOT NULL,
	last_error         TEXT NOT NULL DEFAULT '',
	error_category     TEXT NOT NULL DEFAULT '',
	created_at         TIMESTAMPTZ NOT NULL,
	updated_at         TIMESTAMPTZ NOT NULL,
	sent_at            TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX outbox_state ON outbox (state);
CREATE INDEX outbox_invitation ON outbox (invitation_id) WHERE invitation_id IS NOT NULL;
CREATE INDEX outbox_password_reset ON outbox (password_reset_id) WHERE password_reset_id IS NOT NULL;

-- A renamed role is renamed on its open invitations.
CREATE FUNCTION roles_rename_invitations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE invitations SET role_name = NEW.name WHERE role_id = NEW.id AND state = 'pending';
	RETURN NULL;
END $$;
CREATE TRIGGER roles_rename_invitations AFTER UPDATE OF name ON roles
	FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION roles_rename_invitations();
