package demo

import (
	"math"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// The attendance register (spec/domain.md, lesson and attendance): every
// group has its lessons on its weekdays between its dates, outside the
// school holidays, and every enrolled learner a record per lesson up to
// Today, from which their enrollment's hours_attended is summed ("Hours from
// the register"). A learner who is going to drop out comes less often and
// then stays away for some lessons before the enrollment is closed; a few
// groups' most recent lessons are not registered yet, as in a real centre.
//
// The register draws from a stream of its own (generator.rr), so that it
// leaves the rest of the simulation's sequence as it was.

// Attendance statuses as stored in attRec, in domain.AttendanceStatuses order.
const (
	aPresent uint8 = iota
	aLate
	aAbsent
	aExcused
)

// attRec is one attendance record while the simulation runs: its lesson's
// date, its status and, when late, the quarter-hours attended.
type attRec struct {
	date     domain.Date
	status   uint8
	quarters uint8
}

// schedule draws how group gi is taught: its weekdays (three to four hours a
// lesson), and whether its teacher is behind with the register.
func (g *generator) schedule(gr *group, hpw float64) {
	days := min(max(int(math.Round(hpw/4)), 1), 5)
	for _, wd := range g.rr.Perm(5)[:days] {
		gr.weekdays |= 1 << (wd + 1) // Monday is 1
	}
	if g.rr.Float64() < 0.12 {
		gr.lag = uint8(3 + g.rr.IntN(12)) // the last days' lessons are not registered yet
	}
	gr.todayDone = g.rr.Float64() < 0.5 // today's lesson, if any, is already registered
}

// lessonsOf returns the lesson dates of group gi, in date order, and the
// hours of each lesson: its weekdays from start to end outside the
// holidays (a summer course teaches in the summer), at least one lesson,
// together no more than the group's planned hours.
func (g *generator) lessonsOf(gi int32) ([]domain.Date, float64) {
	gr := &g.groups[gi]
	if gr.lessons != nil {
		return gr.lessons, gr.lessonHours
	}
	var ds []domain.Date
	h := 0
	for d := gr.start; d <= gr.end; d++ {
		if gr.weekdays&(1<<weekday(d)) == 0 {
			continue
		}
		for h < len(g.hol) && g.hol[h].end < d {
			h++
		}
		if h < len(g.hol) && d >= g.hol[h].start && !(gr.summer && g.hol[h].summer) {
			continue
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		ds = append(ds, gr.start)
	}
	gr.lessons = ds
	gr.lessonHours = max(0.25, math.Floor(float64(gr.hours)/float64(len(ds))*4)/4)
	return gr.lessons, gr.lessonHours
}

// registered reports whether group gr's lesson on day d has its records
// (on Today, a generated export, some teachers have not got to it yet).
func (g *generator) registered(gr *group, d domain.Date) bool {
	switch {
	case d == g.today:
		return gr.todayDone && gr.lag == 0
	case gr.lag > 0 && d > g.today-domain.Date(gr.lag):
		return false
	}
	return true
}

// register writes learner's attendance in group gi for an enrollment from
// start to stop (the planned or actual end), recorded up to until, with
// att the learner's usual presence. A drop-out (drop) comes less in the
// weeks before and stays away for the last lessons. It returns the hours
// attended, the share of the registered hours attended (-1 without a
// registered lesson), and the day the learner began to slip away (0 when
// not dropping out).
func (g *generator) register(gi int32, start, until, stop domain.Date, drop bool, att float64) (hours, ratio float64, fade domain.Date) {
	gr := &g.groups[gi]
	ls, lh := g.lessonsOf(gi)
	lo, _ := slices.BinarySearch(ls, start)
	hi, found := slices.BinarySearch(ls, stop)
	if found {
		hi++
	}
	rr := g.rr
	away := hi // the lessons from here on a drop-out does not attend
	if drop {
		switch u := rr.Float64(); {
		case u < 0.72:
			away = max(lo, hi-(2+rr.IntN(6)))
		case u < 0.86:
			away = max(lo, hi-1)
		}
		first := stop
		if away < hi {
			first = ls[away]
		}
		fade = max(start, first-28)
	}
	sick, sickN := -1, 0
	if rr.Float64() < 0.2 && hi > lo { // a few lessons away ill, mostly excused
		sick, sickN = lo+rr.IntN(hi-lo), 1+rr.IntN(4)
	}
	possible := 0.0
	for j := lo; j < hi && ls[j] <= until; j++ {
		d := ls[j]
		if !g.registered(gr, d) || rr.Float64() < 0.0015 { // a forgotten lesson
			continue
		}
		r := attRec{date: d}
		switch {
		case j >= away:
			r.status = aAbsent
			if rr.Float64() < 0.08 {
				r.status = aExcused
			}
		case j >= sick && j < sick+sickN:
			r.status = aExcused
			if rr.Float64() < 0.35 {
				r.status = aAbsent
			}
		default:
			p := att
			if drop && d >= fade {
				p *= 0.7
			}
			switch u := rr.Float64(); {
			case u < p*0.93:
				r.status = aPresent
			case u < p:
				r.status = aLate
			case rr.Float64() < 0.5:
				r.status = aAbsent
			default:
				r.status = aExcused
			}
		}
		switch r.status {
		case aPresent:
			hours += lh
		case aLate:
			q := max(1, int(lh*4)-1-rr.IntN(4))
			r.quarters = uint8(q)
			hours += float64(q) / 4
		}
		possible += lh
		g.att = append(g.att, r)
	}
	if possible == 0 {
		return 0, -1, fade
	}
	return domain.RoundHours(hours), hours / possible, fade
}

// writeRegister adds the lessons of every group (in the order of codes)
// and the attendance of every enrollment (in the final order of the
// enrollments, perm mapping each to its index in the simulation).
func (g *generator) writeRegister(order []int32, codes []string, perm []int32) {
	ds := g.ds
	n := 0
	for _, gi := range order {
		ls, _ := g.lessonsOf(gi)
		n += len(ls)
	}
	ds.Lessons = make([]domain.Lesson, 0, n)
	for _, gi := range order {
		ls, h := g.lessonsOf(gi)
		for _, d := range ls {
			ds.Lessons = append(ds.Lessons, domain.Lesson{Group: codes[gi], Date: d, Hours: h})
		}
	}
	late := 0
	for _, r := range g.att {
		if r.status == aLate {
			late++
		}
	}
	lateHours := make([]float64, 0, late) // one allocation for every late record's hours
	ds.Attendance = make([]domain.Attendance, 0, len(g.att))
	for k, i := range perm {
		e := &ds.Enrollments[k]
		to := len(g.att)
		if int(i)+1 < len(g.enrAtt) {
			to = int(g.enrAtt[i+1])
		}
		for _, r := range g.att[g.enrAtt[i]:to] {
			a := domain.Attendance{Learner: e.Learner, Group: e.Group, Date: r.date, Status: domain.AttendanceStatuses.Codes[r.status]}
			if r.status == aLate {
				lateHours = append(lateHours, float64(r.quarters)/4)
				a.Hours = &lateHours[len(lateHours)-1]
			}
			ds.Attendance = append(ds.Attendance, a)
		}
	}
	g.att, g.enrAtt = nil, nil
}
