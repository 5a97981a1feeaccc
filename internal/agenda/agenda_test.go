package agenda

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// The teacher's day on a fixed day, Monday 16 March 2026, over groups that
// each show one way a group meets or has something due.
func TestCompute(t *testing.T) {
	t.Parallel()
	d := domain.MustDate
	day := d("2026-03-16") // a Monday
	group := func(code, start, end string) domain.Group {
		return domain.Group{Code: code, Module: "M", StartDate: d(start), EndDate: d(end), PlannedHours: 60, Teacher: "t", Intensity: "standard"}
	}
	enr := func(learner, group, status, start, end string) domain.Enrollment {
		e := domain.Enrollment{Learner: learner, Group: group, Status: status, StartDate: d(start)}
		if end != "" {
			e.EndDate = d(end)
		}
		return e
	}
	lesson := func(group, date string) domain.Lesson { return domain.Lesson{Group: group, Date: d(date), Hours: 3} }
	present := func(learner, group, date string) domain.Attendance {
		return domain.Attendance{Learner: learner, Group: group, Date: d(date), Status: "present"}
	}
	obs := func(learner, group string) domain.Observation {
		return domain.Observation{Learner: learner, Group: group, Date: d("2026-02-02"), Wellbeing: 4}
	}
	moduleEnd := func(learner, group string) domain.Evaluation {
		return domain.Evaluation{Learner: learner, Group: group, Kind: "module_end", Date: d("2026-03-10"), Decision: "pass"}
	}
	ds := &domain.DataSet{
		Modules: []domain.Module{{Code: "M", Name: "Richtgraad 1"}},
		Groups: []domain.Group{
			group("LES", "2026-01-05", "2026-06-26"),  // a lesson today
			group("NIET", "2026-01-05", "2026-06-26"), // lessons planned, none today
			group("WEEK", "2026-01-05", "2026-06-26"), // only past lessons, on Mondays
			group("DINS", "2026-01-05", "2026-06-26"), // only past lessons, on Tuesdays
			group("LEEG", "2026-01-05", "2026-06-26"), // no lessons at all
			group("EIND", "2026-01-05", "2026-04-03"), // ends in 18 days
			group("VER", "2026-01-05", "2026-04-08"),  // ends in 23 days: not yet due
			group("OUD", "2025-09-01", "2026-03-06"),  // ended 10 days ago
			group("VOORBIJ", "2025-09-01", "2026-02-06"),
		},
		Enrollments: []domain.Enrollment{
			enr("a", "LES", "active", "2026-01-05", ""), enr("b", "LES", "active", "2026-01-05", ""),
			enr("c", "LES", "dropped", "2026-01-05", "2026-02-01"), // left: neither in class nor due
			enr("d", "NIET", "active", "2026-01-05", ""),
			enr("e", "WEEK", "active", "2026-01-05", ""),
			enr("f", "DINS", "active", "2026-01-05", ""),
			enr("g", "LEEG", "active", "2026-01-05", ""),
			enr("h", "EIND", "active", "2026-01-05", ""), enr("i", "EIND", "active", "2026-01-05", ""),
			enr("j", "EIND", "transferred", "2026-01-05", "2026-02-20"),
			enr("k", "VER", "active", "2026-01-05", ""),
			enr("l", "OUD", "completed", "2025-09-01", "2026-03-06"), enr("m", "OUD", "completed", "2025-09-01", "2026-03-06"),
			enr("n", "VOORBIJ", "completed", "2025-09-01", "2026-02-06"),
		},
		Lessons: []domain.Lesson{
			lesson("LES", "2026-03-12"), lesson("LES", "2026-03-16"), lesson("LES", "2026-03-19"),
			lesson("NIET", "2026-03-17"),
			lesson("WEEK", "2026-03-02"), lesson("WEEK", "2026-03-09"),
			lesson("DINS", "2026-03-03"), lesson("DINS", "2026-03-10"),
		},
		Attendance: []domain.Attendance{
			present("a", "LES", "2026-03-12"), // b's record of 12 March is missing
			present("a", "LES", "2026-03-16"), // today: b still to register
			present("e", "WEEK", "2026-03-02"), present("e", "WEEK", "2026-03-09"),
			present("f", "DINS", "2026-03-03"), // 10 March is missing
		},
		Evaluations: []domain.Evaluation{moduleEnd("h", "EIND"), moduleEnd("l", "OUD")},
		Observations: []domain.Observation{obs("a", "LES"), obs("b", "LES"), obs("d", "NIET"), obs("e", "WEEK"),
			obs("f", "DINS"), obs("h", "EIND"), obs("i", "EIND"), obs("k", "VER")},
	}
	got := Compute(ds, day)

	var meetings []string
	for _, m := range got.Meetings {
		meetings = append(meetings, fmt.Sprintf("%s %s open=%d pending=%d hours=%v", m.Group.Code, m.Basis, m.Open, m.Pending, m.Hours))
	}
	wantMeetings := []string{
		"LES lesson open=2 pending=1 hours=3",
		"WEEK weekday open=1 pending=0 hours=0",
		"EIND noplan open=2 pending=0 hours=0",
		"LEEG noplan open=1 pending=0 hours=0",
		"VER noplan open=1 pending=0 hours=0",
	}
	if !slices.Equal(meetings, wantMeetings) {
		t.Errorf("meetings:\n%s\nwant:\n%s", strings.Join(meetings, "\n"), strings.Join(wantMeetings, "\n"))
	}

	var todo []string
	for _, it := range got.Todo {
		todo = append(todo, strings.TrimSpace(fmt.Sprintf("%s %s %s n=%d %v %s", it.Kind, it.Group, it.Date, it.Count, it.Learners, it.Latest)))
	}
	wantTodo := []string{
		"module_end OUD 2026-03-06 n=1 [m]",
		"module_end EIND 2026-04-03 n=1 [i]",
		"not_observed LEEG 2026-01-05 n=1 [g]",
		"not_registered DINS 2026-03-10 n=1 [] 2026-03-10",
		"not_registered LES 2026-03-12 n=1 [] 2026-03-12",
	}
	if !slices.Equal(todo, wantTodo) {
		t.Errorf("todo:\n%s\nwant:\n%s", strings.Join(todo, "\n"), strings.Join(wantTodo, "\n"))
	}
}

// A day's lesson counts its learners enrolled on the day, and a group of
// many unregistered lessons is one item with its first and last date.
func TestComputeCountsLessons(t *testing.T) {
	t.Parallel()
	d := domain.MustDate
	ds := &domain.DataSet{
		Groups:      []domain.Group{{Code: "G", Module: "M", StartDate: d("2026-01-05"), EndDate: d("2026-06-26")}},
		Enrollments: []domain.Enrollment{{Learner: "a", Group: "G", Status: "active", StartDate: d("2026-01-05")}, {Learner: "b", Group: "G", Status: "active", StartDate: d("2026-03-10")}},
		Lessons:     []domain.Lesson{{Group: "G", Date: d("2026-03-02"), Hours: 2}, {Group: "G", Date: d("2026-03-09"), Hours: 2}, {Group: "G", Date: d("2026-03-16"), Hours: 2.5}},
	}
	got := Compute(ds, d("2026-03-16"))
	if len(got.Meetings) != 1 || got.Meetings[0].Basis != BasisLesson || got.Meetings[0].Open != 2 || got.Meetings[0].Pending != 2 || got.Meetings[0].Hours != 2.5 {
		t.Errorf("meetings = %+v, want G's lesson of 2.5 hours with 2 learners to register", got.Meetings)
	}
	var reg *Item
	for i := range got.Todo {
		if got.Todo[i].Kind == NotRegistered {
			reg = &got.Todo[i]
		}
	}
	// b joined after both past lessons: only a's records are missing.
	if reg == nil || reg.Count != 2 || reg.Date != d("2026-03-02") || reg.Latest != d("2026-03-09") {
		t.Errorf("unregistered = %+v, want 2 lessons from 2026-03-02 to 2026-03-09", reg)
	}
}
