package domain

import (
	"testing"
	"time"
)

func TestBackupOverdue(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		last time.Time
		want bool
	}{
		{time.Time{}, true}, // never
		{now.Add(-time.Hour), false},
		{now.Add(-48 * time.Hour), false}, // exactly two days: not yet
		{now.Add(-48*time.Hour - time.Second), true},
		{now.Add(-72 * time.Hour), true},
	} {
		if got := BackupOverdue(tc.last, now); got != tc.want {
			t.Errorf("BackupOverdue(%v, %v)=%v, want %v", tc.last, now, got, tc.want)
		}
	}
}
