-- The change feed, for sync: every change of a member, an invitation, a
-- role (its permissions included) or an audit entry gets the next number
-- of one counter, and sync_changes keeps, per entity, the number of its
-- latest change. A desktop pulls the entities whose number is past its
-- cursor (sqlstore.SyncFeed.Pull), as they are then, or a tombstone for a
-- role that is gone.
--
-- The counter is one row that every writing transaction updates, so its
-- row lock orders the writers: a transaction numbers its changes only once
-- the one before it committed, and the numbers' order is commit order. A
-- reader's snapshot therefore holds every change up to some number and
-- none after it, and a cursor never skips a change committed late.
--
-- capture is always on here (the schema matches SQLite's, where only the
-- server turns it on); the rows that exist now are numbered below.
CREATE TABLE sync_feed (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	capture  INTEGER NOT NULL DEFAULT 1 CHECK (capture IN (0, 1)),
	seq      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sync_changes (
	entity     TEXT NOT NULL CHECK (entity IN ('user', 'invitation', 'role', 'audit')),
	entity_id  TEXT NOT NULL,
	seq        BIGINT NOT NULL UNIQUE,
	PRIMARY KEY (entity, entity_id)
);

INSERT INTO sync_changes (entity, entity_id, seq)
SELECT entity, entity_id, row_number() OVER (ORDER BY ord, at, entity_id) FROM (
	SELECT 1 AS ord, 'role' AS entity, id AS entity_id, created_at AS at FROM roles
	UNION ALL SELECT 2, 'user', id, created_at FROM users
	UNION ALL SELECT 3, 'invitation', id, created_at FROM invitations
	UNION ALL SELECT 4, 'audit', uid, at FROM audit_log
) AS existing;
INSERT INTO sync_feed (id, capture, seq) SELECT 1, 1, count(*) FROM sync_changes;

-- sync_capture records a change of the row as the change of entity
-- TG_ARGV[0]; its id is the row's column TG_ARGV[1].
CREATE FUNCTION sync_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	changed_id TEXT;
	changed_seq BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN
		changed_id := to_jsonb(OLD) ->> TG_ARGV[1];
	ELSE
		changed_id := to_jsonb(NEW) ->> TG_ARGV[1];
	END IF;
	UPDATE sync_feed SET seq = seq + 1 WHERE id = 1 AND capture = 1 RETURNING seq INTO changed_seq;
	IF changed_seq IS NOT NULL THEN
		INSERT INTO sync_changes (entity, entity_id, seq) VALUES (TG_ARGV[0], changed_id, changed_seq)
		ON CONFLICT (entity, entity_id) DO UPDATE SET seq = EXCLUDED.seq;
	END IF;
	RETURN NULL;
END $$;

-- Updates count only when they touch a column that sync carries (not a
-- password hash, token hash, outbox id or search key).
CREATE TRIGGER users_sync AFTER INSERT OR DELETE OR UPDATE OF name, email, role_id, status, joined_at, removed_at,
	created_at, updated_at, last_sign_in_at ON users
	FOR EACH ROW EXECUTE FUNCTION sync_capture('user', 'id');
CREATE TRIGGER invitations_sync AFTER INSERT OR DELETE OR UPDATE OF email, role_id, role_name, invited_by_id,
	invited_by_name, state, user_id, created_at, sent_at, expires_at, accepted_at, deleted_at, updated_at ON invitations
	FOR EACH ROW EXECUTE FUNCTION sync_capture('invitation', 'id');
CREATE TRIGGER roles_sync AFTER INSERT OR UPDATE OR DELETE ON roles
	FOR EACH ROW EXECUTE FUNCTION sync_capture('role', 'id');
-- A role's permissions are part of the role.
CREATE TRIGGER role_permissions_sync AFTER INSERT OR UPDATE OR DELETE ON role_permissions
	FOR EACH ROW EXECUTE FUNCTION sync_capture('role', 'role_id');
-- Audit entries are only ever added.
CREATE TRIGGER audit_log_sync AFTER INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION sync_capture('audit', 'uid');
