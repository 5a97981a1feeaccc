// Package quality finds records that are probably incomplete or wrong: the
// gaps that make the indicators of spec/indicators.md less trustworthy. It is
// pure like internal/indicator: plain domain values in, findings out. Where
// a finding is about a situation the counsellor's flags judge too (a
// referral still waiting, an enrollment open on a day, a placement or a
// follow-up known by then), it asks internal/signal, which defines each such
// situation once for both.
package quality

import (
	"cmp"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/signal"
)

// Params are the parameters of a data-quality check.
type Params struct {
	AsOf           domain.Date // the day the data are judged on
	FollowupMonths int         // window after outflow in which a follow-up is expected (indicators: followup_months)
	GraceDays      int         // days after an enrollment's end in which its evaluations may still be dated (indicators: grace_days)
	Provider       string      // restrict to records of one provider ("" = all); see Kinds for how per kind
}

// DefaultParams returns the parameters with the indicator defaults of
// followup_months and grace_days.
func DefaultParams(asOf domain.Date) Params {
	return Params{AsOf: asOf, FollowupMonths: domain.DefaultFollowupMonths, GraceDays: domain.DefaultGraceDays}
}

// Validate reports a parameter that makes no sense, as a domain.EINVALID error.
func (p Params) Validate() error {
	switch {
	case p.AsOf == 0:
		return domain.Errorf(domain.EINVALID, "as_of is required")
	case p.FollowupMonths < 0 || p.FollowupMonths > 1200:
		return domain.Errorf(domain.EINVALID, "followup_months must be a whole number from 0 to 1200, not %d", p.FollowupMonths)
	case p.GraceDays < 0 || p.GraceDays > 36500:
		return domain.Errorf(domain.EINVALID, "grace_days must be a whole number from 0 to 36500, not %d", p.GraceDays)
	}
	return nil
}

// Finding is one record that needs attention.
type Finding struct {
	Kind    string      // a code of Kinds
	Learner string      // learner id
	Ref     string      // group code where the finding is about a group, else ""
	Date    domain.Date // the date of the record the finding is about
	Message locale.Text // what this finding is about, in the catalogue
}

// The finding kinds, in the order of Kinds.
const (
	ReferralWithoutStart        = "referral_without_start"
	EnrollmentWithoutModuleEnd  = "enrollment_without_module_end"
	EarlyLeaverWithoutReason    = "early_leaver_without_reason"
	OutflowWithoutFollowUp      = "outflow_without_followup"
	EnrollmentWithoutPlacement  = "enrollment_without_placement"
	ModuleEndWithoutSkill       = "module_end_without_skill"
	EvaluationOutsideEnrollment = "evaluation_outside_enrollment"
	EnrollmentNotObserved       = "enrollment_not_observed"
	EnrollmentNotClosed         = "enrollment_not_closed"
	LessonNotRegistered         = "lesson_not_registered"
)

// Kind describes one kind of finding. Its title is qual.<code> in the
// catalogue, and qual.<code>.text says what is checked and, with a
// provider, which records count.
type Kind struct {
	Code string
}

// TitleKey is the catalogue key of the kind's title.
func (k Kind) TitleKey() string { return "qual." + k.Code }

// TextKey is the catalogue key of the kind's explanation.
func (k Kind) TextKey() string { return "qual." + k.Code + ".text" }

// Kinds lists the kinds of findings in their fixed order.
var Kinds = []Kind{
	{ReferralWithoutStart},
	{EnrollmentWithoutModuleEnd},
	{EarlyLeaverWithoutReason},
	{OutflowWithoutFollowUp},
	{EnrollmentWithoutPlacement},
	{ModuleEndWithoutSkill},
	{EvaluationOutsideEnrollment},
	{EnrollmentNotObserved},
	{EnrollmentNotClosed},
	{LessonNotRegistered},
}

// KindByCode returns the kind with code, or nil.
func KindByCode(code string) *Kind {
	for i := range Kinds {
		if Kinds[i].Code == code {
			return &Kinds[i]
		}
	}
	return nil
}

// Check returns every finding in ds, ordered by kind (as in Kinds), learner,
// date and reference. p should have passed Validate.
func Check(ds *domain.DataSet, p Params) []Finding {
	c := newChecker(ds, p)
	var out []Finding
	for _, k := range []func() []Finding{
		c.referralsWithoutStart,
		c.enrollmentsWithoutModuleEnd,
		c.earlyLeaversWithoutReason,
		c.outflowsWithoutFollowUp,
		c.enrollmentsWithoutPlacement,
		c.moduleEndsWithoutSkill,
		c.evaluationsOutsideEnrollment,
		c.enrollmentsNotObserved,
		c.enrollmentsNotClosed,
		c.lessonsNotRegistered,
	} {
		fs := k()
		slices.SortStableFunc(fs, func(a, b Finding) int {
			return cmp.Or(cmp.Compare(a.Learner, b.Learner), cmp.Compare(a.Date, b.Date), cmp.Compare(a.Ref, b.Ref))
		})
		out = append(out, fs...)
	}
	return out
}

// checker holds the data set indexed by learner (signal's index, which the
// shared situations read) and by group.
type checker struct {
	ds         *domain.DataSet
	p          Params
	x          *signal.Index
	groupProv  map[string]string  // group code -> its module's provider
	moduleEnds map[[2]string]bool // (learner, group) with a module_end evaluation
	enrByGroup map[[2]string]int32
}

func newChecker(ds *domain.DataSet, p Params) *checker {
	c := &checker{ds: ds, p: p, x: signal.NewIndex(ds),
		groupProv:  make(map[string]string, len(ds.Groups)),
		moduleEnds: map[[2]string]bool{},
		enrByGroup: make(map[[2]string]int32, len(ds.Enrollments)),
	}
	modProv := make(map[string]string, len(ds.Modules))
	for _, m := range ds.Modules {
		modProv[m.Code] = m.Provider
	}
	for _, g := range ds.Groups {
		c.groupProv[g.Code] = modProv[g.Module]
	}
	for i, e := range ds.Enrollments {
		c.enrByGroup[[2]string{e.Learner, e.Group}] = int32(i)
	}
	for _, ev := range ds.Evaluations {
		if ev.Kind == "module_end" && ev.Group != "" {
			c.moduleEnds[[2]string{ev.Learner, ev.Group}] = true
		}
	}
	return c
}

// selected reports whether a record of provider prov passes the provider filter.
func (c *checker) selected(prov string) bool { return c.p.Provider == "" || prov == c.p.Provider }

// staleReferralMonths: a referral still waiting this long after its date is
// a finding (a counsellor's flag, overdue, is raised long before).
const staleReferralMonths = 12

// referralsWithoutStart: a referral over a year old still waiting on as_of
// (signal.Index.Waiting: neither a start nor an outflow since).
func (c *checker) referralsWithoutStart() []Finding {
	var out []Finding
	for i := range c.ds.Referrals {
		r := &c.ds.Referrals[i]
		if !c.selected(r.Provider) || c.p.AsOf <= r.Date.AddMonths(staleReferralMonths) {
			continue
		}
		if c.x.Waiting(r, c.p.AsOf) {
			out = append(out, Finding{Kind: ReferralWithoutStart, Learner: r.Learner, Date: r.Date,
				Message: locale.New("qual.found.referral_without_start", r.Date, c.p.AsOf, c.p.AsOf-r.Date)})
		}
	}
	return out
}

// enrollmentsWithoutModuleEnd: a completed enrollment, past its end and the
// grace days, without a module_end evaluation in its group.
func (c *checker) enrollmentsWithoutModuleEnd() []Finding {
	var out []Finding
	for _, e := range c.ds.Enrollments {
		if e.Status != "completed" || e.EndDate == 0 || !c.selected(c.groupProv[e.Group]) ||
			e.EndDate.AddDays(c.p.GraceDays) >= c.p.AsOf || c.moduleEnds[[2]string{e.Learner, e.Group}] {
			continue
		}
		out = append(out, Finding{Kind: EnrollmentWithoutModuleEnd, Learner: e.Learner, Ref: e.Group, Date: e.EndDate,
			Message: locale.New("qual.found.enrollment_without_module_end", e.Group, e.EndDate)})
	}
	return out
}

// earlyLeaversWithoutReason: an early_leaver outflow with a blank reason, a
// record that breaks domain.md's rule. It is not the counsellor's flag
// no_reason, which is about a reason recorded as unknown
// (signal.ReasonUnknown): that record is valid, this one is not.
func (c *checker) earlyLeaversWithoutReason() []Finding {
	var out []Finding
	for _, o := range c.ds.Outflows {
		if o.Type == "early_leaver" && o.Reason == "" && c.selected(o.Provider) {
			out = append(out, Finding{Kind: EarlyLeaverWithoutReason, Learner: o.Learner, Date: o.Date,
				Message: locale.New("qual.found.early_leaver_without_reason", o.Date)})
		}
	}
	return out
}

// outflowsWithoutFollowUp: as_of > outflow + followup_months and no follow-up
// in (outflow, outflow + followup_months] (signal.Index.FollowedUp, spec/
// indicators.md §6's window, which the flag no_followup reads up to its day).
func (c *checker) outflowsWithoutFollowUp() []Finding {
	var out []Finding
	for i := range c.ds.Outflows {
		o := &c.ds.Outflows[i]
		last := o.Date.AddMonths(c.p.FollowupMonths)
		if !c.selected(o.Provider) || c.p.AsOf <= last || c.x.FollowedUp(o, c.p.AsOf, c.p.FollowupMonths) {
			continue
		}
		out = append(out, Finding{Kind: OutflowWithoutFollowUp, Learner: o.Learner, Date: o.Date,
			Message: locale.New("qual.found.outflow_without_followup", o.Date, o.Date.AddDays(1), last)})
	}
	return out
}

// enrollmentsWithoutPlacement: a learner with an enrollment started by as_of
// (at the provider) and no placement dated by as_of, into any module
// (signal.Index.PlacedBy, as the flag no_placement asks it); one finding per
// learner, at their first enrollment.
func (c *checker) enrollmentsWithoutPlacement() []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, e := range c.ds.Enrollments {
		if seen[e.Learner] || e.StartDate > c.p.AsOf || !c.selected(c.groupProv[e.Group]) || c.x.PlacedBy(e.Learner, c.p.AsOf) {
			continue
		}
		seen[e.Learner] = true
		first := e
		for _, i := range c.x.EnrollmentsOf(e.Learner) {
			x := c.ds.Enrollments[i]
			if c.selected(c.groupProv[x.Group]) && x.StartDate < first.StartDate {
				first = x
			}
		}
		out = append(out, Finding{Kind: EnrollmentWithoutPlacement, Learner: e.Learner, Ref: first.Group, Date: first.StartDate,
			Message: locale.New("qual.found.enrollment_without_placement", first.Group, first.StartDate)})
	}
	return out
}

// moduleEndsWithoutSkill: a module_end evaluation with no level for any skill.
func (c *checker) moduleEndsWithoutSkill() []Finding {
	var out []Finding
	for _, ev := range c.ds.Evaluations {
		if ev.Kind != "module_end" || ev.Levels.Assessed() || !c.selected(c.groupProv[ev.Group]) {
			continue
		}
		out = append(out, Finding{Kind: ModuleEndWithoutSkill, Learner: ev.Learner, Ref: ev.Group, Date: ev.Date,
			Message: locale.New("qual.found.module_end_without_skill", ev.Date, ev.Decision)})
	}
	return out
}

// evaluationsOutsideEnrollment: an evaluation in a group dated before the
// learner's enrollment in it starts, after its end plus grace_days, after
// as_of while it is active, or without an enrollment in that group.
func (c *checker) evaluationsOutsideEnrollment() []Finding {
	var out []Finding
	for _, ev := range c.ds.Evaluations {
		if ev.Group == "" || !c.selected(c.groupProv[ev.Group]) {
			continue // an external test belongs to no enrollment
		}
		add := func(key string, args ...any) {
			out = append(out, Finding{Kind: EvaluationOutsideEnrollment, Learner: ev.Learner, Ref: ev.Group, Date: ev.Date,
				Message: locale.New("qual.found.evaluation_outside_enrollment", ev.Kind, ev.Date, locale.New(key, args...))})
		}
		i, ok := c.enrByGroup[[2]string{ev.Learner, ev.Group}]
		if !ok {
			add("qual.found.eval.nogroup", ev.Group)
			continue
		}
		e := c.ds.Enrollments[i]
		switch {
		case ev.Date < e.StartDate:
			add("qual.found.eval.before", e.StartDate)
		case e.EndDate != 0 && ev.Date > e.EndDate.AddDays(c.p.GraceDays):
			add("qual.found.eval.after", ev.Date-e.EndDate, e.EndDate, c.p.GraceDays)
		case e.EndDate == 0 && ev.Date > c.p.AsOf:
			add("qual.found.eval.asof", c.p.AsOf)
		}
	}
	return out
}

// enrollmentsNotObserved: an enrollment in a group that ended before as_of
// without any observation of the learner in that group, at providers that
// record observations at all (elsewhere every enrollment would be one).
func (c *checker) enrollmentsNotObserved() []Finding {
	if len(c.ds.Observations) == 0 {
		return nil
	}
	observed := make(map[[2]string]bool, len(c.ds.Observations))
	observing := map[string]bool{} // providers with an observation
	for _, o := range c.ds.Observations {
		observed[[2]string{o.Learner, o.Group}] = true
		observing[c.groupProv[o.Group]] = true
	}
	ends := make(map[string]domain.Date, len(c.ds.Groups))
	for _, g := range c.ds.Groups {
		ends[g.Code] = g.EndDate
	}
	var out []Finding
	for _, e := range c.ds.Enrollments {
		prov := c.groupProv[e.Group]
		end := ends[e.Group]
		if !observing[prov] || !c.selected(prov) || end == 0 || end >= c.p.AsOf || observed[[2]string{e.Learner, e.Group}] {
			continue
		}
		out = append(out, Finding{Kind: EnrollmentNotObserved, Learner: e.Learner, Ref: e.Group, Date: end,
			Message: locale.New("qual.found.enrollment_not_observed", e.Group, end)})
	}
	return out
}

// enrollmentsNotClosed: an enrollment open on as_of by its own dates in a
// group that ended more than grace_days before (signal.LeftOpen, the other
// half of signal.OpenOn): the spec leaves it out of the open enrollments
// that the flags read and has the check list it instead (spec/
// early-warning.md, "Terms", open enrollment).
func (c *checker) enrollmentsNotClosed() []Finding {
	var out []Finding
	for i := range c.ds.Enrollments {
		e := &c.ds.Enrollments[i]
		end := c.x.GroupEnd(e.Group)
		if !c.selected(c.groupProv[e.Group]) || !signal.LeftOpen(e, end, c.p.AsOf, c.p.GraceDays) {
			continue
		}
		out = append(out, Finding{Kind: EnrollmentNotClosed, Learner: e.Learner, Ref: e.Group, Date: end,
			Message: locale.New("qual.found.enrollment_not_closed", e.Group, e.StartDate, end)})
	}
	return out
}

// LessonsNotRegistered returns the findings of kind LessonNotRegistered
// alone, ordered as Check orders them: the one definition of an
// unregistered lesson, for the pages that show them beside their groups
// (the teacher's start page) as well as for Check. p should have passed
// Validate.
func LessonsNotRegistered(ds *domain.DataSet, p Params) []Finding {
	fs := newChecker(ds, p).lessonsNotRegistered()
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Learner, b.Learner), cmp.Compare(a.Date, b.Date), cmp.Compare(a.Ref, b.Ref))
	})
	return fs
}

// lessonsNotRegistered: a lesson before as_of without an attendance record
// of a learner enrolled in its group on that day (spec/domain.md,
// "attendance": such a lesson is not registered, which is not absent;
// domain.Unregistered is the one definition, which the teacher's groups
// page asks too). One finding per learner and lesson, naming the group
// and its teacher.
func (c *checker) lessonsNotRegistered() []Finding {
	if len(c.ds.Lessons) == 0 {
		return nil
	}
	teachers := make(map[string]string, len(c.ds.Groups))
	for _, g := range c.ds.Groups {
		teachers[g.Code] = g.Teacher
	}
	var out []Finding
	for l, e := range domain.Unregistered(c.ds.Lessons, c.ds.Enrollments, c.ds.Attendance, c.p.AsOf) {
		if !c.selected(c.groupProv[l.Group]) {
			continue
		}
		var teacher any = teachers[l.Group]
		if teacher == "" {
			teacher = locale.New("qual.found.lesson_not_registered.noteacher")
		}
		out = append(out, Finding{Kind: LessonNotRegistered, Learner: e.Learner, Ref: l.Group, Date: l.Date,
			Message: locale.New("qual.found.lesson_not_registered", l.Group, teacher, l.Date)})
	}
	return out
}
