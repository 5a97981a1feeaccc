// Package testdb gives each test a database of its own, on the backend the
// test run is for: a SQLite file in the test's temporary folder, or, when
// TRAJECT_TEST_POSTGRES names a PostgreSQL server (a postgres:// URL), a
// schema (DSN, empty) or a database (Copy, a copy of a template built once
// per test binary) on that server, dropped when the test ends. `make test`
// runs the suites once on each; .ci/run starts a server and sets the
// variable. internal/testkit builds its migrated and loaded databases on
// Copy.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
)

// EnvPostgres names the variable that points the tests at a PostgreSQL server.
const EnvPostgres = "TRAJECT_TEST_POSTGRES"

// Postgres reports whether this test run is against PostgreSQL.
func Postgres() bool { return os.Getenv(EnvPostgres) != "" }

// DSN returns a new, empty database for t: the path of a SQLite file, or a
// PostgreSQL URL whose search_path is a schema made for t alone.
func DSN(t testing.TB) string {
	t.Helper()
	server := os.Getenv(EnvPostgres)
	if server == "" {
		return filepath.Join(t.TempDir(), "traject.db")
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create test schema on %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			t.Errorf("drop test schema: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off") // a test database need not survive a crash: commits without waiting for the disk
	u.RawQuery = q.Encode()
	return u.String()
}
