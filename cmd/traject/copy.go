package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/traject-nt2/traject/internal/store"
)

// cmdCopy moves a whole installation between databases, for example a
// provider's SQLite file into the region's PostgreSQL: every record, user,
// API token, schedule and run, audit event and setting. The target is
// migrated first and must be empty.
func cmdCopy(ctx context.Context, e *env, args []string) error {
	fs, _ := newFlags(e, "copy", "copy --from PATH|URL --to PATH|URL [--repair-text]\n\nThe target is created or migrated, and must hold no data yet. Sessions are not copied: everyone signs in again.\n"+
		"Text that is not UTF-8 or holds a NUL, which a SQLite database written by an older Traject may hold, stops the copy\n"+
		"before anything is committed, naming each value's table, key and column; --repair-text copies it repaired.")
	from := fs.String("from", "", "the database to copy: a SQLite file or a postgres:// URL")
	to := fs.String("to", "", "the new database: a SQLite file or a postgres:// URL")
	repair := fs.Bool("repair-text", false, "copy stored text that is not UTF-8 or holds a NUL (written by an older Traject) with the bad bytes replaced by U+FFFD and NULs removed, naming each value; without it such text stops the copy")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("both --from and --to are required")
	}
	if *from == *to {
		return errors.New("--from and --to name the same database")
	}
	src, err := openDB(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(*to)
	if err != nil {
		return err
	}
	defer dst.Close()
	if _, err := dst.Migrate(ctx); err != nil {
		return err
	}
	total, repaired := 0, 0
	_, err = src.CopyTo(ctx, dst, store.CopyOptions{
		Progress: func(c store.CopyCount) {
			total += c.Rows
			e.eprintf("%-16s %9d rows\n", c.Table, c.Rows)
		},
		RepairText: *repair,
		Repaired: func(n store.NotText) {
			repaired++
			e.printf("repaired %s\n", n)
		},
	})
	var nt *store.NotTextError
	if errors.As(err, &nt) {
		return fmt.Errorf("%w\nfix these values in the source, or copy again with --repair-text to replace their bad bytes with U+FFFD and drop NULs", err)
	}
	if err != nil {
		return err
	}
	e.printf("copied %d rows from %s to %s\n", total, src.Name(), dst.Name())
	if repaired > 0 {
		e.printf("repaired %d value(s) that were not text\n", repaired)
	}
	return nil
}
