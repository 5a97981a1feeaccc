package main

import (
	"context"
	"errors"

	"github.com/traject-nt2/traject/internal/store"
)

// cmdCopy moves a whole installation between databases, for example a
// provider's SQLite file into the region's PostgreSQL: every record, user,
// API token, schedule and run, audit event and setting. The target is
// migrated first and must be empty.
func cmdCopy(ctx context.Context, e *env, args []string) error {
	fs, _ := newFlags(e, "copy", "copy --from PATH|URL --to PATH|URL\n\nThe target is created or migrated, and must hold no data yet. Sessions are not copied: everyone signs in again.")
	from := fs.String("from", "", "the database to copy: a SQLite file or a postgres:// URL")
	to := fs.String("to", "", "the new database: a SQLite file or a postgres:// URL")
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
	total := 0
	_, err = src.CopyTo(ctx, dst, func(c store.CopyCount) {
		total += c.Rows
		e.eprintf("%-16s %9d rows\n", c.Table, c.Rows)
	})
	if err != nil {
		return err
	}
	e.printf("copied %d rows from %s to %s\n", total, src.Name(), dst.Name())
	return nil
}
