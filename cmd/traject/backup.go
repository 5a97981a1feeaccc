package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/schedule"
	"github.com/traject-nt2/traject/internal/store"
)

// Backups of the SQLite database while a server keeps running, and their
// restore. A PostgreSQL database has its own tools for both.

const postgresBackupNote = "a PostgreSQL database is backed up with its own tools: pg_dump / pg_restore for a logical copy, " +
	"or pg_basebackup with WAL archiving for point-in-time recovery"

func cmdBackup(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "schedule" {
		return cmdBackupSchedule(ctx, e, args[1:])
	}
	fs, dbPath := newFlags(e, "backup", "backup --out FILE [--db PATH] | backup schedule ...\n\n"+
		"Writes a consistent copy of the SQLite database with SQLite's online backup API, while\n"+
		"servers keep reading and writing: the copy is one snapshot, written to a temporary file,\n"+
		"checked with integrity_check and renamed to FILE when complete. It prints FILE's size\n"+
		"and SHA-256. The copy holds personal data: keep it as safely as the database.\n"+
		"PostgreSQL: use pg_dump or base backups instead.\n\n"+
		"`traject backup schedule` sets the backups the scheduler makes (see its -h).")
	out := fs.String("out", "", "the backup file to write (must not exist)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if store.IsPostgres(*dbPath) {
		return &exitError{code: 2, msg: postgresBackupNote}
	}
	if *out == "" {
		fs.Usage()
		return &exitError{code: 2, msg: "--out FILE is required"}
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	started := e.clock()
	info, err := db.Backup(ctx, *out)
	if err != nil {
		return err
	}
	e.printf("wrote %s: %d bytes, schema version %d, integrity ok\nsha256 %s\n", info.Path, info.Size, info.SchemaVersion, info.SHA256)
	// Recorded so that the administration counts it as the last backup;
	// the scheduler's retention never deletes it.
	path, err := filepath.Abs(info.Path)
	if err != nil {
		path = info.Path
	}
	if _, err := db.RecordRun(ctx, domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerManual, StartedAt: started, FinishedAt: e.clock(),
		Status: domain.RunOK, File: path, Size: info.Size, SHA256: info.SHA256}); err != nil {
		e.eprintf("warning: the backup is complete, but it could not be recorded in the database: %v\n", err)
	}
	return nil
}

const backupScheduleUsage = `backup schedule [--cron EXPR --dir DIR [--keep N] | --off] [--db PATH]

The backups the scheduler (` + "`traject serve` or `traject scheduler`" + `) makes: whenever EXPR is
due it writes a backup into DIR under a temporary name, checks it (integrity_check) and
renames it to traject-YYYYMMDD-HHMMSS.db; of its own backups it keeps the newest N (0:
all) and deletes older ones it made, nothing else. Several servers on one database make
each backup once (the scheduler lock). Without flags it prints the schedule and the last
backup. PostgreSQL: use pg_dump or base backups instead.`

func cmdBackupSchedule(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "backup schedule", backupScheduleUsage)
	cronExpr := fs.String("cron", "", `when to back up: 5 fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * *", or @daily`)
	dir := fs.String("dir", "", "the folder the backups are written to (created if missing)")
	keep := fs.Int("keep", 0, "keep only the newest N scheduled backups (0: keep all)")
	off := fs.Bool("off", false, "stop scheduled backups (the backups made stay)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q\nusage: traject %s", pos[0], strings.SplitN(backupScheduleUsage, "\n", 2)[0])}
	}
	set := *cronExpr != "" || *dir != "" || *keep != 0
	if set && *off {
		return &exitError{code: 2, msg: "give either --cron, --dir and --keep, or --off"}
	}
	if store.IsPostgres(*dbPath) {
		return &exitError{code: 2, msg: postgresBackupNote}
	}
	var s domain.BackupSchedule
	if set {
		if *cronExpr == "" || *dir == "" {
			return &exitError{code: 2, msg: "a backup schedule needs --cron and --dir"}
		}
		if s, err = schedule.ValidateBackup(domain.BackupSchedule{Cron: *cronExpr, Dir: *dir, Keep: *keep}); err != nil {
			return invalid(err)
		}
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case *off:
		had, err := db.DeleteBackupSchedule(ctx, cliActor, e.clock())
		if err != nil {
			return err
		}
		if !had {
			e.printf("there was no backup schedule\n")
			return nil
		}
		e.printf("scheduled backups are off; the backups made stay where they are\n")
		return nil
	case set:
		s.CreatedAt = e.clock()
		if err := db.SetBackupSchedule(ctx, cliActor, s); err != nil {
			return invalid(err)
		}
		e.printf("backup schedule set\n")
	}
	return printBackupSchedule(ctx, e, db)
}

// printBackupSchedule prints the backup schedule with its next due time,
// the last backup, and a warning when none succeeded for two days.
func printBackupSchedule(ctx context.Context, e *env, db *store.DB) error {
	now := e.clock()
	s, err := db.FindBackupSchedule(ctx)
	switch domain.ErrorCode(err) {
	case "":
		desc, err := schedule.Describe(s.Cron, now, 1)
		if err != nil {
			return err
		}
		keep := "keeps every backup"
		if s.Keep > 0 {
			keep = fmt.Sprintf("keeps the newest %d", s.Keep)
		}
		e.printf("backups: %s (%s) into %s, %s\n", desc.English, s.Cron, s.Dir, keep)
		if len(desc.Next) > 0 {
			e.printf("next backup: %s\n", desc.Next[0].Format("2006-01-02 15:04"))
		}
	case domain.ENOTFOUND:
		e.printf("no backup schedule; set one with `traject backup schedule --cron EXPR --dir DIR --keep N`\n")
	default:
		return err
	}
	last, err := db.LastRun(ctx, store.RunQuery{Kind: domain.RunBackup, Status: domain.RunOK})
	switch domain.ErrorCode(err) {
	case "":
		e.printf("last backup: %s %s, %d bytes\nsha256 %s\n", last.StartedAt.In(now.Location()).Format("2006-01-02 15:04:05"), last.File, last.Size, last.SHA256)
	case domain.ENOTFOUND:
	default:
		return err
	}
	if latest, err := db.LastRun(ctx, store.RunQuery{Kind: domain.RunBackup}); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	} else if err == nil && latest.Status == domain.RunFailed {
		e.printf("the latest backup failed at %s: %s\n", latest.StartedAt.In(now.Location()).Format("2006-01-02 15:04:05"), firstLine(latest.Error))
	}
	if domain.BackupOverdue(last.FinishedAt, now) {
		if last.FinishedAt.IsZero() {
			e.printf("warning: no backup has been made of this database\n")
		} else {
			e.printf("warning: no successful backup for more than two days\n")
		}
	}
	return nil
}

func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "restore", "restore FILE [--replace] [--db PATH]\n\n"+
		"Restores a backup made by `traject backup` into the database --db names, with SQLite's\n"+
		"backup API from FILE into that database: it takes the database's write lock, so a process\n"+
		"that has it open sees the old or the new content, never a mix. Stop the servers first all\n"+
		"the same: their signed-in sessions and caches belong to the old content. FILE is checked\n"+
		"first (a SQLite file, a Traject database, integrity ok, a schema no newer than this\n"+
		"traject). A target that holds data is refused unless --replace.\n"+
		"PostgreSQL: use pg_restore or your base backups instead.")
	replace := fs.Bool("replace", false, "overwrite a target database that holds data")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if store.IsPostgres(*dbPath) {
		return &exitError{code: 2, msg: postgresBackupNote}
	}
	if len(pos) != 1 {
		fs.Usage()
		return &exitError{code: 2, msg: "give one backup FILE"}
	}
	if _, err := store.CheckBackup(ctx, pos[0]); err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	info, err := db.Restore(ctx, pos[0], *replace)
	if err != nil {
		return err
	}
	e.printf("restored %s (%d bytes, sha256 %s) into %s\n", info.Path, info.Size, info.SHA256, db.Name())
	if have, want, err := db.SchemaVersion(ctx); err == nil && have < want {
		e.printf("the backup has schema version %d, this traject %d: run `traject migrate --db %s`\n", have, want, db.Name())
	}
	return nil
}
