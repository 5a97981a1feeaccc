package ui

import (
	"testing"
	"time"
)

// TestFormatTimeInBrussels checks that pages show moments on Brussels's
// clock, summer and winter, whatever the server's zone.
func TestFormatTimeInBrussels(t *testing.T) {
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 1, 15, 23, 30, 0, 0, time.UTC), "2026-01-16 00:30"},
		{time.Date(2026, 7, 1, 4, 5, 0, 0, time.UTC), "2026-07-01 06:05"},
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), "2026-03-29 01:59"},
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "2026-03-29 03:00"},
		{time.Time{}, ""},
	} {
		if got := formatTime(tt.at); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.at, got, tt.want)
		}
	}
}
