package store

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/schema"
)

// Migration is one numbered SQL file of schema/.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in version order.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(schema.FS, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, n := range names {
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", n)
		}
		b, err := fs.ReadFile(schema.FS, n)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(n, ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a number", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`

// SchemaVersion returns the highest applied migration (0 for a new database)
// and the highest the binary knows.
func (db *DB) SchemaVersion(ctx context.Context) (have, want int, err error) {
	ms, err := Migrations()
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		want = ms[len(ms)-1].Version
	}
	var exists int
	if err := db.read.GetContext(ctx, &exists, db.read.Rebind(db.dialect.tableExistsSQL()), "schema_migrations"); err != nil {
		return 0, want, fmt.Errorf("read schema version: %w", err)
	}
	if exists == 0 {
		return 0, want, nil
	}
	if err := db.read.GetContext(ctx, &have, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`); err != nil {
		return 0, want, fmt.Errorf("read schema version: %w", err)
	}
	return have, want, nil
}

// CheckSchema refuses a database whose schema is not the one this binary
// expects, naming the command that fixes it.
func (db *DB) CheckSchema(ctx context.Context) error {
	have, want, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case have < want:
		return domain.Errorf(domain.ESTALE, "database %s has schema version %d, this traject needs %d: run `traject migrate --db %s`", db.name, have, want, db.name)
	case have > want:
		return domain.Errorf(domain.ESTALE, "database %s has schema version %d, newer than this traject knows (%d): use a newer traject", db.name, have, want)
	case have == 0:
		return nil
	}
	// Every migration, not only the highest: one numbered lower than the
	// highest applied may have arrived later (Migrate applies it then).
	var applied []int
	if err := db.read.SelectContext(ctx, &applied, `SELECT version FROM schema_migrations`); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	ms, err := Migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if !slices.Contains(applied, m.Version) {
			return domain.Errorf(domain.ESTALE, "database %s lacks migration %s: run `traject migrate --db %s`", db.name, m.Name, db.name)
		}
	}
	return nil
}

// Migrate applies every migration not yet recorded, each in its own
// transaction, and returns the names of those it applied. Two processes that
// migrate one database at once are safe: each migration is applied under a
// lock (SQLite's write lock; an advisory lock on PostgreSQL) and only when
// it is still missing once the lock is held, so the second process applies
// nothing.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		done, err := db.apply(ctx, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m.Name)
		}
	}
	return applied, nil
}

// apply applies m unless it is recorded already, and reports whether it did.
func (db *DB) apply(ctx context.Context, m Migration) (bool, error) {
	// A plain transaction, not a Tx: data_changes may not exist yet.
	tx, err := db.write.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin migration %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	if db.dialect == postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
			return false, fmt.Errorf("lock for migration %s: %w", m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, migrationsTable); err != nil {
		return false, fmt.Errorf("create schema_migrations: %w", err)
	}
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if n > 0 {
		return false, nil // another process applied it meanwhile
	}
	for _, stmt := range statements(db.dialect.forDialect(m.SQL)) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return false, fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return false, fmt.Errorf("record migration %s: %w", m.Name, err)
	}
	return true, tx.Commit()
}
