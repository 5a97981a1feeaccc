package schedule

import (
	"testing"
	"time"
)

func TestFit(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		cron string
		rule Rule
		want string
	}{
		{"0 6 1 * *", PreviousMonth, FitOK},
		{"0 6 * * 1", PreviousMonth, FitRepeats},
		{"0 6 1 9 *", PreviousMonth, FitSkips},
		{"0 6 1 1,4,7,10 *", PreviousQuarter, FitOK},
		{"0 6 1 * *", PreviousQuarter, FitRepeats},
		{"0 6 1 9 *", PreviousSchoolYear, FitOK},
		{"0 6 1 1 *", PreviousCalendarYear, FitOK},
		{"0 6 * * *", SchoolYearToDate, FitOK},
		{"0 6 * * 1", CalendarYearToDate, FitOK},
	} {
		cs, err := ParseCron(tt.cron)
		if err != nil {
			t.Fatal(err)
		}
		if got := Fit(cs, tt.rule, now); got != tt.want {
			t.Errorf("%s with %s: %q, want %q", tt.cron, tt.rule, got, tt.want)
		}
	}
}
