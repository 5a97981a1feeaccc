package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestThrottleLockFor(t *testing.T) {
	p := DefaultThrottle
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {1, 0}, {4, 0},
		{5, time.Minute}, {6, 2 * time.Minute}, {7, 4 * time.Minute}, {8, 8 * time.Minute},
		{9, 15 * time.Minute}, {10, 15 * time.Minute}, {1000, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := p.LockFor(tt.failures); got != tt.want {
			t.Errorf("LockFor(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	if got := p.LockedUntil(4, now); !got.IsZero() {
		t.Errorf("LockedUntil(4) = %v, want none", got)
	}
	if got, want := p.LockedUntil(5, now), now.Add(time.Minute); !got.Equal(want) {
		t.Errorf("LockedUntil(5) = %v, want %v", got, want)
	}
	fixed := Throttle{Failures: 3, Lock: time.Minute}
	if got := fixed.LockFor(10); got != time.Minute {
		t.Errorf("without MaxLock LockFor(10) = %v, want %v", got, time.Minute)
	}
	if got := (Throttle{}).LockFor(100); got != 0 {
		t.Errorf("zero Throttle LockFor(100) = %v, want 0", got)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	l := NewLimiter(10*time.Second, 3)
	for i := range 3 {
		if !l.Allow("1.2.3.4", now) {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.Allow("1.2.3.4", now) {
		t.Fatal("fourth request at once allowed, want refused")
	}
	if !l.Allow("5.6.7.8", now) {
		t.Fatal("another key refused")
	}
	if l.Allow("1.2.3.4", now.Add(9*time.Second)) {
		t.Fatal("allowed before a token refilled")
	}
	if !l.Allow("1.2.3.4", now.Add(10*time.Second)) {
		t.Fatal("refused after a token refilled")
	}
	later := now.Add(time.Hour)
	for i := range 3 {
		if !l.Allow("1.2.3.4", later) {
			t.Fatalf("after an hour request %d refused: the bucket should be full, not fuller", i+1)
		}
	}
	if l.Allow("1.2.3.4", later) {
		t.Fatal("bucket holds more than its burst")
	}
}

func TestLimiterStaysBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	l := NewLimiter(time.Second, 2)
	l.maxKeys = 100
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 500 {
				l.Allow(fmt.Sprintf("%d.%d", w, i), now)
			}
		})
	}
	wg.Wait()
	if n := len(l.buckets); n > l.maxKeys {
		t.Fatalf("limiter remembers %d keys, want at most %d", n, l.maxKeys)
	}
}
