-- The directory server's change feed, for sync: every change of a member,
-- an invitation, a role (its permissions included) or an audit entry gets
-- the next number of one counter, and sync_changes keeps, per entity, the
-- number of its latest change. A desktop pulls the entities whose number is
-- past its cursor (sqlstore.SyncFeed.Pull), as they are then, or a tombstone
-- for a role that is gone.
--
-- The desktop shares this schema but serves no feed: capture is off until
-- the server switches it on (capture = 1, see sqlstore.EnableSyncFeed),
-- which numbers every row that exists then. Until then each trigger costs
-- one lookup of this row in its WHEN clause.
CREATE TABLE sync_feed (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	capture  INTEGER NOT NULL DEFAULT 0 CHECK (capture IN (0, 1)),
	seq      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_feed (id, capture, seq) VALUES (1, 0, 0);

CREATE TABLE sync_changes (
	entity     TEXT NOT NULL CHECK (entity IN ('user', 'invitation', 'role', 'audit')),
	entity_id  TEXT NOT NULL,
	seq        INTEGER NOT NULL UNIQUE,
	PRIMARY KEY (entity, entity_id)
) WITHOUT ROWID;

-- Each trigger numbers the change, then records it against its entity.
-- Updates count only when they touch a column that sync carries (not a
-- password hash, token hash, outbox id or search key).
CREATE TRIGGER users_sync_ai AFTER INSERT ON users
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('user', new.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER users_sync_au AFTER UPDATE OF name, email, role_id, status, joined_at, removed_at, created_at, updated_at,
	last_sign_in_at ON users
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('user', new.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER users_sync_ad AFTER DELETE ON users
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('user', old.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;

CREATE TRIGGER invitations_sync_ai AFTER INSERT ON invitations
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('invitation', new.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER invitations_sync_au AFTER UPDATE OF email, role_id, role_name, invited_by_id, invited_by_name, state, user_id,
	created_at, sent_at, expires_at, accepted_at, deleted_at, updated_at ON invitations
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('invitation', new.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER invitations_sync_ad AFTER DELETE ON invitations
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('invitation', old.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;

CREATE TRIGGER roles_sync_ai AFTER INSERT ON roles
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('role', new.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER roles_sync_au AFTER UPDATE ON roles
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('role', new.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER roles_sync_ad AFTER DELETE ON roles
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('role', old.id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;

-- A role's permissions are part of the role.
CREATE TRIGGER role_permissions_sync_ai AFTER INSERT ON role_permissions
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('role', new.role_id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER role_permissions_sync_au AFTER UPDATE ON role_permissions
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('role', new.role_id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER role_permissions_sync_ad AFTER DELETE ON role_permissions
WHEN (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('role', old.role_id, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;

-- Audit entries are only ever added.
CREATE TRIGGER audit_log_sync_ai AFTER INSERT ON audit_log
WHEN new.uid IS NOT NULL AND (SELECT capture FROM sync_feed WHERE id = 1) BEGIN
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1;
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES ('audit', new.uid, (SELECT seq FROM sync_feed WHERE id = 1))
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq;
END;
