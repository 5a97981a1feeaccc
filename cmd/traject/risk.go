package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
)

// cmdRisk is `traject risk`: the early warning of spec/early-warning.md
// for the enrollments open on a day, or (`risk validate`) its validation
// on chosen windows.
func cmdRisk(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "validate" {
		return cmdRiskValidate(ctx, e, args[1:])
	}
	fs, dbPath := newFlags(e, "risk", "risk --as-of D [--provider P] [--format json|table]")
	asOf := fs.String("as-of", "", "the judgement day (YYYY-MM-DD, required): only what is known that day is used")
	provider := fs.String("provider", "", "only the enrollments in this provider's groups (code)")
	format := fs.String("format", "json", "output format: json (the JSON form of the specification) or table (Dutch)")
	if _, err := parseN(fs, args, 0, "risk takes no arguments (did you mean `risk validate`?)"); err != nil {
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
	in, err := loadForRisk(ctx, *dbPath, p)
	if err != nil {
		return err
	}
	l, err := risk.Estimate(in, day, p)
	if err != nil {
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
