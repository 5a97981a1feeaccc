package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/report"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/store"
)

const scheduleUsage = `usage: traject schedule COMMAND
  add NAME --cron EXPR --period RULE --out-dir DIR [--provider P] [--exact] [--keep N]
  list
  remove NAME
  run NAME           run it once now, recorded like any run
  runs [NAME]        the run history, newest first`

// cmdSchedule manages the scheduled indicator workbooks.
func cmdSchedule(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: scheduleUsage}
	}
	sub := map[string]func(context.Context, *env, []string) error{
		"add": cmdScheduleAdd, "list": cmdScheduleList, "remove": cmdScheduleRemove,
		"run": cmdScheduleRun, "runs": cmdScheduleRuns,
	}[args[0]]
	if sub == nil {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			e.printf("%s\n", scheduleUsage)
			return nil
		}
		return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q\n%s", args[0], scheduleUsage)}
	}
	return sub(ctx, e, args[1:])
}

// oneName returns the single NAME argument of a schedule command.
func oneName(pos []string, usage string) (string, error) {
	if len(pos) != 1 {
		return "", &exitError{code: 2, msg: "give one schedule NAME: " + usage}
	}
	return pos[0], nil
}

// invalid turns an EINVALID error into a usage error (exit 2); others pass.
func invalid(err error) error {
	if domain.ErrorCode(err) == domain.EINVALID {
		return &exitError{code: 2, msg: err.Error()}
	}
	return err
}

func cmdScheduleAdd(ctx context.Context, e *env, args []string) error {
	const synopsis = "schedule add NAME --cron EXPR --period RULE --out-dir DIR [--provider P] [--exact] [--keep N]"
	fs, dbPath := newFlags(e, "schedule add", synopsis)
	var rules []string
	for _, r := range schedule.Rules() {
		rules = append(rules, string(r))
	}
	cronExpr := fs.String("cron", "", `when to run: 5 fields (minute hour day-of-month month day-of-week), e.g. "0 6 1 * *", or @daily, @weekly, @monthly`)
	period := fs.String("period", "", "the reporting period of each run: "+strings.Join(rules, ", "))
	provider := fs.String("provider", "", "restrict to one provider (code)")
	exact := fs.Bool("exact", false, "exact counts and learner ids (no small-cell suppression, no pseudonyms)")
	outDir := fs.String("out-dir", "", "folder the workbooks are written to (created if missing)")
	keep := fs.Int("keep", 0, "keep only the newest N workbooks of this schedule (0: keep all)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	name, err := oneName(pos, synopsis)
	if err != nil {
		return err
	}
	s, err := schedule.Validate(domain.Schedule{Name: name, Cron: *cronExpr, Period: *period, Provider: *provider,
		Exact: *exact, OutDir: *outDir, Keep: *keep})
	if err != nil {
		return invalid(err)
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := requireProvider(ctx, db, s.Provider); err != nil {
		return err
	}
	s.CreatedAt = e.clock()
	if err := db.CreateSchedule(ctx, s); err != nil {
		return invalid(err)
	}
	desc, err := schedule.Describe(s.Cron, s.CreatedAt, 1)
	if err != nil {
		return err
	}
	rule, _ := schedule.ParseRule(s.Period)
	next := "never"
	if len(desc.Next) > 0 {
		next = desc.Next[0].Format("2006-01-02 15:04")
		from, to := rule.Period(domain.DateOf(desc.Next[0]))
		next += fmt.Sprintf(", for %s – %s", from, to)
	}
	e.printf("added schedule %s: %s (%s), period %s\nnext run: %s\nworkbooks go to %s\n", s.Name, desc.English, s.Cron, s.Period, next, s.OutDir)
	return nil
}

func cmdScheduleList(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "schedule list", "schedule list")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.ListSchedules(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		e.printf("no schedules; add one with `traject schedule add`\n")
		return nil
	}
	now := e.clock()
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCRON\tPERIOD\tPROVIDER\tEXACT\tKEEP\tNEXT RUN\tLAST RUN\tOUT DIR")
	for _, s := range list {
		provider := s.Provider
		if provider == "" {
			provider = "all"
		}
		keep := "all"
		if s.Keep > 0 {
			keep = fmt.Sprint(s.Keep)
		}
		last := "never"
		if runs, err := db.ListRuns(ctx, store.RunQuery{Kind: domain.RunWorkbook, Schedule: s.Name, Limit: 1}); err != nil {
			return err
		} else if len(runs) == 1 {
			last = runText(runs[0])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, s.Cron, s.Period, provider, yesNo(s.Exact), keep,
			nextRun(s, now), last, s.OutDir)
	}
	return tw.Flush()
}

// nextRun says when the scheduler runs s next: its next due time after the
// last one handled, or "due now" when one has passed unhandled.
func nextRun(s domain.Schedule, now time.Time) string {
	if s.Paused {
		return "paused"
	}
	cs, err := schedule.ParseCron(s.Cron)
	if err != nil {
		return "never (unreadable cron)"
	}
	base := s.LastDueAt
	if base.IsZero() {
		base = s.CreatedAt
	}
	next := cs.Next(base.In(now.Location()))
	switch {
	case next.IsZero():
		return "never"
	case !next.After(now):
		return "due now (missed " + next.Format("2006-01-02 15:04") + ")"
	}
	return next.Format("2006-01-02 15:04")
}

// runText is a run's status in a few words.
func runText(r domain.Run) string {
	t := r.StartedAt.Local().Format("2006-01-02 15:04")
	switch r.Status {
	case domain.RunFailed:
		return t + " failed: " + firstLine(r.Error)
	case domain.RunRunning:
		return t + " running"
	}
	return t + " ok"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func cmdScheduleRemove(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "schedule remove", "schedule remove NAME")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	name, err := oneName(pos, "schedule remove NAME")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.FindSchedule(ctx, name)
	if err != nil {
		return err
	}
	if err := db.DeleteSchedule(ctx, name); err != nil {
		return err
	}
	e.printf("removed schedule %s and its run history; the workbooks in %s stay\n", name, s.OutDir)
	return nil
}

// newRunner is the runner of the CLI and the scheduler, with the workbook job
// and the command's clock; backups are made with db.WriteBackup.
func newRunner(db *store.DB, e *env) schedule.Runner {
	r := schedule.Runner{DB: db, Job: schedule.WorkbookJob(db, Version), Log: slog.Default(), Now: e.clock}
	if testHold != nil {
		job, backup := r.Job, db.WriteBackup
		r.Job = func(ctx context.Context, s domain.Schedule, from, to domain.Date, tmp string) error {
			if err := job(ctx, s, from, to, tmp); err != nil {
				return err
			}
			testHold("workbook", tmp)
			return nil
		}
		r.Backup = func(ctx context.Context, tmp string) error {
			if err := backup(ctx, tmp); err != nil {
				return err
			}
			testHold("backup", tmp)
			return nil
		}
	}
	return r
}

// testHold is nil in traject itself. The tests (TestMain) set it in a
// process they mean to kill: it is called once a scheduled workbook or
// backup is written to its temporary file, before it is checked and moved
// into place, and does not return, so that the test kills the process at
// that point and not at a moment chosen by timing.
var testHold func(what, tmpPath string)

func cmdScheduleRun(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "schedule run", "schedule run NAME")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	name, err := oneName(pos, "schedule run NAME")
	if err != nil {
		return err
	}
	if _, err := report.DefaultLayout(); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	r := newRunner(db, e)
	run, err := r.RunNow(ctx, name, domain.TriggerManual)
	if err != nil {
		return err // the failed run is recorded; the error names it
	}
	e.printf("run %d of schedule %s: %s – %s\n%s\n%d bytes\nsha256 %s\n", run.ID, name, run.From, run.To, run.File, run.Size, run.SHA256)
	return nil
}

func cmdScheduleRuns(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "schedule runs", "schedule runs [NAME] [--limit N]")
	limit := fs.Int("limit", 50, "show at most N runs (0: all)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return &exitError{code: 2, msg: "give at most one schedule NAME"}
	}
	name := ""
	if len(pos) == 1 {
		name = pos[0]
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if name != "" {
		if _, err := db.FindSchedule(ctx, name); err != nil {
			return err
		}
	}
	runs, err := db.ListRuns(ctx, store.RunQuery{Kind: domain.RunWorkbook, Schedule: name, Limit: *limit})
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		e.printf("no runs yet\n")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSCHEDULE\tTRIGGER\tSTARTED\tSECONDS\tPERIOD\tSTATUS\tBYTES\tSHA256\tFILE OR ERROR")
	for _, r := range runs {
		secs := ""
		if !r.FinishedAt.IsZero() {
			secs = fmt.Sprint(int(r.FinishedAt.Sub(r.StartedAt).Seconds()))
		}
		status, detail := r.Status, r.File
		switch {
		case r.Status == domain.RunFailed:
			detail = firstLine(r.Error)
		case !r.PrunedAt.IsZero():
			status += " (let go)"
		}
		size, sum := "", ""
		if r.Status == domain.RunOK {
			size, sum = fmt.Sprint(r.Size), r.SHA256
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s – %s\t%s\t%s\t%s\t%s\n", r.ID, r.Schedule, r.Trigger,
			r.StartedAt.Local().Format("2006-01-02 15:04:05"), secs, r.From, r.To, status, size, sum, detail)
	}
	return tw.Flush()
}

// cmdScheduler runs due schedules in the foreground until ctx ends (SIGINT
// or SIGTERM); --once runs those due now and returns.
func cmdScheduler(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "scheduler", "scheduler [--once] [--tick DURATION] [--lease DURATION]")
	once := fs.Bool("once", false, "run the schedules that are due now, then stop")
	tick := fs.Duration("tick", schedule.DefaultTick, "time between looks at the schedules")
	lease := fs.Duration("lease", schedule.DefaultLease, "how long the scheduler lock outlives a process that stopped (another scheduler takes over then)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *tick < time.Second {
		return &exitError{code: 2, msg: fmt.Sprintf("--tick %v: give at least 1s", *tick)}
	}
	if *lease < 2**tick {
		return &exitError{code: 2, msg: fmt.Sprintf("--lease %v: give at least twice --tick (%v), so that a live scheduler renews it in time", *lease, 2**tick)}
	}
	// A broken layout stops the scheduler now, not in a run at night.
	if _, err := report.DefaultLayout(); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	s := &schedule.Scheduler{Runner: newRunner(db, e), Tick: *tick, Lease: *lease}
	if *once {
		pass, err := s.Once(ctx)
		if err != nil {
			return err
		}
		runs := pass.Runs
		failed := 0
		for _, r := range runs {
			e.printf("run %d of %s (%s): %s %s\n", r.ID, r.Schedule, r.Trigger, r.Status, r.File)
			if r.Status == domain.RunFailed {
				failed++
			}
		}
		if b := pass.Backup; b != nil {
			if b.Status == domain.RunFailed {
				failed++
				e.printf("backup %d (%s): %s %s\n", b.ID, b.Trigger, b.Status, firstLine(b.Error))
			} else {
				e.printf("backup %d (%s): %s %s\n", b.ID, b.Trigger, b.Status, b.File)
			}
		}
		if t := pass.Train; t != nil {
			if t.Status == domain.RunFailed {
				failed++
			}
			e.printf("risk training %d (%s): %s %s\n", t.ID, t.Trigger, t.Status, firstLine(t.Error))
		}
		if len(runs) == 0 && pass.Backup == nil && pass.Train == nil {
			e.printf("no schedule is due\n")
		}
		if failed > 0 {
			total := len(runs)
			if pass.Backup != nil {
				total++
			}
			if pass.Train != nil {
				total++
			}
			return &exitError{code: 1, msg: fmt.Sprintf("%d of %d runs failed (see `traject schedule runs` and `traject backup schedule`)", failed, total)}
		}
		return nil
	}
	slog.Info("scheduler started", "db", db.Name(), "tick", *tick, "lease", *lease)
	err = s.Run(ctx)
	slog.Info("scheduler stopped")
	return err
}
