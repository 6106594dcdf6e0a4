-- Roles: the two built-in ones and the organisation's custom ones.
CREATE TABLE roles (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	name_key    TEXT NOT NULL UNIQUE, -- lower(name): role names match case-insensitively
	built_in    INTEGER NOT NULL DEFAULT 0 CHECK (built_in IN (0, 1)),
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);

CREATE TABLE role_permissions (
	role_id     TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
	permission  TEXT NOT NULL CHECK (permission IN ('chat', 'use_skills', 'create_skills',
	            'manage_users', 'change_settings', 'configure_models')),
	PRIMARY KEY (role_id, permission)
) WITHOUT ROWID;

INSERT INTO roles (id, name, name_key, built_in, created_at, updated_at) VALUES
	('user', 'User', 'user', 1, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'),
	('administrator', 'Administrator', 'administrator', 1, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z');

INSERT INTO role_permissions (role_id, permission) VALUES
	('user', 'chat'), ('user', 'use_skills'), ('user', 'create_skills'),
	('administrator', 'chat'), ('administrator', 'use_skills'), ('administrator', 'create_skills'),
	('administrator', 'manage_users'), ('administrator', 'change_settings'),
	('administrator', 'configure_models');

-- Users: members of the organisation. A removed user stays as a tombstone.
CREATE TABLE users (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	email       TEXT NOT NULL,
	email_key   TEXT NOT NULL, -- see backend.Email.Key
	role_id     TEXT NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
	status      TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'removed')),
	joined_at   TEXT NOT NULL,
	removed_at  TEXT,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
-- One member per address; a removed member's address is free again.
CREATE UNIQUE INDEX users_email_key ON users (email_key) WHERE status <> 'removed';
CREATE INDEX users_role_id ON users (role_id);

-- The organisation this database manages (one row) and the administrator
-- acting in this installation.
CREATE TABLE organisation (
	id             INTEGER PRIMARY KEY CHECK (id = 1),
	name           TEXT NOT NULL,
	admin_user_id  TEXT NOT NULL REFERENCES users (id),
	created_at     TEXT NOT NULL
);

-- Preferences and settings that are not secrets, as JSON values.
CREATE TABLE settings (
	key         TEXT PRIMARY KEY,
	value       TEXT NOT NULL,
	updated_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Every administrative action.
CREATE TABLE audit_log (
	id            INTEGER PRIMARY KEY,
	at            TEXT NOT NULL,
	actor_id      TEXT,
	actor_name    TEXT NOT NULL,
	action        TEXT NOT NULL,
	target_type   TEXT NOT NULL,
	target_id     TEXT NOT NULL,
	target_label  TEXT NOT NULL,
	before        TEXT, -- JSON
	after         TEXT  -- JSON
);
CREATE INDEX audit_log_at ON audit_log (at);
