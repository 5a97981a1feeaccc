package domain

import (
	"strings"
	"testing"
)

func TestEvaluationWindow(t *testing.T) {
	d := MustDate
	g := &Group{StartDate: d("2026-01-05"), EndDate: d("2026-06-26")}
	from, to := EvaluationWindow(&Enrollment{StartDate: d("2026-01-10")}, g)
	if from != d("2026-01-10") || to != d("2026-07-26") {
		t.Errorf("active: %s – %s, want 2026-01-10 – 2026-07-26", from, to)
	}
	_, to = EvaluationWindow(&Enrollment{StartDate: d("2026-01-10"), EndDate: d("2026-02-01")}, g)
	if to != d("2026-03-03") {
		t.Errorf("ended: until %s, want 2026-03-03", to)
	}
}

// keys returns the message keys of fes, field:key, in order.
func keys(fes []FieldError) string {
	var out []string
	for _, fe := range fes {
		out = append(out, fe.Field+":"+fe.Text.Key)
	}
	return strings.Join(out, " ")
}

// TestEvaluationEntry: the rules of an evaluation typed in on the grid, one
// at a time, each with its one message.
func TestEvaluationEntry(t *testing.T) {
	d := MustDate
	today := d("2026-03-15")
	m := &Module{Code: "M1", Skills: AllSkills &^ (1 << Writing)}
	g := &Group{Code: "G1", Module: "M1", StartDate: d("2026-01-05"), EndDate: d("2026-06-26")}
	enr := &Enrollment{Learner: "L1", Group: "G1", StartDate: d("2026-01-05")}
	goals := []Goal{{Code: "M1-L1", Module: "M1"}, {Code: "M2-L1", Module: "M2"}}
	good := func() Evaluation {
		ev := Evaluation{Learner: "L1", Group: "G1", Date: d("2026-03-13"), Kind: "module_end", Levels: NoLevels, Decision: "pass"}
		ev.Levels[Listening] = 2
		return ev
	}
	for _, tt := range []struct {
		name   string
		change func(ev *Evaluation, x *EvaluationEntry)
		want   string
	}{
		{"good", func(*Evaluation, *EvaluationEntry) {}, ""},
		{"not enrolled", func(_ *Evaluation, x *EvaluationEntry) { x.Enrollment = nil }, "group:rule.notenrolled"},
		{"a skill the module does not evaluate", func(ev *Evaluation, _ *EvaluationEntry) { ev.Levels[Writing] = 1 }, "writing:rule.moduleskill"},
		{"a pass without a level", func(ev *Evaluation, _ *EvaluationEntry) { ev.Levels = NoLevels }, "decision:rule.passneedsskill"},
		{"after today", func(ev *Evaluation, _ *EvaluationEntry) { ev.Date = d("2026-03-16") }, "date:rule.future"},
		{"before the enrollment", func(ev *Evaluation, _ *EvaluationEntry) { ev.Date = d("2026-01-04") }, "date:rule.evaluationwindow"},
		{"after the grace days", func(ev *Evaluation, x *EvaluationEntry) {
			x.Enrollment = &Enrollment{Learner: "L1", Group: "G1", StartDate: d("2026-01-05"), EndDate: d("2026-02-01")}
			ev.Date = d("2026-03-04")
		}, "date:rule.evaluationwindow"},
		{"on the last day of grace", func(ev *Evaluation, x *EvaluationEntry) {
			x.Enrollment = &Enrollment{Learner: "L1", Group: "G1", StartDate: d("2026-01-05"), EndDate: d("2026-02-01")}
			ev.Date = d("2026-03-03")
		}, ""},
		{"a goal of another module", func(_ *Evaluation, x *EvaluationEntry) { x.Goals = []string{"M1-L1", "M2-L1"} }, "goals:rule.notgoal"},
		{"feedback too long", func(ev *Evaluation, _ *EvaluationEntry) { ev.Feedback = strings.Repeat("é", MaxTextLength+1) }, "feedback:rule.toolong"},
		{"feedback of the limit", func(ev *Evaluation, _ *EvaluationEntry) { ev.Feedback = strings.Repeat("é", MaxTextLength) }, ""},
	} {
		ev := good()
		x := EvaluationEntry{Evaluation: &ev, Group: g, Module: m, Enrollment: enr, ModuleGoals: goals}
		tt.change(&ev, &x)
		if got := keys(x.Check(today)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestEntryRulesOfTheLearnerPage: the outflow, follow-up and goal forms
// refuse a date after today, besides each record's own rules.
func TestEntryRulesOfTheLearnerPage(t *testing.T) {
	d := MustDate
	today := d("2026-03-15")
	o := Outflow{Learner: "L1", Date: d("2026-03-16"), Type: "early_leaver"}
	if got, want := keys(CheckOutflowEntry(&o, today)), "reason:rule.reasonrequired date:rule.future"; got != want {
		t.Errorf("outflow: %q, want %q", got, want)
	}
	f := FollowUp{Learner: "L1", Date: today, Status: "work"}
	if got := keys(CheckFollowUpEntry(&f, today)); got != "" {
		t.Errorf("follow-up of today: %q", got)
	}
	g := LearnerGoal{Learner: "L1", TargetLevel: 4, SetDate: d("2026-03-16"), TargetDate: d("2027-01-01")}
	if got, want := keys(CheckLearnerGoalEntry(&g, today)), "set_date:rule.future"; got != want {
		t.Errorf("goal: %q, want %q", got, want)
	}
}

// TestLengths: one limit per kind of field, and the survey page's shorter
// comment as the one exception.
func TestLengths(t *testing.T) {
	for field, want := range map[string]int{"feedback": MaxTextLength, "note": MaxTextLength, "comment": MaxTextLength,
		"description": MaxTextLength, "first_name": MaxNameLength, "evaluator": MaxNameLength, "id": MaxCodeLength, "group": MaxCodeLength} {
		if got := MaxLength(field); got != want {
			t.Errorf("MaxLength(%q) = %d, want %d", field, got, want)
		}
	}
	s := SurveyResponse{ID: "R1", Provider: "P1", Date: MustDate("2026-03-15"), Respondent: "learner", Wellbeing: 3,
		Comment: strings.Repeat("x", MaxSurveyPageCommentLength+1)}
	if got := keys(s.Validate()); got != "" {
		t.Errorf("an imported comment of %d characters: %q", len(s.Comment), got)
	}
	if got, want := keys(CheckSurveyPageAnswer(&s)), "comment:rule.toolong"; got != want {
		t.Errorf("the survey page's comment: %q, want %q", got, want)
	}
}

// TestRefuse: the store's refusal carries the rule's message, in every
// language.
func TestRefuse(t *testing.T) {
	if err := Refuse("x"); err != nil {
		t.Errorf("Refuse without errors = %v", err)
	}
	fe := CheckNotFuture("date", MustDate("2026-03-16"), MustDate("2026-03-15"))
	err := Refuse("observation L1/G1/2026-03-16", *fe)
	if ErrorCode(err) != EINVALID || err.Error() != "observation L1/G1/2026-03-16: date: 2026-03-16 lies in the future" ||
		MessageIn(err, "nl") != "observation L1/G1/2026-03-16: date: 2026-03-16 ligt in de toekomst" {
		t.Errorf("Refuse = %v (%s), nl %q", err, ErrorCode(err), MessageIn(err, "nl"))
	}
}
