-- The Conflicts screen (issue 12).

-- On a desktop: when the administrator resolved a conflict (discarded
-- their change, or made it again as a new one); the screen lists those
-- not yet resolved.
ALTER TABLE sync_conflicts ADD COLUMN resolved_at TEXT;

-- On a desktop: the pending operations by the row they name, so that the
-- Users and Invitations lists can tell the rows of a page that wait for
-- sync in one lookup per row.
CREATE INDEX sync_ops_ref ON sync_ops (json_extract(data, '$.id'));
