package main

import (
	"context"

	"github.com/traject-nt2/traject/internal/store"
)

// Backups of the SQLite database while a server keeps running, and their
// restore. A PostgreSQL database has its own tools for both.

const postgresBackupNote = "a PostgreSQL database is backed up with its own tools: pg_dump / pg_restore for a logical copy, " +
	"or pg_basebackup with WAL archiving for point-in-time recovery"

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "backup", "backup --out FILE [--db PATH]\n\n"+
		"Writes a consistent copy of the SQLite database with SQLite's online backup API, while\n"+
		"servers keep reading and writing: the copy is one snapshot, written to a temporary file,\n"+
		"checked with integrity_check and renamed to FILE when complete. It prints FILE's size\n"+
		"and SHA-256. The copy holds personal data: keep it as safely as the database.\n"+
		"PostgreSQL: use pg_dump or base backups instead.")
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
	info, err := db.Backup(ctx, *out)
	if err != nil {
		return err
	}
	e.printf("wrote %s: %d bytes, schema version %d, integrity ok\nsha256 %s\n", info.Path, info.Size, info.SchemaVersion, info.SHA256)
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
