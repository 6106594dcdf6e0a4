-- The program an administrator acted through, such as the Roster desktop
-- that called the directory server's admin API (its Roster-Client header).
-- NULL for entries made in the desktop itself and for older entries.
ALTER TABLE audit_log ADD COLUMN actor_client TEXT;
