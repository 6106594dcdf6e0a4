-- When a member last signed in on the directory server (a session was
-- created for them); NULL when never, and in a desktop's own database.
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;

-- A user's own history in their details: the entries they acted in or
-- that are about them, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
CREATE INDEX audit_log_target ON audit_log (target_id, at);
