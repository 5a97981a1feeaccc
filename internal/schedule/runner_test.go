package schedule

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestRunNowWritesAtomicallyAndRecords(t *testing.T) {
	// 22:30 UTC on 30 September is already 1 October in the scheduler's zone,
	// so the run day, and with it the period, is October's.
	now := time.Date(2025, 9, 30, 22, 30, 0, 0, time.UTC)
	e := newEnv(t, now)
	e.sched.Location = time.FixedZone("CEST", 2*3600)
	s := e.add(t, domain.Schedule{Name: "maand", Cron: "0 6 1 * *", Provider: "CVO-A", Keep: 3})
	e.job.check = func(_ domain.Schedule, tmp string) {
		if filepath.Dir(tmp) != s.OutDir || !strings.HasPrefix(filepath.Base(tmp), ".maand-") || !strings.HasSuffix(tmp, ".xlsx.tmp") {
			t.Errorf("temporary file %s, want a hidden .maand-….xlsx.tmp in %s", tmp, s.OutDir)
		}
		if got := files(t, s.OutDir); len(got) != 0 {
			t.Errorf("output folder holds %v while the workbook is written, want nothing", got)
		}
	}

	run, err := e.sched.RunNow(context.Background(), "maand", domain.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	from, to := domain.MustDate("2025-09-01"), domain.MustDate("2025-09-30")
	data := content(s, from, to)
	sum := sha256.Sum256(data)
	want := domain.Run{ID: run.ID, Number: 1, Kind: domain.RunWorkbook, Schedule: "maand", From: from, To: to, Trigger: domain.TriggerManual,
		StartedAt: now, FinishedAt: now, Status: domain.RunOK,
		File: filepath.Join(s.OutDir, "traject-maand-2025-09-01_2025-09-30-20251001T003000.xlsx"),
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	stored, err := e.db.FindRun(context.Background(), run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stored, want) {
		t.Fatalf("stored run=%+v\nwant %+v", stored, want)
	}
	if run.File != want.File || run.SHA256 != want.SHA256 || run.Status != domain.RunOK {
		t.Fatalf("returned run=%+v, want %+v", run, want)
	}
	got, err := os.ReadFile(want.File)
	if err != nil || string(got) != string(data) {
		t.Fatalf("workbook holds %q (%v), want %q", got, err, data)
	}
	if names := files(t, s.OutDir); len(names) != 1 {
		t.Fatalf("output folder holds %v, want only the workbook", names)
	}

	// A second run in the same second never overwrites the first workbook.
	e.job.check = nil
	again, err := e.sched.RunNow(context.Background(), "maand", domain.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	if again.File == run.File || !strings.HasSuffix(again.File, "-20251001T003000-2.xlsx") {
		t.Fatalf("second workbook %s, want a distinct name ending in the run id", again.File)
	}
}

func TestRunNowFailure(t *testing.T) {
	now := time.Date(2025, 10, 1, 6, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	s := e.add(t, domain.Schedule{Name: "kapot", Cron: "0 6 1 * *", Keep: 3})
	e.job.setFail("kapot", errDiskFull)

	run, err := e.sched.RunNow(context.Background(), "kapot", domain.TriggerManual)
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("err=%v, want the job's error", err)
	}
	if run.Status != domain.RunFailed || run.Error != "disk full" || run.File != "" {
		t.Fatalf("run=%+v, want failed with error %q and no file", run, "disk full")
	}
	stored, _ := e.db.FindRun(context.Background(), run.ID)
	if stored.Status != domain.RunFailed || stored.Error != "disk full" || stored.FinishedAt.IsZero() || stored.File != "" {
		t.Fatalf("stored run=%+v, want failed with its error", stored)
	}
	// Neither the half-written temporary file nor a workbook is left behind.
	if names := files(t, s.OutDir); len(names) != 0 {
		t.Fatalf("output folder holds %v after a failed run, want nothing", names)
	}

	// A panicking export and one that writes nothing are failed runs too.
	e.sched.Job = func(context.Context, domain.Schedule, domain.Date, domain.Date, string) error { panic("boom") }
	if run, err := e.sched.RunNow(context.Background(), "kapot", domain.TriggerManual); err == nil || run.Status != domain.RunFailed || !strings.Contains(run.Error, "panicked: boom") {
		t.Fatalf("panicking job: run=%+v err=%v, want a failed run", run, err)
	}
	e.sched.Job = func(context.Context, domain.Schedule, domain.Date, domain.Date, string) error { return nil }
	if run, err := e.sched.RunNow(context.Background(), "kapot", domain.TriggerManual); err == nil || !strings.Contains(run.Error, "wrote no file") {
		t.Fatalf("job writing nothing: run=%+v err=%v, want a failed run", run, err)
	}
	if names := files(t, s.OutDir); len(names) != 0 {
		t.Fatalf("output folder holds %v, want nothing", names)
	}

	// An unknown schedule records nothing.
	if _, err := e.sched.RunNow(context.Background(), "onbekend", domain.TriggerManual); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown schedule: err=%v, want ENOTFOUND", err)
	}
	if runs := e.runs(t, ""); len(runs) != 3 {
		t.Fatalf("%d runs recorded, want 3", len(runs))
	}
}

func TestRetentionKeepsNewestOwnFiles(t *testing.T) {
	start := time.Date(2025, 10, 1, 6, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	s := e.add(t, domain.Schedule{Name: "maand", Cron: "0 6 1 * *", Keep: 2})
	if err := os.MkdirAll(s.OutDir, 0o750); err != nil {
		t.Fatal(err)
	}
	// Files the schedule did not write, one of them named like its own.
	foreign := []string{"notities.xlsx", "traject-maand-2020-01-01_2020-01-31-20200201T060000.xlsx"}
	for _, f := range foreign {
		if err := os.WriteFile(filepath.Join(s.OutDir, f), []byte("van iemand anders"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	var runs []domain.Run
	runOnce := func(day int) domain.Run {
		t.Helper()
		e.clock.Set(start.AddDate(0, 0, day))
		run, _ := e.sched.RunNow(context.Background(), "maand", domain.TriggerManual)
		runs = append(runs, run)
		return run
	}
	exists := func(r domain.Run) bool {
		_, err := os.Stat(r.File)
		return err == nil
	}

	r1, r2, r3 := runOnce(0), runOnce(1), runOnce(2)
	if exists(r1) || !exists(r2) || !exists(r3) {
		t.Fatalf("after 3 runs with keep 2: r1 %v r2 %v r3 %v, want only r2 and r3", exists(r1), exists(r2), exists(r3))
	}
	if got, _ := e.db.FindRun(context.Background(), r1.ID); got.PrunedAt.IsZero() {
		t.Fatalf("r1 not marked pruned: %+v", got)
	}

	// Someone edits r2's workbook (same size, other bytes): it is no longer
	// the file the run wrote, so retention lets go of it without deleting it.
	b, err := os.ReadFile(r2.File)
	if err != nil {
		t.Fatal(err)
	}
	b[0] = 'W'
	if err := os.WriteFile(r2.File, b, 0o640); err != nil {
		t.Fatal(err)
	}
	r4 := runOnce(3)
	if !exists(r2) || !exists(r3) || !exists(r4) {
		t.Fatalf("after r4: r2 %v r3 %v r4 %v, want all three (r2 was changed)", exists(r2), exists(r3), exists(r4))
	}
	if got, _ := e.db.FindRun(context.Background(), r2.ID); got.PrunedAt.IsZero() {
		t.Fatalf("changed r2 not marked pruned: %+v", got)
	}

	// A failed run neither counts towards keep nor removes anything.
	e.job.setFail("maand", errDiskFull)
	if r5 := runOnce(4); r5.Status != domain.RunFailed || !exists(r3) || !exists(r4) {
		t.Fatalf("failed run %+v removed files: r3 %v r4 %v", r5, exists(r3), exists(r4))
	}
	e.job.setFail("maand", nil)
	r6 := runOnce(5)
	if exists(r3) || !exists(r4) || !exists(r6) {
		t.Fatalf("after r6: r3 %v r4 %v r6 %v, want r4 and r6", exists(r3), exists(r4), exists(r6))
	}

	want := append([]string{filepath.Base(r2.File), filepath.Base(r4.File), filepath.Base(r6.File)}, foreign...)
	got := files(t, s.OutDir)
	if len(got) != len(want) {
		t.Fatalf("output folder holds %v, want %v", got, want)
	}
	for _, f := range foreign {
		if b, err := os.ReadFile(filepath.Join(s.OutDir, f)); err != nil || string(b) != "van iemand anders" {
			t.Fatalf("foreign file %s touched: %q %v", f, b, err)
		}
	}
}

func TestRetentionKeepZeroKeepsAll(t *testing.T) {
	start := time.Date(2025, 10, 1, 6, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	s := e.add(t, domain.Schedule{Name: "alles", Cron: "0 6 1 * *", Keep: 0})
	for day := range 4 {
		e.clock.Set(start.AddDate(0, 0, day))
		if _, err := e.sched.RunNow(context.Background(), "alles", domain.TriggerManual); err != nil {
			t.Fatal(err)
		}
	}
	if got := files(t, s.OutDir); len(got) != 4 {
		t.Fatalf("keep 0 left %v, want all 4 workbooks", got)
	}
}
