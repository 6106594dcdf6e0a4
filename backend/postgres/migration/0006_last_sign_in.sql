-- When a member last signed in (a session was created for them); NULL
-- when never.
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMPTZ;

-- A user's own history in their details: the entries they acted in or
-- that are about them, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_id, at, id);
CREATE INDEX audit_log_target ON audit_log (target_id, at, id);
