package schedule

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
)

// setBackup stores a backup schedule into e.dir/backups.
func (e *env) setBackup(t *testing.T, cron string, keep int, created time.Time) domain.BackupSchedule {
	t.Helper()
	s, err := ValidateBackup(domain.BackupSchedule{Cron: cron, Dir: filepath.Join(e.dir, "backups"), Keep: keep, CreatedAt: created})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetBackupSchedule(context.Background(), "test", s); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) backups(t *testing.T) []domain.Run {
	t.Helper()
	runs, err := e.db.ListRuns(context.Background(), store.RunQuery{Kind: domain.RunBackup, Limit: 0})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestScheduledBackupsByTheClock: the scheduler makes a backup when the
// backup schedule is due by its (injected) clock, once per due time, checks
// and records it, and keeps only the newest Keep of its own backups: a
// manual backup, a file it did not make and a changed file stay.
func TestScheduledBackupsByTheClock(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("PostgreSQL is backed up with pg_dump: TestNoScheduledBackupOnPostgres")
	}
	ctx := context.Background()
	e := newEnv(t, day(1, 0, 0, 0))
	s := e.setBackup(t, "0 2 * * *", 2, day(1, 0, 0, 0))
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(s.Dir, "traject-20250101-020000.db") // named like one, not made by the scheduler
	stale := filepath.Join(s.Dir, ".traject-20250930-020000.db.tmp")
	for _, f := range []string{foreign, stale, filepath.Join(s.Dir, "notes.txt")} {
		if err := os.WriteFile(f, []byte("not ours"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	manual := filepath.Join(e.dir, "manual.db")
	info, err := e.db.Backup(ctx, manual)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerManual, StartedAt: day(1, 0, 0, 0), FinishedAt: day(1, 0, 0, 0),
		Status: domain.RunOK, File: manual, Size: info.Size, SHA256: info.SHA256}); err != nil {
		t.Fatal(err)
	}

	l := e.start(t)
	steps := []struct {
		at      time.Time
		backups int // scheduled backups recorded
		files   []string
	}{
		{day(1, 1, 59, 59), 0, []string{".traject-20250930-020000.db.tmp", "notes.txt", "traject-20250101-020000.db"}},
		{day(1, 2, 0, 10), 1, []string{"notes.txt", "traject-20250101-020000.db", "traject-20251001-020010.db"}},
		{day(1, 2, 0, 40), 1, nil}, // the same due time: not again
		{day(2, 2, 0, 5), 2, []string{"notes.txt", "traject-20250101-020000.db", "traject-20251001-020010.db", "traject-20251002-020005.db"}},
		{day(3, 2, 0, 5), 3, []string{"notes.txt", "traject-20250101-020000.db", "traject-20251002-020005.db", "traject-20251003-020005.db"}},
	}
	for _, st := range steps {
		l.tickAt(st.at)
		var scheduled []domain.Run
		for _, b := range e.backups(t) {
			if b.Trigger != domain.TriggerManual {
				scheduled = append(scheduled, b)
			}
		}
		if len(scheduled) != st.backups {
			t.Fatalf("at %v: %d scheduled backups, want %d", st.at, len(scheduled), st.backups)
		}
		if st.files != nil {
			if got := files(t, s.Dir); !slices.Equal(got, st.files) {
				t.Fatalf("at %v: folder holds %v, want %v", st.at, got, st.files)
			}
		}
	}
	runs := e.backups(t)
	last := runs[0]
	if last.Status != domain.RunOK || last.Trigger != domain.TriggerCron || last.File != filepath.Join(s.Dir, "traject-20251003-020005.db") {
		t.Fatalf("last backup %+v, want an ok cron backup of 3 October", last)
	}
	got, err := store.CheckBackup(ctx, last.File)
	if err != nil || got.SHA256 != last.SHA256 || got.Size != last.Size {
		t.Fatalf("the backup file: %+v, %v; recorded %d bytes sha256 %s", got, err, last.Size, last.SHA256)
	}
	if pruned := runs[2]; pruned.PrunedAt.IsZero() || !runs[1].PrunedAt.IsZero() {
		t.Fatalf("pruned_at of the oldest scheduled backup %v, of the second %v: want only the oldest let go", pruned.PrunedAt, runs[1].PrunedAt)
	}
	if _, err := os.Stat(manual); err != nil {
		t.Fatalf("the manual backup was touched by retention: %v", err)
	}
	if b, _ := e.db.FindBackupSchedule(ctx); !b.LastDueAt.Equal(day(3, 2, 0, 0)) {
		t.Fatalf("last_due_at=%v, want %v", b.LastDueAt, day(3, 2, 0, 0))
	}

	// Down from 3 October until 6 October: one catch-up backup, not three.
	l.tickAt(day(6, 9, 0, 0))
	runs = e.backups(t)
	if runs[0].Trigger != domain.TriggerCatchUp || runs[1].ID != last.ID {
		t.Fatalf("after three missed due times: %+v, want one catch-up backup", runs[:2])
	}
}

// TestFailedBackupLeavesNoFile: a backup whose copy fails is recorded as
// failed, leaves neither its temporary file nor a file under the final name,
// and its due time is handled (not retried every tick).
func TestFailedBackupLeavesNoFile(t *testing.T) {
	if testdb.Postgres() {
		t.Skip("PostgreSQL is backed up with pg_dump")
	}
	ctx := context.Background()
	e := newEnv(t, day(1, 2, 0, 5))
	s := e.setBackup(t, "0 2 * * *", 0, day(1, 0, 0, 0))
	e.sched.Backup = func(ctx context.Context, tmp string) error {
		if err := os.WriteFile(tmp, []byte("SQLite format 3\x00half"), 0o640); err != nil {
			return err
		}
		return errDiskFull
	}
	p, err := e.sched.Once(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.Backup == nil || p.Backup.Status != domain.RunFailed || p.Backup.Error != "disk full" {
		t.Fatalf("Once: backup %+v, want a failed one saying disk full", p.Backup)
	}
	if got := files(t, s.Dir); len(got) != 0 {
		t.Fatalf("a failed backup left %v", got)
	}
	// A copy that is written but is no database fails its check.
	e.clock.Set(day(2, 2, 0, 5))
	e.sched.Backup = func(ctx context.Context, tmp string) error { return os.WriteFile(tmp, []byte("not a database"), 0o640) }
	if p, err = e.sched.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if p.Backup == nil || p.Backup.Status != domain.RunFailed {
		t.Fatalf("Once: backup %+v, want failed: the copy is no database", p.Backup)
	}
	if got := files(t, s.Dir); len(got) != 0 {
		t.Fatalf("a backup that failed its check left %v", got)
	}
	if p, err := e.sched.Once(ctx); err != nil || p.Backup != nil {
		t.Fatalf("Once again at the same time: %+v %v, want nothing due", p.Backup, err)
	}
	if _, err := e.db.LastRun(ctx, store.RunQuery{Kind: domain.RunBackup, Status: domain.RunOK}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("last successful backup after two failures: %v, want ENOTFOUND", err)
	}
}

// TestNoScheduledBackupOnPostgres: the schedule is refused, and a pass
// makes no backup.
func TestNoScheduledBackupOnPostgres(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("PostgreSQL only")
	}
	ctx := context.Background()
	e := newEnv(t, day(1, 2, 0, 5))
	err := e.db.SetBackupSchedule(ctx, "test", domain.BackupSchedule{Cron: "0 2 * * *", Dir: e.dir, CreatedAt: day(1, 0, 0, 0)})
	if !errors.Is(err, store.ErrBackupPostgres) {
		t.Fatalf("SetBackupSchedule on PostgreSQL: %v, want ErrBackupPostgres", err)
	}
	if p, err := e.sched.Once(ctx); err != nil || p.Backup != nil {
		t.Fatalf("Once: %+v %v, want no backup", p.Backup, err)
	}
}

func TestValidateBackup(t *testing.T) {
	for _, tc := range []struct {
		s    domain.BackupSchedule
		code string
	}{
		{domain.BackupSchedule{Cron: " 0  2 * * * ", Dir: "b", Keep: 14}, ""},
		{domain.BackupSchedule{Cron: "@daily", Dir: "/b"}, ""},
		{domain.BackupSchedule{Cron: "0 25 * * *", Dir: "/b"}, domain.EINVALID},
		{domain.BackupSchedule{Cron: "0 2 * * *", Dir: " "}, domain.EINVALID},
		{domain.BackupSchedule{Cron: "0 2 * * *", Dir: "/b", Keep: -1}, domain.EINVALID},
		{domain.BackupSchedule{Cron: "0 2 * * *", Dir: "/b", Keep: maxBackupKeep + 1}, domain.EINVALID},
	} {
		got, err := ValidateBackup(tc.s)
		if code := domain.ErrorCode(err); code != tc.code {
			t.Errorf("ValidateBackup(%+v): %v, want code %q", tc.s, err, tc.code)
			continue
		}
		if err == nil && (!filepath.IsAbs(got.Dir) || got.Cron != strings.Join(strings.Fields(tc.s.Cron), " ")) {
			t.Errorf("ValidateBackup(%+v)=%+v: want an absolute folder and a trimmed cron", tc.s, got)
		}
	}
}
