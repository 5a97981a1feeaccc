package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// UpsertCount says what an import did to one entity.
type UpsertCount struct {
	Entity    string
	Inserted  int
	Updated   int
	Unchanged int
}

// Upsert stores every record of ds inside tx, matching rows on their natural
// key (spec/interchange.md, "Idempotent"): new keys are inserted, changed rows
// updated, identical rows left alone. Nothing is ever deleted. progress, when
// not nil, is called with the rows written so far per entity.
//
// The hours rule holds through it (register.go): an enrollment with
// attendance records, stored or in ds, is written with its register's
// total, and the stored enrollments whose register ds changes follow in the
// same transaction.
func (tx *Tx) Upsert(ctx context.Context, ds *domain.DataSet, progress func(entity string, done, total int)) ([]UpsertCount, error) {
	ds, reg, groups, err := tx.withRegisterTotals(ctx, ds)
	if err != nil {
		return nil, err
	}
	var out []UpsertCount
	for _, t := range tables {
		n := t.count(ds)
		if n == 0 {
			continue
		}
		c, err := tx.upsertTable(ctx, t, ds, n, progress)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if reg != nil {
		if err := tx.followRegister(ctx, reg, groups); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// upsertTable decides row by row, from the stored rows' fingerprints,
// which rows of t are new, changed or unchanged — the same decision, and so
// the same report, on both backends — and hands the new and changed ones to
// the backend's writer: statements on SQLite, COPY on PostgreSQL (bulk.go).
func (tx *Tx) upsertTable(ctx context.Context, t *table, ds *domain.DataSet, n int, progress func(string, int, int)) (UpsertCount, error) {
	count := UpsertCount{Entity: t.entity}
	existing, err := tx.fingerprints(ctx, t)
	if err != nil {
		return count, err
	}
	var w rowWriter
	if tx.dialect == postgres {
		w = &bulkWriter{tx: tx, t: t, updates: map[string][]any{}}
	} else if w, err = tx.newStatementWriter(ctx, t); err != nil {
		return count, err
	}
	defer w.close()
	vals := make([]any, len(t.cols))
	var buf []byte
	for i := 0; i < n; i++ {
		t.values(ds, i, vals)
		if err := checkRowText(t, vals); err != nil {
			return count, err
		}
		buf = appendKey(buf[:0], t, vals)
		fp := fingerprintValues(vals)
		old, found := existing[string(buf)]
		switch {
		case !found:
			if err := w.insert(ctx, vals); err != nil {
				return count, err
			}
			count.Inserted++
			existing[string(buf)] = fp // a later duplicate in the same data set updates it
		case old == fp:
			count.Unchanged++
		default:
			if err := w.update(ctx, string(buf), vals); err != nil {
				return count, err
			}
			count.Updated++
			existing[string(buf)] = fp
		}
		if progress != nil && (i+1)%50000 == 0 {
			progress(t.entity, i+1, n)
		}
	}
	if err := w.finish(ctx); err != nil {
		return count, err
	}
	if progress != nil {
		progress(t.entity, n, n)
	}
	return count, nil
}

// rowWriter writes what upsertTable decided: new rows, and changed rows by
// their natural key. vals is reused by the caller after each call.
type rowWriter interface {
	insert(ctx context.Context, vals []any) error
	update(ctx context.Context, key string, vals []any) error
	finish(ctx context.Context) error // writes what is still held back
	close()
}

// statementWriter writes each row at once with a prepared statement:
// SQLite, where a statement costs no round trip.
type statementWriter struct {
	t        *table
	ins, upd *sql.Stmt
	args     []any
}

func (tx *Tx) newStatementWriter(ctx context.Context, t *table) (*statementWriter, error) {
	w := &statementWriter{t: t, args: make([]any, 0, len(t.cols))}
	ins, err := tx.PrepareContext(ctx, tx.Rebind(insertSQL(t)))
	if err != nil {
		return nil, fmt.Errorf("prepare insert into %s: %w", t.name, err)
	}
	w.ins = ins
	if len(t.key) < len(t.cols) {
		if w.upd, err = tx.PrepareContext(ctx, tx.Rebind(updateSQL(t))); err != nil {
			ins.Close()
			return nil, fmt.Errorf("prepare update of %s: %w", t.name, err)
		}
	}
	return w, nil
}

func (w *statementWriter) insert(ctx context.Context, vals []any) error {
	if _, err := w.ins.ExecContext(ctx, vals...); err != nil {
		return fmt.Errorf("insert %s %s: %w", w.t.entity, keyText(w.t, vals), conflict(err))
	}
	return nil
}

func (w *statementWriter) update(ctx context.Context, _ string, vals []any) error {
	w.args = updateArgs(w.args[:0], w.t, vals)
	if _, err := w.upd.ExecContext(ctx, w.args...); err != nil {
		return fmt.Errorf("update %s %s: %w", w.t.entity, keyText(w.t, vals), conflict(err))
	}
	return nil
}

func (w *statementWriter) finish(context.Context) error { return nil }

func (w *statementWriter) close() {
	w.ins.Close()
	if w.upd != nil {
		w.upd.Close()
	}
}

// fingerprints reads the natural key and a hash of every stored row of t.
func (tx *Tx) fingerprints(ctx context.Context, t *table) (map[string]uint64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+strings.Join(t.cols, ", ")+" FROM "+t.name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	out := make(map[string]uint64)
	raw := make([]sql.RawBytes, len(t.cols))
	dst := make([]any, len(t.cols))
	for i := range raw {
		dst[i] = &raw[i]
	}
	var key []byte
	h := fnv.New64a()
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		key = key[:0]
		for j, k := range t.key {
			if j > 0 {
				key = append(key, 0x1f)
			}
			key = append(key, raw[k]...)
		}
		h.Reset()
		for _, b := range raw {
			writeField(h, b, b == nil)
		}
		out[string(key)] = h.Sum64()
	}
	return out, rows.Err()
}

type byteWriter interface{ Write([]byte) (int, error) }

// writeField feeds one column into a fingerprint, NULL distinct from "".
func writeField(h byteWriter, b []byte, isNull bool) {
	if isNull {
		h.Write([]byte{0x00, 0x1e})
		return
	}
	h.Write(b)
	h.Write([]byte{0x1e})
}

// fingerprintValues hashes column values as the driver reads them back:
// text as is, integers in decimal, reals in Go's shortest 'g' form.
func fingerprintValues(vals []any) uint64 {
	h := fnv.New64a()
	var buf [32]byte
	for _, v := range vals {
		switch x := v.(type) {
		case nil:
			writeField(h, nil, true)
		case string:
			writeField(h, []byte(x), false)
		case int64:
			writeField(h, strconv.AppendInt(buf[:0], x, 10), false)
		case float64:
			writeField(h, strconv.AppendFloat(buf[:0], x, 'g', -1, 64), false)
		default:
			writeField(h, fmt.Append(buf[:0], x), false)
		}
	}
	return h.Sum64()
}

func appendKey(b []byte, t *table, vals []any) []byte {
	for j, k := range t.key {
		if j > 0 {
			b = append(b, 0x1f)
		}
		if s, ok := vals[k].(string); ok {
			b = append(b, s...)
		}
	}
	return b
}

func keyText(t *table, vals []any) string {
	parts := make([]string, len(t.key))
	for j, k := range t.key {
		parts[j] = fmt.Sprint(vals[k])
		if vals[k] == nil {
			parts[j] = ""
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func insertSQL(t *table) string {
	return "INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
}

func isKey(t *table, col int) bool {
	for _, k := range t.key {
		if k == col {
			return true
		}
	}
	return false
}

// updateSQL sets every non-key column, matching the key; a NULL-able key
// column is compared through COALESCE, as its unique index is built.
func updateSQL(t *table) string {
	var set, where []string
	for i, c := range t.cols {
		if !isKey(t, i) {
			set = append(set, c+" = ?")
		}
	}
	for _, k := range t.key {
		if t.nullKey[k] {
			where = append(where, "COALESCE("+t.cols[k]+", '') = ?")
		} else {
			where = append(where, t.cols[k]+" = ?")
		}
	}
	return "UPDATE " + t.name + " SET " + strings.Join(set, ", ") + " WHERE " + strings.Join(where, " AND ")
}

func updateArgs(args []any, t *table, vals []any) []any {
	for i, v := range vals {
		if !isKey(t, i) {
			args = append(args, v)
		}
	}
	for _, k := range t.key {
		if vals[k] == nil {
			args = append(args, "")
		} else {
			args = append(args, vals[k])
		}
	}
	return args
}
