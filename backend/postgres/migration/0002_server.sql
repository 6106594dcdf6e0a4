-- The directory server's own tables: sign-in sessions, admin API tokens and
-- the attempt counters of its rate limits, shared by every server process
-- on this database.

-- Sign-in sessions. Only the SHA-256 of a session's cookie token is stored.
CREATE TABLE sessions (
	id            TEXT PRIMARY KEY,
	token_hash    BYTEA NOT NULL UNIQUE,
	user_id       TEXT NOT NULL REFERENCES users (id),
	created_at    TIMESTAMPTZ NOT NULL,
	last_seen_at  TIMESTAMPTZ NOT NULL,
	expires_at    TIMESTAMPTZ NOT NULL -- the absolute end; the idle end is computed from last_seen_at
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- Redeeming a password reset ends every session of its member, in the same
-- transaction, whichever code redeems it.
CREATE FUNCTION password_resets_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM sessions WHERE user_id = NEW.user_id;
	RETURN NULL;
END $$;
CREATE TRIGGER password_resets_end_sessions AFTER UPDATE OF used_at ON password_resets
	FOR EACH ROW WHEN (OLD.used_at IS NULL AND NEW.used_at IS NOT NULL)
	EXECUTE FUNCTION password_resets_end_sessions();

-- A member who is deactivated or removed is signed out everywhere at once.
CREATE FUNCTION users_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM sessions WHERE user_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER users_end_sessions AFTER UPDATE OF status ON users
	FOR EACH ROW WHEN (NEW.status <> 'active') EXECUTE FUNCTION users_end_sessions();

-- Bearer tokens of the admin API, one or more per Administrator. Only the
-- SHA-256 of a token is stored.
CREATE TABLE api_tokens (
	id            TEXT PRIMARY KEY,
	user_id       TEXT NOT NULL REFERENCES users (id),
	token_hash    BYTEA NOT NULL UNIQUE,
	created_at    TIMESTAMPTZ NOT NULL,
	last_used_at  TIMESTAMPTZ,
	revoked_at    TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Attempts per key (an account, a link) in the current window.
CREATE TABLE rate_limits (
	key         TEXT PRIMARY KEY,
	window_end  TIMESTAMPTZ NOT NULL,
	hits        INTEGER NOT NULL
);
CREATE INDEX rate_limits_window_end ON rate_limits (window_end);
