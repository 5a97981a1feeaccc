package cache_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

// TestMain drops the template databases of this binary when its tests end.
func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// TestRiskDay: a day's estimates by a stored model are computed once per
// (model, day, data version): asked again they are the same, another day
// or another data version computes anew; they are exactly the command
// line's (risk.EstimateWith on the store's input), with the 10 % highest,
// rounded up, as the warnings.
func TestRiskDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := testkit.Built(t, "cache_risk", func(ctx context.Context, db *store.DB) error {
		if err := testkit.Upsert(ctx, db, demo.Generate(demo.Options{Learners: 1500})); err != nil {
			return err
		}
		_, err := db.TrainRiskModel(ctx, domain.MustDate("2026-03-02"), "", time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC), 0)
		return err
	})
	db := testkit.Open(t, dsn)
	id, err := db.LatestRiskModelID(ctx, "", domain.MustDate("2026-03-15"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.FindRiskModel(ctx, id)
	if err != nil || m.Refused != nil {
		t.Fatalf("model %d: %v, refused %+v", id, err, m.Refused)
	}
	c := cache.New(db)
	c.PollEvery = 0
	snap, err := c.Snapshot(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	day := domain.MustDate("2026-03-09")
	a, err := snap.RiskDay(ctx, &m, day, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := snap.RiskDay(ctx, &m, day, nil); again != a {
		t.Error("the same model and day computed twice")
	}
	other, err := snap.RiskDay(ctx, &m, day.AddDays(7), nil)
	if err != nil || other == a || other.AsOf != "2026-03-16" {
		t.Errorf("another day: %v, same %t", err, other == a)
	}
	in, err := db.LoadRiskInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := risk.EstimateWith(in, day, &m.Trained)
	if err != nil {
		t.Fatal(err)
	}
	want.Model.ID = m.ID
	ja, _ := json.Marshal(a.Listing)
	jw, _ := json.Marshal(want)
	if string(ja) != string(jw) {
		t.Error("the cached estimates differ from the command line's")
	}
	n := len(a.Enrollments)
	if n < 20 || a.Warned != (n+9)/10 || !a.IsWarning(a.Enrollments[a.Warned-1]) || a.IsWarning(a.Enrollments[a.Warned]) {
		t.Errorf("%d estimates, %d warned", n, a.Warned)
	}
	first := a.Enrollments[0]
	if of := a.Of(first.Learner); len(of) == 0 || of[0].Rank != first.Rank || of[0].Group != first.Group {
		t.Errorf("Of(%s) = %+v", first.Learner, of)
	}
	// A data write: the next snapshot computes again.
	if err := db.SaveFollowUp(ctx, "test", domain.FollowUp{Learner: first.Learner, Date: domain.MustDate("2026-03-10"), Status: "unknown"},
		time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	snap2, err := c.Snapshot(ctx, nil)
	if err != nil || snap2 == snap {
		t.Fatalf("no new snapshot after a write: %v", err)
	}
	b, err := snap2.RiskDay(ctx, &m, day, nil)
	if err != nil || b == a {
		t.Errorf("a new data version kept the estimates: %v", err)
	}
}
