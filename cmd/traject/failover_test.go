package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/store"
)

// TestKilledSchedulerIsReplaced runs `traject scheduler` as a real process,
// kills it (SIGKILL: it cannot release its lock) while it holds the
// scheduler lock, and checks that another scheduler on the same database
// takes the lock over once the lease has run out. The test waits on the
// database, not on a clock: the deadline only bounds a failure.
func TestKilledSchedulerIsReplaced(t *testing.T) {
	dsn := newDB(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(exe, "scheduler", "--db", dsn, "--tick", "1s", "--lease", "3s")
	child.Env = append(os.Environ(), envRunMain+"=1")
	child.Stdout, child.Stderr = io.Discard, io.Discard
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	holderIs := func(want string) func() bool {
		return func() bool {
			l, err := db.FindSchedulerLock(ctx)
			return err == nil && strings.HasSuffix(l.Holder, want)
		}
	}
	waitFor(t, "the scheduler process holds the lock", holderIs(fmt.Sprintf(":%d", child.Process.Pid)))
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()

	s := &schedule.Scheduler{Runner: schedule.Runner{DB: db, Job: schedule.WorkbookJob(db, "test"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		Tick: time.Second, Lease: 3 * time.Second, Holder: "successor:1"}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	waitFor(t, "another scheduler took the lock over", holderIs("successor:1"))
	cancel()
	if err := <-done; err != nil {
		t.Errorf("the successor stopped with %v", err)
	}
}
