package store

import (
	"context"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestBackupSchedule(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	set := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	_, err := db.FindBackupSchedule(ctx)
	wantCode(t, err, domain.ENOTFOUND)
	s := domain.BackupSchedule{Cron: "0 2 * * *", Dir: "/var/backups/traject", Keep: 14, CreatedAt: set}
	if db.IsPostgres() {
		wantCode(t, db.SetBackupSchedule(ctx, "test", s), domain.EINVALID)
		if err := db.WriteBackup(ctx, "x.db"); err != ErrBackupPostgres {
			t.Fatalf("WriteBackup on PostgreSQL: %v, want ErrBackupPostgres", err)
		}
		return
	}
	if err := db.SetBackupSchedule(ctx, "test", s); err != nil {
		t.Fatal(err)
	}
	if err := db.SetBackupDue(ctx, set.Add(16*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindBackupSchedule(ctx)
	if err != nil || got.Cron != s.Cron || got.Dir != s.Dir || got.Keep != 14 || !got.CreatedAt.Equal(set) || !got.LastDueAt.Equal(set.Add(16*time.Hour)) {
		t.Fatalf("FindBackupSchedule=%+v, %v; want %+v due 02:00 next day", got, err, s)
	}
	// A new schedule replaces the old and counts from when it was set.
	s2 := domain.BackupSchedule{Cron: "30 3 * * *", Dir: "/srv/b", Keep: 0, CreatedAt: set.Add(24 * time.Hour)}
	if err := db.SetBackupSchedule(ctx, "test", s2); err != nil {
		t.Fatal(err)
	}
	if got, err := db.FindBackupSchedule(ctx); err != nil || got.Cron != s2.Cron || !got.LastDueAt.IsZero() || !got.CreatedAt.Equal(s2.CreatedAt) {
		t.Fatalf("after replacing: %+v, %v", got, err)
	}
	wantCode(t, db.SetBackupSchedule(ctx, "test", domain.BackupSchedule{Cron: "x", Dir: "/d", Keep: -1, CreatedAt: set}), domain.EINVALID)
	if had, err := db.DeleteBackupSchedule(ctx, "test", set); !had || err != nil {
		t.Fatalf("DeleteBackupSchedule=%v, %v; want true", had, err)
	}
	if had, err := db.DeleteBackupSchedule(ctx, "test", set); had || err != nil {
		t.Fatalf("second DeleteBackupSchedule=%v, %v; want false", had, err)
	}
	wantCode(t, db.SetBackupDue(ctx, set), domain.ENOTFOUND)
}

func TestBackupRuns(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	_, err := db.LastRun(ctx, RunQuery{Kind: domain.RunBackup, Status: domain.RunOK})
	wantCode(t, err, domain.ENOTFOUND)
	at := func(h int) time.Time { return time.Date(2026, 3, 1, h, 0, 0, 0, time.UTC) }
	runs := []domain.Run{
		{Kind: domain.RunBackup, Trigger: domain.TriggerCron, StartedAt: at(2), FinishedAt: at(2), Status: domain.RunOK, File: "/b/traject-1.db", Size: 10, SHA256: "aa"},
		{Kind: domain.RunBackup, Trigger: domain.TriggerCatchUp, StartedAt: at(3), FinishedAt: at(3), Status: domain.RunFailed, Error: "disk full"},
	}
	for _, r := range runs {
		if _, err := db.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: "later", StartedAt: at(4), FinishedAt: at(4), Status: domain.RunOK})
	wantCode(t, err, domain.EINVALID)
	_, err = db.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerCron, StartedAt: at(4), FinishedAt: at(4), Status: domain.RunRunning})
	wantCode(t, err, domain.EINVALID)

	last, err := db.LastRun(ctx, RunQuery{Kind: domain.RunBackup, Status: domain.RunOK})
	if err != nil || last.File != "/b/traject-1.db" || last.Size != 10 || last.SHA256 != "aa" || !last.StartedAt.Equal(at(2)) {
		t.Fatalf("last successful backup=%+v, %v; want the ok one of 02:00", last, err)
	}
	list, err := db.ListRuns(ctx, RunQuery{Kind: domain.RunBackup, Limit: 0})
	if err != nil || len(list) != 2 || list[0].Status != domain.RunFailed || list[0].Error != "disk full" {
		t.Fatalf("backups=%+v, %v; want the failed one first", list, err)
	}
	if err := db.PruneRun(ctx, last.ID, at(5)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.PruneRun(ctx, 999, at(5)), domain.ENOTFOUND)
	if list, _ := db.ListRuns(ctx, RunQuery{Kind: domain.RunBackup, Limit: 1}); len(list) != 1 {
		t.Fatalf("backups (limit 1) gave %d", len(list))
	}
	if l, _ := db.LastRun(ctx, RunQuery{Kind: domain.RunBackup, Status: domain.RunOK}); !l.PrunedAt.Equal(at(5)) {
		t.Fatalf("pruned_at=%v, want %v", l.PrunedAt, at(5))
	}
}
