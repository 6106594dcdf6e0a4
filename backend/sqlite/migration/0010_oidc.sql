-- The OpenID Connect provider of the directory server: its clients, the
-- authorization requests waiting for a sign-in or a code exchange, the
-- tokens it issued (for revocation, introspection and refresh rotation) and
-- its signing keys. No secret is stored in plaintext: client secrets,
-- codes and refresh tokens by their SHA-256, private keys sealed by the
-- server under its --oidc-key-file.

CREATE TABLE oidc_clients (
	id                        TEXT PRIMARY KEY,
	name                      TEXT NOT NULL,
	secret_hash               BLOB, -- NULL for a public client
	redirect_uris             TEXT NOT NULL, -- JSON array
	post_logout_redirect_uris TEXT NOT NULL, -- JSON array
	created_at                TEXT NOT NULL
);

CREATE TABLE oidc_auth_requests (
	id            TEXT PRIMARY KEY,
	client_id     TEXT NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE,
	request       BLOB NOT NULL, -- the protocol's request, as the provider keeps it
	user_id       TEXT REFERENCES users (id) ON DELETE CASCADE,
	auth_time     TEXT,
	code_hash     BLOB UNIQUE,
	code_used_at  TEXT,
	created_at    TEXT NOT NULL,
	expires_at    TEXT NOT NULL
);
CREATE INDEX oidc_auth_requests_expires ON oidc_auth_requests (expires_at);

-- Access and refresh tokens. family is the authorization request they
-- descend from; kind is 'access' or 'refresh'. A refresh token is used up
-- (used_at) when it is rotated; presenting it again revokes its family.
CREATE TABLE oidc_tokens (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
	token_hash  BLOB UNIQUE, -- refresh tokens only
	family      TEXT NOT NULL,
	client_id   TEXT NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE,
	user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	grant_data  TEXT NOT NULL, -- JSON: scopes, audience, amr, auth time
	used_at     TEXT,
	created_at  TEXT NOT NULL,
	expires_at  TEXT NOT NULL
);
CREATE INDEX oidc_tokens_family ON oidc_tokens (family);
CREATE INDEX oidc_tokens_user ON oidc_tokens (user_id, client_id);
CREATE INDEX oidc_tokens_expires ON oidc_tokens (expires_at);

-- Signing keys, one per rotation slot and sealing key (sealer names the
-- --oidc-key-file that sealed it, by a hash): the first process to need a
-- slot's key inserts it, every other one with the same key file reads it
-- back. A process with another key file makes its own; both are published.
CREATE TABLE oidc_signing_keys (
	id           TEXT PRIMARY KEY,
	slot         INTEGER NOT NULL,
	sealer       TEXT NOT NULL,
	algorithm    TEXT NOT NULL,
	public_key   BLOB NOT NULL,
	private_key  BLOB NOT NULL, -- sealed (AES-256-GCM)
	signs_until  TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	UNIQUE (slot, sealer)
);
