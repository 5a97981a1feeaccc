package signal

import "github.com/traject-nt2/traject/internal/domain"

// The kinds of flag (spec/early-warning.md, "The counsellor's flags on a
// day", a–g), in the order the pages show them.
const (
	Overdue      = "overdue"       // a: a waiting referral past its deadline
	DeadlineSoon = "deadline_soon" // b: a waiting referral's deadline within SoonDays
	NoPlacement  = "no_placement"  // c: an open enrollment, no placement
	NoEvaluation = "no_evaluation" // d: an open enrollment, no evaluation for IdleDays
	NoReason     = "no_reason"     // e: an early leaver whose reason is unknown
	NoFollowUp   = "no_followup"   // f: an outflow 6–12 months ago without a follow-up
	LowWellbeing = "low_wellbeing" // g: an open enrollment, last wellbeing or involvement low
)

// Kinds lists the kinds of flag in display order.
var Kinds = []string{Overdue, DeadlineSoon, NoPlacement, NoEvaluation, NoReason, NoFollowUp, LowWellbeing}

// Flag is one flag raised on a learner on a day.
type Flag struct {
	Kind string
	Days int // Overdue: days past the earliest waiting deadline; DeadlineSoon: days left to the nearest; else 0
}

// Flags returns the flags of learner on day, in the order of Kinds; nil
// when none is raised. Only records known on day count.
func (x *Index) Flags(learner string, day domain.Date, p Params) []Flag {
	var out []Flag
	if deadline, ok := x.overdue(learner, day, p); ok {
		out = append(out, Flag{Kind: Overdue, Days: Days(Overdue, deadline, day)})
	}
	if deadline, ok := x.deadlineSoon(learner, day, p); ok {
		out = append(out, Flag{Kind: DeadlineSoon, Days: Days(DeadlineSoon, deadline, day)})
	}
	for _, f := range onOff {
		if f.on(x, learner, day, p) {
			out = append(out, Flag{Kind: f.kind})
		}
	}
	return out
}

// onOff are the flags without days, in the order of Kinds.
var onOff = []struct {
	kind string
	on   func(*Index, string, domain.Date, Params) bool
}{
	{NoPlacement, (*Index).noPlacement}, {NoEvaluation, (*Index).noEvaluation}, {NoReason, (*Index).noReason},
	{NoFollowUp, (*Index).noFollowUp}, {LowWellbeing, (*Index).lowWellbeing},
}

// Days returns the days a flag of kind shows on day for the waiting
// referral with deadline that raises it: for Overdue the days past the
// deadline, for DeadlineSoon the days left to it, else 0.
func Days(kind string, deadline, day domain.Date) int {
	switch kind {
	case Overdue:
		return deadline.DaysUntil(day)
	case DeadlineSoon:
		return day.DaysUntil(deadline)
	}
	return 0
}

// overdue (a): a referral still waiting on day whose deadline is before
// day; it returns the earliest such deadline.
func (x *Index) overdue(learner string, day domain.Date, p Params) (domain.Date, bool) {
	first, ok := domain.Date(0), false
	for _, i := range x.referralsOf(learner) {
		r := &x.ds.Referrals[i]
		if dl := p.Deadline(r); dl < day && x.Waiting(r, day) && (!ok || dl < first) {
			first, ok = dl, true
		}
	}
	return first, ok
}

// deadlineSoon (b): a referral still waiting on day whose deadline lies in
// [day, day + SoonDays]; it returns the nearest such deadline.
func (x *Index) deadlineSoon(learner string, day domain.Date, p Params) (domain.Date, bool) {
	next, ok := domain.Date(0), false
	for _, i := range x.referralsOf(learner) {
		r := &x.ds.Referrals[i]
		if dl := p.Deadline(r); dl >= day && dl <= day.AddDays(p.SoonDays) && x.Waiting(r, day) && (!ok || dl < next) {
			next, ok = dl, true
		}
	}
	return next, ok
}

// noPlacement (c): an enrollment open on day and no placement dated on or
// before it.
func (x *Index) noPlacement(learner string, day domain.Date, p Params) bool {
	return x.HasOpenEnrollment(learner, day, p) && !x.PlacedBy(learner, day)
}

// noEvaluation (d): an enrollment open on day that started on or before
// day − IdleDays, and no evaluation of the learner (any group, external
// tests too) dated in (day − IdleDays, day].
func (x *Index) noEvaluation(learner string, day domain.Date, p Params) bool {
	since := day.AddDays(-p.IdleDays)
	idle := false
	for _, i := range x.EnrollmentsOf(learner) {
		if e := &x.ds.Enrollments[i]; e.StartDate <= since && x.Open(e, day, p) {
			idle = true
			break
		}
	}
	if !idle {
		return false
	}
	for _, i := range x.evaluationsOf(learner) {
		if d := x.ds.Evaluations[i].Date; d > since && d <= day {
			return false
		}
	}
	return true
}

// noReason (e): an early leaver's outflow dated on or before day with
// reason unknown.
func (x *Index) noReason(learner string, day domain.Date, _ Params) bool {
	for _, i := range x.outflowsOf(learner) {
		if o := &x.ds.Outflows[i]; o.Date <= day && ReasonUnknown(o) {
			return true
		}
	}
	return false
}

// noFollowUp (f): an outflow with outflow + FollowUpDueMonths ≤ day ≤
// outflow + FollowupMonths that has no follow-up dated in (outflow, day]
// and after which no enrollment of the learner starts by day.
func (x *Index) noFollowUp(learner string, day domain.Date, p Params) bool {
	for _, i := range x.outflowsOf(learner) {
		o := &x.ds.Outflows[i]
		if o.Date.AddMonths(p.FollowUpDueMonths) <= day && day <= o.Date.AddMonths(p.FollowupMonths) &&
			!x.FollowedUp(o, day, p.FollowupMonths) && !x.StartedAfter(o, day) {
			return true
		}
	}
	return false
}

// lowWellbeing (g): an enrollment open on day, and the learner's last
// wellbeing score or last involvement score dated on or before day (in any
// group; the lowest of that date) at most LowScore.
func (x *Index) lowWellbeing(learner string, day domain.Date, p Params) bool {
	if !x.HasOpenEnrollment(learner, day, p) {
		return false
	}
	w, i := x.lastScores(learner, day)
	return (w.Valid() && w <= p.LowScore) || (i.Valid() && i <= p.LowScore)
}

// lastScores returns the learner's last wellbeing and last involvement score
// dated on or before day, each the lowest of its latest date, or 0 when
// there is none.
func (x *Index) lastScores(learner string, day domain.Date) (wellbeing, involvement domain.Score) {
	var wDate, iDate domain.Date
	last := func(date domain.Date, s domain.Score, lastDate *domain.Date, lastScore *domain.Score) {
		switch {
		case !s.Valid() || date > day || date < *lastDate:
		case date > *lastDate || s < *lastScore:
			*lastDate, *lastScore = date, s
		}
	}
	for _, k := range x.observationsOf(learner) {
		o := &x.ds.Observations[k]
		last(o.Date, o.Wellbeing, &wDate, &wellbeing)
		last(o.Date, o.Involvement, &iDate, &involvement)
	}
	return wellbeing, involvement
}
