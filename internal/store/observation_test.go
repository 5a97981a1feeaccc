package store

import (
	"context"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

func TestSaveObservations(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	d := domain.MustDate
	obs := func(learner, date string, w, i domain.Score) domain.Observation {
		return domain.Observation{Learner: learner, Group: "G1", Date: d(date), Wellbeing: w, Involvement: i, Observer: "t1"}
	}
	v0, _ := db.DataVersion(ctx)
	n, err := db.SaveObservations(ctx, "t1", "G1", []domain.Observation{obs("W1", "2026-03-10", 4, 3), obs("W5", "2026-03-10", 2, 0)}, webNow)
	if err != nil || n != 2 {
		t.Fatalf("SaveObservations = %d, %v; want 2", n, err)
	}
	if v1, _ := db.DataVersion(ctx); v1 == v0 {
		t.Errorf("data version stayed %d after saving observations", v1)
	}
	if n, err := db.SaveObservations(ctx, "t1", "G1", []domain.Observation{obs("W1", "2026-03-10", 4, 3)}, webNow); err != nil || n != 0 {
		t.Errorf("same again = %d, %v; want 0 changes", n, err)
	}
	if n, err := db.SaveObservations(ctx, "t1", "G1", []domain.Observation{obs("W1", "2026-03-10", 5, 3)}, webNow); err != nil || n != 1 {
		t.Errorf("changed = %d, %v; want 1 change", n, err)
	}
	// Each refusal stores nothing, not even the good observation before it.
	good := obs("W1", "2026-03-11", 3, 3)
	for name, bad := range map[string]domain.Observation{
		"score 6":           obs("W5", "2026-03-11", 6, 3),
		"no score":          obs("W5", "2026-03-11", 0, 0),
		"not in group":      obs("W2", "2026-03-11", 3, 3),
		"before enrollment": obs("W1", "2026-01-04", 3, 3),
		"future":            obs("W1", "2026-03-16", 3, 3),
	} {
		if _, err := db.SaveObservations(ctx, "t1", "G1", []domain.Observation{good, bad}, webNow); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", name, err)
		}
	}
	got, err := db.FindGroupObservations(ctx, "G1")
	if err != nil || len(got) != 2 {
		t.Fatalf("FindGroupObservations = %v, %v; want 2", got, err)
	}
	last := LastObservations(got)
	if w1 := last["W1"]; w1.Wellbeing != 5 || w1.Involvement != 3 {
		t.Errorf("last of W1 = %+v, want 5/3", w1)
	}
	if w5 := last["W5"]; w5.Wellbeing != 2 || w5.Involvement != 0 {
		t.Errorf("last of W5 = %+v, want 2/none", w5)
	}
	trail, err := db.ListAudit(ctx, "W1", 10)
	if err != nil {
		t.Fatal(err)
	}
	var creates, updates int
	for _, e := range trail {
		if e.Entity == "observations" {
			switch e.Action {
			case AuditCreate:
				creates++
			case AuditUpdate:
				updates++
			}
		}
	}
	if creates != 1 || updates != 1 {
		t.Errorf("audit of W1: %d creates, %d updates; want 1 and 1", creates, updates)
	}
	mine, err := db.FindLearnerObservations(ctx, "W5")
	if err != nil || len(mine) != 1 || mine[0].Wellbeing != 2 {
		t.Errorf("FindLearnerObservations(W5) = %v, %v", mine, err)
	}
}

func TestLowWellbeingFlag(t *testing.T) {
	db := webDB(t)
	ctx := context.Background()
	d := domain.MustDate
	asOf := domain.DateOf(webNow)
	c1 := &domain.User{Username: "c1", Role: domain.RoleCounsellor}
	flagged := func(asOf domain.Date) []string {
		t.Helper()
		page, err := db.FindLearners(ctx, c1, LearnerQuery{AsOf: asOf, Flag: signal.LowWellbeing})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, l := range page.Learners {
			if !slices.ContainsFunc(l.Flags, func(f signal.Flag) bool { return f.Kind == signal.LowWellbeing }) {
				t.Errorf("%s is listed under %s without that flag: %v", l.ID, signal.LowWellbeing, l.Flags)
			}
			ids = append(ids, l.ID)
		}
		return ids
	}
	save := func(o ...domain.Observation) {
		t.Helper()
		if _, err := db.SaveObservations(ctx, "t1", "G1", o, webNow); err != nil {
			t.Fatal(err)
		}
	}
	// W1: wellbeing 2 on 1 March, then 4 on 10 March (involvement 3 both
	// times); W5: involvement 1 on 10 March, and wellbeing only later.
	save(domain.Observation{Learner: "W1", Date: d("2026-03-01"), Wellbeing: 2, Involvement: 3},
		domain.Observation{Learner: "W5", Date: d("2026-03-10"), Involvement: 1})
	save(domain.Observation{Learner: "W1", Date: d("2026-03-10"), Wellbeing: 4, Involvement: 3},
		domain.Observation{Learner: "W5", Date: d("2026-03-12"), Wellbeing: 5})
	if got := flagged(asOf); !slices.Equal(got, []string{"W5"}) {
		t.Errorf("flagged on %s: %v, want [W5] (W1's last wellbeing is 4; W5's last involvement is 1)", asOf, got)
	}
	if got := flagged(d("2026-03-05")); !slices.Equal(got, []string{"W1"}) {
		t.Errorf("flagged on 2026-03-05: %v, want [W1]", got)
	}
	if got := flagged(d("2026-02-28")); len(got) != 0 {
		t.Errorf("flagged before any observation: %v", got)
	}
}
