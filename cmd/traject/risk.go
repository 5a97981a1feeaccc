package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
	"github.com/traject-nt2/traject/internal/store"
)

// cmdRisk is `traject risk`: the early warning of spec/early-warning.md
// for the enrollments open on a day, or (`risk validate`) its validation
// on chosen windows.
func cmdRisk(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "validate" {
		return cmdRiskValidate(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "train" {
		return cmdRiskTrain(ctx, e, args[1:])
	}
	fs, dbPath := newFlags(e, "risk", "risk --as-of D [--provider P] [--format json|table]")
	asOf := fs.String("as-of", "", "the judgement day (YYYY-MM-DD, required): only what is known that day is used")
	provider := fs.String("provider", "", "only the enrollments in this provider's groups (code)")
	format := fs.String("format", "json", "output format: json (the JSON form of the specification) or table (Dutch)")
	if _, err := parseN(fs, args, 0, "risk takes no arguments (did you mean `risk validate` or `risk train`?)"); err != nil {
		return err
	}
	if *format != "json" && *format != "table" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: use json or table", *format)}
	}
	day, err := flagDate("as-of", *asOf, true)
	if err != nil {
		return err
	}
	p := strings.TrimSpace(*provider)
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := requireProvider(ctx, db, p); err != nil {
		return err
	}
	in, err := db.LoadRiskInput(ctx)
	if err != nil {
		return err
	}
	// The latest stored model trained on or before the day estimates;
	// without one, the model is learned now, as `risk train` would.
	var l *risk.Listing
	stored, err := db.LatestRiskModel(ctx, p, day)
	switch {
	case err == nil:
		if l, err = risk.EstimateWith(in, day, &stored.Trained); err != nil {
			return err
		}
		l.Model.ID = stored.ID
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		if l, err = risk.Estimate(in, day, p); err != nil {
			return err
		}
	default:
		return err
	}
	if *format == "table" {
		return risk.WriteTable(e.stdout, l)
	}
	return risk.WriteJSON(e.stdout, l)
}

// cmdRiskValidate is `traject risk validate`: learn on one window, estimate
// on a later one, and print the figures.
func cmdRiskValidate(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "risk validate", "risk validate --train-from F --train-to T --test-from F2 --test-to T2 [--provider P]")
	trainFrom := fs.String("train-from", "", "first day of the learning window (YYYY-MM-DD, required)")
	trainTo := fs.String("train-to", "", "last day of the learning window (YYYY-MM-DD, required)")
	testFrom := fs.String("test-from", "", "first day of the test window (YYYY-MM-DD, required)")
	testTo := fs.String("test-to", "", "last day of the test window (YYYY-MM-DD, required)")
	provider := fs.String("provider", "", "only the enrollments in this provider's groups (code)")
	if _, err := parseN(fs, args, 0, "risk validate takes no arguments"); err != nil {
		return err
	}
	var w risk.Windows
	for _, f := range []struct {
		name, value string
		dst         *domain.Date
	}{{"train-from", *trainFrom, &w.TrainFrom}, {"train-to", *trainTo, &w.TrainTo}, {"test-from", *testFrom, &w.TestFrom}, {"test-to", *testTo, &w.TestTo}} {
		d, err := flagDate(f.name, f.value, true)
		if err != nil {
			return err
		}
		*f.dst = d
	}
	if err := w.Check(); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	p := strings.TrimSpace(*provider)
	in, err := loadForRisk(ctx, *dbPath, p)
	if err != nil {
		return err
	}
	r, _, err := risk.Validate(in, w, p)
	if err != nil {
		return err
	}
	return risk.WriteJSON(e.stdout, r)
}

// cmdRiskTrain is `traject risk train`: learn the model shown on a day
// (today by default), validate it on the last complete school year it did
// not learn from, store it and record the training in the run history, as
// the scheduler does every week.
func cmdRiskTrain(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "risk train", "risk train [--as-of D] [--provider P] [--if-none]")
	asOf := fs.String("as-of", "", "the day to train for (YYYY-MM-DD; default today in Brussels): only what is known that day is read")
	provider := fs.String("provider", "", "only the enrollments in this provider's groups (code)")
	ifNone := fs.Bool("if-none", false, "train only when no model of this scope that shows estimates is stored yet (make run, after loading the demo)")
	if _, err := parseN(fs, args, 0, "risk train takes no arguments"); err != nil {
		return err
	}
	day, err := flagDate("as-of", *asOf, false)
	if err != nil {
		return err
	}
	if day == 0 {
		day = domain.DateOf(e.clock().In(domain.Zone))
	}
	p := strings.TrimSpace(*provider)
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := requireProvider(ctx, db, p); err != nil {
		return err
	}
	if *ifNone {
		stored, err := db.ListRiskModels(ctx, &p, 1)
		if err != nil {
			return err
		}
		if len(stored) > 0 && stored[0].Refused == nil {
			e.printf("risk model %d is stored (trained for %s); not trained again\n", stored[0].ID, stored[0].AsOf)
			return nil
		}
	}
	r := newRunner(db, e)
	run, m, err := r.RunTrain(ctx, day, p, domain.TriggerManual)
	if err != nil {
		return err
	}
	writeTrainSummary(e, run, m)
	return nil
}

// writeTrainSummary tells in English what a training stored.
func writeTrainSummary(e *env, run domain.Run, m store.RiskModel) {
	scope := "the whole installation"
	if m.Provider != "" {
		scope = "provider " + m.Provider
	}
	w := m.Windows
	e.printf("risk model %d (run %d) for %s, trained for %s on the data up to %s\n", m.ID, run.ID, scope, m.AsOf, m.DataTo)
	e.printf("learned on %s to %s; validated on %s to %s, learning on the year before it\n", w.TrainFrom, w.TrainTo, w.TestFrom, w.TestTo)
	t := m.Validation.Test
	e.printf("validation: %d examples, %d early leavers; AUC %s, precision at 10 %% %s, recall at 10 %% %s\n",
		t.Examples, t.Positives, figureEN(t.AUC), figureEN(t.PrecisionAt10), figureEN(t.RecallAt10))
	if m.Refused != nil {
		e.printf("refused (%s): %s\n", m.Refused.Reason, m.Refused.Why.In("en"))
		return
	}
	e.printf("estimates shown with this model until the next training\n")
}

// figureEN writes a validation figure, or "none" when it is not defined.
func figureEN(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

// loadForRisk opens the database, checks the provider and loads what the
// early warning reads; a provider's estimates still use every record of
// its learners.
func loadForRisk(ctx context.Context, dbPath, provider string) (*risk.Input, error) {
	db, err := openDB(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := requireProvider(ctx, db, provider); err != nil {
		return nil, err
	}
	return db.LoadRiskInput(ctx)
}
