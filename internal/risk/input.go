package risk

import (
	"cmp"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// Lesson is one scheduled lesson of a group (spec/domain.md, lesson):
// a group has at most one a day.
type Lesson struct {
	Group string
	Date  domain.Date
	Hours float64 // the lesson's length, > 0
}

// The statuses of an attendance record (spec/domain.md, attendance).
const (
	Present = "present"
	Late    = "late"
	Absent  = "absent"
	Excused = "excused"
)

// Attendance is one learner's presence at one lesson (spec/domain.md,
// attendance). Hours are the hours attended as the register counts them:
// the caller resolves a blank to the lesson's hours for present and 0 for
// absent and excused, as domain.md says.
type Attendance struct {
	Learner string
	Group   string
	Date    domain.Date
	Status  string
	Hours   float64
}

// Input is everything the early warning reads: the records of the
// installation (only learners, groups, modules, referrals, placements,
// enrollments, evaluations, certificates, outflows, follow-ups and
// observations are read) and the register, which domain.DataSet does not
// carry yet. Which of them is known on a judgement day is decided here,
// not by the caller: the caller passes everything it has.
type Input struct {
	Data       *domain.DataSet
	Lessons    []Lesson
	Attendance []Attendance
}

// index holds the input by learner and group, each list sorted by date, so
// that the features of one enrollment on one day read only its learner's
// records.
type index struct {
	in       *Input
	flags    *signal.Index
	learners map[string]*domain.Learner
	groups   map[string]*domain.Group
	provider map[string]string // module code → provider

	referrals   map[string][]domain.Date        // learner → referral dates, ascending
	enrollments map[string][]*domain.Enrollment // learner → enrollments
	evaluations map[string][]*domain.Evaluation // learner → evaluations by date
	observed    map[key][]*domain.Observation   // (learner, group) → observations by date
	lessons     map[string][]Lesson             // group → lessons by date
	attendance  map[key][]*Attendance           // (learner, group) → records by date
	lastDay     domain.Date
}

// key is a (learner, group) pair.
type key struct{ learner, group string }

// newIndex indexes in. It does not change in; in must not change while the
// index is used.
func newIndex(in *Input) *index {
	ds := in.Data
	if ds == nil {
		ds = &domain.DataSet{}
	}
	x := &index{
		in:          in,
		flags:       signal.NewIndex(ds),
		learners:    make(map[string]*domain.Learner, len(ds.Learners)),
		groups:      make(map[string]*domain.Group, len(ds.Groups)),
		provider:    make(map[string]string, len(ds.Modules)),
		referrals:   map[string][]domain.Date{},
		enrollments: map[string][]*domain.Enrollment{},
		evaluations: map[string][]*domain.Evaluation{},
		observed:    map[key][]*domain.Observation{},
		lessons:     map[string][]Lesson{},
		attendance:  map[key][]*Attendance{},
	}
	for i := range ds.Learners {
		x.learners[ds.Learners[i].ID] = &ds.Learners[i]
	}
	for i := range ds.Groups {
		x.groups[ds.Groups[i].Code] = &ds.Groups[i]
	}
	for i := range ds.Modules {
		x.provider[ds.Modules[i].Code] = ds.Modules[i].Provider
	}
	last := func(d domain.Date) { x.lastDay = max(x.lastDay, d) }
	for i := range ds.Referrals {
		r := &ds.Referrals[i]
		x.referrals[r.Learner] = append(x.referrals[r.Learner], r.Date)
		last(r.Date)
	}
	for i := range ds.Enrollments {
		e := &ds.Enrollments[i]
		x.enrollments[e.Learner] = append(x.enrollments[e.Learner], e)
		last(e.EndDate)
	}
	for i := range ds.Evaluations {
		e := &ds.Evaluations[i]
		x.evaluations[e.Learner] = append(x.evaluations[e.Learner], e)
		last(e.Date)
	}
	for i := range ds.Observations {
		o := &ds.Observations[i]
		k := key{o.Learner, o.Group}
		x.observed[k] = append(x.observed[k], o)
		last(o.Date)
	}
	for i := range in.Lessons {
		l := in.Lessons[i]
		x.lessons[l.Group] = append(x.lessons[l.Group], l)
	}
	for i := range in.Attendance {
		a := &in.Attendance[i]
		k := key{a.Learner, a.Group}
		x.attendance[k] = append(x.attendance[k], a)
		last(a.Date)
	}
	for i := range ds.Placements {
		last(ds.Placements[i].Date)
	}
	for i := range ds.Certificates {
		last(ds.Certificates[i].Date)
	}
	for i := range ds.Outflows {
		last(ds.Outflows[i].Date)
	}
	for i := range ds.FollowUps {
		last(ds.FollowUps[i].Date)
	}
	for _, v := range x.referrals {
		slices.Sort(v)
	}
	for _, v := range x.evaluations {
		slices.SortStableFunc(v, func(a, b *domain.Evaluation) int { return cmp.Compare(a.Date, b.Date) })
	}
	for _, v := range x.observed {
		slices.SortStableFunc(v, func(a, b *domain.Observation) int { return cmp.Compare(a.Date, b.Date) })
	}
	for _, v := range x.attendance {
		slices.SortStableFunc(v, func(a, b *Attendance) int { return cmp.Compare(a.Date, b.Date) })
	}
	for _, v := range x.lessons {
		slices.SortStableFunc(v, func(a, b Lesson) int { return cmp.Compare(a.Date, b.Date) })
	}
	return x
}

// LastDay returns the last day of the data (spec/early-warning.md,
// "Terms"): the latest date of any referral, placement, attendance record,
// evaluation, certificate, outflow, follow-up, observation or enrollment
// end date; plans (lessons, group dates, start dates) do not count. It is
// 0 for an input without any.
func LastDay(in *Input) domain.Date { return newIndex(in).lastDay }

// open reports whether e is open on d (spec/early-warning.md, "Terms"),
// asking signal, which owns the rule.
func (x *index) open(e *domain.Enrollment, d domain.Date) bool {
	end := domain.Date(0)
	if g := x.groups[e.Group]; g != nil {
		end = g.EndDate
	}
	return signal.OpenOn(e, end, d, domain.DefaultGraceDays)
}

// providerOf returns the provider of group code, or "".
func (x *index) providerOf(group string) string {
	if g := x.groups[group]; g != nil {
		return x.provider[g.Module]
	}
	return ""
}

// record returns the attendance record dated d among records (sorted by
// date), or nil: a lesson without one is not registered.
func record(records []*Attendance, d domain.Date) *Attendance {
	i, ok := slices.BinarySearchFunc(records, d, func(a *Attendance, d domain.Date) int { return cmp.Compare(a.Date, d) })
	if !ok {
		return nil
	}
	return records[i]
}
