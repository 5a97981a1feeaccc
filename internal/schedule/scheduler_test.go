package schedule

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/domain"
)

// day returns 2025-10-d at h:m:s UTC.
func day(d, h, m, s int) time.Time { return time.Date(2025, 10, d, h, m, s, 0, time.UTC) }

func triggers(runs []domain.Run) []string {
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.Trigger + "/" + r.Status
	}
	return out
}

func TestDueRunsHappenOnce(t *testing.T) {
	e := newEnv(t, day(1, 5, 0, 0))
	e.add(t, domain.Schedule{Name: "dagelijks", Cron: "0 6 * * *", Period: string(SchoolYearToDate)})
	l := e.start(t)

	steps := []struct {
		at   time.Time
		runs int
	}{
		{day(1, 5, 59, 59), 0},
		{day(1, 6, 0, 10), 1}, // due
		{day(1, 6, 0, 40), 1}, // same due time: not again
		{day(1, 12, 0, 0), 1},
		{day(2, 5, 59, 0), 1},
		{day(2, 6, 0, 5), 2}, // next day's due time
		{day(2, 6, 0, 35), 2},
	}
	for _, s := range steps {
		l.tickAt(s.at)
		if got := e.runs(t, "dagelijks"); len(got) != s.runs {
			t.Fatalf("at %v: %d runs, want %d", s.at, len(got), s.runs)
		}
	}
	runs := e.runs(t, "dagelijks")
	for _, r := range runs {
		if r.Trigger != domain.TriggerCron || r.Status != domain.RunOK {
			t.Fatalf("run %+v, want an ok cron run", r)
		}
	}
	if runs[0].From.String() != "2025-09-01" || runs[0].To.String() != "2025-10-01" {
		t.Fatalf("period of the run on 2 October = %s..%s, want 2025-09-01..2025-10-01", runs[0].From, runs[0].To)
	}
	if got := e.schedule(t, "dagelijks").LastDueAt; !got.Equal(day(2, 6, 0, 0)) {
		t.Fatalf("last_due_at=%v, want %v", got, day(2, 6, 0, 0))
	}
}

func TestMissedRunsAreCaughtUpOnce(t *testing.T) {
	e := newEnv(t, day(1, 5, 0, 0))
	e.add(t, domain.Schedule{Name: "dagelijks", Cron: "0 6 * * *", LastDueAt: day(1, 6, 0, 0)})
	e.add(t, domain.Schedule{Name: "maandelijks", Cron: "0 6 1 * *", CreatedAt: time.Date(2025, 9, 20, 0, 0, 0, 0, time.UTC)})
	e.add(t, domain.Schedule{Name: "gepauzeerd", Cron: "0 6 * * *", Paused: true, CreatedAt: time.Date(2025, 9, 20, 0, 0, 0, 0, time.UTC)})

	// Traject was down from 1 October 06:00 until 4 October 09:00: three
	// daily due times and one monthly one passed.
	e.clock.Set(day(4, 9, 0, 0))
	l := e.start(t)
	for _, name := range []string{"dagelijks", "maandelijks"} {
		runs := e.runs(t, name)
		if len(runs) != 1 || runs[0].Trigger != domain.TriggerCatchUp || runs[0].Status != domain.RunOK {
			t.Fatalf("%s after the restart: %v, want one ok catch-up run", name, triggers(runs))
		}
	}
	if got := e.schedule(t, "dagelijks").LastDueAt; !got.Equal(day(4, 6, 0, 0)) {
		t.Fatalf("dagelijks last_due_at=%v, want the latest missed due time %v", got, day(4, 6, 0, 0))
	}
	if got := e.schedule(t, "maandelijks").LastDueAt; !got.Equal(day(1, 6, 0, 0)) {
		t.Fatalf("maandelijks last_due_at=%v, want %v", got, day(1, 6, 0, 0))
	}
	if runs := e.runs(t, "gepauzeerd"); len(runs) != 0 {
		t.Fatalf("paused schedule ran: %v", triggers(runs))
	}

	l.tickAt(day(4, 9, 0, 30))
	l.stop()
	// A second start at the same time finds nothing left to catch up.
	e.start(t).tickAt(day(4, 9, 1, 0))
	if runs := e.runs(t, ""); len(runs) != 2 {
		t.Fatalf("%d runs after more passes and a restart, want still 2", len(runs))
	}
}

func TestFailedRunIsRecordedAndSchedulerGoesOn(t *testing.T) {
	e := newEnv(t, day(1, 5, 0, 0))
	bad := e.add(t, domain.Schedule{Name: "a-kapot", Cron: "0 6 * * *"})
	e.add(t, domain.Schedule{Name: "b-goed", Cron: "0 6 * * *"})
	e.job.setFail("a-kapot", errDiskFull)
	l := e.start(t)

	l.tickAt(day(1, 6, 0, 10))
	runs := e.runs(t, "a-kapot")
	if len(runs) != 1 || runs[0].Status != domain.RunFailed || runs[0].Error != "disk full" || runs[0].FinishedAt.IsZero() {
		t.Fatalf("failing schedule: %+v, want one failed run with its error", runs)
	}
	if names := files(t, bad.OutDir); len(names) != 0 {
		t.Fatalf("failed run left %v, want nothing", names)
	}
	if runs := e.runs(t, "b-goed"); len(runs) != 1 || runs[0].Status != domain.RunOK {
		t.Fatalf("the schedule after the failing one: %v, want one ok run", triggers(runs))
	}

	// The failure is not retried every tick, and the next due time runs again.
	l.tickAt(day(1, 6, 0, 40))
	l.tickAt(day(2, 6, 0, 10))
	if got := triggers(e.runs(t, "a-kapot")); len(got) != 2 || got[0] != "cron/failed" {
		t.Fatalf("failing schedule runs %v, want two failed cron runs", got)
	}
	if got := triggers(e.runs(t, "b-goed")); len(got) != 2 || got[0] != "cron/ok" || got[1] != "cron/ok" {
		t.Fatalf("good schedule runs %v, want two ok cron runs", got)
	}
}

func TestShutdownDuringRunLeavesDueTime(t *testing.T) {
	e := newEnv(t, day(1, 6, 0, 10))
	s := e.add(t, domain.Schedule{Name: "dagelijks", Cron: "0 6 * * *", CreatedAt: day(1, 5, 0, 0)})
	ctx, cancel := context.WithCancel(context.Background())
	e.sched.Job = func(ctx context.Context, _ domain.Schedule, _, _ domain.Date, tmp string) error {
		os.WriteFile(tmp, []byte("half"), 0o640)
		cancel() // SIGTERM arrives while the workbook is written
		<-ctx.Done()
		return ctx.Err()
	}
	if _, err := e.sched.runDue(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("runDue err=%v, want context.Canceled", err)
	}
	runs := e.runs(t, "dagelijks")
	if len(runs) != 1 || runs[0].Status != domain.RunFailed || runs[0].Error != "context canceled" {
		t.Fatalf("interrupted run: %+v, want one failed run", runs)
	}
	if names := files(t, s.OutDir); len(names) != 0 {
		t.Fatalf("interrupted run left %v, want nothing", names)
	}
	if got := e.schedule(t, "dagelijks").LastDueAt; !got.IsZero() {
		t.Fatalf("last_due_at=%v after an interrupted run, want it unset so the next start catches up", got)
	}

	e.sched.Job = e.job.Job
	runs, err := e.sched.runDue(context.Background())
	if err != nil || len(runs) != 1 || runs[0].Status != domain.RunOK {
		t.Fatalf("next start: runs %v err %v, want one ok run", triggers(runs), err)
	}
}

func TestLockAllowsOneScheduler(t *testing.T) {
	ctx := context.Background()
	now := day(1, 6, 0, 10)
	e := newEnv(t, now)
	e.add(t, domain.Schedule{Name: "dagelijks", Cron: "0 6 * * *", CreatedAt: day(1, 5, 0, 0)})
	if ok, err := e.db.AcquireSchedulerLock(ctx, "other-host:42", now, DefaultLease); !ok || err != nil {
		t.Fatalf("first scheduler could not take the lock: %v %v", ok, err)
	}

	if _, err := e.sched.Once(ctx); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("Once while another holds the lock: err=%v, want ECONFLICT", err)
	}
	l := e.start(t)
	l.tickAt(now.Add(DefaultLease / 2))
	if runs := e.runs(t, ""); len(runs) != 0 {
		t.Fatalf("second scheduler ran %v while the lock was held", triggers(runs))
	}

	// The first scheduler stops renewing (it crashed): once its lease has
	// expired, this one takes over and catches up.
	takeover := now.Add(max(DefaultLease, time.Minute) + time.Second)
	l.tickAt(takeover)
	runs := e.runs(t, "")
	if len(runs) != 1 || runs[0].Trigger != domain.TriggerCatchUp {
		t.Fatalf("after the lease expired: %v, want one catch-up run", triggers(runs))
	}
	if lock, err := e.db.FindSchedulerLock(ctx); err != nil || lock.Holder != "test" {
		t.Fatalf("lock=%+v %v, want held by test", lock, err)
	}
	if ok, _ := e.db.AcquireSchedulerLock(ctx, "other-host:42", takeover.Add(time.Second), DefaultLease); ok {
		t.Fatal("the old scheduler took the lock back from a live one")
	}

	l.stop()
	if _, err := e.db.FindSchedulerLock(ctx); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("lock after stop: %v, want released", err)
	}
	if p, err := e.sched.Once(ctx); err != nil || len(p.Runs) != 0 || p.Backup != nil {
		t.Fatalf("Once with nothing due: %v %+v %v, want no runs", triggers(p.Runs), p.Backup, err)
	}
}

func TestSchedulerDeletesExpiredSessions(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, day(1, 5, 0, 0))
	hash, err := bcrypt.GenerateFromPassword([]byte("tien tekens!"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateUser(ctx, "cli", domain.User{Username: "root", Role: domain.RoleAdmin}, string(hash), day(1, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	type session struct {
		token   string
		created time.Time
	}
	newSession := func(created time.Time, ttl time.Duration) session {
		t.Helper()
		token, _, err := e.db.CreateSession(ctx, "root", ttl, created)
		if err != nil {
			t.Fatal(err)
		}
		return session{token, created}
	}
	// stored reports whether the session's row is still there: asked at the
	// time it was made, FindSession finds any row that was not deleted.
	stored := func(s session) bool {
		t.Helper()
		_, err := e.db.FindSession(ctx, s.token, s.created)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatal(err)
		}
		return err == nil
	}
	want := func(when string, sessions map[string]session, kept ...string) {
		t.Helper()
		for _, name := range []string{"expired", "live", "soon"} {
			if got, want := stored(sessions[name]), slices.Contains(kept, name); got != want {
				t.Errorf("%s: %s session stored=%v, want %v", when, name, got, want)
			}
		}
	}
	sessions := map[string]session{
		"expired": newSession(day(1, 4, 0, 0), 30*time.Minute), // ended 04:30
		"live":    newSession(day(1, 5, 0, 0), 8*time.Hour),
		"soon":    newSession(day(1, 5, 0, 0), 10*time.Minute), // ends 05:10
	}
	v0, err := e.db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}

	l := e.start(t) // the first pass, at 05:00, deletes what has expired
	want("after the first pass", sessions, "live", "soon")
	l.tickAt(day(1, 5, 30, 0)) // "soon" has expired, but the last clean-up was less than an hour ago
	want("half an hour later", sessions, "live", "soon")
	l.tickAt(day(1, 6, 0, 0))
	want("an hour later", sessions, "live")
	l.stop()
	if v, err := e.db.DataVersion(ctx); err != nil || v != v0 {
		t.Errorf("data version %d (%v) after deleting sessions, want %d: deleting them is bookkeeping", v, err, v0)
	}

	// `traject scheduler --once` is a new Scheduler: it cleans up at once.
	sessions["expired"] = newSession(day(1, 6, 0, 0), time.Minute)
	e.clock.Set(day(1, 6, 5, 0))
	once := &Scheduler{Runner: e.sched.Runner, Holder: "once"}
	if _, err := once.Once(ctx); err != nil {
		t.Fatal(err)
	}
	want("after Once", sessions, "live")
}
