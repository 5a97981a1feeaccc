package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/traject-nt2/traject/internal/domain"
)

// Copying a whole installation from one database to another (`traject
// copy`), for example from a provider's SQLite file into a region's
// PostgreSQL: every record, user, token, schedule and its runs, audit event
// and setting, in one transaction on the target.

// copiedTables are the tables Copy moves, parents before children.
var copiedTables = []string{
	"providers", "modules", "goals", "learners", "learner_goals", "learner_links", "referrals", "course_groups", "lessons", "placements",
	"enrollments", "attendance", "evaluations", "certificates", "outflows", "followups", "evaluation_goals", "observations", "survey_responses",
	"survey_rounds", "survey_nonces", // a round and its spent form tokens (which count its answers) stay together
	"users", "user_providers", "api_tokens", "audit_log", "schedules", "runs", "settings",
	"import_profiles", "import_runs", // the import history goes along with the audit trail it belongs beside
	"risk_models",     // the early warning's models: learned from the records that go along
	"warning_actions", // the counsellors' answers to the early warning, which name the models
	"flag_handling",   // the worklist's handled and snoozed flags (issue 20)
}

// notCopiedTables are the tables Copy leaves behind on purpose: the
// migrations' own record (the target has its own), the data version (the
// target's moves on commit), and what belongs to running processes rather
// than to the installation: sessions (everyone signs in again), the
// scheduler's lease, the login limiter's buckets and uploads waiting for
// their confirmation; and the backup schedule with its history, which are
// about the source's own file (a PostgreSQL target is backed up with
// pg_dump, and refuses a backup schedule). The backups' runs stay behind
// too, though their table is copied: see copiedRows.
var notCopiedTables = []string{"schema_migrations", "data_changes", "sessions", "scheduler_lock", "login_buckets", "pending_uploads",
	"backup_schedule"}

// copiedRows says, of a copied table that is copied only in part, which
// rows go: of the run history, the runs of the workbook schedules and the
// early warning's trainings (which its models name), and not the backups,
// which are about the source's own file (as the backup schedule is).
var copiedRows = map[string]string{"runs": "kind IN ('workbook', 'risk_model')"}

// identityTables are the tables whose id the database assigns; after a copy
// into PostgreSQL their sequences must continue after the copied ids.
var identityTables = []string{"api_tokens", "audit_log", "runs", "risk_models", "import_runs", "warning_actions"}

// CopyCount is how many rows Copy moved of one table.
type CopyCount struct {
	Table string
	Rows  int
}

// CopyOptions say what a copy reports as it goes, and what it does with a
// stored value that is not text.
type CopyOptions struct {
	Progress func(CopyCount) // when set, told each table as it is done
	// RepairText copies a value that is not text (domain.IsText), which a
	// SQLite database written before Traject refused such values may hold,
	// with every invalid byte sequence replaced by U+FFFD and every NUL
	// removed, and tells Repaired. Without it such a value stops the copy
	// before anything is committed, with a *NotTextError that names every
	// one (issue 18, finding 8).
	RepairText bool
	Repaired   func(NotText)
}

// NotText names a stored value that is not text: its table, its row's
// primary key and its column; never the value, which may be personal.
type NotText struct {
	Table, Key, Column string
}

func (n NotText) String() string { return n.Table + " " + n.Key + ": " + n.Column }

// NotTextError is the error of a copy that found values that are not text
// and was not asked to repair them: nothing was copied.
type NotTextError struct {
	Values []NotText
}

// maxNotTextListed bounds the values a NotTextError's message lists.
const maxNotTextListed = 20

func (e *NotTextError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the source holds %d value(s) that are not text (not UTF-8, or a NUL character), which the target cannot store; nothing was copied:", len(e.Values))
	for i, v := range e.Values {
		if i == maxNotTextListed {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Values)-i)
			break
		}
		b.WriteString("\n  " + v.String())
	}
	return b.String()
}

// CopyTo copies everything stored in db into dst, which must have the same
// schema version and hold nothing yet (ECONFLICT otherwise). It is one
// transaction on dst: on an error nothing is copied.
func (db *DB) CopyTo(ctx context.Context, dst *DB, opt CopyOptions) ([]CopyCount, error) {
	have, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	theirs, _, err := dst.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if have != theirs {
		return nil, domain.Errorf(domain.ECONFLICT, "the source has schema version %d, the target %d: migrate both with this traject first", have, theirs)
	}
	if err := dst.refuseNonEmpty(ctx); err != nil {
		return nil, err
	}
	tx, err := dst.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Every table is read from one snapshot of the source, so a copy taken
	// while a server writes is still consistent.
	src, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("read the source: %w", err)
	}
	defer src.Rollback()
	var out []CopyCount
	texts := &textCheck{repair: opt.RepairText, repaired: opt.Repaired}
	for _, name := range copiedTables {
		n, err := copyTable(ctx, src, db.dialect, tx, name, texts)
		if err != nil {
			return nil, err
		}
		c := CopyCount{Table: name, Rows: n}
		out = append(out, c)
		if opt.Progress != nil {
			opt.Progress(c)
		}
	}
	if len(texts.found) > 0 {
		return nil, &NotTextError{Values: texts.found}
	}
	if dst.dialect == postgres {
		for _, name := range identityTables {
			q := `SELECT setval(pg_get_serial_sequence('` + name + `', 'id'), COALESCE((SELECT MAX(id) FROM ` + name + `), 0) + 1, false)`
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("continue the ids of %s: %w", name, err)
			}
		}
	}
	return out, tx.Commit()
}

// refuseNonEmpty is ECONFLICT when any copied table of db holds a row.
func (db *DB) refuseNonEmpty(ctx context.Context) error {
	var full []string
	for _, name := range copiedTables {
		var n int
		if err := db.read.GetContext(ctx, &n, "SELECT COUNT(*) FROM "+name); err != nil {
			return fmt.Errorf("count %s: %w", name, err)
		}
		if n > 0 {
			full = append(full, fmt.Sprintf("%s: %d rows", name, n))
		}
	}
	if len(full) > 0 {
		return domain.Errorf(domain.ECONFLICT, "the target database %s is not empty (%s): copy only into a new, migrated database", db.name, strings.Join(full, ", "))
	}
	return nil
}

// textCheck finds the values of a copy that are not text, and repairs them
// or keeps a list of them (CopyOptions.RepairText).
type textCheck struct {
	repair   bool
	repaired func(NotText)
	found    []NotText // not repaired: once there is one, nothing more is written
}

// copiedRow is a row of a copy just read: its table, columns and values,
// and its place in the table.
type copiedRow struct {
	table string
	cols  []string
	vals  []any
	n     int   // 1 for the table's first row
	pk    []int // indexes into cols of the table's primary key
}

// check looks at a row just read: a value that is not text is repaired or
// listed. It reports whether the row may be written.
func (c *textCheck) check(r copiedRow) bool {
	key := "" // named before any value of the row is repaired
	for i, v := range r.vals {
		s, ok := v.(string)
		if !ok || domain.IsText(s) {
			continue
		}
		if key == "" {
			key = r.key()
		}
		n := NotText{Table: r.table, Key: key, Column: r.cols[i]}
		if !c.repair {
			c.found = append(c.found, n)
			continue
		}
		r.vals[i] = repairText(s)
		if c.repaired != nil {
			c.repaired(n)
		}
	}
	return len(c.found) == 0
}

// repairText is s with every invalid UTF-8 sequence replaced by U+FFFD and
// every NUL removed.
func repairText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// key names the row by its primary key, e.g. "(id=R1)", as the source
// stores it (a key that is not text itself is quoted), or by its place in
// a table without one.
func (r copiedRow) key() string {
	if len(r.pk) == 0 {
		return fmt.Sprintf("(row %d)", r.n)
	}
	parts := make([]string, len(r.pk))
	for j, i := range r.pk {
		parts[j] = r.cols[i] + "=" + printable(fmt.Sprint(r.vals[i]))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// copyTable reads every row of the table name from src and writes it into
// tx, column by column as stored; texts sees each row first. from is the
// source's dialect.
func copyTable(ctx context.Context, src *sqlx.Tx, from dialect, tx *Tx, name string, texts *textCheck) (int, error) {
	keyNames, err := from.primaryKey(ctx, src, name)
	if err != nil {
		return 0, err
	}
	q := "SELECT * FROM " + name
	if where, ok := copiedRows[name]; ok {
		q += " WHERE " + where
	}
	rows, err := src.QueryContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	var pk []int
	for _, k := range keyNames {
		if i := slices.Index(cols, k); i >= 0 {
			pk = append(pk, i)
		}
	}
	t := &table{entity: name, name: name, cols: cols}
	var batch [][]any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var err error
		if tx.dialect == postgres {
			err = tx.copyRows(ctx, name, t, batch)
		} else {
			err = tx.insertRows(ctx, t, batch)
		}
		batch = batch[:0]
		return err
	}
	n := 0
	for rows.Next() {
		vals, err := scanValues(rows, len(cols))
		if err != nil {
			return n, fmt.Errorf("read %s: %w", name, err)
		}
		n++
		if !texts.check(copiedRow{table: name, cols: cols, vals: vals, n: n, pk: pk}) {
			batch = batch[:0] // nothing will be committed: only look on, to list every value
			continue
		}
		batch = append(batch, vals)
		if len(batch) == copyChunk {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", name, err)
	}
	return n, flush()
}

// insertRows inserts rows into t with one prepared statement (SQLite, where
// a statement costs no round trip).
func (tx *Tx) insertRows(ctx context.Context, t *table, rows [][]any) error {
	st, err := tx.PreparexContext(ctx, tx.Rebind(insertSQL(t)))
	if err != nil {
		return fmt.Errorf("write %s: %w", t.name, err)
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r...); err != nil {
			return fmt.Errorf("write %s: %w", t.name, conflict(err))
		}
	}
	return nil
}

// Tables lists the tables of the database's current schema, sorted.
func (db *DB) Tables(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.dialect == postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	var out []string
	if err := db.read.SelectContext(ctx, &out, q); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	slices.Sort(out)
	return out, nil
}

// CopiedTables are the tables CopyTo moves, in order.
func CopiedTables() []string { return slices.Clone(copiedTables) }

// NotCopiedTables are the tables CopyTo leaves behind on purpose.
func NotCopiedTables() []string { return slices.Clone(notCopiedTables) }

// scanValues reads the current row of a table whose columns the caller does
// not know in advance, as plain values of either driver: text as string
// (SQLite gives it as bytes), whole numbers as int64 (pgx gives int4 as int32).
func scanValues(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	for i, v := range vals {
		switch x := v.(type) {
		case []byte:
			vals[i] = string(x)
		case int32:
			vals[i] = int64(x)
		}
	}
	return vals, nil
}
