package main

import (
	"context"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// `traject serve` hosts the scheduler; a second server on the same
// database serves too, but only one scheduler holds the database's lock.
// Both stop on cancel, and the lock is released.
func TestServeHostsOneScheduler(t *testing.T) {
	path := conformanceDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 3)
	serve := func(args ...string) {
		code, _, _ := runTraject(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", path}, args...)...)
		done <- code
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	holder := func() string {
		l, err := db.FindSchedulerLock(context.Background())
		if err != nil {
			return ""
		}
		return l.Holder
	}

	go serve("--no-scheduler")
	time.Sleep(300 * time.Millisecond)
	if h := holder(); h != "" {
		t.Fatalf("serve --no-scheduler runs a scheduler (%s)", h)
	}
	go serve()
	var first string
	for deadline := time.Now().Add(10 * time.Second); first == ""; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("serve took no scheduler lock")
		}
		first = holder()
	}
	go serve()
	time.Sleep(500 * time.Millisecond)
	if h := holder(); h != first {
		t.Fatalf("a second server took the scheduler lock: %s, was %s", h, first)
	}
	cancel()
	for range 3 {
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	if _, err := db.FindSchedulerLock(context.Background()); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("the scheduler lock outlives the servers: %v", err)
	}
}
