package store

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"github.com/traject-nt2/traject/internal/domain"
)

// The dialect seam: the few things that differ between SQLite and
// PostgreSQL. Everything else is portable SQL with '?' placeholders that
// sqlx rebinds for the driver.

// dialect is the kind of database.
type dialect int

const (
	sqlite dialect = iota
	postgres
)

// IsPostgres reports whether dsn names a PostgreSQL database
// (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	l := strings.ToLower(dsn)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// redactURL is a PostgreSQL URL without its password, for messages and logs.
func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Advisory lock keys on PostgreSQL (arbitrary, fixed numbers: "trajdata",
// "trajmigr").
const (
	dataWriteLock = int64(0x7472616a64617461)
	migrateLock   = int64(0x7472616a6d696772)
)

// tableExistsSQL counts tables named by its one parameter.
func (d dialect) tableExistsSQL() string {
	if d == postgres {
		return `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	return `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
}

// like is the operator of a case-insensitive LIKE: SQLite's LIKE ignores
// the case of ASCII letters, PostgreSQL's does not and has ILIKE.
func (d dialect) like() string {
	if d == postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// Migration lines that differ between the dialects are written twice in
// schema/, each ending with one of these comments; forDialect keeps the
// lines of one.
const (
	sqliteOnly   = "-- sqlite only"
	postgresOnly = "-- postgres only"
)

// forDialect returns the SQL of a migration for d: every line, less those
// marked for the other dialect.
func (d dialect) forDialect(sql string) string {
	drop := postgresOnly
	if d == postgres {
		drop = sqliteOnly
	}
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(sql))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasSuffix(strings.TrimSpace(line), drop) {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// statements splits a migration into its statements: comments are dropped
// and statements end with ';' at the end of a line. Migrations hold no ';'
// inside a string or a comment's code, so this is enough, and it spares
// relying on a driver's multi-statement Exec (pgx's extended protocol takes
// one statement at a time).
func statements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(cur.String()), ";")); s != "" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// conflict turns a constraint violation of either driver — a duplicate
// key, a reference to a record that does not exist, a broken CHECK or NOT
// NULL (SQLite's SQLITE_CONSTRAINT codes, PostgreSQL's SQLSTATE class 23) —
// into ECONFLICT, with a message that says in words what happened and does
// not depend on the database; any other error passes unchanged. The store's
// write seams (Tx and writer statements, prepared statements, COPY) all
// pass their errors through here, so that no caller meets a driver's
// constraint error: callers check the rules first (the importer references,
// the store keys), and this is the guard behind them, which the web answers
// with 409 rather than "Interne fout".
func conflict(err error) error {
	if err == nil {
		return nil
	}
	var ce *constraintError
	if errors.As(err, &ce) {
		return err // already sorted, by a seam further down
	}
	var se sqlite3.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &se) && se.Code == sqlite3.ErrConstraint:
		return &constraintError{msg: constraintWords(sqliteConstraint(se.ExtendedCode)), driver: err}
	case errors.As(err, &pe) && strings.HasPrefix(pe.Code, "23"):
		return &constraintError{msg: constraintWords(pgConstraint(pe.Code)), driver: err}
	}
	return err
}

// The kinds of constraint violation conflict tells apart.
const (
	brokenKey       = "key"
	brokenReference = "reference"
	brokenRule      = "rule"
)

func sqliteConstraint(ext sqlite3.ErrNoExtended) string {
	switch ext {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey, sqlite3.ErrConstraintRowID:
		return brokenKey
	case sqlite3.ErrConstraintForeignKey:
		return brokenReference
	}
	return brokenRule // CHECK, NOT NULL, a trigger's RAISE
}

func pgConstraint(code string) string {
	switch code {
	case "23505": // unique_violation
		return brokenKey
	case "23503", "23001": // foreign_key_violation, restrict_violation
		return brokenReference
	}
	return brokenRule // 23502 not_null, 23514 check, 23P01 exclusion, 23000
}

// constraintWords is the message of a kind of violation.
func constraintWords(kind string) string {
	switch kind {
	case brokenKey:
		return "duplicates a stored key"
	case brokenReference:
		return "refers to a record that does not exist, or is still referred to"
	}
	return "breaks a rule of the database (a check or a required value)"
}

// constraintError is a constraint violation sorted by conflict: its message
// is conflict's words alone, never the driver's text (which may quote a
// value); the driver's error stays reachable with errors.As for a log.
type constraintError struct {
	msg    string
	driver error
}

func (e *constraintError) Error() string { return e.msg }

// Unwrap gives the ECONFLICT error that domain.ErrorCode reads, and the
// driver's error.
func (e *constraintError) Unwrap() []error {
	return []error{domain.Errorf(domain.ECONFLICT, "%s", e.msg), e.driver}
}

// snapshotOptions are those of a read transaction that sees one snapshot of
// the whole database: SQLite's deferred transaction does under WAL from its
// first read; PostgreSQL's default, READ COMMITTED, takes a new snapshot for
// every statement, so it needs REPEATABLE READ.
func (d dialect) snapshotOptions() *sql.TxOptions {
	if d == postgres {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return &sql.TxOptions{ReadOnly: true}
}

// forUpdate ends a SELECT that reads a row it will write in the same
// transaction: PostgreSQL locks the row against another process's
// transaction; SQLite's writer holds the whole database already.
func (d dialect) forUpdate() string {
	if d == postgres {
		return " FOR UPDATE"
	}
	return ""
}

// primaryKey is the columns of the primary key of table name, in order,
// read from the catalogue of q's database.
func (d dialect) primaryKey(ctx context.Context, q sqlx.QueryerContext, name string) ([]string, error) {
	query := `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`
	if d == postgres {
		query = `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`
	}
	var names []string
	if err := sqlx.SelectContext(ctx, q, &names, query, name); err != nil {
		return nil, fmt.Errorf("primary key of %s: %w", name, err)
	}
	return names, nil
}
