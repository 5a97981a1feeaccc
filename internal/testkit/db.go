// Package testkit is the tests' shared kit (gotosocial's testrig idea): a
// migrated database per test, copied from one template per test binary
// (internal/testdb), data sets loaded once and copied the same way, and,
// for the server's tests, the app, signed-in clients per role, forms with
// their CSRF token and one headless browser per test binary.
package testkit

import (
	"context"
	"fmt"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
)

// MigratedDSN returns a new database for t with the current schema: a copy
// of a database migrated once per test binary.
func MigratedDSN(t testing.TB) string {
	t.Helper()
	return Built(t, "migrated", func(context.Context, *store.DB) error { return nil })
}

// Migrated opens a new migrated database for t, closed when t ends.
func Migrated(t testing.TB) *store.DB {
	t.Helper()
	return Open(t, MigratedDSN(t))
}

// Open opens the database dsn, closed when t ends.
func Open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Loaded returns a new database for t, migrated and holding the data set
// that load returns, which is loaded once per test binary for name (see
// testdb.Copy: one name, one data set).
func Loaded(t testing.TB, name string, load func() *domain.DataSet) string {
	t.Helper()
	return Built(t, name, func(ctx context.Context, db *store.DB) error { return Upsert(ctx, db, load()) })
}

// Built returns a new database for t, a copy of a migrated database that
// fill filled once per test binary for name (see testdb.Copy: one name,
// one fill).
func Built(t testing.TB, name string, fill func(ctx context.Context, db *store.DB) error) string {
	t.Helper()
	return testdb.Copy(t, name, func(dsn string) error {
		ctx := context.Background()
		db, err := store.Open(dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return fill(ctx, db)
	})
}

// Upsert loads ds into db in one transaction.
func Upsert(ctx context.Context, db *store.DB, ds *domain.DataSet) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.Upsert(ctx, ds, nil); err != nil {
		tx.Rollback()
		return fmt.Errorf("load: %w", err)
	}
	return tx.Commit()
}

// Main runs a package's tests, then drops the binary's template databases
// and stops its browser:
//
//	func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	StopBrowser()
	testdb.DropTemplates()
	return code
}
