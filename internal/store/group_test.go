package store

import (
	"context"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// webNow is the day the web fixture is judged on.
var webNow = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// webFixture is a small data set for the pages' queries: two providers, a
// group each, and learners placed so that each counsellor's flag is raised
// exactly once (as of webNow, 2026-03-15).
//
//	W1  counsellor c1, in G1 (teacher t1), placed, evaluated 2026-02-01: no flag
//	W2  counsellor c2, in G2 (teacher t2)
//	W3  c1, referred 2025-11-01, never started: overdue (deadline 2026-02-01, 42 days)
//	W4  c1, referred 2025-12-20, never started: deadline 2026-03-20, 5 days left
//	W5  c1, in G1 since 2025-11-01 without placement nor evaluation: no_placement, no_evaluation
//	W6  c1, early leaver on 2026-01-10, reason unknown: no_reason
//	W7  c1, outflow 2025-08-01, no follow-up: no_followup
func webFixture() *domain.DataSet {
	d := domain.MustDate
	lv := func(ls ...string) domain.Levels {
		out := domain.NoLevels
		for i, s := range ls {
			out[i], _ = domain.ParseLevel(s)
		}
		return out
	}
	learner := func(id, first, last, counsellor string) domain.Learner {
		return domain.Learner{ID: id, FirstName: first, LastName: last, BirthDate: d("1985-05-05"), Gender: "f",
			SchoolingLevel: "unknown", Literacy: "unknown", LearningRoute: "standard", CivicStatus: "none",
			Perspective: "work", Counsellor: counsellor}
	}
	oral := domain.AllSkills &^ (1 << domain.Writing)
	return &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "CVO Een", Type: "cvo"}, {Code: "P2", Name: "CBE Twee", Type: "cbe"}},
		Modules: []domain.Module{
			{Code: "M1", Provider: "P1", Name: "Richtgraad 1.1", Programme: "NT2 R1", EntryLevel: 0, TargetLevel: 2, Skills: oral, NominalHours: 120},
			{Code: "M2", Provider: "P2", Name: "Alfa 1", Programme: "NT2 alfa", EntryLevel: 0, TargetLevel: 1, Skills: domain.AllSkills, NominalHours: 240}},
		Goals: []domain.Goal{
			{Code: "M1-L1", Module: "M1", Skill: domain.Listening, Level: 2, Description: "Begrijpt eenvoudige instructies", Source: "framework"},
			{Code: "M1-S1", Module: "M1", Skill: domain.SpokenProduction, Level: 2, Description: "Stelt zich voor", Source: "framework"},
			{Code: "M2-L1", Module: "M2", Skill: domain.Listening, Level: 1, Description: "Verstaat groeten", Source: "provider"}},
		Learners: []domain.Learner{learner("W1", "Amina", "Aerts", "c1"), learner("W2", "Zora", "Zegers", "c2"),
			learner("W3", "Bilal", "Bosmans", "c1"), learner("W4", "Chen", "Claes", "c1"), learner("W5", "Dina", "Dewulf", "c1"),
			learner("W6", "Emre", "Engels", "c1"), learner("W7", "Fatou", "Faes", "c1")},
		Referrals: []domain.Referral{{Learner: "W1", Date: d("2025-12-01"), Source: "agentschap", Provider: "P1"},
			{Learner: "W3", Date: d("2025-11-01"), Source: "vdab", Provider: "P1"},
			{Learner: "W4", Date: d("2025-12-20"), Source: "self", Provider: "P1"}},
		Groups: []domain.Group{
			{Code: "G1", Module: "M1", StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 120, Teacher: "t1", Intensity: "standard"},
			{Code: "G2", Module: "M2", StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 240, Teacher: "t2", Intensity: "intensive"}},
		Placements: []domain.Placement{{Learner: "W1", Date: d("2025-12-15"), Module: "M1", Method: "test", Levels: lv("A0", "A0")},
			{Learner: "W2", Date: d("2025-12-15"), Module: "M2", Method: "test", Levels: lv("A0")}},
		Enrollments: []domain.Enrollment{
			{Learner: "W1", Group: "G1", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 30},
			{Learner: "W2", Group: "G2", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 40},
			{Learner: "W5", Group: "G1", StartDate: d("2025-11-10"), Status: "active", HoursAttended: 50}},
		Evaluations: []domain.Evaluation{{Learner: "W1", Group: "G1", Date: d("2026-02-01"), Kind: "formative", Levels: lv("A1.1", "A0"), Decision: "none"}},
		Outflows: []domain.Outflow{{Learner: "W6", Date: d("2026-01-10"), Type: "early_leaver", Reason: "unknown", Provider: "P1"},
			{Learner: "W7", Date: d("2025-08-01"), Type: "qualified", Provider: "P1"}},
	}
}

func webDB(t *testing.T) *DB {
	t.Helper()
	db := openTest(t)
	upsert(t, db, webFixture())
	return db
}

func TestFindGroups(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	tests := []struct {
		user *domain.User
		q    GroupQuery
		want []string
	}{
		{&domain.User{Username: "t1", Role: domain.RoleTeacher}, GroupQuery{}, []string{"G1"}},
		{&domain.User{Username: "c1", Role: domain.RoleCounsellor}, GroupQuery{}, []string{}},
		{&domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2"}}, GroupQuery{}, []string{"G2"}},
		{&domain.User{Username: "a", Role: domain.RoleAdmin}, GroupQuery{}, []string{"G1", "G2"}},
		{&domain.User{Username: "a", Role: domain.RoleAdmin}, GroupQuery{Search: "alfa"}, []string{"G2"}},
		{&domain.User{Username: "a", Role: domain.RoleAdmin}, GroupQuery{Search: "%"}, []string{}},
		{&domain.User{Username: "a", Role: domain.RoleAdmin}, GroupQuery{Limit: 1, Offset: 1}, []string{"G2"}},
	}
	for _, tt := range tests {
		page, err := db.FindGroups(ctx, tt.user, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, g := range page.Groups {
			got = append(got, g.Code)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("%s %+v: groups %v, want %v", tt.user.Username, tt.q, got, tt.want)
		}
	}
	page, err := db.FindGroups(ctx, &domain.User{Username: "t1", Role: domain.RoleTeacher}, GroupQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if g := page.Groups[0]; page.Total != 1 || g.Learners != 2 || g.Active != 2 || g.ModuleName != "Richtgraad 1.1" || g.Provider != "P1" {
		t.Errorf("G1 summary = %+v (total %d), want 2 learners, 2 active, module Richtgraad 1.1 of P1", g, page.Total)
	}
}

func TestFindGroup(t *testing.T) {
	db := webDB(t)
	gf, err := db.FindGroup(context.Background(), "G1")
	if err != nil {
		t.Fatal(err)
	}
	if len(gf.Roster) != 2 || gf.Roster[0].LastName != "Aerts" || gf.Roster[1].Enrollment.Learner != "W5" {
		t.Errorf("roster = %+v, want Aerts (W1) then Dewulf (W5)", gf.Roster)
	}
	if len(gf.Goals) != 2 || gf.Module.Skills.Has(domain.Writing) || len(gf.Evaluations) != 1 {
		t.Errorf("goals %d, skills %s, evaluations %d; want 2, no writing, 1", len(gf.Goals), gf.Module.Skills, len(gf.Evaluations))
	}
	if f := gf.Facts(); f.Teacher != "t1" || f.Provider != "P1" {
		t.Errorf("facts = %+v", f)
	}
	if _, err := db.FindGroup(context.Background(), "nope"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("FindGroup(nope) = %v, want ENOTFOUND", err)
	}
}

func TestSaveAttendance(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	n, err := db.SaveAttendance(ctx, "t1", "G1", map[string]float64{"W1": 32.5, "W5": 50}, webNow)
	if err != nil || n != 1 {
		t.Fatalf("SaveAttendance = %d, %v; want 1 change", n, err)
	}
	gf, _ := db.FindGroup(ctx, "G1")
	if h := gf.Enrollment("W1").Enrollment.HoursAttended; h != 32.5 {
		t.Errorf("hours of W1 = %v, want 32.5", h)
	}
	trail, err := db.ListAudit(ctx, "W1", 0)
	if err != nil || len(trail) != 1 || trail[0].Entity != "enrollments" || trail[0].Username != "t1" ||
		string(trail[0].Before) == string(trail[0].After) {
		t.Fatalf("audit of W1 = %+v, %v; want one enrollment update by t1", trail, err)
	}
	// All or nothing: a learner of another group refuses the whole save.
	_, err = db.SaveAttendance(ctx, "t1", "G1", map[string]float64{"W1": 40, "W2": 1}, webNow)
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("attendance for W2 in G1 = %v, want EINVALID", err)
	}
	gf, _ = db.FindGroup(ctx, "G1")
	if h := gf.Enrollment("W1").Enrollment.HoursAttended; h != 32.5 {
		t.Errorf("hours of W1 after a refused save = %v, want 32.5 still", h)
	}
	if _, err := db.SaveAttendance(ctx, "t1", "G1", map[string]float64{"W1": -1}, webNow); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("negative hours = %v, want EINVALID", err)
	}
}

func TestDemoAccountCandidates(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	teacher, err1 := db.BusiestTeacher(ctx)
	counsellor, err2 := db.BusiestCounsellor(ctx)
	provider, err3 := db.LargestProvider(ctx)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	if teacher != "t1" || counsellor != "c1" || provider != "P1" {
		t.Errorf("candidates = %s, %s, %s; want t1, c1, P1", teacher, counsellor, provider)
	}
	empty := openTest(t)
	if s, err := empty.BusiestTeacher(ctx); s != "" || err != nil {
		t.Errorf("BusiestTeacher on an empty database = %q, %v", s, err)
	}
}
