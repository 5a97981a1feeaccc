package auth

import (
	"testing"
	"time"
)

func TestThrottleLockFor(t *testing.T) {
	p := Throttle{Failures: 5, Lock: time.Minute, MaxLock: 15 * time.Minute}
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
	if got := NoLock.LockFor(100); got != 0 {
		t.Errorf("zero Throttle LockFor(100) = %v, want 0", got)
	}
}
