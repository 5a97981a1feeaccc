package store

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// registerDataSet generates three groups with lessons, learners enrolled
// in them for part of the time (some in two groups), and records at some
// of the lessons, including a record outside its learner's enrollment (an
// enrollment shortened afterwards), from seed.
func registerDataSet(seed uint64) *domain.DataSet {
	r := rand.New(rand.NewPCG(seed, 21))
	d := domain.MustDate
	ds := &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "CVO", Type: "cvo"}},
		Modules: []domain.Module{{Code: "M1", Provider: "P1", Name: "M1", Programme: "NT2", EntryLevel: 0, TargetLevel: 2,
			Skills: domain.AllSkills, NominalHours: 120}},
		Groups: []domain.Group{
			{Code: "R1", Module: "M1", StartDate: d("2026-01-05"), EndDate: d("2026-03-27"), PlannedHours: 120, Intensity: "standard"},
			{Code: "R2", Module: "M1", StartDate: d("2026-02-02"), EndDate: d("2026-05-29"), PlannedHours: 120, Intensity: "standard"},
			{Code: "R3", Module: "M1", StartDate: d("2026-01-12"), EndDate: d("2026-04-30"), PlannedHours: 120, Intensity: "standard"}},
	}
	for _, g := range ds.Groups {
		for day := g.StartDate; day <= g.EndDate; day++ {
			if wd := day.Time().Weekday(); wd == time.Tuesday || wd == time.Friday && r.IntN(2) == 0 {
				ds.Lessons = append(ds.Lessons, domain.Lesson{Group: g.Code, Date: day, Hours: 3})
			}
		}
	}
	lessonDays := func(g string) []domain.Date {
		var out []domain.Date
		for _, l := range ds.Lessons {
			if l.Group == g {
				out = append(out, l.Date)
			}
		}
		return out
	}
	// A date near from: a lesson's day one time in two, where the
	// enrollment's boundaries decide.
	near := func(g string, from domain.Date, days int) domain.Date {
		if r.IntN(2) == 0 {
			for _, l := range lessonDays(g) {
				if l >= from.AddDays(r.IntN(days)) {
					return l
				}
			}
		}
		return from.AddDays(r.IntN(days))
	}
	for i := range 10 {
		id := fmt.Sprintf("L%02d", i)
		ds.Learners = append(ds.Learners, domain.Learner{ID: id, FirstName: "A", LastName: id, BirthDate: d("1990-01-01"),
			Gender: "x", SchoolingLevel: "primary", Literacy: "literate_latin", LearningRoute: "standard", CivicStatus: "obliged",
			Perspective: "work"})
		for _, g := range ds.Groups {
			if r.IntN(3) == 0 && i%5 != 0 {
				continue
			}
			e := domain.Enrollment{Learner: id, Group: g.Code, StartDate: near(g.Code, g.StartDate, 30), Status: "active"}
			if r.IntN(2) == 0 {
				e.EndDate, e.Status = near(g.Code, e.StartDate.AddDays(10), 60), "dropped"
			}
			ds.Enrollments = append(ds.Enrollments, e)
		}
	}
	for _, l := range ds.Lessons {
		full := r.IntN(2) == 0 // a lesson registered for everyone
		for _, e := range ds.Enrollments {
			if e.Group != l.Group {
				continue
			}
			in := domain.EnrolledOn(&e, l.Date)
			// On a full lesson a learner on the first or last day of their
			// enrollment is left out one time in two: the boundary then
			// decides whether the lesson is registered.
			edge := l.Date == e.StartDate || l.Date == e.EndDate
			if in && (full && !(edge && r.IntN(2) == 0) || !full && r.IntN(8) != 0) || !in && r.IntN(10) == 0 {
				ds.Attendance = append(ds.Attendance, domain.Attendance{Learner: e.Learner, Group: l.Group, Date: l.Date,
					Status: []string{"present", "absent", "excused"}[r.IntN(3)]})
			}
		}
	}
	return ds
}

// The groups page's SQL count of unregistered lessons agrees with the
// rule's home, domain.Unregistered, on every day of the groups' terms.
func TestUnregisteredLessonsAgreesWithDomain(t *testing.T) {
	ctx := context.Background()
	for _, seed := range []uint64{1, 2, 3} {
		db := openTest(t)
		upsert(t, db, registerDataSet(seed))
		ds, err := db.LoadDataSet(ctx)
		if err != nil {
			t.Fatal(err)
		}
		some, none := false, false
		for day := domain.MustDate("2026-01-01"); day <= domain.MustDate("2026-06-05"); day++ {
			want := map[string]int{}
			var last *domain.Lesson
			for l := range domain.Unregistered(ds.Lessons, ds.Enrollments, ds.Attendance, day) {
				if l != last {
					want[l.Group]++
					last = l
				}
			}
			got, err := db.UnregisteredLessons(ctx, []string{"R1", "R2", "R3", "R9"}, day)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, want) {
				t.Fatalf("seed %d on %s: SQL counts %v, domain.Unregistered %v", seed, day, got, want)
			}
			some = some || len(want) > 0
			none = none || len(want) == 0
		}
		if !some || !none {
			t.Errorf("seed %d: a comparison that never varies (some %v, none %v)", seed, some, none)
		}
	}
}
