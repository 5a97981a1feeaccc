package schedule

import (
	"context"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
)

// TestRetentionRunsOnceADay: the scheduler applies the retention period at
// its first pass and then only once a day has passed on its clock, erasing
// a learner whose latest record has become older than the period.
func TestRetentionRunsOnceADay(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)) // 2 years back: 2024-03-02
	ctx := context.Background()
	learner := func(id string) domain.Learner {
		return domain.Learner{ID: id, FirstName: "A", LastName: "B", BirthDate: domain.MustDate("1980-01-01"), Gender: "f",
			SchoolingLevel: "primary", Literacy: "literate_latin", LearningRoute: "standard", CivicStatus: "obliged", Perspective: "work"}
	}
	ds := &domain.DataSet{
		Learners: []domain.Learner{learner("OLD"), learner("NEXT")},
		FollowUps: []domain.FollowUp{
			{Learner: "OLD", Date: domain.MustDate("2024-03-01"), Status: "work"},
			{Learner: "NEXT", Date: domain.MustDate("2024-03-02"), Status: "work"},
		},
	}
	if rep, err := importer.DataSet(ctx, e.db, ds, importer.Options{}); err != nil || !rep.OK() {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	if err := e.db.SetRetention(ctx, "test", 2, time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	exists := func(id string) bool {
		_, err := e.db.ExportLearner(ctx, id)
		return err == nil
	}
	e.sched.retain(ctx)
	if exists("OLD") || !exists("NEXT") {
		t.Fatalf("after the first pass: OLD kept %v, NEXT kept %v; want OLD erased, NEXT kept", exists("OLD"), exists("NEXT"))
	}
	e.clock.Set(time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)) // 23 hours later: NEXT is due, the pass is not
	e.sched.retain(ctx)
	if !exists("NEXT") {
		t.Fatal("retention ran twice within a day")
	}
	e.clock.Set(time.Date(2026, 3, 3, 3, 0, 0, 0, time.UTC))
	e.sched.retain(ctx)
	if exists("NEXT") {
		t.Fatal("retention did not run a day later")
	}
}
