package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver, to checkpoint a template
)

// A template is a database built once per test binary and copied for each
// test that asks for it, so that a test gets a migrated (or filled)
// database without paying for the migrations (or the load) itself. On
// SQLite the template is the bytes of a database file, kept in memory; on
// PostgreSQL it is a database of its own that CREATE DATABASE … TEMPLATE
// copies, each test getting a database (not a schema) of its own.
type template struct {
	once  sync.Once
	err   error
	bytes []byte // SQLite: the template file
	name  string // PostgreSQL: the template database
}

var (
	templatesMu sync.Mutex
	templates   = map[string]*template{}
	// runID tells this test binary's databases from those of the other
	// binaries on the same server: go test runs packages in parallel, and
	// other checkouts may share the server.
	runID = func() string {
		b := make([]byte, 4)
		if _, err := rand.Read(b); err != nil {
			panic(err)
		}
		return hex.EncodeToString(b)
	}()
	sweepOnce sync.Once
)

// The names of the PostgreSQL databases the tests make: a prefix, the Unix
// time the binary started (so that a sweep can tell a leftover of a killed
// run from a database in use), this binary's run id and a suffix.
const (
	templatePrefix = "traject_tpl_"
	testPrefix     = "traject_t_"
	// staleAfter is the age after which a test database is taken for the
	// leftover of a killed run and dropped by the next run's sweep.
	staleAfter = 6 * time.Hour
)

var started = time.Now().Unix()

// Copy returns a new database for t, a copy of the template called name:
// the first call of a test binary for name makes an empty database (as DSN
// does), lets build fill it (migrate, load a data set…) and keeps it as the
// template; every call then returns a fresh copy, so that tests stay
// independent. build must close every connection it opens. name must be a
// short identifier ([a-z0-9_]); each name is built once, by whichever
// build comes first, so one name must always mean one build.
func Copy(t testing.TB, name string, build func(dsn string) error) string {
	t.Helper()
	templatesMu.Lock()
	tpl := templates[name]
	if tpl == nil {
		tpl = &template{}
		templates[name] = tpl
	}
	templatesMu.Unlock()
	tpl.once.Do(func() { tpl.err = tpl.build(name, build) })
	if tpl.err != nil {
		t.Fatalf("template database %s: %v", name, tpl.err)
	}
	if !Postgres() {
		path := filepath.Join(t.TempDir(), "traject.db")
		if err := os.WriteFile(path, tpl.bytes, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	return copyPostgres(t, tpl.name)
}

func (tpl *template) build(name string, build func(dsn string) error) error {
	if !Postgres() {
		dir, err := os.MkdirTemp("", "traject-template-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "traject.db")
		if err := build(path); err != nil {
			return err
		}
		// Fold the write-ahead log into the file, so that the file alone
		// is the database.
		db, err := sql.Open("sqlite3", "file:"+path)
		if err != nil {
			return err
		}
		_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		tpl.bytes, err = os.ReadFile(path)
		return err
	}
	server, admin, err := adminDB()
	if err != nil {
		return err
	}
	defer admin.Close()
	sweepOnce.Do(func() { sweep(admin) })
	ctx := context.Background()
	tpl.name = templatePrefix + strconv.FormatInt(started, 10) + "_" + runID + "_" + name
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+tpl.name); err != nil {
		return fmt.Errorf("create %s on %s: %w", tpl.name, redacted(server), err)
	}
	if err := build(databaseURL(server, tpl.name)); err != nil {
		admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+tpl.name+` WITH (FORCE)`)
		return err
	}
	// No one may connect to a template while it is copied.
	if _, err := admin.ExecContext(ctx, `ALTER DATABASE `+tpl.name+` WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`); err != nil {
		return fmt.Errorf("mark %s a template: %w", tpl.name, err)
	}
	return nil
}

// copyPostgres makes a database for t from the template database tpl, and
// drops it when t ends.
func copyPostgres(t testing.TB, tpl string) string {
	t.Helper()
	server, admin, err := adminDB()
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := testPrefix + strconv.FormatInt(started, 10) + "_" + runID + "_" + randomHex(t, 6)
	if _, err := admin.ExecContext(context.Background(), `CREATE DATABASE `+name+` TEMPLATE `+tpl); err != nil {
		t.Fatalf("copy template %s on %s: %v", tpl, redacted(server), err)
	}
	t.Cleanup(func() { dropDatabase(t, server, name) })
	return databaseURL(server, name)
}

func dropDatabase(t testing.TB, server, name string) {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Errorf("drop test database: %v", err)
		return
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		t.Errorf("drop test database %s: %v", name, err)
	}
}

// Main runs the tests and then drops this binary's template databases. A
// package whose tests use Copy on PostgreSQL calls it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
//
// Without it the templates stay on the server until a later run's sweep.
func Main(m *testing.M) int {
	code := m.Run()
	DropTemplates()
	return code
}

// DropTemplates drops the template databases this binary made on
// PostgreSQL (nothing on SQLite, whose templates are in memory).
func DropTemplates() {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if !Postgres() {
		return
	}
	_, admin, err := adminDB()
	if err != nil {
		return
	}
	defer admin.Close()
	for _, tpl := range templates {
		if tpl.name == "" {
			continue
		}
		admin.Exec(`ALTER DATABASE ` + tpl.name + ` WITH IS_TEMPLATE false`)
		admin.Exec(`DROP DATABASE IF EXISTS ` + tpl.name + ` WITH (FORCE)`)
	}
	templates = map[string]*template{}
}

// sweep drops the test and template databases that runs killed before
// their clean-up left behind, those older than staleAfter.
func sweep(admin *sql.DB) {
	rows, err := admin.Query(`SELECT datname FROM pg_database WHERE datname LIKE 'traject\_t%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		rest, ok := strings.CutPrefix(name, templatePrefix)
		if !ok {
			rest, ok = strings.CutPrefix(name, testPrefix)
		}
		if !ok {
			continue
		}
		stamp, _, _ := strings.Cut(rest, "_")
		sec, err := strconv.ParseInt(stamp, 10, 64)
		if err == nil && time.Since(time.Unix(sec, 0)) > staleAfter {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		admin.Exec(`ALTER DATABASE ` + name + ` WITH IS_TEMPLATE false`)
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	}
}

func adminDB() (string, *sql.DB, error) {
	server := os.Getenv(EnvPostgres)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return server, nil, fmt.Errorf("%s: %w", EnvPostgres, err)
	}
	return server, admin, nil
}

// databaseURL is the server URL pointed at database name.
func databaseURL(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	q := u.Query()
	q.Set("synchronous_commit", "off") // a test database need not survive a crash
	u.RawQuery = q.Encode()
	return u.String()
}

func redacted(server string) string {
	u, err := url.Parse(server)
	if err != nil {
		return EnvPostgres
	}
	return u.Redacted()
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
