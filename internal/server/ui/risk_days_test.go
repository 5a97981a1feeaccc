package ui

import (
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestWorkingDaysAfter: five working days skip the weekend; the Mondays
// of a week are found from any of its days.
func TestWorkingDaysAfter(t *testing.T) {
	t.Parallel()
	d := domain.MustDate
	for from, want := range map[string]string{"2026-03-09": "2026-03-16", "2026-03-13": "2026-03-20", "2026-03-14": "2026-03-20", "2026-03-15": "2026-03-20"} {
		if got := workingDaysAfter(d(from), actDays); got != d(want) {
			t.Errorf("5 working days after %s: %s, want %s", from, got, want)
		}
	}
	got := mondays(d("2026-03-15"), 3)
	if len(got) != 3 || got[0] != d("2026-03-09") || got[2] != d("2026-02-23") {
		t.Errorf("mondays: %v", got)
	}
	if got := mondays(d("2026-03-09"), 1); got[0] != d("2026-03-09") {
		t.Errorf("a Monday's own Monday: %v", got)
	}
}
