package signal

import "github.com/traject-nt2/traject/internal/domain"

// The situations of a trajectory on a day that the flags and the
// data-quality findings share, each defined once. "Known on D" (spec/
// early-warning.md, "Terms") holds throughout: a record dated after the day
// plays no part in how the day is judged.

// Deadline returns a referral's statutory deadline: its date plus
// statutory_months (spec/indicators.md, section 1).
func (p Params) Deadline(r *domain.Referral) domain.Date {
	return r.Date.AddMonths(p.StatutoryMonths)
}

// endedBy reports whether e's recorded end date lies on or before day.
func endedBy(e *domain.Enrollment, day domain.Date) bool {
	return e.EndDate != 0 && e.EndDate <= day
}

// OpenOn reports whether enrollment e, in a group that ends on groupEnd, is
// open on day (spec/early-warning.md, "Terms", open enrollment): it started
// on or before day, its end date is blank or after day, whatever its status
// today, and day is no later than groupEnd plus graceDays. A groupEnd of 0
// (a group the data lack) is never open.
func OpenOn(e *domain.Enrollment, groupEnd, day domain.Date, graceDays int) bool {
	return e.StartDate <= day && !endedBy(e, day) && groupEnd != 0 && day <= groupEnd.AddDays(graceDays)
}

// LeftOpen reports whether enrollment e is open on day by its own dates but
// not by its group's: nobody closed it though its group ended more than
// graceDays before day. The spec leaves such an enrollment out of the open
// ones as a data-quality problem that the check lists (spec/early-warning.md,
// "Terms"); LeftOpen is that finding, the other half of OpenOn.
func LeftOpen(e *domain.Enrollment, groupEnd, day domain.Date, graceDays int) bool {
	return e.StartDate <= day && !endedBy(e, day) && groupEnd != 0 && day > groupEnd.AddDays(graceDays)
}

// Open reports whether enrollment e of the data set is open on day (OpenOn,
// with its group's end from the data set and p's grace days).
func (x *Index) Open(e *domain.Enrollment, day domain.Date, p Params) bool {
	return OpenOn(e, x.groupEnd[e.Group], day, p.GraceDays)
}

// HasOpenEnrollment reports whether learner has an enrollment open on day.
func (x *Index) HasOpenEnrollment(learner string, day domain.Date, p Params) bool {
	for _, i := range x.EnrollmentsOf(learner) {
		if x.Open(&x.ds.Enrollments[i], day, p) {
			return true
		}
	}
	return false
}

// Waiting reports whether referral r is still waiting on day (spec/
// early-warning.md, flag a): it is dated on or before day, no enrollment of
// the learner starts in [referral, day], and no outflow of the learner is
// dated in (referral, day]. An outflow on the referral's own day does not
// end the waiting: the referral came after it.
func (x *Index) Waiting(r *domain.Referral, day domain.Date) bool {
	if r.Date > day {
		return false
	}
	for _, i := range x.EnrollmentsOf(r.Learner) {
		if s := x.ds.Enrollments[i].StartDate; s >= r.Date && s <= day {
			return false
		}
	}
	for _, i := range x.outflowsOf(r.Learner) {
		if d := x.ds.Outflows[i].Date; d > r.Date && d <= day {
			return false
		}
	}
	return true
}

// PlacedBy reports whether learner has a placement dated on or before day
// (flag c; into any module, at any provider).
func (x *Index) PlacedBy(learner string, day domain.Date) bool {
	for _, i := range x.placementsOf(learner) {
		if x.ds.Placements[i].Date <= day {
			return true
		}
	}
	return false
}

// FollowedUp reports whether outflow o has a follow-up known on day: one of
// the learner's follow-ups dated in (outflow, min(outflow + months, day)],
// the window of spec/indicators.md, section 6 with months =
// followup_months. Inside the window it is flag f's "a follow-up dated in
// (outflow, D]"; after it, the data-quality finding's "none in the window".
func (x *Index) FollowedUp(o *domain.Outflow, day domain.Date, months int) bool {
	last := min(o.Date.AddMonths(months), day)
	for _, i := range x.followUpsOf(o.Learner) {
		if d := x.ds.FollowUps[i].Date; d > o.Date && d <= last {
			return true
		}
	}
	return false
}

// StartedAfter reports whether an enrollment of o's learner starts in
// (outflow, day]: the learner came back, so a follow-up is not due (flag f).
func (x *Index) StartedAfter(o *domain.Outflow, day domain.Date) bool {
	for _, i := range x.EnrollmentsOf(o.Learner) {
		if s := x.ds.Enrollments[i].StartDate; s > o.Date && s <= day {
			return true
		}
	}
	return false
}

// ReasonUnknown reports whether o is an early leaver's outflow with reason
// unknown, the counsellor's cue to ask why (flag e). A blank reason is not
// "unknown": domain.md requires a reason for an early leaver, so a blank one
// is a broken record, which the data-quality check lists
// (early_leaver_without_reason) and no write path stores.
func ReasonUnknown(o *domain.Outflow) bool {
	return o.Type == "early_leaver" && o.Reason == "unknown"
}
