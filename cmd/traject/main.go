// Command traject follows NT2 learners from referral to outflow and derives
// the results and effects indicators of the Flemish quality framework.
//
// main is the only place that knows every package: it parses flags, wires
// the store, interchange, indicator and report packages, and prints.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// Version is the Traject version, set at build time with -ldflags.
var Version = "dev"

// defaultDB is the database used without --db or TRAJECT_DB.
const defaultDB = "data/traject.db"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	os.Exit(run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}))
}

// env is what a command may touch of the outside world, so tests can run
// commands in-process with their own streams and environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time // the clock, set once in main (time.Now); nil: the real clock
}

// clock returns the current time from e.now. Every command reads the time
// here and nowhere else — the day a check or a retention judges on, a
// schedule's next run, the time an account or a run is recorded, the
// seconds a command reports — so that a test can run a command on a day
// of its choosing (a period rule's edge, say).
func (e *env) clock() time.Time {
	if e.now != nil {
		return e.now()
	}
	return time.Now()
}

func (e *env) printf(format string, args ...any)  { fmt.Fprintf(e.stdout, format, args...) }
func (e *env) eprintf(format string, args ...any) { fmt.Fprintf(e.stderr, format, args...) }

// command is one subcommand of traject.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"migrate", "apply the database migrations", cmdMigrate},
		{"stats", "print the number of rows per entity", cmdStats},
		{"copy", "copy a whole installation into a new database (e.g. SQLite into PostgreSQL)", cmdCopy},
		{"import", "import a data set (folder of CSV files or .xlsx workbook; --profile: another system's files)", cmdImport},
		{"profile", "mapping profiles for other systems' files: add, list, show, remove", cmdProfile},
		{"export", "export data (`export data`) or an indicator workbook (`export indicators`)", cmdExport},
		{"demo", "generate the demo data set and load it (or write it with --out)", cmdDemo},
		{"indicators", "compute the indicators (`indicators explain` lists the cases behind them)", cmdIndicators},
		{"risk", "the early warning of early leaving on a day (`risk train` learns and stores the model, `risk validate` validates on chosen windows)", cmdRisk},
		{"check", "list the data-quality findings that make indicators unreliable", cmdCheck},
		{"schedule", "scheduled indicator workbooks: add, list, remove, run, runs", cmdSchedule},
		{"scheduler", "run due schedules in the foreground until stopped (SIGTERM)", cmdScheduler},
		{"serve", "serve the web application (default 127.0.0.1:8080, this machine only)", cmdServe},
		{"user", "accounts: add, list, disable, set-password", cmdUser},
		{"token", "API tokens: create, list, revoke", cmdToken},
		{"learner", "one learner's personal data: export (access) or erase", cmdLearner},
		{"retention", "the retention period of personal data: set, dry run, apply", cmdRetention},
		{"backup", "write a consistent copy of the SQLite database while servers run; `backup schedule`: scheduled backups", cmdBackup},
		{"restore", "restore a backup into the database (--replace to overwrite data)", cmdRestore},
		{"version", "print the version", func(_ context.Context, e *env, _ []string) error { e.printf("traject %s\n", Version); return nil }},
	}
}

// exitError carries a specific exit code (e.g. 1 for an import with errors
// that were already printed).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			if err == nil {
				return 0
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			var ee *exitError
			if errors.As(err, &ee) {
				if ee.msg != "" {
					e.eprintf("traject %s: %s\n", c.name, ee.msg)
				}
				return ee.code
			}
			e.eprintf("traject %s: %s\n", c.name, err)
			return 1
		}
	}
	e.eprintf("traject: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "traject %s: NT2 learner trajectories and quality indicators\n\nUsage: traject COMMAND [flags]\n\nCommands:\n", Version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nEvery command that uses the database takes --db PATH (or TRAJECT_DB; default %s).\nRun `traject COMMAND -h` for its flags.\n", defaultDB)
}

// newFlags returns a flag set for a subcommand that prints its errors and
// usage to the command's stderr, with the common --db flag.
func newFlags(e *env, name, synopsis string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("traject "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: traject %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	db := e.getenv("TRAJECT_DB")
	if db == "" {
		db = defaultDB
	}
	path := fs.String("db", db, "SQLite database file, or a postgres:// URL (env TRAJECT_DB)")
	return fs, path
}

// parse parses flags, allowing flags after positional arguments
// (`traject import data/ --dry-run`), and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &exitError{code: 2}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseN parses args as parse does and wants exactly n positional
// arguments; otherwise it prints the usage and returns a usage error (exit
// 2) saying what it wants.
func parseN(fs *flag.FlagSet, args []string, n int, want string) ([]string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		fs.Usage()
		return nil, &exitError{code: 2, msg: want}
	}
	return pos, nil
}

// openDB opens the database and refuses a stale schema, naming `traject migrate`.
func openDB(ctx context.Context, path string) (*store.DB, error) {
	if !store.IsPostgres(path) {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s: run `traject migrate --db %s` first", path, path)
		}
	}
	db, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "migrate", "migrate [--db PATH|URL]")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	have, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		e.printf("applied %s\n", m)
	}
	e.printf("database %s is at schema version %d\n", db.Name(), have)
	return nil
}

func cmdStats(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "stats", "stats [--db PATH|URL]")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	stats, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	e.printf("%s\n", *dbPath)
	total := 0
	for _, s := range stats {
		e.printf("  %-14s %9d\n", s.Entity, s.Rows)
		total += s.Rows
	}
	e.printf("  %-14s %9d\n", "total", total)
	return nil
}

// requireProvider checks that a --provider value names a stored provider.
func requireProvider(ctx context.Context, db *store.DB, code string) error {
	if code == "" {
		return nil
	}
	ok, err := db.ProviderExists(ctx, code)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "no provider %q in %s", code, db.Path())
	}
	return nil
}
