-- Identities that hold across databases, for sync: every audit entry and the
-- organisation get a text id that a desktop replica and the directory server
-- share. Older rows get a random one.
ALTER TABLE audit_log ADD COLUMN uid TEXT NOT NULL DEFAULT gen_random_uuid()::text;
CREATE UNIQUE INDEX audit_log_uid ON audit_log (uid);

ALTER TABLE organisation ADD COLUMN uid TEXT NOT NULL DEFAULT gen_random_uuid()::text;
