package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/traject-nt2/traject/internal/domain"
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

// bulkUpsertTable is upsertTable for PostgreSQL.
func (tx *Tx) bulkUpsertTable(ctx context.Context, t *table, ds *domain.DataSet, n int, progress func(string, int, int)) (UpsertCount, error) {
	count := UpsertCount{Entity: t.entity}
	existing, err := tx.fingerprints(ctx, t)
	if err != nil {
		return count, err
	}
	var inserts [][]any
	updates := map[string][]any{} // by key: a later duplicate in the data set wins
	var updateOrder []string
	var buf []byte
	vals := make([]any, len(t.cols))
	for i := 0; i < n; i++ {
		t.values(ds, i, vals)
		buf = appendKey(buf[:0], t, vals)
		fp := fingerprintValues(vals)
		old, found := existing[string(buf)]
		switch {
		case !found:
			inserts = append(inserts, slices.Clone(vals))
			count.Inserted++
			existing[string(buf)] = fp
		case old == fp:
			count.Unchanged++
		default:
			// A row inserted earlier in this import and then changed is
			// updated after the COPY, like any stored row.
			k := string(buf)
			if _, seen := updates[k]; !seen {
				updateOrder = append(updateOrder, k)
			}
			updates[k] = slices.Clone(vals)
			count.Updated++
			existing[k] = fp
		}
		if len(inserts) == copyChunk {
			if err := tx.copyRows(ctx, t.name, t, inserts); err != nil {
				return count, err
			}
			inserts = inserts[:0]
		}
		if progress != nil && (i+1)%50000 == 0 {
			progress(t.entity, i+1, n)
		}
	}
	if err := tx.copyRows(ctx, t.name, t, inserts); err != nil {
		return count, err
	}
	if len(updates) > 0 {
		rows := make([][]any, 0, len(updates))
		for _, k := range updateOrder {
			rows = append(rows, updates[k])
		}
		if err := tx.updateFromStage(ctx, t, rows); err != nil {
			return count, err
		}
	}
	if progress != nil {
		progress(t.entity, n, n)
	}
	return count, nil
}

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
		return fmt.Errorf("copy %s: %w", t.entity, explain(err))
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
		return fmt.Errorf("update %s: %w", t.entity, explain(err))
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
