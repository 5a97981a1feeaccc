package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

var t0 = time.Date(2025, 9, 30, 22, 15, 0, 0, time.UTC)

func testSchedule(name string) domain.Schedule {
	return domain.Schedule{Name: name, Cron: "0 6 1 * *", Period: "previous-month", Provider: "CVO-A",
		OutDir: "/srv/exports", Keep: 3, CreatedAt: t0}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

func TestScheduleCRUD(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)

	a := testSchedule("maand")
	if err := db.CreateSchedule(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := domain.Schedule{Name: "alles", Cron: "@daily", Period: "school-year-to-date", Exact: true, OutDir: "/tmp/x", Keep: 0, CreatedAt: t0}
	if err := db.CreateSchedule(ctx, b); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CreateSchedule(ctx, testSchedule("maand")), domain.ECONFLICT)
	wantCode(t, db.CreateSchedule(ctx, domain.Schedule{Name: " "}), domain.EINVALID)
	bad := testSchedule("neg")
	bad.Keep = -1
	wantCode(t, db.CreateSchedule(ctx, bad), domain.EINVALID)

	got, err := db.FindSchedule(ctx, "maand")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("FindSchedule=%+v, want %+v", got, a)
	}
	_, err = db.FindSchedule(ctx, "nope")
	wantCode(t, err, domain.ENOTFOUND)

	list, err := db.ListSchedules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || !reflect.DeepEqual(list[0], b) || list[1].Name != "maand" {
		t.Fatalf("ListSchedules=%+v, want [alles maand]", list)
	}

	a.Cron, a.Period, a.Provider, a.Exact, a.OutDir, a.Keep, a.Paused = "0 7 * * 1", "previous-quarter", "", true, "/elders", 5, true
	a.CreatedAt = t0.Add(time.Hour) // ignored: created_at never changes
	if err := db.UpdateSchedule(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, _ = db.FindSchedule(ctx, "maand")
	a.CreatedAt = t0
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("after UpdateSchedule: %+v, want %+v", got, a)
	}
	wantCode(t, db.UpdateSchedule(ctx, testSchedule("nope")), domain.ENOTFOUND)

	due := time.Date(2025, 10, 1, 6, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	if err := db.SetScheduleDue(ctx, "maand", due); err != nil {
		t.Fatal(err)
	}
	got, _ = db.FindSchedule(ctx, "maand")
	if !got.LastDueAt.Equal(due) || got.LastDueAt.Location() != time.UTC {
		t.Fatalf("LastDueAt=%v, want %v in UTC", got.LastDueAt, due)
	}
	wantCode(t, db.SetScheduleDue(ctx, "nope", due), domain.ENOTFOUND)

	if err := db.DeleteSchedule(ctx, "maand"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DeleteSchedule(ctx, "maand"), domain.ENOTFOUND)
	_, err = db.FindSchedule(ctx, "maand")
	wantCode(t, err, domain.ENOTFOUND)
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	for _, n := range []string{"a", "b"} {
		if err := db.CreateSchedule(ctx, testSchedule(n)); err != nil {
			t.Fatal(err)
		}
	}
	from, to := domain.MustDate("2025-09-01"), domain.MustDate("2025-09-30")
	id1, err := db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "a", From: from, To: to, Trigger: domain.TriggerCron, StartedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	id2, err := db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "a", Trigger: domain.TriggerManual, StartedAt: t0.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	id3, err := db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "b", From: from, To: to, Trigger: domain.TriggerCatchUp, StartedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if id1 >= id2 || id2 >= id3 {
		t.Fatalf("ids %d, %d, %d do not increase", id1, id2, id3)
	}
	_, err = db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "a", Trigger: "cronjob"})
	wantCode(t, err, domain.EINVALID)
	_, err = db.StartRun(ctx, domain.Run{Kind: domain.RunWorkbook, Schedule: "nope", Trigger: domain.TriggerCron})
	wantCode(t, err, domain.ENOTFOUND)

	running, err := db.FindRun(ctx, id1)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Run{ID: id1, Number: 1, Kind: domain.RunWorkbook, Schedule: "a", From: from, To: to, Trigger: domain.TriggerCron, StartedAt: t0, Status: domain.RunRunning}
	if !reflect.DeepEqual(running, want) {
		t.Fatalf("running run=%+v, want %+v", running, want)
	}

	ok := domain.Run{ID: id1, Status: domain.RunOK, FinishedAt: t0.Add(2 * time.Second), File: "/srv/exports/x.xlsx", Size: 1234, SHA256: "ab12"}
	if err := db.FinishRun(ctx, ok); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.FinishRun(ctx, ok), domain.ECONFLICT)
	wantCode(t, db.FinishRun(ctx, domain.Run{ID: 9999, Status: domain.RunOK}), domain.ENOTFOUND)
	wantCode(t, db.FinishRun(ctx, domain.Run{ID: id2, Status: domain.RunRunning}), domain.EINVALID)
	if err := db.FinishRun(ctx, domain.Run{ID: id2, Status: domain.RunFailed, FinishedAt: t0.Add(time.Minute), Error: "disk full"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PruneRun(ctx, id1, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.PruneRun(ctx, 9999, t0), domain.ENOTFOUND)

	got, err := db.FindRun(ctx, id1)
	if err != nil {
		t.Fatal(err)
	}
	want.Status, want.FinishedAt, want.File, want.Size, want.SHA256, want.PrunedAt = domain.RunOK, t0.Add(2*time.Second), ok.File, 1234, "ab12", t0.Add(time.Hour)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("finished run=%+v, want %+v", got, want)
	}
	_, err = db.FindRun(ctx, 9999)
	wantCode(t, err, domain.ENOTFOUND)

	runs, err := db.ListRuns(ctx, RunQuery{Kind: domain.RunWorkbook, Schedule: "a", Limit: 0})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].ID != id2 || runs[1].ID != id1 || runs[0].Error != "disk full" || runs[0].From != 0 {
		t.Fatalf("ListRuns(a)=%+v, want runs %d (failed, no period), %d", runs, id2, id1)
	}
	if runs, _ := db.ListRuns(ctx, RunQuery{Kind: domain.RunWorkbook, Limit: 2}); len(runs) != 2 || runs[0].ID != id3 {
		t.Fatalf("ListRuns(all, 2)=%+v, want the 2 newest starting with %d", runs, id3)
	}

	// Removing a schedule removes its run history with it.
	if err := db.DeleteSchedule(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if runs, _ := db.ListRuns(ctx, RunQuery{Kind: domain.RunWorkbook, Schedule: "a", Limit: 0}); len(runs) != 0 {
		t.Fatalf("runs of removed schedule: %+v, want none", runs)
	}
	if runs, _ := db.ListRuns(ctx, RunQuery{Kind: domain.RunWorkbook, Limit: 0}); len(runs) != 1 || runs[0].ID != id3 {
		t.Fatalf("runs left: %+v, want only %d", runs, id3)
	}
}

func TestSchedulerLock(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	lease := 2 * time.Minute

	_, err := db.FindSchedulerLock(ctx)
	wantCode(t, err, domain.ENOTFOUND)

	steps := []struct {
		holder string
		at     time.Duration
		want   bool
	}{
		{"one", 0, true},                  // free
		{"two", time.Minute, false},       // held by one
		{"one", 90 * time.Second, true},   // one renews until 3m30s
		{"two", 3 * time.Minute, false},   // still held
		{"two", 210 * time.Second, true},  // one's lease has expired exactly now
		{"one", 220 * time.Second, false}, // one lost it
	}
	for _, s := range steps {
		got, err := db.AcquireSchedulerLock(ctx, s.holder, t0.Add(s.at), lease)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Fatalf("Acquire(%s, +%v)=%v, want %v", s.holder, s.at, got, s.want)
		}
	}
	l, err := db.FindSchedulerLock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := SchedulerLock{Holder: "two", AcquiredAt: t0.Add(210 * time.Second), HeartbeatAt: t0.Add(210 * time.Second), ExpiresAt: t0.Add(330 * time.Second)}
	if l != want {
		t.Fatalf("lock=%+v, want %+v", l, want)
	}

	// Renewing keeps the time it was first acquired.
	if ok, _ := db.AcquireSchedulerLock(ctx, "two", t0.Add(4*time.Minute), lease); !ok {
		t.Fatal("two could not renew its own lease")
	}
	if l, _ := db.FindSchedulerLock(ctx); !l.AcquiredAt.Equal(want.AcquiredAt) || !l.ExpiresAt.Equal(t0.Add(6*time.Minute)) {
		t.Fatalf("renewed lock=%+v, want acquired %v, expiring %v", l, want.AcquiredAt, t0.Add(6*time.Minute))
	}

	// Only the holder can release it.
	if err := db.ReleaseSchedulerLock(ctx, "one"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.AcquireSchedulerLock(ctx, "one", t0.Add(4*time.Minute), lease); ok {
		t.Fatal("one released two's lock")
	}
	if err := db.ReleaseSchedulerLock(ctx, "two"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.AcquireSchedulerLock(ctx, "one", t0.Add(4*time.Minute), lease); !ok {
		t.Fatal("one could not take a released lock")
	}
	_, err = db.AcquireSchedulerLock(ctx, "", t0, lease)
	wantCode(t, err, domain.EINVALID)
}
