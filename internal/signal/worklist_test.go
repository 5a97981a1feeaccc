package signal

import (
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func build(add ...func(*domain.DataSet)) *Index {
	ds := base()
	for _, f := range add {
		f(ds)
	}
	return NewIndex(ds)
}

// TestFlagKindsAreDomains holds domain.FlagKinds, the kinds a handling may
// name, to the flags and the goal notice.
func TestFlagKindsAreDomains(t *testing.T) {
	t.Parallel()
	if want := append(slices.Clone(Kinds), GoalOverdue); !slices.Equal(domain.FlagKinds, want) {
		t.Fatalf("domain.FlagKinds = %v, want %v", domain.FlagKinds, want)
	}
}

// TestSince checks the day each flag's situation began, and that a new
// occurrence has a new day.
func TestSince(t *testing.T) {
	t.Parallel()
	p := DefaultParams()
	for _, tt := range []struct {
		name string
		kind string
		add  []func(*domain.DataSet)
		want domain.Date
	}{
		{"overdue: the earliest waiting referral", Overdue, []func(*domain.DataSet){referral(d("2025-10-10")), referral(d("2025-11-10"))}, d("2025-10-10")},
		{"deadline soon", DeadlineSoon, []func(*domain.DataSet){referral(d("2025-12-20"))}, d("2025-12-20")},
		{"not raised", Overdue, settled, 0},
		{"no placement: the open enrollment's start", NoPlacement, []func(*domain.DataSet){enrollment("G", d("2026-01-05"), 0, "active")}, d("2026-01-05")},
		{"no evaluation: none yet, the start", NoEvaluation, []func(*domain.DataSet){enrollment("G", d("2025-09-01"), 0, "active"), placement(d("2025-08-01"))}, d("2025-09-01")},
		{"no evaluation: the latest evaluation", NoEvaluation, []func(*domain.DataSet){enrollment("G", d("2025-09-01"), 0, "active"), placement(d("2025-08-01")),
			evaluation("G", d("2025-10-01")), evaluation("G", d("2025-11-20"))}, d("2025-11-20")},
		{"no reason", NoReason, []func(*domain.DataSet){outflow(d("2026-02-01"), "early_leaver", "unknown")}, d("2026-02-01")},
		{"no follow-up", NoFollowUp, []func(*domain.DataSet){outflow(d("2025-08-01"), "completed", "")}, d("2025-08-01")},
		{"low wellbeing: the latest scored observation", LowWellbeing, with(settled, []func(*domain.DataSet){observation("G", d("2026-02-01"), 1, 0), observation("G", d("2026-03-02"), 2, 3)}), d("2026-03-02")},
	} {
		if got := build(tt.add...).Since("L", tt.kind, day, p); got != tt.want {
			t.Errorf("%s: Since = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestStatus checks the worklist's three statuses.
func TestStatus(t *testing.T) {
	t.Parallel()
	p := DefaultParams()
	for _, tt := range []struct {
		name string
		add  []func(*domain.DataSet)
		want string
	}{
		{"nothing yet", nil, StatusWaiting},
		{"referred", []func(*domain.DataSet){referral(d("2026-01-10"))}, StatusWaiting},
		{"enrolled", settled, StatusInCourse},
		{"between modules", []func(*domain.DataSet){enrollment("OLD", d("2025-01-06"), d("2025-06-30"), "completed")}, StatusWaiting},
		{"gone", []func(*domain.DataSet){enrollment("OLD", d("2025-01-06"), d("2025-06-30"), "completed"), outflow(d("2025-06-30"), "completed", "")}, StatusOutflowed},
		{"referred again after outflow", []func(*domain.DataSet){outflow(d("2025-06-30"), "completed", ""), referral(d("2026-01-10"))}, StatusWaiting},
		{"back in a course after outflow", with([]func(*domain.DataSet){outflow(d("2025-06-30"), "completed", "")}, settled), StatusInCourse},
		{"an outflow still to come", []func(*domain.DataSet){outflow(d("2026-04-30"), "completed", "")}, StatusWaiting},
	} {
		if got := build(tt.add...).Status("L", day, p); got != tt.want {
			t.Errorf("%s: Status = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestGoalsOverdue checks the notice of a learner goal past its target
// date without the level.
func TestGoalsOverdue(t *testing.T) {
	t.Parallel()
	lv := func(s string) domain.Level { l, _ := domain.ParseLevel(s); return l }
	levels := func(skill domain.Skill, l string) domain.Levels {
		var ls domain.Levels
		for k := range ls {
			ls[k] = domain.NoLevel
		}
		ls[skill] = lv(l)
		return ls
	}
	goal := func(skill domain.Skill, target, date string) domain.LearnerGoal {
		return domain.LearnerGoal{Learner: "L", Skill: skill, TargetLevel: lv(target), SetDate: d("2025-09-01"), TargetDate: d(date)}
	}
	const reading, writing = domain.Skill(1), domain.Skill(4)
	for _, tt := range []struct {
		name  string
		goals []domain.LearnerGoal
		pl    []domain.Placement
		ev    []domain.Evaluation
		want  []GoalNotice
	}{
		{"target ahead", []domain.LearnerGoal{goal(reading, "A2", "2026-06-30")}, nil, nil, nil},
		{"target today is not past", []domain.LearnerGoal{goal(reading, "A2", "2026-03-15")}, nil, nil, nil},
		{"never assessed", []domain.LearnerGoal{goal(reading, "A2", "2026-01-31")}, nil, nil,
			[]GoalNotice{{Skill: reading, Target: lv("A2"), TargetDate: d("2026-01-31"), Latest: domain.NoLevel}}},
		{"reached", []domain.LearnerGoal{goal(reading, "A2", "2026-01-31")},
			nil, []domain.Evaluation{{Date: d("2026-01-20"), Levels: levels(reading, "A2")}}, nil},
		{"the latest counts, not the best", []domain.LearnerGoal{goal(reading, "A2", "2026-01-31")},
			[]domain.Placement{{Date: d("2025-09-01"), Levels: levels(reading, "B1")}},
			[]domain.Evaluation{{Date: d("2026-01-20"), Levels: levels(reading, "A1")}},
			[]GoalNotice{{Skill: reading, Target: lv("A2"), TargetDate: d("2026-01-31"), Latest: lv("A1")}}},
		{"the highest of the latest day", []domain.LearnerGoal{goal(reading, "A2", "2026-01-31")}, nil,
			[]domain.Evaluation{{Date: d("2026-01-20"), Levels: levels(reading, "A2")}, {Date: d("2026-01-20"), Levels: levels(reading, "A1")}}, nil},
		{"an assessment after the day does not count", []domain.LearnerGoal{goal(reading, "A2", "2026-01-31")}, nil,
			[]domain.Evaluation{{Date: d("2026-03-20"), Levels: levels(reading, "A2")}},
			[]GoalNotice{{Skill: reading, Target: lv("A2"), TargetDate: d("2026-01-31"), Latest: domain.NoLevel}}},
		{"another skill's level does not count", []domain.LearnerGoal{goal(writing, "A1", "2026-01-31")}, nil,
			[]domain.Evaluation{{Date: d("2026-01-20"), Levels: levels(reading, "B1")}},
			[]GoalNotice{{Skill: writing, Target: lv("A1"), TargetDate: d("2026-01-31"), Latest: domain.NoLevel}}},
		{"by target date", []domain.LearnerGoal{goal(writing, "A1", "2026-02-28"), goal(reading, "A1", "2026-01-31")}, nil, nil,
			[]GoalNotice{{Skill: reading, Target: lv("A1"), TargetDate: d("2026-01-31"), Latest: domain.NoLevel},
				{Skill: writing, Target: lv("A1"), TargetDate: d("2026-02-28"), Latest: domain.NoLevel}}},
	} {
		got := GoalsOverdue(tt.goals, tt.pl, tt.ev, day)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: GoalsOverdue = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if s := GoalNoticeSince([]GoalNotice{{TargetDate: d("2026-01-31")}, {TargetDate: d("2026-02-28")}}); s != d("2026-02-28") {
		t.Errorf("GoalNoticeSince = %v, want the latest target date", s)
	}
}
