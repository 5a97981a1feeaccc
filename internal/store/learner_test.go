package store

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

func TestLastBefore(t *testing.T) {
	// lastBefore(x, n) is the last day d with d + n months < x, checked
	// against a walk over every day of four years.
	for x := domain.MustDate("2024-01-01"); x < domain.MustDate("2028-01-01"); x += 7 {
		for _, n := range []int{3, 6, 12} {
			got := lastBefore(x, n)
			if got.AddMonths(n) >= x || got.AddDays(1).AddMonths(n) < x {
				t.Fatalf("lastBefore(%s, %d) = %s: %s + %d months = %s", x, n, got, got, n, got.AddMonths(n))
			}
		}
	}
}

func TestLearnerFlags(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	asOf := domain.DateOf(webNow)
	c1 := &domain.User{Username: "c1", Role: domain.RoleCounsellor}
	page, err := db.FindLearners(ctx, c1, LearnerQuery{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]signal.Flag{}
	for _, l := range page.Learners {
		got[l.ID] = l.Flags
	}
	want := map[string][]signal.Flag{
		"W1": nil,
		"W3": {{Kind: signal.Overdue, Days: 42}},
		"W4": {{Kind: signal.DeadlineSoon, Days: 5}},
		"W5": {{Kind: signal.NoPlacement}, {Kind: signal.NoEvaluation}},
		"W6": {{Kind: signal.NoReason}},
		"W7": {{Kind: signal.NoFollowUp}},
	}
	if page.Total != len(want) {
		t.Errorf("c1 sees %d learners, want %d", page.Total, len(want))
	}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("flags of %s = %v, want %v", id, got[id], w)
		}
	}
	for _, kind := range signal.Kinds {
		page, err := db.FindLearners(ctx, c1, LearnerQuery{AsOf: asOf, Flag: kind})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, w := range want {
			if slices.ContainsFunc(w, func(f signal.Flag) bool { return f.Kind == kind }) {
				n++
			}
		}
		if page.Total != n || len(page.Learners) != n {
			t.Errorf("flag %s: %d learners, want %d", kind, page.Total, n)
		}
	}
	// Later, the overdue referral is further past its deadline and W4 is
	// overdue too.
	later, _ := db.FindLearners(ctx, c1, LearnerQuery{AsOf: domain.MustDate("2026-08-02"), Flag: signal.Overdue})
	if later.Total != 2 {
		t.Errorf("overdue on 2026-08-02: %d learners, want 2", later.Total)
	}
	// W6 left on 2026-01-10: six months later without a follow-up.
	if later, _ := db.FindLearners(ctx, c1, LearnerQuery{AsOf: domain.MustDate("2026-08-02"), Flag: signal.NoFollowUp}); later.Total != 1 || later.Learners[0].ID != "W6" {
		t.Errorf("no follow-up on 2026-08-02: %+v, want only W6 (W7's window has closed)", later.Learners)
	}
	if _, err := db.FindLearners(ctx, c1, LearnerQuery{AsOf: asOf, Flag: "bogus"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("unknown flag = %v, want EINVALID", err)
	}
}

func TestFindLearnersFiltersAndPages(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	asOf := domain.DateOf(webNow)
	ids := func(u *domain.User, q LearnerQuery) []string {
		t.Helper()
		q.AsOf = asOf
		page, err := db.FindLearners(ctx, u, q)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, l := range page.Learners {
			out = append(out, l.ID)
		}
		return out
	}
	t1 := &domain.User{Username: "t1", Role: domain.RoleTeacher}
	c2 := &domain.User{Username: "c2", Role: domain.RoleCounsellor}
	admin := &domain.User{Username: "a", Role: domain.RoleAdmin}
	tests := []struct {
		user *domain.User
		q    LearnerQuery
		want []string
	}{
		{t1, LearnerQuery{}, []string{"W1", "W5"}},
		{c2, LearnerQuery{}, []string{"W2"}},
		{c2, LearnerQuery{Search: "Aerts"}, []string{}}, // not theirs: never found
		{admin, LearnerQuery{Search: "aerts"}, []string{"W1"}},
		{admin, LearnerQuery{Search: "Amina Aerts"}, []string{"W1"}},
		{admin, LearnerQuery{Search: "W7"}, []string{"W7"}},
		{admin, LearnerQuery{Limit: 2, Offset: 2}, []string{"W4", "W5"}},
		{&domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2"}}, LearnerQuery{}, []string{"W2"}},
	}
	for _, tt := range tests {
		if got := ids(tt.user, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%s %+v: %v, want %v", tt.user.Username, tt.q, got, tt.want)
		}
	}
}

func TestFindLearner(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	f, err := db.FindLearner(ctx, "W1", domain.DateOf(webNow))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Referrals) != 1 || len(f.Placements) != 1 || len(f.Enrollments) != 1 || len(f.Evaluations) != 1 {
		t.Errorf("W1's file = %+v", f)
	}
	if e := f.Enrollments[0]; e.Teacher != "t1" || e.Provider != "P1" || e.PlannedHours != 120 || f.Modules["M1"] != "Richtgraad 1.1" {
		t.Errorf("W1's enrollment = %+v, modules %v", e, f.Modules)
	}
	want := auth.LearnerFacts{ID: "W1", Counsellor: f.Learner.Counsellor,
		Groups: []auth.GroupFacts{{Code: f.Enrollments[0].Group, Teacher: "t1", Provider: "P1"}}, Providers: []string{"P1"}}
	if got := f.Facts(); !reflect.DeepEqual(got, want) {
		t.Errorf("Facts() = %+v, want %+v", got, want)
	}
	if _, err := db.FindLearner(ctx, "nobody", 0); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("FindLearner(nobody) = %v, want ENOTFOUND", err)
	}
}

func TestSaveLearnerRecords(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	d := domain.MustDate
	g := domain.LearnerGoal{Learner: "W3", Skill: domain.Listening, TargetLevel: 4, SetDate: d("2026-03-01"), TargetDate: d("2026-12-01")}
	if err := db.SaveLearnerGoal(ctx, "c1", g, webNow); err != nil {
		t.Fatal(err)
	}
	g.TargetLevel = 6
	if err := db.SaveLearnerGoal(ctx, "c1", g, webNow); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveOutflow(ctx, "c1", domain.Outflow{Learner: "W3", Date: d("2026-03-10"), Type: "early_leaver", Reason: "work", Provider: "P1"}, webNow); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveFollowUp(ctx, "c1", domain.FollowUp{Learner: "W3", Date: d("2026-03-14"), Status: "work"}, webNow); err != nil {
		t.Fatal(err)
	}
	f, _ := db.FindLearner(ctx, "W3", domain.DateOf(webNow))
	if len(f.Goals) != 1 || f.Goals[0].TargetLevel != 6 || len(f.Outflows) != 1 || len(f.FollowUps) != 1 {
		t.Fatalf("W3 after the writes: goals %+v, outflows %+v, follow-ups %+v", f.Goals, f.Outflows, f.FollowUps)
	}
	trail, _ := db.ListAudit(ctx, "W3", 0)
	var actions []string
	for _, r := range trail {
		actions = append(actions, r.Action+" "+r.Entity+" "+r.Key)
	}
	want := []string{"create followups W3/2026-03-14", "create outflows W3/2026-03-10", "update learner_goals W3/listening", "create learner_goals W3/listening"}
	if !slices.Equal(actions, want) {
		t.Errorf("audit trail = %v, want %v", actions, want)
	}
	if string(trail[2].Before) == "" || string(trail[2].After) == string(trail[2].Before) {
		t.Errorf("goal update before %s after %s: want both, different", trail[2].Before, trail[2].After)
	}
	bad := []error{
		db.SaveOutflow(ctx, "c1", domain.Outflow{Learner: "W3", Date: d("2026-03-11"), Type: "early_leaver"}, webNow),
		db.SaveOutflow(ctx, "c1", domain.Outflow{Learner: "W3", Date: d("2026-03-11"), Type: "qualified", Provider: "NOPE"}, webNow),
		db.SaveFollowUp(ctx, "c1", domain.FollowUp{Learner: "nobody", Date: d("2026-03-14"), Status: "work"}, webNow),
		db.SaveLearnerGoal(ctx, "c1", domain.LearnerGoal{Learner: "W3", Skill: domain.Reading, TargetLevel: domain.NoLevel, SetDate: d("2026-03-01")}, webNow),
	}
	for i, err := range bad {
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad write %d = %v, want EINVALID", i, err)
		}
	}
}

// TestSaveOutflowEnding checks that an outflow recorded with its enrollments
// ends the learner's open enrollment of its provider on its date, in the
// same write, with an audit entry; and that a refused outflow ends nothing.
func TestSaveOutflowEnding(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	d := domain.MustDate
	if _, err := db.SaveOutflowEnding(ctx, "c1", domain.Outflow{Learner: "W1", Date: d("2026-03-10"), Type: "early_leaver", Provider: "NOPE"}, webNow); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("outflow from an unknown provider: %v, want EINVALID", err)
	}
	if f, _ := db.FindLearner(ctx, "W1", domain.DateOf(webNow)); f.Enrollments[0].Status != "active" || len(f.Outflows) != 0 {
		t.Fatalf("a refused outflow changed the file: %+v, %+v", f.Enrollments, f.Outflows)
	}
	ended, err := db.SaveOutflowEnding(ctx, "c1", domain.Outflow{Learner: "W1", Date: d("2026-03-10"), Type: "early_leaver", Reason: "work", Provider: "P1"}, webNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(ended) != 1 || ended[0].Group != "G1" || ended[0].Status != "dropped" || ended[0].EndDate != d("2026-03-10") {
		t.Fatalf("ended %+v, want G1 dropped on 2026-03-10", ended)
	}
	f, err := db.FindLearner(ctx, "W1", domain.DateOf(webNow))
	if err != nil {
		t.Fatal(err)
	}
	if e := f.Enrollments[0]; e.Status != "dropped" || e.EndDate != d("2026-03-10") || e.HoursAttended != 30 || len(f.Outflows) != 1 {
		t.Errorf("W1 after the outflow: enrollment %+v, outflows %+v", e.Enrollment, f.Outflows)
	}
	for _, fl := range f.Flags {
		if fl.Kind == "enrollment_not_closed" {
			t.Errorf("W1 still flagged %s", fl.Kind)
		}
	}
	trail, _ := db.ListAudit(ctx, "W1", 0)
	var actions []string
	for _, r := range trail {
		actions = append(actions, r.Action+" "+r.Entity+" "+r.Key)
	}
	if want := []string{"update enrollments W1/G1", "create outflows W1/2026-03-10"}; !slices.Equal(actions[:2], want) {
		t.Errorf("audit trail %v, want %v first", actions, want)
	}
	// W2's group is P2's: a P1 outflow leaves it running.
	ended, err = db.SaveOutflowEnding(ctx, "c1", domain.Outflow{Learner: "W2", Date: d("2026-03-10"), Type: "qualified", Provider: "P1"}, webNow)
	if err != nil || len(ended) != 0 {
		t.Errorf("P1 outflow of a P2 learner ended %+v (%v), want none", ended, err)
	}
}
