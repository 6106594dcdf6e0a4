-- The change feed takes its counter once per transaction, not once per
-- changed row. Many updates of one row in one transaction leave a chain of
-- row versions that each next update walks, so numbering row by row cost a
-- transaction time quadratic in its changes (20,000 changes: 7.2 s).
--
-- Now the first change a transaction records updates the counter, which
-- locks its row until the transaction ends, as before: a transaction takes
-- its number only once the one before it committed, so numbers still
-- follow commit order. Its changes are numbered counter * 2^20 + 0, 1, 2, …
-- (the last one given is kept in the transaction-local setting
-- roster.sync_seq), so a transaction may record up to 2^20 changes and
-- fails with program_limit_exceeded past that. A rollback to a savepoint
-- undoes the counter's update and the setting together, so a transaction
-- whose first change was rolled back takes the counter again.
--
-- The counter now counts writing transactions. It is not reset: its next
-- value is past the last number given so far, so every new number is
-- greater than any number before this migration, and a desktop's cursor
-- stays valid.
CREATE OR REPLACE FUNCTION sync_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	changed_id TEXT;
	last_seq BIGINT;
	changed_seq BIGINT;
BEGIN
	IF TG_OP = 'DELETE' THEN
		changed_id := to_jsonb(OLD) ->> TG_ARGV[1];
	ELSE
		changed_id := to_jsonb(NEW) ->> TG_ARGV[1];
	END IF;
	-- NULL in a session that never set it, '' after a transaction that did.
	last_seq := nullif(current_setting('roster.sync_seq', true), '')::BIGINT;
	IF last_seq IS NULL THEN
		UPDATE sync_feed SET seq = seq + 1 WHERE id = 1 AND capture = 1 RETURNING seq * 1048576 INTO changed_seq;
		IF changed_seq IS NULL THEN
			RETURN NULL;
		END IF;
	ELSE
		changed_seq := last_seq + 1;
		IF changed_seq % 1048576 = 0 THEN
			RAISE EXCEPTION 'sync feed: a transaction may change at most 1048576 members, invitations, roles and audit entries'
				USING ERRCODE = 'program_limit_exceeded';
		END IF;
	END IF;
	PERFORM set_config('roster.sync_seq', changed_seq::TEXT, true);
	INSERT INTO sync_changes (entity, entity_id, seq) VALUES (TG_ARGV[0], changed_id, changed_seq)
	ON CONFLICT (entity, entity_id) DO UPDATE SET seq = EXCLUDED.seq;
	RETURN NULL;
END $$;
