-- An import lists its invitations itself, one statement per transaction
-- (stageTx in invitation_import.go), instead of this trigger doing it row by
-- row. Row by row, each invitation's statement added its list row to both
-- search indexes, and FTS5 writes out what it holds at the start of every
-- statement of a transaction (its savepoint): a segment per row, merged
-- again and again, most of the cost of storing a large import
-- (BENCHMARKS.md). Invitations stored one by one are listed as before.
DROP TRIGGER invitations_directory_ai;
CREATE TRIGGER invitations_directory_ai AFTER INSERT ON invitations
WHEN new.state = 'pending' AND new.import_id IS NULL BEGIN
	INSERT INTO directory (kind, ref_id, name, email, email_key, sort_key, search_text, role_id, role_name, status,
		joined_at, expires_at)
	VALUES ('invitation', new.id, '', new.email, new.email_key, new.sort_key, new.search_text, new.role_id,
		new.role_name, 'pending', new.sent_at, new.expires_at);
END;
