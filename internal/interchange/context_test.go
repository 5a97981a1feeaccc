package interchange

import (
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// contextData is a module, a group and a learner, with records in the group
// added by each case.
func contextData() *domain.DataSet {
	d := domain.MustDate
	return &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "Een", Type: "cvo"}},
		Modules: []domain.Module{{Code: "M1", Provider: "P1", Name: "M", Programme: "NT2", EntryLevel: 0, TargetLevel: 2,
			Skills: domain.AllSkills, NominalHours: 120}},
		Groups: []domain.Group{{Code: "G1", Module: "M1", StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 120,
			Intensity: "standard"}},
		Learners: []domain.Learner{{ID: "L1", FirstName: "A", LastName: "B", BirthDate: d("1990-01-01"), Gender: "f",
			SchoolingLevel: "none", Literacy: "unknown", LearningRoute: "standard", CivicStatus: "none", Perspective: "unknown"}},
	}
}

// TestEvaluationNeedsEnrollment: an import refuses an evaluation in a group
// its learner is not enrolled in, as the grid does (domain.CheckEvaluation;
// issue 19, point 2: on main the import checked neither the enrollment nor
// the window). It stays lenient on the grid's date window (domain/entry.go
// says why): an evaluation long after the enrollment ended, or before it
// started, goes in, as the conformance data set has them.
func TestEvaluationNeedsEnrollment(t *testing.T) {
	d := domain.MustDate
	ev := domain.Evaluation{Learner: "L1", Group: "G1", Date: d("2026-03-02"), Kind: "module_end", Levels: domain.NoLevels, Decision: "pass"}
	ev.Levels[domain.Listening] = 2
	enr := domain.Enrollment{Learner: "L1", Group: "G1", StartDate: d("2026-01-05"), EndDate: d("2026-02-01"), Status: "dropped"}

	ds := contextData()
	ds.Evaluations = []domain.Evaluation{ev}
	errs := Validate(NewBatch(ds), nil)
	if len(errs) != 1 || errs[0].Pos.File != "evaluations.csv" || errs[0].Column != "group" ||
		errs[0].Text.Key != "rule.notenrolled" || !strings.Contains(errs[0].In("nl"), "niet ingeschreven") {
		t.Fatalf("an evaluation without an enrollment: %v, want one rule.notenrolled on group", errs)
	}

	// The enrollment in the same import, or stored.
	ds.Enrollments = []domain.Enrollment{enr}
	if errs := Validate(NewBatch(ds), nil); len(errs) != 0 {
		t.Errorf("with the enrollment in the import: %v", errs)
	}
	ds.Enrollments = nil
	known := &Known{Enrollments: map[[2]string]domain.Enrollment{{"L1", "G1"}: enr}}
	if errs := Validate(NewBatch(ds), known); len(errs) != 0 {
		t.Errorf("with the enrollment stored: %v", errs)
	}

	// Outside the grid's window (dropped on 2026-02-01, grace 30 days;
	// before the start): an import takes them.
	late, early := ev, ev
	late.Date, early.Date, early.Kind = d("2026-05-30"), d("2025-12-20"), "intake"
	ds.Evaluations, ds.Enrollments = []domain.Evaluation{late, early}, []domain.Enrollment{enr}
	if errs := Validate(NewBatch(ds), nil); len(errs) != 0 {
		t.Errorf("outside the grid's window: %v, want none", errs)
	}

	// An external test names no group, and needs no enrollment.
	ext := ev
	ext.Group, ext.Kind = "", "external_test"
	ds.Evaluations, ds.Enrollments = []domain.Evaluation{ext}, nil
	if errs := Validate(NewBatch(ds), nil); len(errs) != 0 {
		t.Errorf("an external test: %v", errs)
	}
}
