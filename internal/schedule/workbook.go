package schedule

import (
	"context"
	"os"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/store"
)

// The indicator workbook's data and the scheduler's export job. report
// writes a workbook from a data set and knows no database; loading that
// data set is done here, once, for every caller: `traject export
// indicators`, the scheduled runs (WorkbookJob) and the web application's
// download.

// WorkbookData loads from db what the indicator workbook of provider (""
// for every provider) reads: the indicators' entities and, unless exact,
// the installation's secret of the pseudonyms (made on first use). An
// unknown provider is ENOTFOUND, before anything is loaded.
func WorkbookData(ctx context.Context, db *store.DB, provider string, exact bool) (report.Data, error) {
	var d report.Data
	if provider != "" {
		ok, err := db.ProviderExists(ctx, provider)
		if err != nil {
			return d, err
		}
		if !ok {
			return d, domain.Errorf(domain.ENOTFOUND, "no provider %q in %s", provider, db.Name())
		}
	}
	if !exact {
		var err error
		if d.Secret, err = db.EnsureSecret(ctx, report.PseudonymSecretKey); err != nil {
			return d, err
		}
	}
	start := time.Now() // a duration for Stats.Load, not a date
	// Slim leaves out what no indicator reads, certificate numbers among
	// them: a pseudonymous workbook must not name them in its explanations.
	ds, err := db.LoadDataSetWith(ctx, store.LoadOptions{Slim: !exact, Entities: store.IndicatorEntities})
	if err != nil {
		return d, err
	}
	d.DataSet, d.Load = ds, time.Since(start)
	return d, nil
}

// WorkbookJob is the scheduler's export: the workbook of report.Workbook
// over WorkbookData for the schedule's period (judged as of its last day),
// provider and exactness, written to the runner's temporary file.
func WorkbookJob(db *store.DB, version string) Job {
	return func(ctx context.Context, s domain.Schedule, from, to domain.Date, tmpPath string) error {
		p := indicator.DefaultParams(from, to)
		p.Provider = s.Provider
		if err := p.Validate(); err != nil {
			return err
		}
		d, err := WorkbookData(ctx, db, s.Provider, s.Exact)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(tmpPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if err != nil {
			return err
		}
		if _, err := report.Workbook(ctx, d, p, s.Exact, version, f); err != nil {
			f.Close()
			return err
		}
		return f.Close() // the runner hashes, flushes and renames it
	}
}
