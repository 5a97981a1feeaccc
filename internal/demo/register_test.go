package demo

import (
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestLivingRegister asserts, on a fixed Monday in term, that the demo looks
// like a living installation on that day: groups running with lessons that
// day, recent evaluations and observations, about 30 to 50 lessons per
// enrollment, every attendance status, a few lessons not registered yet,
// and drop-outs that were absent and less well before they left.
func TestLivingRegister(t *testing.T) {
	day := domain.NewDate(2026, time.November, 16) // a Monday
	ds := generate(t, Options{Learners: 2000, Seed: 1, Today: day})

	groups := map[string]*domain.Group{}
	running := 0
	for i := range ds.Groups {
		g := &ds.Groups[i]
		groups[g.Code] = g
		if g.StartDate <= day && g.EndDate >= day {
			running++
		}
	}
	lessonsOn := map[string][]domain.Date{}
	today := 0
	for _, l := range ds.Lessons {
		lessonsOn[l.Group] = append(lessonsOn[l.Group], l.Date)
		if l.Date == day {
			today++
		}
	}
	if running < 20 || today < running/4 {
		t.Errorf("%d groups running on %s, %d lessons that day; want a living installation", running, day, today)
	}
	recent := func(d domain.Date) bool { return d > day-30 && d <= day }
	var evals, obs int
	for _, e := range ds.Evaluations {
		if recent(e.Date) {
			evals++
		}
	}
	for _, o := range ds.Observations {
		if recent(o.Date) {
			obs++
		}
	}
	if evals < 20 || obs < 20 {
		t.Errorf("%d evaluations and %d observations in the last 30 days, want recent ones", evals, obs)
	}

	type key = [2]string
	records := map[key][]domain.Attendance{}
	statuses := map[string]int{}
	for _, a := range ds.Attendance {
		records[key{a.Learner, a.Group}] = append(records[key{a.Learner, a.Group}], a)
		statuses[a.Status]++
	}
	for _, s := range domain.AttendanceStatuses.Codes {
		if statuses[s] < len(ds.Attendance)/100 {
			t.Errorf("%d of %d records %s", statuses[s], len(ds.Attendance), s)
		}
	}
	if p := float64(statuses["present"]+statuses["late"]) / float64(len(ds.Attendance)); p < 0.7 || p > 0.9 {
		t.Errorf("%.0f %% of the records present or late, want 70–90 %%", 100*p)
	}

	// Lessons per enrollment, and lessons before the day without a record
	// for an enrolled learner (not registered: a few, and most of them
	// recent).
	var enrolled, lessons, unregistered, recentUnregistered int
	lastWellbeing := map[key]domain.Score{}
	for _, o := range ds.Observations {
		if o.Wellbeing != 0 {
			lastWellbeing[key{o.Learner, o.Group}] = o.Wellbeing // in date order per enrollment
		}
	}
	var dropped, droppedAbsent, completed, completedAbsent int
	var droppedWB, completedWB, droppedN, completedN float64
	for _, e := range ds.Enrollments {
		if e.StartDate > day {
			continue
		}
		end := e.EndDate
		if end == 0 {
			end = day
		}
		recs := records[key{e.Learner, e.Group}]
		has := map[domain.Date]bool{}
		for _, a := range recs {
			has[a.Date] = true
		}
		enrolled++
		for _, d := range lessonsOn[e.Group] {
			if d < e.StartDate || d > end {
				continue
			}
			lessons++
			if d < day && !has[d] {
				unregistered++
				if d > day-21 {
					recentUnregistered++
				}
			}
		}
		// The last two records of an enrollment that ended.
		if e.EndDate == 0 || len(recs) < 4 {
			continue
		}
		absent := recs[len(recs)-1].Status == "absent" && recs[len(recs)-2].Status == "absent"
		wb, ok := lastWellbeing[key{e.Learner, e.Group}]
		switch e.Status {
		case "dropped":
			dropped++
			if absent {
				droppedAbsent++
			}
			if ok {
				droppedWB, droppedN = droppedWB+float64(wb), droppedN+1
			}
		case "completed":
			completed++
			if absent {
				completedAbsent++
			}
			if ok {
				completedWB, completedN = completedWB+float64(wb), completedN+1
			}
		}
	}
	if per := float64(lessons) / float64(enrolled); per < 25 || per > 60 {
		t.Errorf("%.1f lessons per enrollment, want about 30 to 50", per)
	}
	if unregistered == 0 || unregistered > lessons/50 || recentUnregistered < unregistered/3 {
		t.Errorf("%d of %d lessons not registered (%d in the last three weeks), want a few, many of them recent", unregistered, lessons, recentUnregistered)
	}
	if dropped < 50 || float64(droppedAbsent)/float64(dropped) < 0.5 || float64(completedAbsent)/float64(completed) > 0.1 {
		t.Errorf("absent at the last two lessons: %d of %d drop-outs, %d of %d completions; want most drop-outs, few completions",
			droppedAbsent, dropped, completedAbsent, completed)
	}
	if droppedN < 30 || droppedWB/droppedN > completedWB/completedN-0.3 {
		t.Errorf("last wellbeing %.2f of %v drop-outs, %.2f of %v completions: want it lower before dropping out",
			droppedWB/droppedN, droppedN, completedWB/completedN, completedN)
	}
}
