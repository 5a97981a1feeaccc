package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The bulk path of an import on PostgreSQL. A statement per row costs a
// round trip to the server each, which for a million rows is minutes; so
// new rows go to their table with COPY (pgx's CopyFrom) in chunks, and
// changed rows are copied into a temporary staging table and updated from
// it in one statement. Which rows are new, changed or unchanged is decided
// exactly as on SQLite, from the stored rows' fingerprints, so the report
// is the same on both.

// copyChunk is how many new rows one COPY sends.
const copyChunk = 20_000

// bulkWriter is the rowWriter of PostgreSQL: new rows go out by COPY in
// chunks; changed rows are held back (a later duplicate in the data set
// replacing an earlier one) and updated from a staging table at the end,
// after every new row is in, so that a row inserted and then changed in the
// same import ends as its last version.
type bulkWriter struct {
	tx          *Tx
	t           *table
	inserts     [][]any
	updates     map[string][]any
	updateOrder []string
}

func (w *bulkWriter) insert(ctx context.Context, vals []any) error {
	w.inserts = append(w.inserts, slices.Clone(vals))
	if len(w.inserts) < copyChunk {
		return nil
	}
	err := w.tx.copyRows(ctx, w.t.name, w.t, w.inserts)
	w.inserts = w.inserts[:0]
	return err
}

func (w *bulkWriter) update(_ context.Context, key string, vals []any) error {
	if _, seen := w.updates[key]; !seen {
		w.updateOrder = append(w.updateOrder, key)
	}
	w.updates[key] = slices.Clone(vals)
	return nil
}

func (w *bulkWriter) finish(ctx context.Context) error {
	if err := w.tx.copyRows(ctx, w.t.name, w.t, w.inserts); err != nil {
		return err
	}
	if len(w.updates) == 0 {
		return nil
	}
	rows := make([][]any, 0, len(w.updates))
	for _, k := range w.updateOrder {
		rows = append(rows, w.updates[k])
	}
	return w.tx.updateFromStage(ctx, w.t, rows)
}

func (w *bulkWriter) close() {}

// copyRows sends rows into the table name (t's columns) with COPY, on the
// transaction's own connection.
func (tx *Tx) copyRows(ctx context.Context, name string, t *table, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a pgx connection: %T", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{name}, t.cols, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return fmt.Errorf("copy %s: %w", t.entity, conflict(err))
	}
	return nil
}

// updateFromStage copies rows into a staging table shaped like t's and
// updates t's rows with the same natural key from it.
func (tx *Tx) updateFromStage(ctx context.Context, t *table, rows [][]any) error {
	const stage = "traject_stage"
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE `+stage+` (LIKE `+t.name+` INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("stage %s: %w", t.entity, err)
	}
	if err := tx.copyRows(ctx, stage, t, rows); err != nil {
		return err
	}
	var set, where []string
	for i, c := range t.cols {
		if !isKey(t, i) {
			set = append(set, c+" = s."+c)
		}
	}
	for _, k := range t.key {
		c := t.cols[k]
		if t.nullKey[k] {
			where = append(where, "COALESCE(d."+c+", '') = COALESCE(s."+c+", '')")
		} else {
			where = append(where, "d."+c+" = s."+c)
		}
	}
	q := "UPDATE " + t.name + " AS d SET " + strings.Join(set, ", ") + " FROM " + stage + " AS s WHERE " + strings.Join(where, " AND ")
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("update %s: %w", t.entity, conflict(err))
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE `+stage); err != nil {
		return fmt.Errorf("stage %s: %w", t.entity, err)
	}
	return nil
}

// Analyze refreshes the planner's statistics of the tables an import wrote
// to, on PostgreSQL: right after a bulk import they still describe the
// empty tables, and the pages' queries would be planned as such (sequential
// scans of hundreds of thousands of rows; the group page ran six times
// slower until autovacuum came by). SQLite plans without such statistics.
func (db *DB) Analyze(ctx context.Context, counts []UpsertCount) error {
	if db.dialect != postgres {
		return nil
	}
	for _, c := range counts {
		if c.Inserted+c.Updated == 0 {
			continue
		}
		t := tableFor(c.Entity)
		if t == nil {
			continue
		}
		if _, err := db.write.ExecContext(ctx, "ANALYZE "+t.name); err != nil {
			return fmt.Errorf("analyze %s: %w", t.name, err)
		}
	}
	return nil
}
