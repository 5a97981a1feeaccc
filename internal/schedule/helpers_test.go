package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// clock is a fake clock whose After hands the test the channel the
// scheduler waits on, so that the test decides when the next pass starts.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	waits chan chan time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t, waits: make(chan chan time.Time)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) After(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.waits <- ch
	return ch
}

// fakeJob writes a small file, or fails on demand.
type fakeJob struct {
	mu    sync.Mutex
	fail  map[string]error // schedule name -> error to return after writing half a file
	calls []string         // "name from..to"
	check func(s domain.Schedule, tmp string)
}

func (j *fakeJob) Job(ctx context.Context, s domain.Schedule, from, to domain.Date, tmp string) error {
	j.mu.Lock()
	j.calls = append(j.calls, fmt.Sprintf("%s %s..%s", s.Name, from, to))
	err, check := j.fail[s.Name], j.check
	j.mu.Unlock()
	if check != nil {
		check(s, tmp)
	}
	if err := os.WriteFile(tmp, []byte("half a workbook"), 0o640); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	return os.WriteFile(tmp, content(s, from, to), 0o640)
}

func (j *fakeJob) setFail(name string, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.fail == nil {
		j.fail = map[string]error{}
	}
	j.fail[name] = err
}

func content(s domain.Schedule, from, to domain.Date) []byte {
	return fmt.Appendf(nil, "workbook %s %s..%s exact=%v provider=%q", s.Name, from, to, s.Exact, s.Provider)
}

var errDiskFull = errors.New("disk full")

type env struct {
	db    *store.DB
	clock *clock
	job   *fakeJob
	dir   string
	sched *Scheduler
}

func newEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	db := testkit.Migrated(t)
	e := &env{db: db, clock: newClock(now), job: &fakeJob{}, dir: t.TempDir()}
	e.sched = &Scheduler{
		Runner: Runner{DB: db, Job: e.job.Job, Now: e.clock.Now, Log: slog.New(slog.DiscardHandler), Location: time.UTC},
		Holder: "test", After: e.clock.After,
	}
	return e
}

// add stores a schedule writing to its own folder under e.dir.
func (e *env) add(t *testing.T, s domain.Schedule) domain.Schedule {
	t.Helper()
	if s.OutDir == "" {
		s.OutDir = filepath.Join(e.dir, s.Name)
	}
	if s.Period == "" {
		s.Period = string(PreviousMonth)
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = e.clock.Now()
	}
	s, err := Validate(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateSchedule(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) runs(t *testing.T, name string) []domain.Run {
	t.Helper()
	runs, err := e.db.ListRuns(context.Background(), store.RunQuery{Kind: domain.RunWorkbook, Schedule: name, Limit: 0})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

func (e *env) schedule(t *testing.T, name string) domain.Schedule {
	t.Helper()
	s, err := e.db.FindSchedule(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// files lists the names in dir, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// loop runs Scheduler.Run in the background and lets the test step it.
type loop struct {
	t      *testing.T
	e      *env
	next   chan time.Time
	done   chan error
	cancel context.CancelFunc
	once   sync.Once
}

func (e *env) start(t *testing.T) *loop {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l := &loop{t: t, e: e, done: make(chan error, 1), cancel: cancel}
	go func() { l.done <- e.sched.Run(ctx) }()
	l.wait()
	t.Cleanup(l.stop)
	return l
}

// wait blocks until the scheduler has finished a pass and waits for a tick.
func (l *loop) wait() {
	l.t.Helper()
	select {
	case l.next = <-l.e.clock.waits:
	case err := <-l.done:
		l.t.Fatalf("scheduler stopped early: %v", err)
	case <-time.After(10 * time.Second):
		l.t.Fatal("scheduler did not finish its pass")
	}
}

// tickAt sets the clock and lets the scheduler make one more pass.
func (l *loop) tickAt(now time.Time) {
	l.t.Helper()
	l.e.clock.Set(now)
	l.next <- now
	l.wait()
}

func (l *loop) stop() {
	l.once.Do(func() {
		l.cancel()
		select {
		case err := <-l.done:
			if err != nil {
				l.t.Errorf("Run returned %v, want nil after cancel", err)
			}
		case <-time.After(10 * time.Second):
			l.t.Error("scheduler did not stop")
		}
	})
}
