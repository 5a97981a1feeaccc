package auth

import (
	"testing"
	"time"
)

func TestRateTake(t *testing.T) {
	r := Rate{Burst: 2, Every: 10 * time.Second}
	t0 := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		tokens      float64
		at, now     time.Time
		wantAllowed bool
		wantLeft    float64
	}{
		{"a new bucket is full", 0, time.Time{}, t0, true, 1},
		{"one left", 1, t0, t0, true, 0},
		{"empty", 0, t0, t0, false, 0},
		{"half refilled is not enough", 0, t0, t0.Add(5 * time.Second), false, 0.5},
		{"refilled one", 0, t0, t0.Add(10 * time.Second), true, 0},
		{"refill stops at the burst", 0, t0, t0.Add(time.Hour), true, 1},
		{"a clock that went back refills nothing", 0.5, t0, t0.Add(-time.Minute), false, 0.5},
	}
	for _, tt := range tests {
		allowed, left := r.Take(tt.tokens, tt.at, tt.now)
		if allowed != tt.wantAllowed || left != tt.wantLeft {
			t.Errorf("%s: Take = %v, %v; want %v, %v", tt.name, allowed, left, tt.wantAllowed, tt.wantLeft)
		}
	}
}

func TestNetwork(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"::ffff:192.0.2.7", "192.0.2.7"}, // IPv4 seen through an IPv6 socket
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an address", "not an address"},
	} {
		if got := Network(tt.addr); got != tt.want {
			t.Errorf("Network(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
