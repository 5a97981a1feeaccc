package risk

import (
	"math"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

var d = domain.MustDate

// handData is a small installation whose features on 2025-02-24 are worked
// out by hand in TestFeaturesByHand.
func handData() *Input {
	ds := &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Type: "cvo"}, {Code: "P2", Type: "cbe"}},
		Modules:   []domain.Module{{Code: "M1", Provider: "P1"}, {Code: "M2", Provider: "P2"}},
		Learners: []domain.Learner{
			{ID: "L1", BirthDate: d("1990-03-01"), Gender: "f", LearningRoute: "alfa", Literacy: "non_literate",
				SchoolingLevel: "none", CivicStatus: "obliged", HomeLanguage: "ti", CountryOfBirth: "ER"},
			{ID: "L2", BirthDate: d("1975-01-01"), Gender: "m", LearningRoute: "fast", Literacy: "literate_latin",
				SchoolingLevel: "higher", CivicStatus: "voluntary"},
			{ID: "L3", BirthDate: d("2008-01-01"), Gender: "x", LearningRoute: "standard", Literacy: "unknown",
				SchoolingLevel: "unknown", CivicStatus: "none"},
		},
		Groups: []domain.Group{
			{Code: "G0", Module: "M2", StartDate: d("2024-09-02"), EndDate: d("2024-12-20")},
			{Code: "G1", Module: "M1", StartDate: d("2025-01-06"), EndDate: d("2025-06-27")},
			{Code: "G3", Module: "M2", StartDate: d("2025-02-24"), EndDate: d("2025-02-24")},
			{Code: "GOLD", Module: "M1", StartDate: d("2024-09-02"), EndDate: d("2025-01-10")},
		},
		Referrals: []domain.Referral{
			{Learner: "L1", Date: d("2024-10-01")}, {Learner: "L1", Date: d("2024-12-01")}, {Learner: "L1", Date: d("2025-03-01")},
		},
		Enrollments: []domain.Enrollment{
			{Learner: "L1", Group: "G0", StartDate: d("2024-09-02"), EndDate: d("2024-12-15"), Status: "dropped"},
			{Learner: "L1", Group: "G1", StartDate: d("2025-01-06"), Status: "active", HoursAttended: 40},
			{Learner: "L2", Group: "G1", StartDate: d("2025-02-10"), EndDate: d("2025-03-10"), Status: "dropped"},
			{Learner: "L3", Group: "G3", StartDate: d("2025-02-24"), Status: "active"},
			// GOLD ended more than grace_days before the day: not open.
			{Learner: "L3", Group: "GOLD", StartDate: d("2024-09-02"), Status: "active"},
		},
		Evaluations: []domain.Evaluation{
			{Learner: "L1", Date: d("2025-02-14"), Kind: "external_test", Decision: "none"},
			{Learner: "L1", Group: "G1", Date: d("2025-02-10"), Kind: "formative", Decision: "fail"},
			{Learner: "L1", Group: "G1", Date: d("2025-02-10"), Kind: "intake", Decision: "pass"},
			{Learner: "L1", Group: "G1", Date: d("2025-01-20"), Kind: "intake", Decision: "pass"},
			{Learner: "L1", Group: "G1", Date: d("2025-02-25"), Kind: "formative", Decision: "pass"},
		},
		Observations: []domain.Observation{
			{Learner: "L1", Group: "G1", Date: d("2025-02-20"), Wellbeing: 2},
			{Learner: "L1", Group: "G1", Date: d("2025-01-20"), Wellbeing: 4, Involvement: 3},
			{Learner: "L1", Group: "G1", Date: d("2025-02-10"), Wellbeing: 3},
			{Learner: "L1", Group: "G1", Date: d("2025-02-27"), Wellbeing: 5, Involvement: 5},
			{Learner: "L1", Group: "G0", Date: d("2024-11-01"), Wellbeing: 1, Involvement: 1},
		},
	}
	in := &Input{Data: ds}
	for _, s := range []string{"2025-02-03", "2025-02-05", "2025-02-10", "2025-02-12", "2025-02-17", "2025-02-19",
		"2025-02-24", "2025-02-26", "2025-03-03"} {
		in.Lessons = append(in.Lessons, Lesson{Group: "G1", Date: d(s), Hours: 3})
	}
	for _, a := range []struct {
		date, status string
		hours        float64
	}{
		{"2025-02-03", Present, 3}, {"2025-02-05", Late, 1.5}, {"2025-02-10", Excused, 0}, {"2025-02-12", Absent, 0},
		{"2025-02-19", Absent, 0}, {"2025-02-24", Absent, 0}, {"2025-02-26", Present, 3}, {"2025-03-03", Absent, 0},
	} {
		in.Attendance = append(in.Attendance, Attendance{Learner: "L1", Group: "G1", Date: d(a.date), Status: a.status, Hours: a.hours})
	}
	return in
}

// featuresOn returns the features of every enrollment open on day.
func featuresOn(in *Input, day domain.Date) map[key]Features {
	out := map[key]Features{}
	for _, e := range newIndex(in).onDay(day, "") {
		out[key{e.Learner, e.Group}] = e.Features
	}
	return out
}

func TestFeaturesByHand(t *testing.T) {
	fs := featuresOn(handData(), d("2025-02-24"))
	if len(fs) != 3 {
		t.Fatalf("open enrollments %v, want L1/G1, L2/G1 and L3/G3", fs)
	}
	undefined := math.NaN()
	for _, c := range []struct {
		k    key
		want [numNumeric]float64
		attr [numCategorical]string
	}{
		{key{"L1", "G1"}, [numNumeric]float64{
			AbsenceStreak:       3,          // 24, 19 absent, 17 skipped (no record), 12 absent, 10 excused ends it
			Attendance4w:        4.5 / 18,   // six records of 3 hours in (01-27, 02-24]: 3 + 1.5 attended
			Unregistered4w:      1.0 / 7,    // 02-17 of seven lessons
			WeeksEnrolled:       7,          // 49 days
			ShareOfGroupPassed:  49.0 / 172, // 01-06 → 02-24 of 01-06 → 06-27
			DaysSinceEvaluation: 10,         // the external test of 02-14
			LastEvaluationFail:  1,          // 02-10 has a fail beside a pass
			WellbeingLast:       2,          // 02-20 in G1 (the 1 of G0 and the 5 of 02-27 do not count)
			InvolvementLast:     3,          // 01-20
			WellbeingChange:     -2,         // 4 → 2
			WaitingDays:         36,         // 12-01 → 01-06
			EarlierDropouts:     1,          // G0
		}, [numCategorical]string{"alfa", "non_literate", "none", "obliged", "25-34"}},
		{key{"L2", "G1"}, [numNumeric]float64{
			AbsenceStreak: 0, Attendance4w: undefined, Unregistered4w: 1, WeeksEnrolled: 2,
			ShareOfGroupPassed: 49.0 / 172, DaysSinceEvaluation: 14, LastEvaluationFail: 0,
			WellbeingLast: undefined, InvolvementLast: undefined, WellbeingChange: undefined, WaitingDays: undefined,
			EarlierDropouts: 0,
		}, [numCategorical]string{"fast", "literate_latin", "higher", "voluntary", "50+"}},
		{key{"L3", "G3"}, [numNumeric]float64{
			Attendance4w: undefined, Unregistered4w: undefined, ShareOfGroupPassed: 1,
			WellbeingLast: undefined, InvolvementLast: undefined, WellbeingChange: undefined, WaitingDays: undefined,
		}, [numCategorical]string{"standard", "unknown", "unknown", "none", "16-24"}},
	} {
		f, ok := fs[c.k]
		if !ok {
			t.Errorf("%v: not open", c.k)
			continue
		}
		for i, want := range c.want {
			switch {
			case math.IsNaN(want) && f.Defined[i]:
				t.Errorf("%v %s = %v, want undefined", c.k, NumericNames[i], f.Value[i])
			case !math.IsNaN(want) && !f.Defined[i]:
				t.Errorf("%v %s undefined, want %v", c.k, NumericNames[i], want)
			case !math.IsNaN(want) && math.Abs(f.Value[i]-want) > 1e-12:
				t.Errorf("%v %s = %v, want %v", c.k, NumericNames[i], f.Value[i], want)
			}
		}
		if f.Attr != c.attr {
			t.Errorf("%v attributes %v, want %v", c.k, f.Attr, c.attr)
		}
	}
	if got := fs[key{"L1", "G1"}].WellbeingFirst; got != 4 {
		t.Errorf("WellbeingFirst = %d, want 4", got)
	}
}

func TestLeavesEarly(t *testing.T) {
	day := d("2025-02-24")
	for _, c := range []struct {
		status string
		end    string
		want   bool
	}{
		{"dropped", "2025-02-25", true}, {"dropped", "2025-04-21", true}, // D + 56
		{"dropped", "2025-04-22", false}, {"dropped", "2025-02-24", false},
		{"completed", "2025-03-01", false}, {"transferred", "2025-03-01", false}, {"active", "", false},
	} {
		var end domain.Date
		if c.end != "" {
			end = d(c.end)
		}
		if got := LeavesEarly(&domain.Enrollment{Status: c.status, EndDate: end}, day); got != c.want {
			t.Errorf("%s ending %s: leaves early %v, want %v", c.status, c.end, got, c.want)
		}
	}
}

func TestLastDay(t *testing.T) {
	in := handData()
	// Plans do not count: a lesson, a group's end or a start date later than
	// every event leaves the last day where the events put it.
	in.Lessons = append(in.Lessons, Lesson{Group: "G1", Date: d("2025-06-27"), Hours: 3})
	in.Data.Enrollments = append(in.Data.Enrollments, domain.Enrollment{Learner: "L2", Group: "G0", StartDate: d("2025-05-01"), Status: "active"})
	if got, want := LastDay(in), d("2025-03-10"); got != want {
		t.Errorf("last day %s, want %s (L2's end date)", got, want)
	}
}

func TestMondays(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2025-02-24", "2025-02-24"}, {"2025-02-25", "2025-03-03"}, {"2025-03-02", "2025-03-03"},
	} {
		if got := FirstMonday(d(c.in)); got != d(c.want) || !IsMonday(got) {
			t.Errorf("FirstMonday(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}
