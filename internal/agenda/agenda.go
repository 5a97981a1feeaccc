// Package agenda is the teacher's day: the groups that meet on a day and
// what is due in them. It is pure like internal/quality, whose definitions
// it asks where one exists (an unregistered lesson, an open enrollment):
// plain domain values and a day in, the start page's lists out.
package agenda

import (
	"cmp"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/quality"
	"github.com/traject-nt2/traject/internal/signal"
)

// EndingDays is how far ahead a group's end makes its missing module-end
// evaluations due: three weeks (issue 20).
const EndingDays = 21

// weekdayWeeks is how many weeks back a group's register tells its weekdays
// when it plans no lesson from the day on.
const weekdayWeeks = 4

// How a group is known to meet on the day (Meeting.Basis).
const (
	BasisLesson  = "lesson"  // the register plans a lesson on the day
	BasisWeekday = "weekday" // no lesson planned from the day on; it had one on this weekday in the last four weeks
	BasisNoPlan  = "noplan"  // a running group without any lesson in the register: it may meet
)

// Meeting is a group that meets on the day.
type Meeting struct {
	Group   domain.Group
	Module  domain.Module
	Basis   string  // BasisLesson, BasisWeekday or BasisNoPlan
	Hours   float64 // the lesson's hours, for BasisLesson
	Open    int     // enrollments open on the day
	Pending int     // of those, learners without an attendance record of the day's lesson (BasisLesson)
}

// The kinds of things due (Item.Kind), in the order of Day.Todo.
const (
	ModuleEnd     = "module_end"     // a group ending (or just ended) with learners lacking a module-end evaluation
	NotObserved   = "not_observed"   // learners of a running group never observed in it
	NotRegistered = "not_registered" // past lessons of a group without a record for an enrolled learner
)

// Item is one thing due in one group.
type Item struct {
	Kind     string
	Group    string
	Date     domain.Date // the group's end (ModuleEnd), its start (NotObserved), its oldest unregistered lesson (NotRegistered)
	Count    int         // learners (ModuleEnd, NotObserved) or lessons (NotRegistered)
	Learners []string    // the learners concerned, by id (ModuleEnd, NotObserved)
	Latest   domain.Date // the latest unregistered lesson (NotRegistered)
}

// Day is the teacher's day.
type Day struct {
	Date     domain.Date
	Meetings []Meeting // BasisLesson and BasisWeekday first, then BasisNoPlan; by group code within
	Todo     []Item    // by kind (ModuleEnd, NotObserved, NotRegistered), then date and group
}

// Compute works out the day of the groups in ds: ds holds those groups
// with their modules, enrollments, lessons, attendance, module-end
// evaluations and observations (more is ignored).
func Compute(ds *domain.DataSet, day domain.Date) Day {
	out := Day{Date: day}
	modules := make(map[string]domain.Module, len(ds.Modules))
	for _, m := range ds.Modules {
		modules[m.Code] = m
	}
	ends := make(map[string]domain.Date, len(ds.Groups))
	for _, g := range ds.Groups {
		ends[g.Code] = g.EndDate
	}
	byGroup := map[string][]*domain.Enrollment{}
	for i := range ds.Enrollments {
		e := &ds.Enrollments[i]
		byGroup[e.Group] = append(byGroup[e.Group], e)
	}
	lessons := map[string][]domain.Lesson{}
	for _, l := range ds.Lessons {
		lessons[l.Group] = append(lessons[l.Group], l)
	}
	type rec struct {
		learner, group string
		date           domain.Date
	}
	registered := make(map[rec]bool, len(ds.Attendance))
	for _, a := range ds.Attendance {
		registered[rec{a.Learner, a.Group, a.Date}] = true
	}
	moduleEnd := map[[2]string]bool{}
	for _, ev := range ds.Evaluations {
		if ev.Kind == "module_end" {
			moduleEnd[[2]string{ev.Learner, ev.Group}] = true
		}
	}
	observed := map[[2]string]bool{}
	for _, o := range ds.Observations {
		observed[[2]string{o.Learner, o.Group}] = true
	}
	open := func(e *domain.Enrollment) bool {
		return signal.OpenOn(e, ends[e.Group], day, domain.DefaultGraceDays)
	}

	groups := slices.Clone(ds.Groups)
	slices.SortFunc(groups, func(a, b domain.Group) int { return cmp.Compare(a.Code, b.Code) })
	for _, g := range groups {
		running := g.StartDate <= day && day <= g.EndDate
		if running {
			if m, ok := meets(g, lessons[g.Code], day); ok {
				m.Module = modules[g.Module]
				for _, e := range byGroup[g.Code] {
					if open(e) {
						m.Open++
						if m.Basis == BasisLesson && !registered[rec{e.Learner, g.Code, day}] {
							m.Pending++
						}
					}
				}
				out.Meetings = append(out.Meetings, m)
			}
			var never []string
			for _, e := range byGroup[g.Code] {
				if open(e) && !observed[[2]string{e.Learner, g.Code}] {
					never = append(never, e.Learner)
				}
			}
			if len(never) > 0 {
				out.Todo = append(out.Todo, Item{Kind: NotObserved, Group: g.Code, Date: g.StartDate, Count: len(never), Learners: never})
			}
		}
		// Module ends are due from three weeks before the end until the
		// grace days after it, the last day an evaluation may be dated
		// (domain.EvaluationWindow).
		if g.EndDate.AddDays(-EndingDays) <= day && day <= g.EndDate.AddDays(domain.DefaultGraceDays) {
			var missing []string
			for _, e := range byGroup[g.Code] {
				if e.Status == "dropped" || e.Status == "transferred" || e.StartDate > g.EndDate || moduleEnd[[2]string{e.Learner, g.Code}] {
					continue
				}
				missing = append(missing, e.Learner)
			}
			if len(missing) > 0 {
				out.Todo = append(out.Todo, Item{Kind: ModuleEnd, Group: g.Code, Date: g.EndDate, Count: len(missing), Learners: missing})
			}
		}
	}
	slices.SortStableFunc(out.Meetings, func(a, b Meeting) int {
		return cmp.Compare(basisOrder(a.Basis), basisOrder(b.Basis))
	})

	// Unregistered lessons: quality's definition, counted per group.
	type span struct {
		first, last domain.Date
		dates       map[domain.Date]bool
	}
	spans := map[string]*span{}
	for _, f := range quality.LessonsNotRegistered(ds, quality.DefaultParams(day)) {
		s := spans[f.Ref]
		if s == nil {
			s = &span{first: f.Date, last: f.Date, dates: map[domain.Date]bool{}}
			spans[f.Ref] = s
		}
		s.first, s.last = min(s.first, f.Date), max(s.last, f.Date)
		s.dates[f.Date] = true
	}
	for code, s := range spans {
		out.Todo = append(out.Todo, Item{Kind: NotRegistered, Group: code, Date: s.first, Latest: s.last, Count: len(s.dates)})
	}
	kinds := map[string]int{ModuleEnd: 0, NotObserved: 1, NotRegistered: 2}
	slices.SortFunc(out.Todo, func(a, b Item) int {
		return cmp.Or(cmp.Compare(kinds[a.Kind], kinds[b.Kind]), cmp.Compare(a.Date, b.Date), cmp.Compare(a.Group, b.Group))
	})
	return out
}

// meets tells whether running group g meets on day, from its lessons: a
// lesson on the day; with none planned from the day on, a lesson on the
// same weekday in the last four weeks; with no lesson at all, maybe.
func meets(g domain.Group, ls []domain.Lesson, day domain.Date) (Meeting, bool) {
	if len(ls) == 0 {
		return Meeting{Group: g, Basis: BasisNoPlan}, true
	}
	planned := false
	for _, l := range ls {
		if l.Date == day {
			return Meeting{Group: g, Basis: BasisLesson, Hours: l.Hours}, true
		}
		planned = planned || l.Date > day
	}
	if planned {
		return Meeting{}, false
	}
	for _, l := range ls {
		if l.Date < day && l.Date >= day.AddDays(-7*weekdayWeeks) && (day-l.Date)%7 == 0 {
			return Meeting{Group: g, Basis: BasisWeekday}, true
		}
	}
	return Meeting{}, false
}

func basisOrder(b string) int {
	if b == BasisNoPlan {
		return 1
	}
	return 0
}
