package domain

import (
	"iter"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/traject-nt2/traject/internal/locale"
)

// The attendance register (spec/domain.md, "lesson", "attendance" and
// "Hours from the register"): the lessons of a group, and per lesson the
// presence of each enrolled learner. An enrollment with at least one
// record takes its hours_attended from them (RegisterHours); every write
// path asks these functions, so the rule has one home.

// Lesson is one scheduled lesson of a group (lesmoment). Key: (group,
// date).
type Lesson struct {
	Group string  `db:"group_code"`
	Date  Date    `db:"date"`
	Hours float64 `db:"hours"` // the lesson's length in hours, > 0
}

// Attendance is one learner's presence at one lesson (aanwezigheid). Key:
// (learner, group, date).
type Attendance struct {
	Learner string   `db:"learner"`
	Group   string   `db:"group_code"`
	Date    Date     `db:"date"`
	Status  string   `db:"status"` // AttendanceStatuses
	Hours   *float64 `db:"hours"`  // nil: blank, the lesson's hours for present, 0 for absent and excused
}

// AttendanceStatuses are the statuses of an attendance record.
var AttendanceStatuses = &CodeList{"attendance status",
	[]string{"present", "late", "absent", "excused"}}

// Validate checks a lesson on its own: hours above 0.
func (l *Lesson) Validate() []FieldError {
	var r rules
	r.required("group", l.Group)
	r.date("date", l.Date, false)
	if !(l.Hours > 0) || math.IsInf(l.Hours, 0) {
		r.add("hours", "rule.hourspositive")
	}
	r.length("group", l.Group)
	return r.result()
}

// Validate checks an attendance record on its own: a status, hours not
// negative, required for late, and 0 (or blank) for absent and excused.
func (a *Attendance) Validate() []FieldError {
	var r rules
	r.required("learner", a.Learner)
	r.required("group", a.Group)
	r.date("date", a.Date, false)
	r.code("status", AttendanceStatuses, a.Status, false)
	switch {
	case a.Hours != nil && (*a.Hours < 0 || math.IsNaN(*a.Hours) || math.IsInf(*a.Hours, 0)):
		r.add("hours", "rule.negative")
	case a.Status == "late" && a.Hours == nil:
		r.add("hours", "rule.latehours")
	case (a.Status == "absent" || a.Status == "excused") && a.Hours != nil && *a.Hours != 0:
		r.add("hours", "rule.absenthours", a.Status)
	}
	r.length("learner", a.Learner, "group", a.Group)
	return r.result()
}

// CheckLessonInGroup reports a lesson outside its group's dates.
func CheckLessonInGroup(l *Lesson, g *Group) *FieldError {
	if l.Date == 0 || g.StartDate == 0 || g.EndDate == 0 || l.Date >= g.StartDate && l.Date <= g.EndDate {
		return nil
	}
	fe := fieldError("date", "rule.lessonoutsidegroup", l.Date, g.Code, g.StartDate, g.EndDate)
	return &fe
}

// CheckAttendance reports an attendance record that its context refuses,
// an integrity rule every path asks: it must be at a lesson of its group
// (lesson, nil when the group has none that day), with hours not above the
// lesson's, and its learner enrolled in the group on that day (e, nil when
// not enrolled at all; the same rule as an observation's,
// CheckObservation).
func CheckAttendance(a *Attendance, lesson *Lesson, e *Enrollment) []FieldError {
	var r rules
	if lesson == nil {
		r.add("date", "rule.nolesson", a.Group, a.Date)
	} else if a.Hours != nil && *a.Hours > lesson.Hours+hoursEpsilon {
		r.add("hours", "rule.hoursabovelesson", locale.Decimal(*a.Hours), locale.Decimal(lesson.Hours), a.Date)
	}
	if fe := CheckObservation(&Observation{Learner: a.Learner, Group: a.Group, Date: a.Date}, e); fe != nil {
		r = append(r, *fe)
	}
	return r.result()
}

// AttendanceHours returns the hours one record counts, given its lesson's
// hours: the given hours, else the lesson's for present and 0 for absent,
// excused (and a late without hours, which Validate refuses).
func AttendanceHours(a *Attendance, lessonHours float64) float64 {
	if a.Hours != nil {
		return *a.Hours
	}
	if a.Status == "present" {
		return lessonHours
	}
	return 0
}

// RegisterHours returns an enrollment's hours_attended from its register
// (spec/domain.md, "Hours from the register"): the sum of AttendanceHours
// over its records, with lessonHours the hours of the record's lesson
// (group, date); ok is false when there is no record, and the enrollment
// keeps the hours it was given.
func RegisterHours(records []Attendance, lessonHours func(group string, d Date) float64) (hours float64, ok bool) {
	for i := range records {
		hours += AttendanceHours(&records[i], lessonHours(records[i].Group, records[i].Date))
	}
	return RoundHours(hours), len(records) > 0
}

// hoursEpsilon is how far two numbers of hours may lie apart and still be
// the same: sums of decimal fractions are not exact in binary.
const hoursEpsilon = 1e-6

// SameHours reports whether two numbers of hours are the same.
func SameHours(a, b float64) bool { return math.Abs(a-b) <= hoursEpsilon }

// RoundHours rounds a number of hours to six decimals, so that a sum of
// register records is stored and compared as the decimal it is (0.1 + 0.2
// is 0.3).
func RoundHours(h float64) float64 { return math.Round(h*1e6) / 1e6 }

// FormatHours writes a number of hours as the interchange format does,
// with a decimal point and no needless digits ("12.5").
func FormatHours(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

// CheckRegisterTotal reports an enrollment's given hours_attended that
// differs from the sum of its register (spec/domain.md, "Hours from the
// register": blank or equal, naming both numbers); given is nil when
// blank, and register ok false when the enrollment has no record. An
// enrollment with neither is refused as well: its hours are required.
func CheckRegisterTotal(given *float64, register float64, ok bool) *FieldError {
	switch {
	case given == nil && !ok:
		fe := fieldError("hours_attended", "rule.hoursrequired")
		return &fe
	case given != nil && ok && !SameHours(*given, register):
		fe := fieldError("hours_attended", "rule.hoursregister", locale.Decimal(*given), locale.Decimal(register))
		return &fe
	}
	return nil
}

// EnrolledOn reports whether enrollment e counts its learner in the group
// on day d: on or after its start and, when it has an end, on or before it
// (the rule CheckObservation and CheckAttendance apply to a record).
func EnrolledOn(e *Enrollment, d Date) bool {
	return d >= e.StartDate && (e.EndDate == 0 || d <= e.EndDate)
}

// Unregistered yields every lesson before asOf, with each enrollment in
// its group enrolled on its day that has no attendance record at it
// (spec/domain.md, "attendance": such a lesson is not registered, which is
// not the same as absent). It is the one definition of an unregistered
// lesson: the data-quality finding lesson_not_registered and the
// teacher's groups page both ask it. Lessons come in the order given,
// enrollments in the order given within each.
func Unregistered(lessons []Lesson, enrollments []Enrollment, attendance []Attendance, asOf Date) iter.Seq2[*Lesson, *Enrollment] {
	return func(yield func(*Lesson, *Enrollment) bool) {
		if len(lessons) == 0 {
			return
		}
		// Per group: its lesson days, sorted, and one bit per enrollment and
		// day for "has a record". No map of every record: at 100,000
		// learners there are 5 million, and such a map spent its time in
		// cache misses; a group's bits are a few hundred.
		groupOf := map[string]int{} // group code → its index below
		var days [][]Date           // group → its lesson days, sorted, once each
		for i := range lessons {
			g, ok := groupOf[lessons[i].Group]
			if !ok {
				g = len(days)
				groupOf[lessons[i].Group] = g
				days = append(days, nil)
			}
			days[g] = append(days[g], lessons[i].Date)
		}
		for g := range days {
			slices.Sort(days[g])
			days[g] = slices.Compact(days[g])
		}
		enrolled := make([][]int, len(days)) // group → its enrollments
		for i := range enrollments {
			if g, ok := groupOf[enrollments[i].Group]; ok {
				enrolled[g] = append(enrolled[g], i)
			}
		}
		seen := make([][]uint64, len(days)) // group → bit k·len(days)+d: enrollment k has a record on day d
		for g := range days {
			seen[g] = make([]uint64, (len(enrolled[g])*len(days[g])+63)/64)
		}
		for i := range attendance {
			a := &attendance[i]
			g, ok := groupOf[a.Group]
			if !ok {
				continue
			}
			d, ok := slices.BinarySearch(days[g], a.Date)
			if !ok {
				continue
			}
			for k, j := range enrolled[g] {
				if enrollments[j].Learner == a.Learner {
					b := k*len(days[g]) + d
					seen[g][b/64] |= 1 << (b % 64)
				}
			}
		}
		for i := range lessons {
			l := &lessons[i]
			if l.Date >= asOf {
				continue
			}
			g := groupOf[l.Group]
			d, _ := slices.BinarySearch(days[g], l.Date)
			for k, j := range enrolled[g] {
				e := &enrollments[j]
				if !EnrolledOn(e, l.Date) {
					continue
				}
				if b := k*len(days[g]) + d; seen[g][b/64]&(1<<(b%64)) != 0 {
					continue
				}
				if !yield(l, e) {
					return
				}
			}
		}
	}
}

// MaxLessonHours is the most hours a planned lesson may last: a day.
const MaxLessonHours = 24

// LessonPlan is a teacher's plan of a group's lessons in one step: a
// lesson of Hours on every one of Weekdays from From to To, both within
// the group's dates.
type LessonPlan struct {
	Group    *Group
	From, To Date
	Weekdays []time.Weekday
	Hours    float64
}

// Check reports the plan's broken rules, each on its field (weekdays,
// hours, from, to): at least one weekday, the hours of a lesson
// (Lesson.Validate's rule) of at most a day, both dates given and within
// the group's (CheckLessonInGroup), and from not after to.
func (p *LessonPlan) Check() []FieldError {
	var r rules
	if len(p.Weekdays) == 0 {
		r.add("weekdays", "rule.planweekdays")
	}
	for _, d := range p.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			r.add("weekdays", "rule.planweekdays")
			break
		}
	}
	l := Lesson{Group: p.Group.Code, Date: p.Group.StartDate, Hours: p.Hours}
	for _, fe := range l.Validate() {
		if fe.Field == "hours" {
			r = append(r, fe)
		}
	}
	if p.Hours > MaxLessonHours {
		r.add("hours", "rule.planhoursday", MaxLessonHours)
	}
	for _, f := range []struct {
		name string
		d    Date
	}{{"from", p.From}, {"to", p.To}} {
		r.date(f.name, f.d, false)
		if fe := CheckLessonInGroup(&Lesson{Group: p.Group.Code, Date: f.d}, p.Group); fe != nil {
			fe.Field = f.name
			r = append(r, *fe)
		}
	}
	if p.From != 0 && p.To != 0 && p.To < p.From {
		r.add("to", "rule.planorder", p.From)
	}
	return r.result()
}

// Lessons returns the lessons of a plan that passed Check, by date,
// leaving out the days planned already (planned reports them): a plan can
// be run again, or over a period that holds lessons, and changes no
// lesson that exists.
func (p *LessonPlan) Lessons(planned func(Date) bool) []Lesson {
	var days [7]bool
	for _, d := range p.Weekdays {
		if d >= time.Sunday && d <= time.Saturday {
			days[d] = true
		}
	}
	var out []Lesson
	for d := p.From; d <= p.To && d != 0; d++ {
		if days[d.Time().Weekday()] && !planned(d) {
			out = append(out, Lesson{Group: p.Group.Code, Date: d, Hours: p.Hours})
		}
	}
	return out
}

// CheckAttendanceEntry is what a record typed into the register on today
// must pass: its own rules (Validate), its context's (CheckAttendance) and
// a lesson not after today, as every entry's date (CheckNotFuture): the
// register is kept on the day of the lesson or after it.
func CheckAttendanceEntry(a *Attendance, lesson *Lesson, e *Enrollment, today Date) []FieldError {
	out := append(a.Validate(), CheckAttendance(a, lesson, e)...)
	return append(out, Collect(CheckNotFuture("date", a.Date, today))...)
}
