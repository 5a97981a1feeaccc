package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// The personal data of one learner (spec/domain.md, "Personal data:
// access, erasure and retention") from the command line.

const learnerUsage = `usage: traject learner export ID | traject learner erase ID --yes`

func cmdLearner(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "export":
			return cmdLearnerExport(ctx, e, args[1:])
		case "erase":
			return cmdLearnerErase(ctx, e, args[1:])
		}
	}
	return &exitError{code: 2, msg: learnerUsage}
}

func cmdLearnerExport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "learner export", "learner export ID [--db PATH|URL]\n\n"+
		"Prints everything stored about one learner as one JSON document (the right of access):\n"+
		"the learner, every record that names them, and the audit trail of their records.")
	pos, err := parseN(fs, args, 1, "give one learner ID")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	x, err := db.ExportLearner(ctx, pos[0])
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	e.printf("%s\n", b)
	return nil
}

// eraseExplanation says what an erasure does.
const eraseExplanation = `Erasure (spec/domain.md, "Erasure") cannot be undone. The learner gets a new random
id ANON-…, in every record that names them; first and last name become "Anoniem";
home language, country of birth and counsellor become blank; the birth date becomes
1 July of the birth year; evaluation feedback, observation notes and survey comments
become blank; survey responses that named them become anonymous; the audit trail
keeps its events but not the old or new values. Codes, dates, levels, hours and
scores stay, so every indicator is unchanged but for age_band.`

// outsideNote is what an erasure cannot reach.
const outsideNote = `Not reached: workbooks, data exports and backups already written are files outside
the database; delete or replace them as your retention rules say.`

func cmdLearnerErase(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "learner erase", "learner erase ID --yes [--db PATH|URL]\n\n"+eraseExplanation)
	yes := fs.Bool("yes", false, "confirm the erasure (it cannot be undone)")
	pos, err := parseN(fs, args, 1, "give one learner ID")
	if err != nil {
		return err
	}
	if !*yes {
		e.eprintf("%s\n\n", eraseExplanation)
		return &exitError{code: 2, msg: fmt.Sprintf("nothing erased: add --yes to erase learner %s", pos[0])}
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	newID, err := db.EraseLearner(ctx, cliActor, pos[0], e.clock())
	if err != nil {
		return err
	}
	e.printf("learner %s erased; the records now name %s\n", pos[0], newID)
	printScrubNote(e, db)
	e.printf("%s\n", outsideNote)
	return nil
}

// printScrubNote says how the removed values left the database's files.
func printScrubNote(e *env, db *store.DB) {
	if db.IsPostgres() {
		e.printf("PostgreSQL keeps old row versions (dead tuples) until VACUUM removes them; VACUUM was run on the\n" +
			"tables touched. Their bytes may stay in free space and in the server's write-ahead log until\n" +
			"reused; VACUUM FULL rewrites the tables, and base backups and WAL archives still hold the values.\n")
		return
	}
	e.printf("SQLite: freed content was overwritten (secure_delete), the file rebuilt (VACUUM) and the\n" +
		"write-ahead log emptied (checkpoint): the removed values are in none of the database files.\n")
}

func cmdRetention(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "retention", "retention [--years N | --off | --dry-run | --apply] [--db PATH|URL]\n\n"+
		"The retention period (spec/domain.md, \"Retention\"): learners whose latest record is older\n"+
		"than N years are erased as by `traject learner erase`, daily by the scheduler, or now\n"+
		"with --apply. Without flags it prints the setting.")
	years := fs.Int("years", 0, "set the retention period to N whole years")
	off := fs.Bool("off", false, "turn retention off")
	dry := fs.Bool("dry-run", false, "list who would be erased today, and why")
	apply := fs.Bool("apply", false, "erase them now")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	n := 0
	for _, b := range []bool{*years != 0, *off, *dry, *apply} {
		if b {
			n++
		}
	}
	if n > 1 {
		return &exitError{code: 2, msg: "give one of --years, --off, --dry-run and --apply"}
	}
	if *years < 0 || *years > 100 {
		return &exitError{code: 2, msg: fmt.Sprintf("--years %d: give a whole number of years from 1 to 100", *years)}
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case *years > 0:
		if err := db.SetRetention(ctx, cliActor, *years, e.clock()); err != nil {
			return err
		}
		e.printf("retention: learners whose latest record is older than %d years are erased daily by the scheduler\n", *years)
		return nil
	case *off:
		if err := db.SetRetention(ctx, cliActor, 0, e.clock()); err != nil {
			return err
		}
		e.printf("retention is off\n")
		return nil
	}
	set, err := db.Retention(ctx)
	if err != nil {
		return err
	}
	if set == 0 {
		if *dry || *apply {
			return &exitError{code: 2, msg: "retention is off: set it first with --years N"}
		}
		e.printf("retention is off\n")
		return nil
	}
	if !*dry && !*apply {
		e.printf("retention: %d years\n", set)
		return nil
	}
	today := domain.DateOf(e.clock())
	cands, err := db.RetentionCandidates(ctx, set, today)
	if err != nil {
		return err
	}
	if *dry {
		e.printf("dry run, nothing erased: %d learners have no record on or after %s (%d years before %s)\n",
			len(cands), today.AddYears(-set), set, today)
		for _, c := range cands {
			e.printf("  %-20s latest record: %s on %s\n", c.Learner, c.Entity, c.Date)
		}
		return nil
	}
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.Learner
	}
	done, err := db.EraseLearners(ctx, cliActor, ids, e.clock())
	e.printf("erased %d of %d learners whose latest record is older than %d years\n", len(done), len(cands), set)
	if err != nil {
		return err
	}
	if len(done) > 0 {
		printScrubNote(e, db)
		e.printf("%s\n", outsideNote)
	}
	return nil
}
