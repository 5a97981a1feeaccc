package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/traject-nt2/traject/internal/domain"
)

// Every value the store writes is text where it is a string
// (domain.IsText: valid UTF-8, no NUL). PostgreSQL refuses anything else
// with a driver error, which reached users as an internal error; SQLite
// kept it, so that `traject copy` to PostgreSQL later stopped half-way
// (issue 18, finding 8). The web layer refuses such requests first and the
// importer names the row; this is the guard that holds for every caller,
// the CLI included, at the store's write seams:
//
//   - every statement run in a transaction (Tx) or on the writer, through
//     their ExecContext and GetContext (INSERT … RETURNING), below;
//   - the data set's upsert, whose rows go through prepared statements on
//     SQLite and COPY on PostgreSQL (upsertTable, checkRowText);
//   - and the rows of a copy (copy.go), which names what it cannot move.
//
// Bytes ([]byte) are blobs, never checked. The same seams sort a
// constraint violation into ECONFLICT (dialect.go, conflict).

// notTextAt is the index of the first string of vals that is not text, or -1.
func notTextAt(vals []any) int {
	for i, v := range vals {
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case *string:
			if x == nil {
				continue
			}
			s = *x
		case sql.NullString:
			s = x.String
		default:
			continue
		}
		if !domain.IsText(s) {
			return i
		}
	}
	return -1
}

// errNotText is the EINVALID error of a value that is not text, where is
// what it is written to.
func errNotText(where string) error {
	return domain.Errorf(domain.EINVALID, "%s is not text (not UTF-8, or a NUL character): nothing was written", where)
}

// checkArgs is errNotText when one of a statement's arguments is not text;
// it names the argument's place and the statement's first words (which say
// the table), never the value, which may be personal.
func checkArgs(query string, args []any) error {
	if i := notTextAt(args); i >= 0 {
		return errNotText("value " + strconv.Itoa(i+1) + " of " + statementHead(query))
	}
	return nil
}

// statementHead is the first three words of a statement, e.g. "INSERT INTO
// settings".
func statementHead(query string) string {
	words := strings.Fields(query)
	if len(words) > 3 {
		words = words[:3]
	}
	return strings.Join(words, " ")
}

// checkRowText is errNotText naming the entity, the row's key and the
// column when a value of a row of t is not text.
func checkRowText(t *table, vals []any) error {
	i := notTextAt(vals)
	if i < 0 {
		return nil
	}
	return errNotText(t.entity + " " + printable(keyText(t, vals)) + ": " + t.cols[i])
}

// printable is s, quoted when it is not text itself, so that a message
// naming a key never carries the bytes it refuses.
func printable(s string) string {
	if domain.IsText(s) {
		return s
	}
	return strconv.QuoteToASCII(s)
}

// ExecContext runs a statement of the transaction, refusing arguments that
// are not text.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := checkArgs(query, args); err != nil {
		return nil, err
	}
	res, err := tx.Tx.ExecContext(ctx, query, args...)
	return res, conflict(err)
}

// GetContext runs a statement of the transaction that returns one row (a
// read, or a write with RETURNING), refusing arguments that are not text.
func (tx *Tx) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	if err := checkArgs(query, args); err != nil {
		return err
	}
	return conflict(tx.Tx.GetContext(ctx, dest, query, args...))
}

// writer is the pool that writes outside a transaction (SQLite's single
// writer, PostgreSQL's one pool), refusing arguments that are not text.
type writer struct{ *sqlx.DB }

// ExecContext runs a statement on the writer, refusing arguments that are
// not text.
func (w writer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := checkArgs(query, args); err != nil {
		return nil, err
	}
	res, err := w.DB.ExecContext(ctx, query, args...)
	return res, conflict(err)
}

// GetContext runs a statement on the writer that returns one row,
// refusing arguments that are not text.
func (w writer) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	if err := checkArgs(query, args); err != nil {
		return err
	}
	return conflict(w.DB.GetContext(ctx, dest, query, args...))
}
