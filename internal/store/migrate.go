package store

import (
	"context"
	"fmt"
	"io/fs"
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
	if err := db.read.GetContext(ctx, &exists, db.read.Rebind(tableExistsSQL), "schema_migrations"); err != nil {
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
		return domain.Errorf(domain.ESTALE, "database %s has schema version %d, this traject needs %d: run `traject migrate --db %s`", db.path, have, want, db.path)
	case have > want:
		return domain.Errorf(domain.ESTALE, "database %s has schema version %d, newer than this traject knows (%d): use a newer traject", db.path, have, want)
	}
	return nil
}

// Migrate applies every migration not yet recorded, each in its own
// transaction, and returns the names of those it applied.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, migrationsTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	have, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		if m.Version <= have {
			continue
		}
		if err := db.apply(ctx, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.Name)
	}
	return applied, nil
}

func (db *DB) apply(ctx context.Context, m Migration) error {
	// A plain transaction, not a Tx: data_changes may not exist yet.
	tx, err := db.write.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("record migration %s: %w", m.Name, err)
	}
	return tx.Commit()
}
