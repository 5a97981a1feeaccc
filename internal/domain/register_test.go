package domain

import (
	"testing"
)

func hours(h float64) *float64 { return &h }

// TestAttendanceRules: each rule of an attendance record on its own, and
// in its context, names the field it breaks.
func TestAttendanceRules(t *testing.T) {
	d := MustDate
	lesson := &Lesson{Group: "G1", Date: d("2025-10-06"), Hours: 3}
	enr := &Enrollment{Learner: "L1", Group: "G1", StartDate: d("2025-09-01"), EndDate: d("2025-12-19"), Status: "completed"}
	rec := func(status string, h *float64) *Attendance {
		return &Attendance{Learner: "L1", Group: "G1", Date: d("2025-10-06"), Status: status, Hours: h}
	}
	for _, tc := range []struct {
		name  string
		a     *Attendance
		l     *Lesson
		e     *Enrollment
		field string // "" when valid
	}{
		{"present, blank", rec("present", nil), lesson, enr, ""},
		{"late with hours", rec("late", hours(1.5)), lesson, enr, ""},
		{"absent 0", rec("absent", hours(0)), lesson, enr, ""},
		{"late without hours", rec("late", nil), lesson, enr, "hours"},
		{"absent with hours", rec("absent", hours(1)), lesson, enr, "hours"},
		{"negative", rec("present", hours(-1)), lesson, enr, "hours"},
		{"unknown status", rec("ziek", nil), lesson, enr, "status"},
		{"above the lesson", rec("present", hours(3.5)), lesson, enr, "hours"},
		{"no lesson", rec("present", nil), nil, enr, "date"},
		{"not enrolled", rec("present", nil), lesson, nil, "group"},
		{"after the enrollment", rec("present", nil), lesson, &Enrollment{Learner: "L1", Group: "G1", StartDate: d("2025-09-01"), EndDate: d("2025-10-01")}, "date"},
	} {
		errs := append(tc.a.Validate(), CheckAttendance(tc.a, tc.l, tc.e)...)
		switch {
		case tc.field == "" && len(errs) > 0:
			t.Errorf("%s: %v, want none", tc.name, errs)
		case tc.field != "" && (len(errs) != 1 || errs[0].Field != tc.field):
			t.Errorf("%s: %v, want one on %s", tc.name, errs, tc.field)
		}
	}
	if errs := (&Lesson{Group: "G1", Date: d("2025-10-06")}).Validate(); len(errs) != 1 || errs[0].Field != "hours" {
		t.Errorf("lesson of 0 hours: %v", errs)
	}
	g := &Group{Code: "G1", StartDate: d("2025-09-01"), EndDate: d("2025-12-19")}
	if fe := CheckLessonInGroup(&Lesson{Group: "G1", Date: d("2025-12-20"), Hours: 3}, g); fe == nil || fe.Field != "date" {
		t.Errorf("lesson after the group: %v", fe)
	}
}

// TestRegisterHours: the lesson's hours for present when blank, 0 for
// absent and excused, the given hours for late; no record, no total; a
// sum of decimals is the decimal (0.1 + 0.2 = 0.3).
func TestRegisterHours(t *testing.T) {
	d := MustDate
	lessons := map[Date]float64{d("2025-10-06"): 3, d("2025-10-13"): 2.5, d("2025-10-20"): 0.1, d("2025-10-27"): 0.2}
	of := func(_ string, day Date) float64 { return lessons[day] }
	recs := []Attendance{
		{Date: d("2025-10-06"), Status: "present"},
		{Date: d("2025-10-13"), Status: "late", Hours: hours(1.5)},
		{Date: d("2025-10-20"), Status: "present"},
		{Date: d("2025-10-27"), Status: "present"},
		{Date: d("2025-11-03"), Status: "excused"},
	}
	if h, ok := RegisterHours(recs, of); !ok || h != 4.8 {
		t.Errorf("RegisterHours = %v, %v; want 4.8, true", h, ok)
	}
	if h, ok := RegisterHours(nil, of); ok || h != 0 {
		t.Errorf("RegisterHours(none) = %v, %v; want 0, false", h, ok)
	}
	if fe := CheckRegisterTotal(hours(5), 4.8, true); fe == nil || fe.Message != "5 differs from the 4.8 hours of the enrollment's attendance register (leave it blank or give that sum)" {
		t.Errorf("conflicting total: %v", fe)
	}
	for _, ok := range []bool{
		CheckRegisterTotal(nil, 4.8, true) == nil,
		CheckRegisterTotal(hours(4.8), 4.8, true) == nil,
		CheckRegisterTotal(hours(12), 0, false) == nil,
		CheckRegisterTotal(nil, 0, false) != nil,
	} {
		if !ok {
			t.Errorf("CheckRegisterTotal: a case fails")
		}
	}
}
