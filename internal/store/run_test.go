package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/testdb"
)

// migrateUpTo opens a new database migrated up to and including version.
func migrateUpTo(t *testing.T, version int) *DB {
	t.Helper()
	db, err := Open(testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version > version {
			break
		}
		if _, err := db.apply(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestMigrationMergesRunHistories: migration 017 moves the workbook runs
// and the backups into one history and keeps every row: a workbook run
// with its id (its download link), the backups after them in their order,
// and new runs of either kind numbered after all of them.
func TestMigrationMergesRunHistories(t *testing.T) {
	db := migrateUpTo(t, 16)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO schedules (name, cron, period, provider, exact, out_dir, keep, paused, created_at)
			VALUES ('maand', '0 6 1 * *', 'previous-month', NULL, 0, '/srv/exports', 2, 0, '2025-09-01T00:00:00Z')`,
		`INSERT INTO schedule_runs (id, schedule, period_from, period_to, trigger, started_at, finished_at, status, file, size, sha256, error, pruned_at)
			VALUES (3, 'maand', '2025-09-01', '2025-09-30', 'cron', '2025-10-01T06:00:00Z', '2025-10-01T06:00:09Z', 'ok',
			'/srv/exports/traject-maand-2025-09-01_2025-09-30-20251001T060000.xlsx', 4321, 'aa11', '', '2025-12-01T06:00:10Z')`,
		`INSERT INTO schedule_runs (id, schedule, period_from, period_to, trigger, started_at, finished_at, status, error)
			VALUES (7, 'maand', '', '', 'manual', '2025-10-02T08:00:00Z', '2025-10-02T08:00:01Z', 'failed', 'disk full')`,
		`INSERT INTO schedule_runs (id, schedule, period_from, period_to, trigger, started_at, status)
			VALUES (8, 'maand', '2025-10-01', '2025-10-31', 'catch-up', '2025-11-01T06:00:00Z', 'running')`,
		`INSERT INTO backup_runs (id, trigger, started_at, finished_at, status, file, size, sha256, error, pruned_at)
			VALUES (1, 'manual', '2025-09-30T22:00:00Z', '2025-09-30T22:00:05Z', 'ok', '/srv/manual.db', 100, 'bb22', '', NULL)`,
		`INSERT INTO backup_runs (id, trigger, started_at, finished_at, status, file, size, sha256, error, pruned_at)
			VALUES (2, 'cron', '2025-10-01T02:00:00Z', '2025-10-01T02:00:03Z', 'ok', '/srv/backups/traject-20251001-020000.db', 200, 'cc33', '', '2025-10-03T02:00:04Z')`,
		`INSERT INTO backup_runs (id, trigger, started_at, finished_at, status, error)
			VALUES (3, 'catch-up', '2025-10-02T02:00:00Z', '2025-10-02T02:00:01Z', 'failed', 'the copy failed its check')`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if applied, err := db.Migrate(ctx); err != nil || len(applied) == 0 || applied[0] != "017_runs" {
		t.Fatalf("Migrate = %v, %v; want 017_runs applied", applied, err)
	}
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	wantWorkbooks := []domain.Run{
		{ID: 8, Number: 3, Kind: domain.RunWorkbook, Schedule: "maand", From: domain.MustDate("2025-10-01"), To: domain.MustDate("2025-10-31"),
			Trigger: domain.TriggerCatchUp, StartedAt: at("2025-11-01T06:00:00Z"), Status: domain.RunRunning},
		{ID: 7, Number: 2, Kind: domain.RunWorkbook, Schedule: "maand", Trigger: domain.TriggerManual, StartedAt: at("2025-10-02T08:00:00Z"),
			FinishedAt: at("2025-10-02T08:00:01Z"), Status: domain.RunFailed, Error: "disk full"},
		{ID: 3, Number: 1, Kind: domain.RunWorkbook, Schedule: "maand", From: domain.MustDate("2025-09-01"), To: domain.MustDate("2025-09-30"),
			Trigger: domain.TriggerCron, StartedAt: at("2025-10-01T06:00:00Z"), FinishedAt: at("2025-10-01T06:00:09Z"), Status: domain.RunOK,
			File: "/srv/exports/traject-maand-2025-09-01_2025-09-30-20251001T060000.xlsx", Size: 4321, SHA256: "aa11", PrunedAt: at("2025-12-01T06:00:10Z")},
	}
	if got, err := db.ListRuns(ctx, RunQuery{Kind: domain.RunWorkbook, Schedule: "maand"}); err != nil || !reflect.DeepEqual(got, wantWorkbooks) {
		t.Fatalf("workbook runs after the migration:\n%+v, %v\nwant\n%+v", got, err, wantWorkbooks)
	}
	// The backups follow the last workbook run (8), in their old order.
	wantBackups := []domain.Run{
		{ID: 11, Number: 3, Kind: domain.RunBackup, Trigger: domain.TriggerCatchUp, StartedAt: at("2025-10-02T02:00:00Z"), FinishedAt: at("2025-10-02T02:00:01Z"),
			Status: domain.RunFailed, Error: "the copy failed its check"},
		{ID: 10, Number: 2, Kind: domain.RunBackup, Trigger: domain.TriggerCron, StartedAt: at("2025-10-01T02:00:00Z"), FinishedAt: at("2025-10-01T02:00:03Z"),
			Status: domain.RunOK, File: "/srv/backups/traject-20251001-020000.db", Size: 200, SHA256: "cc33", PrunedAt: at("2025-10-03T02:00:04Z")},
		{ID: 9, Number: 1, Kind: domain.RunBackup, Trigger: domain.TriggerManual, StartedAt: at("2025-09-30T22:00:00Z"), FinishedAt: at("2025-09-30T22:00:05Z"),
			Status: domain.RunOK, File: "/srv/manual.db", Size: 100, SHA256: "bb22"},
	}
	if got, err := db.ListRuns(ctx, RunQuery{Kind: domain.RunBackup}); err != nil || !reflect.DeepEqual(got, wantBackups) {
		t.Fatalf("backups after the migration:\n%+v, %v\nwant\n%+v", got, err, wantBackups)
	}
	if last, err := db.LastRun(ctx, RunQuery{Kind: domain.RunBackup, Status: domain.RunOK}); err != nil || last.ID != 10 {
		t.Fatalf("last backup = %+v, %v; want run 10", last, err)
	}
	// New runs of either kind continue after every kept id (PostgreSQL's
	// identity sequence included).
	id, err := db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "maand", Trigger: domain.TriggerManual, StartedAt: at("2026-01-01T00:00:00Z")})
	if err != nil || id != 12 {
		t.Fatalf("new workbook run: id %d, %v; want 12", id, err)
	}
	id, err = db.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerCron, StartedAt: at("2026-01-01T02:00:00Z"),
		FinishedAt: at("2026-01-01T02:00:01Z"), Status: domain.RunOK, File: "/srv/b.db"})
	if err != nil || id != 13 {
		t.Fatalf("new backup: id %d, %v; want 13", id, err)
	}
	for _, gone := range []string{"schedule_runs", "backup_runs"} {
		var n int
		if err := db.read.GetContext(ctx, &n, db.read.Rebind(db.dialect.tableExistsSQL()), gone); err != nil || n != 0 {
			t.Errorf("table %s after the migration: %d, %v; want it gone", gone, n, err)
		}
	}
}

// TestRunKinds: one history holds both kinds, each listed on its own; a
// run says what it is.
func TestRunKinds(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if err := db.CreateSchedule(ctx, testSchedule("a")); err != nil {
		t.Fatal(err)
	}
	wb, err := db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "a", Trigger: domain.TriggerCron, StartedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	bk, err := db.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerCron, StartedAt: t0, FinishedAt: t0, Status: domain.RunOK})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		kind string
		want int64
	}{{domain.RunWorkbook, wb}, {domain.RunBackup, bk}} {
		if runs, err := db.ListRuns(ctx, RunQuery{Kind: tt.kind}); err != nil || len(runs) != 1 || runs[0].ID != tt.want || runs[0].Kind != tt.kind {
			t.Errorf("ListRuns(%s) = %+v, %v; want run %d alone", tt.kind, runs, err, tt.want)
		}
	}
	if runs, _ := db.ListRuns(ctx, RunQuery{}); len(runs) != 2 {
		t.Errorf("ListRuns(any) gave %d runs, want 2", len(runs))
	}
	for _, bad := range []domain.Run{
		{Kind: "export", Schedule: "a", Trigger: domain.TriggerCron},
		{Kind: domain.RunWorkbook, Trigger: domain.TriggerCron},
		{Kind: domain.RunBackup, Schedule: "a", Trigger: domain.TriggerCron},
	} {
		_, err := db.StartRun(ctx, bad)
		wantCode(t, err, domain.EINVALID)
	}
	_, err = db.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerCron, StartedAt: t0, Status: domain.RunOK})
	wantCode(t, err, domain.EINVALID)
}

// TestCopyLeavesBackupsBehind: `traject copy` moves the workbook runs with
// their schedules and ids, and leaves the backups' runs behind with the
// backup schedule: they are about the source's own file.
func TestCopyLeavesBackupsBehind(t *testing.T) {
	ctx := context.Background()
	src, dst := openTest(t), openTest(t)
	if err := src.CreateSchedule(ctx, testSchedule("a")); err != nil {
		t.Fatal(err)
	}
	wb, err := src.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "a", Trigger: domain.TriggerCron, StartedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerManual, StartedAt: t0, FinishedAt: t0,
		Status: domain.RunOK, File: "/srv/backup.db"}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.CopyTo(ctx, dst, CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	runs, err := dst.ListRuns(ctx, RunQuery{})
	if err != nil || len(runs) != 1 || runs[0].ID != wb || runs[0].Kind != domain.RunWorkbook {
		t.Fatalf("runs in the copy: %+v, %v; want workbook run %d alone", runs, err, wb)
	}
	// The copy's ids continue after the copied ones.
	id, err := dst.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "a", Trigger: domain.TriggerManual, StartedAt: t0})
	if err != nil || id <= wb {
		t.Fatalf("a new run in the copy: id %d, %v; want more than %d", id, err, wb)
	}
}
