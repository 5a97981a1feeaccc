package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestFindAgenda: the start page's read holds the groups the user may see
// that run in the window, with their records, and nothing of other groups.
func TestFindAgenda(t *testing.T) {
	t.Parallel()
	db := webDB(t)
	d := domain.MustDate
	upsert(t, db, &domain.DataSet{
		Groups: []domain.Group{{Code: "G0", Module: "M1", StartDate: d("2025-09-01"), EndDate: d("2025-12-19"), PlannedHours: 60, Teacher: "t1", Intensity: "standard"}},
		Lessons: []domain.Lesson{{Group: "G1", Date: d("2026-03-12"), Hours: 3}, {Group: "G1", Date: d("2026-03-16"), Hours: 3},
			{Group: "G2", Date: d("2026-03-16"), Hours: 4}},
		Attendance:   []domain.Attendance{{Learner: "W1", Group: "G1", Date: d("2026-03-12"), Status: "present"}},
		Evaluations:  []domain.Evaluation{{Learner: "W5", Group: "G1", Date: d("2026-03-01"), Kind: "module_end", Levels: domain.NoLevels, Decision: "fail"}},
		Observations: []domain.Observation{{Learner: "W1", Group: "G1", Date: d("2026-03-02"), Wellbeing: 4}},
	})
	ctx := context.Background()
	count := func(ds *domain.DataSet) string {
		codes := ""
		for _, g := range ds.Groups {
			codes += g.Code + " "
		}
		return fmt.Sprintf("%sm%d e%d l%d les%d a%d ev%d o%d", codes, len(ds.Modules), len(ds.Enrollments), len(ds.Learners),
			len(ds.Lessons), len(ds.Attendance), len(ds.Evaluations), len(ds.Observations))
	}
	for _, tt := range []struct {
		user     *domain.User
		from, to string
		want     string
	}{
		// t1's running group with its records: the formative evaluation is not read.
		{&domain.User{Username: "t1", Role: domain.RoleTeacher}, "2026-02-14", "2026-03-16", "G1 m1 e2 l2 les2 a1 ev1 o1"},
		// A window back to December holds the ended group too.
		{&domain.User{Username: "t1", Role: domain.RoleTeacher}, "2025-12-01", "2026-03-16", "G0 G1 m1 e2 l2 les2 a1 ev1 o1"},
		{&domain.User{Username: "t2", Role: domain.RoleTeacher}, "2026-02-14", "2026-03-16", "G2 m1 e1 l1 les1 a0 ev0 o0"},
		{&domain.User{Username: "c1", Role: domain.RoleCounsellor}, "2026-02-14", "2026-03-16", "m0 e0 l0 les0 a0 ev0 o0"},
		{&domain.User{Username: "t1", Role: domain.RoleTeacher}, "2026-07-01", "2026-07-31", "m0 e0 l0 les0 a0 ev0 o0"},
	} {
		ds, err := db.FindAgenda(ctx, tt.user, d(tt.from), d(tt.to))
		if err != nil {
			t.Fatal(err)
		}
		if got := count(ds); got != tt.want {
			t.Errorf("%s %s–%s: %s, want %s", tt.user.Username, tt.from, tt.to, got, tt.want)
		}
	}
	ls, err := db.FindLessons(ctx, "G1", d("2026-03-13"), 12)
	if err != nil || len(ls) != 1 || ls[0].Date != d("2026-03-16") {
		t.Errorf("FindLessons(G1 from 2026-03-13) = %v, %v; want the lesson of 2026-03-16", ls, err)
	}
	if ls, _ := db.FindLessons(ctx, "G1", d("2026-01-01"), 1); len(ls) != 1 || ls[0].Date != d("2026-03-12") {
		t.Errorf("FindLessons(G1, limit 1) = %v, want the first lesson", ls)
	}
}
