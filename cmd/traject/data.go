package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/traject-nt2/traject/internal/demo"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/importer"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/store"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "import", "import PATH [--profile PROFILE [--profile-provider P]] [--dry-run] [--db PATH|URL]\n\n"+
		"PATH is a folder of CSV files or an .xlsx workbook (spec/interchange.md). With --profile (a profile's\n"+
		"JSON file, or the name of a stored one: traject profile list), PATH holds another system's files\n"+
		"(a folder, a .zip, one .csv file or a workbook), read as the profile says.\n\n"+commandLimits())
	dry := fs.Bool("dry-run", false, "validate and report without storing anything")
	profile := fs.String("profile", "", "a mapping profile: its JSON file or a stored profile's name")
	owner := providerFlag(fs, "profile-provider", "whose stored profile --profile names, when several providers keep one of that name (\"\" for every provider's)")
	quiet := fs.Bool("quiet", false, "no progress output")
	pos, err := parseN(fs, args, 1, "give one PATH: a folder of CSV files or an .xlsx workbook")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	start := e.clock()
	// Whoever runs the command holds the database: files may be larger than
	// an upload, but not unbounded (interchange.CommandLimits).
	opt := importer.Options{DryRun: *dry, Limits: interchange.CommandLimits}
	if *profile != "" {
		if opt.Profile, err = loadProfile(ctx, db, *profile, owner()); err != nil {
			return err
		}
	}
	if !*quiet {
		opt.Progress = progressPrinter(e)
	}
	rep, err := importer.Path(ctx, db, pos[0], opt)
	if err != nil {
		return err
	}
	if !*dry { // the import history holds what was stored or refused (a dry run is neither)
		profileName := ""
		if opt.Profile != nil {
			profileName = opt.Profile.Name
		}
		if err := db.RecordImport(ctx, rep.Run(e.clock(), "", store.ImportCLI, filepath.Base(filepath.Clean(pos[0])), profileName, "en")); err != nil {
			e.eprintf("traject import: recording the import in its history: %v\n", err)
		}
	}
	return printImportReport(e, rep, e.clock().Sub(start))
}

// commandLimits says what `traject import` reads at most.
func commandLimits() string {
	l := interchange.CommandLimits
	n := func(v int64) string { return locale.Number(v).In("en") }
	return fmt.Sprintf("Limits: %s MB a file and unpacked, %s files in a .zip, %s parts in a workbook, %s rows and %s\n"+
		"columns a table, %s characters a cell.", n(l.FileBytes>>20), n(int64(l.ZipFiles)), n(int64(l.WorkbookParts)),
		n(int64(l.Rows)), n(int64(l.Columns)), n(int64(l.CellChars)))
}

// progressPrinter reports long imports on stderr; files under 50,000 rows
// pass too quickly to need it.
func progressPrinter(e *env) func(stage, entity string, done, total int) {
	const large = 50000
	return func(stage, entity string, done, total int) {
		switch stage {
		case "read":
			if done >= large {
				e.eprintf("  read  %-14s %9d rows\n", entity, done)
			}
		case "write":
			if total >= large && (done == total || done%200000 == 0) {
				e.eprintf("  write %-14s %9d / %d\n", entity, done, total)
			}
		}
	}
}

func printImportReport(e *env, rep *importer.Report, took time.Duration) error {
	if !rep.OK() {
		for _, re := range rep.Errors {
			e.eprintf("%s\n", re.Error())
		}
		return &exitError{code: 1, msg: fmt.Sprintf("%d errors; nothing was imported", len(rep.Errors))}
	}
	verb := "imported"
	if rep.DryRun {
		verb = "dry run, nothing stored; would have"
	}
	e.printf("%-14s %9s %9s %9s\n", "entity", "inserted", "updated", "unchanged")
	var ins, upd, same int
	for _, c := range rep.Counts {
		e.printf("%-14s %9d %9d %9d\n", c.Entity, c.Inserted, c.Updated, c.Unchanged)
		ins, upd, same = ins+c.Inserted, upd+c.Updated, same+c.Unchanged
	}
	e.printf("%-14s %9d %9d %9d\n", "total", ins, upd, same)
	e.printf("%s: %d inserted, %d updated, %d unchanged in %.1fs\n", verb, ins, upd, same, took.Seconds())
	return nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "data":
			return cmdExportData(ctx, e, args[1:])
		case "indicators":
			return cmdExportIndicators(ctx, e, args[1:])
		}
	}
	return &exitError{code: 2, msg: "usage: traject export data --out DIR [--provider P] | traject export indicators --from F --to T --out FILE.xlsx"}
}

func cmdExportData(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "export data", "export data --out DIR [--provider P] [--db PATH|URL]")
	out := fs.String("out", "", "folder to write the interchange CSV files to (created if missing)")
	provider := fs.String("provider", "", "export only this provider's part")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return &exitError{code: 2, msg: "--out DIR is required"}
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := requireProvider(ctx, db, *provider); err != nil {
		return err
	}
	start := e.clock()
	ds, err := db.LoadDataSet(ctx)
	if err != nil {
		return err
	}
	if *provider != "" {
		ds = ds.ForProvider(*provider)
	}
	if err := interchange.WriteDir(*out, ds); err != nil {
		return err
	}
	e.printf("wrote %d learners and %d rows in all to %s in %.1fs\n", len(ds.Learners), rowCount(ds), *out, e.clock().Sub(start).Seconds())
	return nil
}

// rowCount is the number of records of every entity of the interchange
// format in ds, the register, observations and survey responses included.
func rowCount(ds *domain.DataSet) int {
	return len(ds.Providers) + len(ds.Modules) + len(ds.Goals) + len(ds.Learners) + len(ds.LearnerGoals) +
		len(ds.Referrals) + len(ds.Groups) + len(ds.Lessons) + len(ds.Placements) + len(ds.Enrollments) +
		len(ds.Attendance) + len(ds.Evaluations) + len(ds.Certificates) + len(ds.Outflows) + len(ds.FollowUps) +
		len(ds.Observations) + len(ds.SurveyResponses)
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "demo", "demo [--learners N] [--seed S] [--today YYYY-MM-DD] [--out DIR | --db PATH|URL] [--if-empty]")
	n := fs.Int("learners", 2000, "number of learners")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same data")
	today := fs.String("today", "", "the day the demo data is taken on (YYYY-MM-DD; default today in Brussels): three school years up to it and the plans after it")
	out := fs.String("out", "", "write the data set as interchange CSV files to this folder instead of loading it")
	ifEmpty := fs.Bool("if-empty", false, "load only into a database that holds no learners yet")
	accounts := fs.Bool("accounts", true, "after loading, create one demo account per role (printed with its password)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *n < 1 || *n > 2_000_000 {
		return &exitError{code: 2, msg: fmt.Sprintf("--learners %d: give a number from 1 to 2000000", *n)}
	}
	// The demo is anchored on today (the env's clock, in Brussels) unless
	// --today fixes the day: the same day and seed give the same data.
	day := domain.DateOf(e.clock().In(domain.Zone))
	if *today != "" {
		var err error
		if day, err = domain.ParseDate(*today); err != nil || day == 0 {
			return &exitError{code: 2, msg: fmt.Sprintf("--today %q is not a date (YYYY-MM-DD)", *today)}
		}
	}
	var err error
	var db *store.DB
	if *out == "" {
		db, err = openDB(ctx, *dbPath)
		if err != nil {
			return err
		}
		defer db.Close()
		if *ifEmpty {
			stats, err := db.Stats(ctx)
			if err != nil {
				return err
			}
			for _, s := range stats {
				if s.Entity == "learners" && s.Rows > 0 {
					e.printf("%s already holds %d learners; demo data not loaded\n", db.Name(), s.Rows)
					if *accounts {
						return ensureDemoAccounts(ctx, db, e.stdout, e.clock())
					}
					return nil
				}
			}
		}
	}
	start := e.clock()
	ds := demo.Generate(demo.Options{Learners: *n, Seed: *seed, Today: day})
	e.eprintf("generated %d learners, %d rows taken on %s in %.1fs\n", len(ds.Learners), rowCount(ds), day, e.clock().Sub(start).Seconds())
	if *out != "" {
		if err := interchange.WriteDir(*out, ds); err != nil {
			return err
		}
		e.printf("wrote the demo data set to %s\n", *out)
		return nil
	}
	rep, err := importer.DataSet(ctx, db, ds, importer.Options{Progress: progressPrinter(e)})
	if err != nil {
		return err
	}
	if err := printImportReport(e, rep, e.clock().Sub(start)); err != nil {
		return err
	}
	if *accounts {
		return ensureDemoAccounts(ctx, db, e.stdout, e.clock())
	}
	return nil
}
