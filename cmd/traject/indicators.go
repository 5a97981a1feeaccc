package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/quality"
	"github.com/traject-nt2/traject/internal/store"
)

// indicatorFlags registers the flags of spec/indicators.md ("Parameters")
// on fs; params() then validates them into indicator.Params.
type indicatorFlags struct {
	from, to, asOf, provider              *string
	statutory, waitingList, grace, follow *int
	minHours                              *float64
}

func addIndicatorFlags(fs *flag.FlagSet) *indicatorFlags {
	return &indicatorFlags{
		from:        fs.String("from", "", "first day of the reporting period (YYYY-MM-DD, required)"),
		to:          fs.String("to", "", "last day of the reporting period (YYYY-MM-DD, required)"),
		asOf:        fs.String("as-of", "", "day on which open cases are judged (default: --to)"),
		provider:    fs.String("provider", "", "restrict to one provider (code)"),
		statutory:   fs.Int("statutory-months", domain.DefaultStatutoryMonths, "statutory period for access, in months"),
		waitingList: fs.Int("waiting-list-months", domain.DefaultWaitingListMonths, "a referral still waiting after this many months is on the waiting list"),
		grace:       fs.Int("grace-days", domain.DefaultGraceDays, "days after a group's planned end in which a pass or certificate still counts"),
		minHours:    fs.Float64("min-hours", domain.DefaultMinHours, "attended hours that make a learner a participant for learning gain"),
		follow:      fs.Int("followup-months", domain.DefaultFollowupMonths, "window after outflow in which a follow-up counts, in months"),
	}
}

func flagDate(name, v string, required bool) (domain.Date, error) {
	if strings.TrimSpace(v) == "" {
		if required {
			return 0, &exitError{code: 2, msg: fmt.Sprintf("--%s is required (YYYY-MM-DD)", name)}
		}
		return 0, nil
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		return 0, &exitError{code: 2, msg: fmt.Sprintf("--%s: %v", name, err)}
	}
	return d, nil
}

func (f *indicatorFlags) params() (indicator.Params, error) {
	from, err := flagDate("from", *f.from, true)
	if err != nil {
		return indicator.Params{}, err
	}
	to, err := flagDate("to", *f.to, true)
	if err != nil {
		return indicator.Params{}, err
	}
	p := indicator.DefaultParams(from, to)
	if asOf, err := flagDate("as-of", *f.asOf, false); err != nil {
		return p, err
	} else if asOf != 0 {
		p.AsOf = asOf
	}
	p.Provider = strings.TrimSpace(*f.provider)
	p.StatutoryMonths, p.WaitingListMonths, p.GraceDays = *f.statutory, *f.waitingList, *f.grace
	p.MinHours, p.FollowupMonths = *f.minHours, *f.follow
	if err := p.Validate(); err != nil {
		return p, &exitError{code: 2, msg: err.Error()}
	}
	return p, nil
}

// loadForIndicators opens the database, checks the provider and loads the
// data the engine needs.
func loadForIndicators(ctx context.Context, dbPath, provider string) (*domain.DataSet, error) {
	db, err := openDB(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := requireProvider(ctx, db, provider); err != nil {
		return nil, err
	}
	return db.LoadDataSetWith(ctx, store.LoadOptions{Slim: true, Entities: store.IndicatorEntities})
}

func cmdIndicators(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "explain" {
		return cmdExplain(ctx, e, args[1:])
	}
	fs, dbPath := newFlags(e, "indicators", "indicators --from F --to T [--provider P] [--as-of D] [--format json|table] [--suppress] [parameter flags]")
	pf := addIndicatorFlags(fs)
	format := fs.String("format", "table", "output format: json (the JSON form of the specification) or table (Dutch summary)")
	suppress := fs.Bool("suppress", false, "apply the small-cell rule: counts 1-4 as \"<5\", rates over fewer than 5 cases hidden")
	timing := fs.Bool("timing", false, "print how long loading and computing took on stderr")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *format != "json" && *format != "table" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: use json or table", *format)}
	}
	p, err := pf.params()
	if err != nil {
		return err
	}
	start := e.clock()
	ds, err := loadForIndicators(ctx, *dbPath, p.Provider)
	if err != nil {
		return err
	}
	loaded := e.clock()
	res := indicator.Compute(ds, p)
	if *suppress {
		res = res.Suppressed()
	}
	computed := e.clock()
	if *format == "json" {
		err = indicator.WriteJSON(e.stdout, res)
	} else {
		err = indicator.WriteTable(e.stdout, res)
	}
	if *timing {
		e.eprintf("load %.3fs, compute %.3fs, write %.3fs\n", loaded.Sub(start).Seconds(), computed.Sub(loaded).Seconds(), e.clock().Sub(computed).Seconds())
	}
	return err
}

func cmdExplain(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "indicators explain", "indicators explain --indicator NAME [--class CLASS] [--breakdown NAME=KEY] --from F --to T [--provider P] [--as-of D]")
	pf := addIndicatorFlags(fs)
	ind := fs.String("indicator", "", "access, progress, certification, learning_gain, outflow or effects (required)")
	class := fs.String("class", "", "a class (e.g. late) or a count field of the JSON form (e.g. waiting_list, by_skill.reading.gained)")
	breakdown := fs.String("breakdown", "", "only the cases under one breakdown key, e.g. gender=f or provider=CVO-A")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *ind == "" {
		return &exitError{code: 2, msg: "--indicator is required (" + strings.Join(indicator.IndicatorNames[:], ", ") + ")"}
	}
	f, err := indicator.ParseFilter(*ind, *class, *breakdown)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	p, err := pf.params()
	if err != nil {
		return err
	}
	ds, err := loadForIndicators(ctx, *dbPath, p.Provider)
	if err != nil {
		return err
	}
	cases := indicator.ExplainFilter(ds, p, f)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "lerende\tklasse\taanbieder\tdatum\tverwijzing\ttoelichting")
	for _, c := range cases {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Learner, c.Class, c.Provider, c.Date, c.Ref, strings.ReplaceAll(c.Detail.In(locale.Default), "\n", " "))
	}
	tw.Flush()
	e.printf("%d gevallen (%s)\n", len(cases), locale.T("nl", indicator.IndicatorKey(*ind)))
	return nil
}

func cmdCheck(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "check", "check [--provider P] [--as-of D] [--followup-months N]")
	provider := fs.String("provider", "", "only the records of one provider")
	asOfFlag := fs.String("as-of", "", "day on which the data are judged (default: today)")
	follow := fs.Int("followup-months", domain.DefaultFollowupMonths, "window after outflow in which a follow-up is expected")
	grace := fs.Int("grace-days", domain.DefaultGraceDays, "days after an enrollment's end in which its evaluations may still be dated")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	asOf, err := flagDate("as-of", *asOfFlag, false)
	if err != nil {
		return err
	}
	if asOf == 0 {
		asOf = domain.DateOf(e.clock())
	}
	p := quality.DefaultParams(asOf)
	p.Provider, p.FollowupMonths, p.GraceDays = *provider, *follow, *grace
	if err := p.Validate(); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	ds, err := loadForIndicators(ctx, *dbPath, p.Provider)
	if err != nil {
		return err
	}
	findings := quality.Check(ds, p)
	counts := map[string]int{}
	for _, f := range findings {
		counts[f.Kind]++
	}
	for _, k := range quality.Kinds {
		if counts[k.Code] == 0 {
			continue
		}
		e.printf("== %s (%d)\n%s\n", locale.T("nl", k.TitleKey()), counts[k.Code], locale.T("nl", k.TextKey()))
		for _, f := range findings {
			if f.Kind == k.Code {
				e.printf("  %s\t%s\n", f.Learner, f.Message.In("nl"))
			}
		}
		e.printf("\n")
	}
	e.printf("Datakwaliteit op %s:\n", asOf)
	for _, k := range quality.Kinds {
		e.printf("  %-55s %6d\n", locale.T("nl", k.TitleKey()), counts[k.Code])
	}
	e.printf("  %-55s %6d\n", "totaal", len(findings))
	return nil
}
