package schedule

import (
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/traject-nt2/traject/internal/domain"
)

// Rule names the reporting period of a scheduled export relative to the day
// it runs.
type Rule string

// The period rules. The "previous" rules give the last complete month,
// quarter, school year (1 September to 31 August) or calendar year before the
// one the run day lies in. The "to-date" rules end yesterday, the last
// complete day, and start on the first day of the school or calendar year that
// yesterday lies in; so a run on 1 September (or 1 January) reports the whole
// year that has just ended, never an empty or one-day period.
const (
	PreviousMonth        Rule = "previous-month"
	PreviousQuarter      Rule = "previous-quarter"
	SchoolYearToDate     Rule = "school-year-to-date"
	PreviousSchoolYear   Rule = "previous-school-year"
	CalendarYearToDate   Rule = "calendar-year-to-date"
	PreviousCalendarYear Rule = "previous-calendar-year"
)

var rules = []Rule{PreviousMonth, PreviousQuarter, SchoolYearToDate, PreviousSchoolYear, CalendarYearToDate, PreviousCalendarYear}

// Rules returns every period rule in a fixed order, for help texts and forms.
func Rules() []Rule { return append([]Rule(nil), rules...) }

func ruleList() string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// ParseRule reads a period rule name (case-insensitive); anything else is an
// EINVALID error that lists the rules.
func ParseRule(s string) (Rule, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, r := range rules {
		if string(r) == s {
			return r, nil
		}
	}
	if s == "" {
		return "", domain.Errorf(domain.EINVALID, "a schedule needs a period rule: one of %s", ruleList())
	}
	return "", domain.Errorf(domain.EINVALID, "unknown period rule %q: use one of %s", s, ruleList())
}

// Dutch returns the rule's name for the Dutch interface.
func (r Rule) Dutch() string {
	switch r {
	case PreviousMonth:
		return "vorige maand"
	case PreviousQuarter:
		return "vorig kwartaal"
	case SchoolYearToDate:
		return "schooljaar tot gisteren"
	case PreviousSchoolYear:
		return "vorig schooljaar"
	case CalendarYearToDate:
		return "kalenderjaar tot gisteren"
	case PreviousCalendarYear:
		return "vorig kalenderjaar"
	}
	return string(r)
}

// Period returns the inclusive reporting period [from, to] of the rule for a
// run on day today; an unknown rule returns two zero dates.
func (r Rule) Period(today domain.Date) (from, to domain.Date) {
	y, m, _ := today.YMD()
	switch r {
	case PreviousMonth:
		first := domain.NewDate(y, m, 1)
		return first.AddMonths(-1), first.AddDays(-1)
	case PreviousQuarter:
		first := domain.NewDate(y, m-(m-1)%3, 1) // first day of the current quarter
		return first.AddMonths(-3), first.AddDays(-1)
	case SchoolYearToDate:
		to = today.AddDays(-1)
		return domain.SchoolYearStart(to), to
	case PreviousSchoolYear:
		start := domain.SchoolYearStart(today)
		return start.AddYears(-1), start.AddDays(-1)
	case CalendarYearToDate:
		to = today.AddDays(-1)
		ty, _, _ := to.YMD()
		return domain.NewDate(ty, time.January, 1), to
	case PreviousCalendarYear:
		return domain.NewDate(y-1, time.January, 1), domain.NewDate(y-1, time.December, 31)
	}
	return 0, 0
}

// How a cron expression fits a period rule (Fit).
const (
	FitOK      = ""        // every run reports a period of its own, and none is left out
	FitRepeats = "repeats" // two runs in a row report the same period: the same workbook again
	FitSkips   = "skips"   // a period between two runs is reported by neither
)

// fitRuns is how many coming runs Fit looks at: enough for a weekly or a
// daily cron to show itself against a quarter.
const fitRuns = 24

// Fit tells whether cs's runs after now suit rule r: a rule of whole
// periods (previous month, quarter, school or calendar year) suits a cron
// that runs once in each such period, e.g. monthly with the previous month;
// weekly with the previous month makes the same workbook four times
// (FitRepeats), and yearly with the previous month leaves eleven months out
// (FitSkips). A rule "to date" suits any cron: each run reports more.
func Fit(cs cron.Schedule, r Rule, now time.Time) string {
	if r == SchoolYearToDate || r == CalendarYearToDate {
		return FitOK
	}
	var prevFrom, prevTo domain.Date
	t := now
	for i := 0; i < fitRuns; i++ {
		t = cs.Next(t)
		if t.IsZero() {
			break
		}
		from, to := r.Period(domain.DateOf(t))
		if i > 0 {
			switch {
			case from == prevFrom && to == prevTo:
				return FitRepeats
			case from > prevTo.AddDays(1):
				return FitSkips
			}
		}
		prevFrom, prevTo = from, to
	}
	return FitOK
}
