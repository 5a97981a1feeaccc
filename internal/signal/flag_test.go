package signal

import (
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func d(s string) domain.Date { return domain.MustDate(s) }

// day is the day the cases are judged on unless they say otherwise.
var day = d("2026-03-15")

// base is one learner L, a group G of module M that runs until 2026-06-30,
// and a group OLD that ended on 2025-06-30.
func base() *domain.DataSet {
	return &domain.DataSet{
		Modules: []domain.Module{{Code: "M", Provider: "P"}},
		Groups: []domain.Group{{Code: "G", Module: "M", StartDate: d("2025-09-01"), EndDate: d("2026-06-30")},
			{Code: "OLD", Module: "M", StartDate: d("2025-01-06"), EndDate: d("2025-06-30")}},
		Learners: []domain.Learner{{ID: "L"}},
	}
}

func referral(date domain.Date) func(*domain.DataSet) {
	return func(ds *domain.DataSet) {
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: "L", Date: date})
	}
}

func enrollment(group string, start, end domain.Date, status string) func(*domain.DataSet) {
	return func(ds *domain.DataSet) {
		ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: "L", Group: group, StartDate: start, EndDate: end, Status: status})
	}
}

func placement(date domain.Date) func(*domain.DataSet) {
	return func(ds *domain.DataSet) {
		ds.Placements = append(ds.Placements, domain.Placement{Learner: "L", Date: date, Module: "M"})
	}
}

func evaluation(group string, date domain.Date) func(*domain.DataSet) {
	return func(ds *domain.DataSet) {
		ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: "L", Group: group, Date: date, Kind: "formative"})
	}
}

func outflow(date domain.Date, typ, reason string) func(*domain.DataSet) {
	return func(ds *domain.DataSet) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: "L", Date: date, Type: typ, Reason: reason})
	}
}

func followUp(date domain.Date) func(*domain.DataSet) {
	return func(ds *domain.DataSet) {
		ds.FollowUps = append(ds.FollowUps, domain.FollowUp{Learner: "L", Date: date, Status: "work"})
	}
}

func observation(group string, date domain.Date, wellbeing, involvement domain.Score) func(*domain.DataSet) {
	return func(ds *domain.DataSet) {
		ds.Observations = append(ds.Observations, domain.Observation{Learner: "L", Group: group, Date: date,
			Wellbeing: wellbeing, Involvement: involvement})
	}
}

// settled is an enrollment in G since 2026-01-05 with a placement and a
// recent evaluation: open on day, and raising no flag of its own.
var settled = []func(*domain.DataSet){enrollment("G", d("2026-01-05"), 0, "active"), placement(d("2025-12-01")), evaluation("G", d("2026-03-01"))}

type flagCase struct {
	name string
	on   domain.Date // 0: day
	add  []func(*domain.DataSet)
	want []Flag
}

func with(fs ...[]func(*domain.DataSet)) []func(*domain.DataSet) { return slices.Concat(fs...) }

func one(kind string, days int) []Flag { return []Flag{{Kind: kind, Days: days}} }

func runFlagCases(t *testing.T, cases []flagCase) {
	t.Helper()
	for _, tc := range cases {
		ds := base()
		for _, add := range tc.add {
			add(ds)
		}
		on := tc.on
		if on == 0 {
			on = day
		}
		if got := NewIndex(ds).Flags("L", on, DefaultParams()); !slices.Equal(got, tc.want) {
			t.Errorf("%s: flags on %s = %v, want %v", tc.name, on, got, tc.want)
		}
	}
}

func TestOverdueAndDeadlineSoon(t *testing.T) {
	r := d("2025-12-15") // deadline 2026-03-15 = day
	runFlagCases(t, []flagCase{
		{"deadline on the day: soon, 0 days left, not yet overdue", 0, with(settled[1:2], []func(*domain.DataSet){referral(r)}), one(DeadlineSoon, 0)},
		{"deadline the day before: overdue by a day", day.AddDays(1), with(settled[1:2], []func(*domain.DataSet){referral(r)}), one(Overdue, 1)},
		{"deadline at day + 14: soon", r.AddMonths(3).AddDays(-14), []func(*domain.DataSet){referral(r)}, one(DeadlineSoon, 14)},
		{"deadline at day + 15: nothing yet", r.AddMonths(3).AddDays(-15), []func(*domain.DataSet){referral(r)}, nil},
		{"clamped: 2025-11-30 + 3 months = 2026-02-28", d("2026-03-01"), []func(*domain.DataSet){referral(d("2025-11-30"))}, one(Overdue, 1)},
		{"the earliest waiting deadline counts", 0, []func(*domain.DataSet){referral(d("2025-10-01")), referral(d("2025-11-01"))}, one(Overdue, 73)},
		{"the nearest deadline counts", 0, []func(*domain.DataSet){referral(d("2025-12-20")), referral(d("2025-12-25"))}, one(DeadlineSoon, 5)},
		{"one overdue, one soon", 0, []func(*domain.DataSet){referral(d("2025-11-01")), referral(d("2025-12-20"))},
			[]Flag{{Kind: Overdue, Days: 42}, {Kind: DeadlineSoon, Days: 5}}},
		{"a referral after the day is not known", d("2025-12-14"), []func(*domain.DataSet){referral(r)}, nil},
		{"a start on the referral's day ends the waiting", 0, []func(*domain.DataSet){referral(d("2025-11-01")),
			enrollment("OLD", d("2025-11-01"), d("2025-11-20"), "dropped")}, nil},
		{"a start on the day ends the waiting", 0, []func(*domain.DataSet){referral(d("2025-11-01")), placement(d("2025-11-01")),
			evaluation("G", day), enrollment("G", day, 0, "active")}, nil},
		{"a start after the day is not known", 0, []func(*domain.DataSet){referral(d("2025-11-01")), enrollment("G", day.AddDays(1), 0, "active")}, one(Overdue, 42)},
		{"a start before the referral is no start", 0, []func(*domain.DataSet){referral(d("2025-11-01")),
			enrollment("OLD", d("2025-02-01"), d("2025-06-30"), "completed")}, one(Overdue, 42)},
		{"an outflow after the referral ends the waiting", 0, []func(*domain.DataSet){referral(d("2025-11-01")), outflow(d("2025-11-02"), "transfer", "")}, nil},
		{"an outflow on the referral's day does not", 0, []func(*domain.DataSet){referral(d("2025-11-01")), outflow(d("2025-11-01"), "transfer", "")}, one(Overdue, 42)},
		{"an outflow after the day is not known", 0, []func(*domain.DataSet){referral(d("2025-11-01")), outflow(day.AddDays(1), "transfer", "")}, one(Overdue, 42)},
	})
}

func TestNoPlacement(t *testing.T) {
	runFlagCases(t, []flagCase{
		{"open, never placed", 0, []func(*domain.DataSet){enrollment("G", d("2026-01-05"), 0, "active")}, one(NoPlacement, 0)},
		{"placed on the day", 0, []func(*domain.DataSet){enrollment("G", d("2026-01-05"), 0, "active"), placement(day)}, nil},
		{"placed after the day: not known", 0, []func(*domain.DataSet){enrollment("G", d("2026-01-05"), 0, "active"), placement(day.AddDays(1))}, one(NoPlacement, 0)},
		{"starts on the day: open", 0, []func(*domain.DataSet){enrollment("G", day, 0, "active")}, one(NoPlacement, 0)},
		{"starts the day after: not open", 0, []func(*domain.DataSet){enrollment("G", day.AddDays(1), 0, "active")}, nil},
		{"ends on the day: not open", 0, []func(*domain.DataSet){enrollment("G", d("2026-01-05"), day, "dropped")}, nil},
		{"ends the day after: open, whatever its status today", 0, []func(*domain.DataSet){enrollment("G", d("2026-01-05"), day.AddDays(1), "completed")}, one(NoPlacement, 0)},
		{"group end + grace_days on the day: open", d("2025-07-30"), []func(*domain.DataSet){enrollment("OLD", d("2025-01-06"), 0, "active")},
			[]Flag{{Kind: NoPlacement}, {Kind: NoEvaluation}}},
		{"group end + grace_days the day before: nobody closed it, not open", d("2025-07-31"), []func(*domain.DataSet){enrollment("OLD", d("2025-01-06"), 0, "active")}, nil},
	})
}

func TestNoEvaluation(t *testing.T) {
	since := day.AddDays(-IdleDays)
	placed := placement(d("2025-01-01"))
	runFlagCases(t, []flagCase{
		{"started at day − 90, never evaluated", 0, []func(*domain.DataSet){placed, enrollment("G", since, 0, "active")}, one(NoEvaluation, 0)},
		{"started at day − 89: too soon", 0, []func(*domain.DataSet){placed, enrollment("G", since.AddDays(1), 0, "active")}, nil},
		{"evaluated at day − 90: outside the window", 0, []func(*domain.DataSet){placed, enrollment("G", since, 0, "active"), evaluation("G", since)}, one(NoEvaluation, 0)},
		{"evaluated at day − 89", 0, []func(*domain.DataSet){placed, enrollment("G", since, 0, "active"), evaluation("G", since.AddDays(1))}, nil},
		{"evaluated on the day", 0, []func(*domain.DataSet){placed, enrollment("G", since, 0, "active"), evaluation("G", day)}, nil},
		{"evaluated after the day: not known", 0, []func(*domain.DataSet){placed, enrollment("G", since, 0, "active"), evaluation("G", day.AddDays(1))}, one(NoEvaluation, 0)},
		{"an external test counts", 0, []func(*domain.DataSet){placed, enrollment("G", since, 0, "active"), evaluation("", day.AddDays(-3))}, nil},
		{"an evaluation in another group counts", 0, []func(*domain.DataSet){placed, enrollment("G", since, 0, "active"), evaluation("OLD", day.AddDays(-3))}, nil},
		{"the old enrollment is not open, the new one too young", 0, []func(*domain.DataSet){placed,
			enrollment("OLD", d("2025-01-06"), 0, "active"), enrollment("G", since.AddDays(30), 0, "active")}, nil},
	})
}

func TestNoReason(t *testing.T) {
	runFlagCases(t, []flagCase{
		{"reason unknown", 0, []func(*domain.DataSet){outflow(d("2026-02-01"), "early_leaver", "unknown")}, one(NoReason, 0)},
		{"reason unknown, on the day", 0, []func(*domain.DataSet){outflow(day, "early_leaver", "unknown")}, one(NoReason, 0)},
		{"reason unknown, after the day: not known", 0, []func(*domain.DataSet){outflow(day.AddDays(1), "early_leaver", "unknown")}, nil},
		{"a blank reason is a broken record, not an unknown reason", 0, []func(*domain.DataSet){outflow(d("2026-02-01"), "early_leaver", "")}, nil},
		{"a known reason", 0, []func(*domain.DataSet){outflow(d("2026-02-01"), "early_leaver", "work")}, nil},
	})
}

func TestNoFollowUp(t *testing.T) {
	o := d("2025-08-31") // + 6 months = 2026-02-28 (clamped), + 12 months = 2026-08-31
	out := outflow(o, "qualified", "")
	runFlagCases(t, []flagCase{
		{"the day before outflow + 6 months", d("2026-02-27"), []func(*domain.DataSet){out}, nil},
		{"outflow + 6 months (clamped)", d("2026-02-28"), []func(*domain.DataSet){out}, one(NoFollowUp, 0)},
		{"outflow + 12 months", d("2026-08-31"), []func(*domain.DataSet){out}, one(NoFollowUp, 0)},
		{"the day after outflow + 12 months", d("2026-09-01"), []func(*domain.DataSet){out}, nil},
		{"a follow-up on the day", 0, []func(*domain.DataSet){out, followUp(day)}, nil},
		{"a follow-up the day after the outflow", 0, []func(*domain.DataSet){out, followUp(o.AddDays(1))}, nil},
		{"a follow-up on the outflow's day is no follow-up", 0, []func(*domain.DataSet){out, followUp(o)}, one(NoFollowUp, 0)},
		{"a follow-up after the day is not known", 0, []func(*domain.DataSet){out, followUp(day.AddDays(1))}, one(NoFollowUp, 0)},
		{"the learner came back", 0, with([]func(*domain.DataSet){out}, settled), nil},
		{"a start after the day is not known", 0, []func(*domain.DataSet){out, enrollment("G", day.AddDays(1), 0, "active")}, one(NoFollowUp, 0)},
		{"a start on the outflow's day is no coming back", 0, []func(*domain.DataSet){out, enrollment("OLD", o, o.AddDays(2), "dropped")}, one(NoFollowUp, 0)},
		{"an early leaver too", 0, []func(*domain.DataSet){outflow(o, "early_leaver", "moved")}, one(NoFollowUp, 0)},
	})
}

func TestLowWellbeing(t *testing.T) {
	runFlagCases(t, []flagCase{
		{"last wellbeing 2", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-03-01"), 2, 0)}), one(LowWellbeing, 0)},
		{"last wellbeing 3", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-03-01"), 3, 0)}), nil},
		{"last involvement 1, wellbeing 5", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-03-01"), 5, 1)}), one(LowWellbeing, 0)},
		{"low, then better", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-02-01"), 1, 1), observation("G", d("2026-03-01"), 3, 4)}), nil},
		{"better, then low", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-02-01"), 4, 4), observation("G", d("2026-03-01"), 2, 4)}), one(LowWellbeing, 0)},
		{"the lowest of the last day, in any group", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-03-01"), 4, 0),
			observation("OLD", d("2026-03-01"), 2, 0)}), one(LowWellbeing, 0)},
		{"each score's own last date", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-02-01"), 0, 2), observation("G", d("2026-03-01"), 4, 0)}), one(LowWellbeing, 0)},
		{"a low score after the day is not known", 0, with(settled, []func(*domain.DataSet){observation("G", d("2026-03-01"), 4, 4), observation("G", day.AddDays(1), 1, 1)}), nil},
		{"left long ago: no open enrollment", 0, []func(*domain.DataSet){placement(d("2025-01-01")), enrollment("OLD", d("2025-01-06"), d("2025-05-20"), "dropped"),
			observation("OLD", d("2025-05-01"), 1, 1)}, nil},
	})
}

func TestNoFlagsWithoutRecords(t *testing.T) {
	if got := NewIndex(base()).Flags("nobody", day, DefaultParams()); got != nil {
		t.Errorf("Flags(nobody) = %v, want none", got)
	}
}
