package schedule

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// fakeTrain records the trainings asked for, or fails on demand.
type fakeTrain struct {
	mu    sync.Mutex
	calls []string // "asOf provider run"
	fail  error
}

func (f *fakeTrain) Train(_ context.Context, asOf domain.Date, provider string, _ time.Time, runID int64) (store.RiskModel, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("%s %q %d", asOf, provider, runID))
	if f.fail != nil {
		return store.RiskModel{}, f.fail
	}
	return store.RiskModel{ID: int64(len(f.calls))}, nil
}

func (f *fakeTrain) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// TestWeeklyTraining: the scheduler trains the early warning's model on
// Mondays at 05:00 in Brussels (03:00 or 04:00 UTC), once per week across
// schedulers, catches up once after being down, records every training in
// the run history and does not retry a failed one every tick.
func TestWeeklyTraining(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)) // a Wednesday
	ft := &fakeTrain{}
	e.sched.Train = ft.Train
	other := &Scheduler{Runner: e.sched.Runner, Holder: "other"}
	pass := func(s *Scheduler, at time.Time) *domain.Run {
		t.Helper()
		e.clock.Set(at)
		p, err := s.Once(ctx)
		if err != nil {
			t.Fatalf("%v: %v", at, err)
		}
		return p.Train
	}
	utc := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.UTC) }

	// The first look only notes the time: no training before the next Monday.
	if r := pass(e.sched, utc(4, 10, 0)); r != nil || ft.count() != 0 {
		t.Fatalf("first look trained: %+v", r)
	}
	if r := pass(e.sched, utc(9, 3, 59)); r != nil { // 04:59 in Brussels (CET)
		t.Fatalf("trained before 05:00: %+v", r)
	}
	r := pass(e.sched, utc(9, 4, 0))
	if r == nil || r.Kind != domain.RunRiskModel || r.Trigger != domain.TriggerCron || r.Status != domain.RunOK {
		t.Fatalf("Monday 05:00: %+v", r)
	}
	if r.From != domain.MustDate("2023-09-01") || r.To != domain.MustDate("2025-08-31") {
		t.Errorf("period %s..%s, want the learning window", r.From, r.To)
	}
	if want := fmt.Sprintf("2026-03-09 \"\" %d", r.ID); ft.calls[0] != want {
		t.Errorf("trained %q, want %q", ft.calls[0], want)
	}
	// The same week, this scheduler or another one: no second training.
	if r := pass(e.sched, utc(9, 4, 1)); r != nil {
		t.Errorf("trained twice: %+v", r)
	}
	if r := pass(other, utc(9, 6, 0)); r != nil {
		t.Errorf("another scheduler trained again: %+v", r)
	}
	// Down for three Mondays: one catch-up, for the day it runs.
	r = pass(other, utc(30, 12, 0))
	if r == nil || r.Trigger != domain.TriggerCatchUp || ft.count() != 2 || ft.calls[1][:10] != "2026-03-30" {
		t.Fatalf("after three Mondays: %+v, calls %v", r, ft.calls)
	}
	// Summer time: 05:00 in Brussels is 03:00 UTC.
	if r := pass(e.sched, time.Date(2026, 4, 6, 2, 59, 0, 0, time.UTC)); r != nil {
		t.Errorf("trained at 04:59 CEST: %+v", r)
	}
	if r := pass(e.sched, time.Date(2026, 4, 6, 3, 0, 0, 0, time.UTC)); r == nil || r.Trigger != domain.TriggerCron {
		t.Errorf("Monday 05:00 CEST: %+v", r)
	}
	// A failed training is recorded and not retried every tick.
	ft.fail = errors.New("out of memory")
	r = pass(e.sched, time.Date(2026, 4, 13, 3, 0, 0, 0, time.UTC))
	if r == nil || r.Status != domain.RunFailed || r.Error != "out of memory" {
		t.Errorf("failed training: %+v", r)
	}
	if r := pass(e.sched, time.Date(2026, 4, 13, 3, 1, 0, 0, time.UTC)); r != nil {
		t.Errorf("retried: %+v", r)
	}
	runs, err := e.db.ListRuns(ctx, store.RunQuery{Kind: domain.RunRiskModel})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 || ft.count() != 4 || runs[0].Status != domain.RunFailed || runs[3].Trigger != domain.TriggerCron {
		t.Errorf("%d runs, %d trainings: %+v", len(runs), ft.count(), runs)
	}
	// Without the training, nothing is due.
	off := &Scheduler{Runner: e.sched.Runner, Holder: "off", NoTrain: true}
	if r := pass(off, time.Date(2026, 4, 20, 3, 0, 0, 0, time.UTC)); r != nil {
		t.Errorf("NoTrain trained: %+v", r)
	}
}

// TestRunTrainRecordsTheModel: a training on demand is a manual run, and
// the stored model names it.
func TestRunTrainRecordsTheModel(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC))
	run, m, err := e.sched.RunTrain(ctx, domain.MustDate("2026-03-02"), "", domain.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != domain.RunOK || run.Trigger != domain.TriggerManual || m.RunID != run.ID || m.ID == 0 {
		t.Fatalf("run %+v model %d of run %d", run, m.ID, m.RunID)
	}
	// An empty database: too little history, stored all the same.
	got, err := e.db.LatestRiskModel(ctx, "", domain.MustDate("2026-03-02"))
	if err != nil || got.ID != m.ID || got.Refused == nil {
		t.Errorf("stored %+v (%v)", got, err)
	}
}
