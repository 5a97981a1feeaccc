package testkit

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// Now is the server's clock in the tests of the fixture: Sunday 15 March 2026.
var Now = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

// The fixture's people. Each learner's last name is unique, so that a body
// can be searched for a learner who must not appear in it.
//
//	L-AERTS    Amina Aerts      counsellor c1, in G1 (P1, teacher t1), placed and evaluated
//	L-DEWULF   Dina Dewulf      counsellor c1, in G1, no placement, evaluated twice
//	L-BOSMANS  Bilal Bosmans    counsellor c1, referred to P1 on 2025-11-01, never started (overdue)
//	L-ENGELS   Emre Engels      counsellor c2, in G1
//	L-ZEGERS   Zora Zegers      counsellor c2, in G2 (P2, teacher t2)
//	L-XHONNEUX Xavier Xhonneux  counsellor c2, referred to P2 only
var (
	// Users are the fixture's accounts by role, each with Password.
	Users = map[string]domain.User{
		"teacher":      {Username: "t1", Role: domain.RoleTeacher},
		"teacher2":     {Username: "t2", Role: domain.RoleTeacher},
		"counsellor":   {Username: "c1", Role: domain.RoleCounsellor},
		"counsellor2":  {Username: "c2", Role: domain.RoleCounsellor},
		"coordinator":  {Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}},
		"coordinator2": {Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2"}},
		"admin":        {Username: "root", Role: domain.RoleAdmin},
	}
	// Hidden lists, per account, the learners that must never show in any
	// page that account gets.
	Hidden = map[string][]string{
		"teacher":     {"Zegers", "L-ZEGERS", "Bosmans", "L-BOSMANS", "Xhonneux", "L-XHONNEUX"},
		"counsellor":  {"Zegers", "L-ZEGERS", "Engels", "L-ENGELS", "Xhonneux", "L-XHONNEUX"},
		"coordinator": {"Zegers", "L-ZEGERS", "Xhonneux", "L-XHONNEUX"},
		"admin":       {},
	}
)

// FixtureDSN is a fresh copy of the fixture database: migrated, the
// Fixture loaded and its Users made, once per test binary.
func FixtureDSN(t testing.TB) string {
	t.Helper()
	return Built(t, "fixture", FillFixture)
}

// FillFixture loads the Fixture and its Users into a migrated database.
func FillFixture(ctx context.Context, db *store.DB) error {
	if err := Upsert(ctx, db, Fixture()); err != nil {
		return err
	}
	return CreateUsers(ctx, db, slices.Collect(maps.Values(Users)))
}

// CreateUsers makes accounts, each with Password (hashed at bcrypt's
// lowest cost), in the order of their names.
func CreateUsers(ctx context.Context, db *store.DB, us []domain.User) error {
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		return err
	}
	us = slices.Clone(us)
	slices.SortFunc(us, func(a, b domain.User) int { return strings.Compare(a.Username, b.Username) })
	for _, u := range us {
		if err := db.CreateUser(ctx, "test", u, string(hash), Now); err != nil {
			return err
		}
	}
	return nil
}

// Fixture is the small data set of the server's tests: two providers, a
// module each, six learners (see Users and Hidden for who sees whom).
func Fixture() *domain.DataSet {
	d := domain.MustDate
	lv := func(ls ...string) domain.Levels {
		out := domain.NoLevels
		for i, s := range ls {
			out[i], _ = domain.ParseLevel(s)
		}
		return out
	}
	learner := func(id, first, last, counsellor string) domain.Learner {
		return domain.Learner{ID: id, FirstName: first, LastName: last, BirthDate: d("1988-04-04"), Gender: "x",
			SchoolingLevel: "primary", Literacy: "literate_other_script", LearningRoute: "standard", CivicStatus: "obliged",
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
			{Code: "M1-S1", Module: "M1", Skill: domain.SpokenProduction, Level: 2, Description: "Stelt zichzelf voor", Source: "framework"},
			{Code: "M2-L1", Module: "M2", Skill: domain.Listening, Level: 1, Description: "Verstaat groeten", Source: "provider"}},
		Learners: []domain.Learner{learner("L-AERTS", "Amina", "Aerts", "c1"), learner("L-DEWULF", "Dina", "Dewulf", "c1"),
			learner("L-BOSMANS", "Bilal", "Bosmans", "c1"), learner("L-ENGELS", "Emre", "Engels", "c2"),
			learner("L-ZEGERS", "Zora", "Zegers", "c2"), learner("L-XHONNEUX", "Xavier", "Xhonneux", "c2")},
		Referrals: []domain.Referral{{Learner: "L-AERTS", Date: d("2025-12-01"), Source: "agentschap", Provider: "P1"},
			{Learner: "L-BOSMANS", Date: d("2025-11-01"), Source: "vdab", Provider: "P1"},
			{Learner: "L-XHONNEUX", Date: d("2026-02-01"), Source: "ocmw", Provider: "P2"}},
		Groups: []domain.Group{
			{Code: "G1", Module: "M1", StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 120, Teacher: "t1", Intensity: "standard"},
			{Code: "G2", Module: "M2", StartDate: d("2026-01-05"), EndDate: d("2026-06-26"), PlannedHours: 240, Teacher: "t2", Intensity: "intensive"}},
		Placements: []domain.Placement{{Learner: "L-AERTS", Date: d("2025-12-15"), Module: "M1", Method: "test", Levels: lv("A0", "A0", "A0")},
			{Learner: "L-ZEGERS", Date: d("2025-12-15"), Module: "M2", Method: "test", Levels: lv("A0")}},
		Enrollments: []domain.Enrollment{
			{Learner: "L-AERTS", Group: "G1", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 30},
			{Learner: "L-DEWULF", Group: "G1", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 28},
			{Learner: "L-ENGELS", Group: "G1", StartDate: d("2026-01-05"), EndDate: d("2026-02-01"), Status: "dropped", HoursAttended: 12},
			{Learner: "L-ZEGERS", Group: "G2", StartDate: d("2026-01-05"), Status: "active", HoursAttended: 40}},
		Evaluations: []domain.Evaluation{{Learner: "L-AERTS", Group: "G1", Date: d("2026-02-01"), Kind: "formative",
			Levels: lv("A1.1", "A0", "A1.1"), Decision: "none", Evaluator: "t1", Feedback: "Goed begonnen"},
			{Learner: "L-DEWULF", Group: "G1", Date: d("2026-02-01"), Kind: "formative", Levels: lv("A0", "A0"), Decision: "none", Evaluator: "t1"},
			{Learner: "L-DEWULF", Group: "G1", Date: d("2026-03-01"), Kind: "formative", Levels: lv("A1.1", "A0", "A1.1"), Decision: "none", Evaluator: "t1"}},
		LearnerGoals: []domain.LearnerGoal{{Learner: "L-AERTS", Skill: domain.Listening, TargetLevel: 4, SetDate: d("2026-01-10"), TargetDate: d("2026-12-31")},
			{Learner: "L-DEWULF", Skill: domain.Listening, TargetLevel: 2, SetDate: d("2026-01-10"), TargetDate: d("2026-06-30")}},
	}
}
