package signal

import (
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// What the counsellor's worklist shows beside the flags (issue 20): when
// the situation behind a flag began, which keys its handling; the
// learner's status; and the notice of a learner goal past its target date.
// None of these changes the flags of spec/early-warning.md, nor the early
// warning's baseline (internal/risk), which ask Flags alone.

// GoalOverdue is the worklist's notice of a learner goal whose target date
// has passed without the level (GoalsOverdue). It is not one of the flags
// (a)–(g) of the spec and not in Kinds: it is shown on the worklist and the
// learner page, and never counted in the early warning's baseline.
const GoalOverdue = "goal_overdue"

// Since returns the day the situation behind learner's flag of kind on day
// began, or 0 when the flag is not raised. A handling of the flag
// (domain.FlagHandling) names it, so that a new occurrence of the same kind
// is a new situation and shows again:
//
//   - overdue, deadline_soon: the date of the earliest waiting referral
//     that raises it (the one whose deadline the flag's days count from);
//   - no_placement: the earliest start of the enrollments open on day;
//   - no_evaluation: the date of the learner's latest evaluation on or
//     before day, or without one the earliest start of the open enrollments
//     that raise it (an evaluation ends the situation; the next one starts
//     after it);
//   - no_reason: the date of the earliest early leaver's outflow with
//     reason unknown;
//   - no_followup: the date of the earliest outflow that raises it;
//   - low_wellbeing: the date of the learner's latest observation with a
//     score (a new low score is a new situation).
func (x *Index) Since(learner, kind string, day domain.Date, p Params) domain.Date {
	var since domain.Date
	earliest := func(d domain.Date) {
		if since == 0 || d < since {
			since = d
		}
	}
	latest := func(d domain.Date) { since = max(since, d) }
	switch kind {
	case Overdue, DeadlineSoon:
		dl, ok := x.overdue(learner, day, p)
		if kind == DeadlineSoon {
			dl, ok = x.deadlineSoon(learner, day, p)
		}
		if !ok {
			return 0
		}
		for _, i := range x.referralsOf(learner) {
			if r := &x.ds.Referrals[i]; p.Deadline(r) == dl && x.Waiting(r, day) {
				earliest(r.Date)
			}
		}
	case NoPlacement:
		if !x.noPlacement(learner, day, p) {
			return 0
		}
		for _, i := range x.EnrollmentsOf(learner) {
			if e := &x.ds.Enrollments[i]; x.Open(e, day, p) {
				earliest(e.StartDate)
			}
		}
	case NoEvaluation:
		if !x.noEvaluation(learner, day, p) {
			return 0
		}
		for _, i := range x.evaluationsOf(learner) {
			if d := x.ds.Evaluations[i].Date; d <= day {
				latest(d)
			}
		}
		if since != 0 {
			return since
		}
		for _, i := range x.EnrollmentsOf(learner) {
			if e := &x.ds.Enrollments[i]; e.StartDate <= day.AddDays(-p.IdleDays) && x.Open(e, day, p) {
				earliest(e.StartDate)
			}
		}
	case NoReason:
		for _, i := range x.outflowsOf(learner) {
			if o := &x.ds.Outflows[i]; o.Date <= day && ReasonUnknown(o) {
				earliest(o.Date)
			}
		}
	case NoFollowUp:
		for _, i := range x.outflowsOf(learner) {
			o := &x.ds.Outflows[i]
			if o.Date.AddMonths(p.FollowUpDueMonths) <= day && day <= o.Date.AddMonths(p.FollowupMonths) &&
				!x.FollowedUp(o, day, p.FollowupMonths) && !x.StartedAfter(o, day) {
				earliest(o.Date)
			}
		}
	case LowWellbeing:
		if !x.lowWellbeing(learner, day, p) {
			return 0
		}
		for _, k := range x.observationsOf(learner) {
			if o := &x.ds.Observations[k]; o.Date <= day && (o.Wellbeing.Valid() || o.Involvement.Valid()) {
				latest(o.Date)
			}
		}
	}
	return since
}

// The statuses of a learner on a day, as the worklist shows them.
const (
	StatusWaiting   = "waiting"   // wachtend: neither in a course nor gone
	StatusInCourse  = "in_course" // in cursus: an enrollment open on the day
	StatusOutflowed = "outflowed" // uitgestroomd: gone, and not back since
)

// Statuses lists the statuses in the order the worklist offers them.
var Statuses = []string{StatusWaiting, StatusInCourse, StatusOutflowed}

// Status returns learner's status on day: StatusInCourse with an enrollment
// open on day (OpenOn); else StatusOutflowed when an outflow dated on or
// before day has no referral and no enrollment start of the learner in
// (outflow, day] after it; else StatusWaiting — referred, placed, or between
// modules, for a first or a next module.
func (x *Index) Status(learner string, day domain.Date, p Params) string {
	if x.HasOpenEnrollment(learner, day, p) {
		return StatusInCourse
	}
	for _, i := range x.outflowsOf(learner) {
		if o := &x.ds.Outflows[i]; o.Date <= day && !x.StartedAfter(o, day) && !x.referredAfter(o, day) {
			return StatusOutflowed
		}
	}
	return StatusWaiting
}

// referredAfter reports whether a referral of o's learner is dated in
// (outflow, day]: the learner was sent back.
func (x *Index) referredAfter(o *domain.Outflow, day domain.Date) bool {
	for _, i := range x.referralsOf(o.Learner) {
		if d := x.ds.Referrals[i].Date; d > o.Date && d <= day {
			return true
		}
	}
	return false
}

// GoalNotice is one learner goal past its target date without the level.
type GoalNotice struct {
	Skill      domain.Skill
	Target     domain.Level
	TargetDate domain.Date
	Latest     domain.Level // the latest assessed level, NoLevel for none
}

// GoalsOverdue returns the goals of one learner whose target date lies
// before day while the learner's latest assessed level for the goal's skill
// on or before day is below the target (a skill never assessed has not
// reached it), by target date and skill. The latest assessed level is that
// of the latest placement or evaluation dated on or before day that
// assesses the skill, the highest of that date (as the level chart and
// spec/indicators.md, learning gain, read several on one day). A goal
// without a target date is never overdue.
func GoalsOverdue(goals []domain.LearnerGoal, placements []domain.Placement, evaluations []domain.Evaluation, day domain.Date) []GoalNotice {
	var out []GoalNotice
	for _, g := range goals {
		if g.TargetDate == 0 || g.TargetDate >= day || g.TargetLevel == domain.NoLevel {
			continue
		}
		var at domain.Date
		latest := domain.NoLevel
		note := func(d domain.Date, l domain.Level) {
			switch {
			case l == domain.NoLevel || d > day || d < at:
			case d > at:
				at, latest = d, l
			default:
				latest = max(latest, l)
			}
		}
		for i := range placements {
			note(placements[i].Date, placements[i].Levels[g.Skill])
		}
		for i := range evaluations {
			note(evaluations[i].Date, evaluations[i].Levels[g.Skill])
		}
		if latest < g.TargetLevel {
			out = append(out, GoalNotice{Skill: g.Skill, Target: g.TargetLevel, TargetDate: g.TargetDate, Latest: latest})
		}
	}
	slices.SortFunc(out, func(a, b GoalNotice) int {
		if a.TargetDate != b.TargetDate {
			return int(a.TargetDate - b.TargetDate)
		}
		return int(a.Skill) - int(b.Skill)
	})
	return out
}

// GoalNoticeSince returns the day the goal notice's situation began, which
// keys its handling: the latest target date among ns, so that another goal
// passing its date shows the notice again; 0 for none.
func GoalNoticeSince(ns []GoalNotice) domain.Date {
	var d domain.Date
	for _, n := range ns {
		d = max(d, n.TargetDate)
	}
	return d
}
