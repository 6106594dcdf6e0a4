-- Identities that hold across databases, for sync: every audit entry and the
-- organisation get a text id that a desktop replica and the directory server
-- share. Older rows get a random one.
ALTER TABLE audit_log ADD COLUMN uid TEXT;
UPDATE audit_log SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX audit_log_uid ON audit_log (uid);

ALTER TABLE organisation ADD COLUMN uid TEXT;
UPDATE organisation SET uid = lower(hex(randomblob(16)));
