package sqlite

import (
	"context"
	"testing"

	"roster/backend"
)

func TestMigrationSyncIDs(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := openBefore(t, "migration/0012_sync_ids.sql")
		if _, err := db.db.Exec(`INSERT INTO audit_log (at, actor_name, action, target_type, target_id, target_label)
			VALUES ('2026-01-01T00:00:00.000Z', 'Roster', 'demo.created', 'organisation', '1', 'x'),
			('2026-01-01T00:00:00.000Z', 'Roster', 'demo.created', 'organisation', '1', 'y')`); err != nil {
			t.Fatal(err)
		}
		if err := db.migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		var n, distinct int
		if err := db.db.QueryRow(`SELECT count(uid), count(DISTINCT uid) FROM audit_log`).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != 2 || distinct != 2 {
			t.Fatalf("older audit entries have %d uids, %d distinct; want 2, 2", n, distinct)
		}
		org, _, err := NewOrganisationService(db).SetupOrganisation(context.Background(), backend.SetupParams{
			OrganisationName: "Example Ltd", AdminName: "Ada Admin", AdminEmail: "ada@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		found, err := NewOrganisationService(db).FindOrganisation(context.Background())
		if err != nil || found.ID == "" || found.ID != org.ID {
			t.Fatalf("organisation id %q, found %+v, %v", org.ID, found, err)
		}
		if err := db.db.QueryRow(`SELECT count(uid), count(DISTINCT uid) FROM audit_log`).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != 3 || distinct != 3 {
			t.Fatalf("after setup %d uids, %d distinct; want 3, 3", n, distinct)
		}
	})
}
