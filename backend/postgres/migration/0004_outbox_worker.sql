-- The directory server's mail worker sends from PostgreSQL too: the notice
-- that a password changed joins the kinds of email, and an entry being
-- sent records until when its sender holds it. Several server processes
-- claim from one outbox; an entry whose sender stopped without marking it
-- goes back to the queue once that time has passed, and not before, so no
-- process takes an entry another one is still sending.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
	CHECK (kind IN ('invitation', 'password_reset', 'password_changed'));
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;
CREATE INDEX outbox_claimed ON outbox (claimed_until) WHERE state = 'sending';
