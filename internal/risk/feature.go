package risk

import (
	"math"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
)

// The numeric features of spec/early-warning.md ("Features"), in the order
// of the model's columns.
const (
	AbsenceStreak = iota
	Attendance4w
	Unregistered4w
	WeeksEnrolled
	ShareOfGroupPassed
	DaysSinceEvaluation
	LastEvaluationFail
	WellbeingLast
	InvolvementLast
	WellbeingChange
	WaitingDays
	EarlierDropouts
	numNumeric
)

// The learner's attributes the model reads (spec/early-warning.md,
// "Features"), in the order of the model's columns. Country of birth, home
// language and name are not among them and never enter the model: they
// may only be used to audit it.
const (
	LearningRoute = iota
	Literacy
	SchoolingLevel
	CivicStatus
	AgeBand
	numCategorical
)

// NumericNames are the JSON names of the numeric features.
var NumericNames = [numNumeric]string{
	"absence_streak", "attendance_4w", "unregistered_4w", "weeks_enrolled", "share_of_group_passed",
	"days_since_evaluation", "last_evaluation_fail", "wellbeing_last", "involvement_last",
	"wellbeing_change", "waiting_days", "earlier_dropouts",
}

// CategoricalNames are the JSON names of the attribute features.
var CategoricalNames = [numCategorical]string{"learning_route", "literacy", "schooling_level", "civic_status", "age_band"}

// categories are the codes of each attribute feature: a value outside its
// list (a blank, or a birth date the data lack) is coded as none of them.
var categories = [numCategorical][]string{
	domain.LearningRoutes.Codes, domain.Literacies.Codes, domain.SchoolingLevels.Codes,
	domain.CivicStatuses.Codes, indicator.AgeBands[:],
}

// Features are the features of one open enrollment on one judgement day,
// computed only from what is known that day. A numeric feature that is not
// defined has Defined false and Value 0; the model codes it with an
// indicator for missing, never as a zero.
type Features struct {
	Value   [numNumeric]float64
	Defined [numNumeric]bool
	Attr    [numCategorical]string
	// WellbeingFirst is the first wellbeing score of wellbeing_change, for
	// its sentence ("welbevinden gedaald van 4 naar 2"); 0 when undefined.
	WellbeingFirst int
}

// Horizon is H of spec/early-warning.md ("Terms"): an open enrollment
// leaves early when it is dropped within this many days of the day.
const Horizon = 56

// LeavesEarly reports the outcome of spec/early-warning.md ("Terms") for
// an enrollment open on d: its status is dropped and d < end_date ≤ d + H.
func LeavesEarly(e *domain.Enrollment, d domain.Date) bool {
	return e.Status == "dropped" && e.EndDate > d && e.EndDate <= d.AddDays(Horizon)
}

// features computes the features of enrollment e (open on d) on d, reading
// only records known on d (spec/early-warning.md, "Terms", known on D): e's
// own end date, status and hours are never read.
func (x *index) features(e *domain.Enrollment, d domain.Date) Features {
	var f Features
	set := func(i int, v float64) { f.Value[i], f.Defined[i] = v, true }
	k := key{e.Learner, e.Group}

	// The register: the enrollment's lessons are its group's lessons on or
	// after its start.
	records := x.attendance[k]
	lessons := x.lessons[e.Group]
	streak := 0
	for i := len(records) - 1; i >= 0; i-- {
		if records[i].Date > d {
			continue
		}
		if records[i].Status != Absent {
			break // any other status, excused too, ends the streak
		}
		streak++
	}
	set(AbsenceStreak, float64(streak))
	from := d.AddDays(-28)
	var heldHours, attended float64
	var inWindow, unregistered int
	for _, l := range lessons {
		if l.Date <= from || l.Date > d || l.Date < e.StartDate {
			continue
		}
		inWindow++
		if a := record(records, l.Date); a != nil {
			heldHours += l.Hours
			attended += a.Hours
		} else {
			unregistered++
		}
	}
	if heldHours > 0 {
		set(Attendance4w, attended/heldHours)
	}
	if inWindow > 0 {
		set(Unregistered4w, float64(unregistered)/float64(inWindow))
	}

	set(WeeksEnrolled, float64(e.StartDate.DaysUntil(d)/7))
	share := 1.0
	if g := x.groups[e.Group]; g != nil && g.EndDate > g.StartDate {
		share = math.Min(1, math.Max(0, float64(g.StartDate.DaysUntil(d))/float64(g.StartDate.DaysUntil(g.EndDate))))
	}
	set(ShareOfGroupPassed, share)

	// Evaluations: the latest of the learner in any group, and the latest
	// date's decisions in this group.
	since := e.StartDate
	var failDate domain.Date
	fail := false
	for _, ev := range x.evaluations[e.Learner] {
		if ev.Date > d {
			break
		}
		since = ev.Date // the evaluations are sorted by date
		if ev.Group == e.Group {
			if ev.Date > failDate {
				failDate, fail = ev.Date, false
			}
			fail = fail || ev.Decision == "fail"
		}
	}
	set(DaysSinceEvaluation, float64(since.DaysUntil(d)))
	set(LastEvaluationFail, b2f(fail))

	// Observations in this group.
	var firstW, lastW, lastI domain.Score
	for _, o := range x.observed[k] {
		if o.Date > d {
			break
		}
		if o.Wellbeing.Valid() {
			if firstW == 0 {
				firstW = o.Wellbeing
			}
			lastW = o.Wellbeing
		}
		if o.Involvement.Valid() {
			lastI = o.Involvement
		}
	}
	if lastW != 0 {
		set(WellbeingLast, float64(lastW))
		set(WellbeingChange, float64(lastW-firstW))
		f.WellbeingFirst = int(firstW)
	}
	if lastI != 0 {
		set(InvolvementLast, float64(lastI))
	}

	// The latest referral on or before the start.
	for _, r := range x.referrals[e.Learner] {
		if r > e.StartDate {
			break
		}
		set(WaitingDays, float64(r.DaysUntil(e.StartDate)))
	}

	dropped := 0
	for _, o := range x.enrollments[e.Learner] {
		if o.Status == "dropped" && o.EndDate != 0 && o.EndDate <= d {
			dropped++
		}
	}
	set(EarlierDropouts, float64(dropped))

	if l := x.learners[e.Learner]; l != nil {
		f.Attr = [numCategorical]string{l.LearningRoute, l.Literacy, l.SchoolingLevel, l.CivicStatus, ageBand(l.BirthDate, d)}
	}
	return f
}

// ageBand returns the age_band key of someone born on birth, on d, as the
// indicators' breakdowns band it (spec/indicators.md, "Breakdowns";
// younger than 16 counts as 16-24); "" without a birth date.
func ageBand(birth, d domain.Date) string {
	if birth == 0 {
		return ""
	}
	switch age := birth.AgeOn(d); {
	case age < 25:
		return indicator.AgeBands[0]
	case age < 35:
		return indicator.AgeBands[1]
	case age < 50:
		return indicator.AgeBands[2]
	default:
		return indicator.AgeBands[3]
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
