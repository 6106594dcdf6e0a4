-- The directory server's tables: sign-in sessions, admin API tokens and the
-- attempt counters of its rate limits. The password hash itself lives in
-- users.password_hash (0002).

-- Sign-in sessions. Only the SHA-256 of a session's cookie token is stored.
CREATE TABLE sessions (
	id            TEXT PRIMARY KEY,
	token_hash    BLOB NOT NULL UNIQUE,
	user_id       TEXT NOT NULL REFERENCES users (id),
	created_at    TEXT NOT NULL,
	last_seen_at  TEXT NOT NULL,
	expires_at    TEXT NOT NULL -- the absolute end; the idle end is computed from last_seen_at
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Redeeming a password reset ends every session of its member, in the same
-- transaction, whichever code redeems it.
CREATE TRIGGER password_resets_end_sessions AFTER UPDATE OF used_at ON password_resets
WHEN old.used_at IS NULL AND new.used_at IS NOT NULL BEGIN
	DELETE FROM sessions WHERE user_id = new.user_id;
END;

-- A member who is deactivated or removed is signed out everywhere at once.
CREATE TRIGGER users_end_sessions AFTER UPDATE OF status ON users
WHEN new.status <> 'active' BEGIN
	DELETE FROM sessions WHERE user_id = new.id;
END;

-- Bearer tokens of the admin API, one or more per Administrator. Only the
-- SHA-256 of a token is stored.
CREATE TABLE api_tokens (
	id            TEXT PRIMARY KEY,
	user_id       TEXT NOT NULL REFERENCES users (id),
	token_hash    BLOB NOT NULL UNIQUE,
	created_at    TEXT NOT NULL,
	last_used_at  TEXT,
	revoked_at    TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Attempts per key (an account, a link) in the current window, shared by
-- every server process on this database.
CREATE TABLE rate_limits (
	key         TEXT PRIMARY KEY,
	window_end  TEXT NOT NULL,
	hits        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_window_end ON rate_limits (window_end);
