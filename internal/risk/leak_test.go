package risk

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestNoLeakage is the property of spec/early-warning.md ("Terms", known on
// D): change or add any record dated after D, and any enrollment's final
// hours and status, and every feature on D — and which enrollments are
// open on D — stays as it was.
func TestNoLeakage(t *testing.T) {
	base := synth(7, 160, true)
	days := []string{"2023-01-16", "2023-10-02", "2024-03-13", "2024-11-25", "2025-05-05"}
	for _, s := range days {
		day := d(s)
		want := featuresOn(base, day)
		if len(want) == 0 {
			t.Fatalf("%s: no open enrollment to test with", s)
		}
		for seed := range uint64(8) {
			r := rand.New(rand.NewPCG(seed, uint64(day)))
			changed := perturbAfter(base, day, r)
			got := featuresOn(changed, day)
			if len(got) != len(want) {
				t.Fatalf("%s seed %d: %d open enrollments, want %d", s, seed, len(got), len(want))
			}
			for k, f := range want {
				if g, ok := got[k]; !ok {
					t.Errorf("%s seed %d: %v no longer open", s, seed, k)
				} else if g != f {
					t.Errorf("%s seed %d: %v features\n%+v\nwant\n%+v", s, seed, k, g, f)
				}
			}
		}
	}
	// The perturbation must reach the data: the same change before the day
	// does move a feature, or the test proves nothing.
	day := d("2024-03-13")
	moved := copyInput(base)
	for i := range moved.Attendance {
		if a := &moved.Attendance[i]; a.Date <= day && a.Date > day.AddDays(-14) {
			a.Status, a.Hours = Absent, 0
		}
	}
	if featuresEqual(featuresOn(moved, day), featuresOn(base, day)) {
		t.Fatal("absences before the day left every feature unchanged")
	}
}

func featuresEqual(a, b map[key]Features) bool {
	if len(a) != len(b) {
		return false
	}
	for k, f := range a {
		if b[k] != f {
			return false
		}
	}
	return true
}

// copyInput returns a copy of in whose slices can be changed freely.
func copyInput(in *Input) *Input {
	ds := *in.Data
	ds.Learners = slices.Clone(ds.Learners)
	ds.Referrals = slices.Clone(ds.Referrals)
	ds.Placements = slices.Clone(ds.Placements)
	ds.Groups = slices.Clone(ds.Groups)
	ds.Enrollments = slices.Clone(ds.Enrollments)
	ds.Evaluations = slices.Clone(ds.Evaluations)
	ds.Certificates = slices.Clone(ds.Certificates)
	ds.Outflows = slices.Clone(ds.Outflows)
	ds.FollowUps = slices.Clone(ds.FollowUps)
	ds.Observations = slices.Clone(ds.Observations)
	return &Input{Data: &ds, Lessons: slices.Clone(in.Lessons), Attendance: slices.Clone(in.Attendance)}
}

// perturbAfter returns a copy of in with records dated after day changed
// and added at random, and every enrollment's hours, and the status and end
// date of those not ended by day, redrawn.
func perturbAfter(in *Input, day domain.Date, r *rand.Rand) *Input {
	out := copyInput(in)
	ds := out.Data
	later := func() domain.Date { return day.AddDays(1 + r.IntN(400)) }
	learner := func() string { return ds.Learners[r.IntN(len(ds.Learners))].ID }
	group := func() string { return ds.Groups[r.IntN(len(ds.Groups))].Code }
	score := func() domain.Score { return domain.Score(1 + r.IntN(5)) }
	statuses := domain.EnrollmentStatuses.Codes

	// Change what is dated after the day.
	for i := range ds.Evaluations {
		if e := &ds.Evaluations[i]; e.Date > day {
			e.Decision, e.Group = "fail", group()
		}
	}
	for i := range ds.Observations {
		if o := &ds.Observations[i]; o.Date > day {
			o.Wellbeing, o.Involvement = score(), score()
		}
	}
	for i := range out.Attendance {
		if a := &out.Attendance[i]; a.Date > day {
			a.Status, a.Hours = Absent, 0
			if r.IntN(2) == 0 {
				a.Status, a.Hours = Present, 9
			}
		}
	}
	for i := range out.Lessons {
		if l := &out.Lessons[i]; l.Date > day {
			l.Hours = 0.5 + float64(r.IntN(8))
		}
	}
	for i := range ds.Referrals {
		if x := &ds.Referrals[i]; x.Date > day {
			x.Date = later()
		}
	}
	for i := range ds.Outflows {
		if o := &ds.Outflows[i]; o.Date > day {
			o.Type, o.Reason = "qualified", ""
		}
	}
	// The enrollments: final hours of all, final status and end of those
	// not ended by the day (an end after the day stays after it).
	for i := range ds.Enrollments {
		e := &ds.Enrollments[i]
		e.HoursAttended = float64(r.IntN(300))
		if e.EndDate == 0 || e.EndDate > day {
			e.Status = statuses[r.IntN(len(statuses))]
			e.EndDate = 0
			if e.Status != "active" || r.IntN(2) == 0 {
				e.EndDate = later()
			}
		}
	}
	// Add records dated after the day.
	for range 40 {
		l, g := learner(), group()
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: l, Date: later(), Source: "self"})
		ds.Placements = append(ds.Placements, domain.Placement{Learner: l, Date: later(), Module: "M1", Method: "test"})
		ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: l, Group: g, Date: later(), Kind: "formative", Decision: "fail"},
			domain.Evaluation{Learner: l, Date: later(), Kind: "external_test", Decision: "pass"})
		ds.Observations = append(ds.Observations, domain.Observation{Learner: l, Group: g, Date: later(), Wellbeing: score(), Involvement: score()})
		ds.Certificates = append(ds.Certificates, domain.Certificate{Learner: l, Kind: "external", Date: later()})
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: l, Date: later(), Type: "early_leaver", Reason: "unknown"})
		ds.FollowUps = append(ds.FollowUps, domain.FollowUp{Learner: l, Date: later(), Status: "work"})
		start := later()
		ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: l, Group: g, StartDate: start,
			EndDate: start.AddDays(r.IntN(30)), Status: "dropped"})
		ld := later()
		out.Lessons = append(out.Lessons, Lesson{Group: g, Date: ld, Hours: 2})
		out.Attendance = append(out.Attendance, Attendance{Learner: l, Group: g, Date: ld, Status: Absent})
	}
	// A new group starting after the day, with its own lessons.
	code := fmt.Sprintf("GNEW-%d", r.IntN(1000))
	start := later()
	ds.Groups = append(ds.Groups, domain.Group{Code: code, Module: "M1", StartDate: start, EndDate: start.AddDays(90)})
	out.Lessons = append(out.Lessons, Lesson{Group: code, Date: start, Hours: 3})
	return out
}

func randFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }
