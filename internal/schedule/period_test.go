package schedule

import (
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestPeriod(t *testing.T) {
	tests := []struct {
		rule           Rule
		today          string
		wantFrom, want string
	}{
		// previous-month: the whole calendar month before the run day's.
		{PreviousMonth, "2025-10-01", "2025-09-01", "2025-09-30"},
		{PreviousMonth, "2025-10-31", "2025-09-01", "2025-09-30"},
		{PreviousMonth, "2025-08-01", "2025-07-01", "2025-07-31"},
		{PreviousMonth, "2025-03-15", "2025-02-01", "2025-02-28"},
		{PreviousMonth, "2024-03-01", "2024-02-01", "2024-02-29"}, // leap year
		{PreviousMonth, "2024-02-29", "2024-01-01", "2024-01-31"},
		{PreviousMonth, "2025-01-10", "2024-12-01", "2024-12-31"}, // across the year
		{PreviousMonth, "2025-12-31", "2025-11-01", "2025-11-30"},

		// previous-quarter: the calendar quarter before the run day's.
		{PreviousQuarter, "2025-01-01", "2024-10-01", "2024-12-31"},
		{PreviousQuarter, "2025-03-31", "2024-10-01", "2024-12-31"},
		{PreviousQuarter, "2025-04-01", "2025-01-01", "2025-03-31"},
		{PreviousQuarter, "2025-06-30", "2025-01-01", "2025-03-31"},
		{PreviousQuarter, "2025-07-01", "2025-04-01", "2025-06-30"},
		{PreviousQuarter, "2025-09-30", "2025-04-01", "2025-06-30"},
		{PreviousQuarter, "2025-10-01", "2025-07-01", "2025-09-30"},
		{PreviousQuarter, "2025-12-31", "2025-07-01", "2025-09-30"},
		{PreviousQuarter, "2024-05-31", "2024-01-01", "2024-03-31"},

		// school-year-to-date: 1 September of the school year of yesterday, to yesterday.
		{SchoolYearToDate, "2025-10-01", "2025-09-01", "2025-09-30"},
		{SchoolYearToDate, "2025-09-02", "2025-09-01", "2025-09-01"},
		{SchoolYearToDate, "2025-09-01", "2024-09-01", "2025-08-31"}, // first day: the year just ended
		{SchoolYearToDate, "2025-08-31", "2024-09-01", "2025-08-30"},
		{SchoolYearToDate, "2026-01-01", "2025-09-01", "2025-12-31"},
		{SchoolYearToDate, "2024-03-01", "2023-09-01", "2024-02-29"}, // leap year
		{SchoolYearToDate, "2025-03-01", "2024-09-01", "2025-02-28"},

		// previous-school-year: the school year before the run day's.
		{PreviousSchoolYear, "2025-09-01", "2024-09-01", "2025-08-31"},
		{PreviousSchoolYear, "2025-08-31", "2023-09-01", "2024-08-31"},
		{PreviousSchoolYear, "2025-12-15", "2024-09-01", "2025-08-31"},
		{PreviousSchoolYear, "2024-02-29", "2022-09-01", "2023-08-31"},

		// calendar-year-to-date: 1 January of yesterday's year, to yesterday.
		{CalendarYearToDate, "2025-01-02", "2025-01-01", "2025-01-01"},
		{CalendarYearToDate, "2025-01-01", "2024-01-01", "2024-12-31"}, // first day: the year just ended
		{CalendarYearToDate, "2024-03-01", "2024-01-01", "2024-02-29"}, // leap year
		{CalendarYearToDate, "2025-12-31", "2025-01-01", "2025-12-30"},

		// previous-calendar-year.
		{PreviousCalendarYear, "2025-01-01", "2024-01-01", "2024-12-31"},
		{PreviousCalendarYear, "2024-12-31", "2023-01-01", "2023-12-31"},
		{PreviousCalendarYear, "2024-02-29", "2023-01-01", "2023-12-31"},
	}
	for _, tt := range tests {
		from, to := tt.rule.Period(domain.MustDate(tt.today))
		if from.String() != tt.wantFrom || to.String() != tt.want {
			t.Errorf("%s on %s = %s..%s, want %s..%s", tt.rule, tt.today, from, to, tt.wantFrom, tt.want)
		}
	}
}

func TestPeriodAlwaysCompleteAndPast(t *testing.T) {
	start, end := domain.MustDate("2023-01-01"), domain.MustDate("2029-12-31")
	for _, r := range Rules() {
		for d := start; d <= end; d++ {
			from, to := r.Period(d)
			if from == 0 || from > to || to >= d {
				t.Fatalf("%s on %s = %s..%s, want a non-empty period that ended before the run day", r, d, from, to)
			}
		}
	}
	if from, to := Rule("weekly").Period(start); from != 0 || to != 0 {
		t.Fatalf("unknown rule gave %s..%s, want no period", from, to)
	}
}

func TestParseRule(t *testing.T) {
	for _, r := range Rules() {
		got, err := ParseRule(" " + strings.ToUpper(string(r)) + " ")
		if err != nil || got != r {
			t.Fatalf("ParseRule(%q)=%q, %v, want %q", r, got, err, r)
		}
	}
	for _, s := range []string{"", "last-month", "previous_month"} {
		_, err := ParseRule(s)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "previous-month, previous-quarter, school-year-to-date") {
			t.Fatalf("ParseRule(%q) error=%v, want EINVALID listing the rules", s, err)
		}
	}
}
