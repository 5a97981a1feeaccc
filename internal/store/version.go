package store

import (
	"context"
	"fmt"
)

// The data version: a cheap way for caches (the server's indicator and page
// cache) to learn that the domain data changed, whoever changed it. Every
// write transaction on the data set (a Tx from Begin) increments the one-row
// table data_changes as part of its commit, so an import by another process
// counts as well. Bookkeeping does not: transactions from beginBookkeeping
// and the plain statements on the writer (sessions, failed logins, audit
// entries of their own, API tokens, user accounts, schedules and their runs,
// settings, the scheduler's lease) leave it alone, so that a cache is not
// dropped every time someone signs in, mistypes a password or a session is
// refreshed. Begin's comment lists which write is which. The table is plain
// SQL and works unchanged on PostgreSQL.

const bumpDataVersionSQL = `UPDATE data_changes SET version = version + 1 WHERE id = 1`

// DataVersion returns a number that changes whenever a write transaction on
// the data set commits, in this process or another one, and stays the same while
// none does. Only equality is meaningful: a cache stores the version it read
// before loading and drops what it holds when the version differs.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.read.GetContext(ctx, &v, `SELECT version FROM data_changes WHERE id = 1`); err != nil {
		return 0, fmt.Errorf("read data version: %w", err)
	}
	return v, nil
}

// Commit increments the data version, unless the transaction is bookkeeping,
// and commits. Every write of domain data goes through a Tx from Begin, so
// every such write moves the version; a rolled-back transaction (a dry run)
// moves nothing.
func (tx *Tx) Commit() error {
	defer tx.release()
	if tx.bookkeeping {
		return tx.Tx.Commit()
	}
	if _, err := tx.Tx.Exec(bumpDataVersionSQL); err != nil {
		return fmt.Errorf("bump data version: %w", err)
	}
	return tx.Tx.Commit()
}
