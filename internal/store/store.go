// Package store persists the domain in SQL through sqlx. It is the only
// package that knows the SQL drivers: SQLite (mattn/go-sqlite3) is the
// embedded default for one provider, PostgreSQL (jackc/pgx) the database of a
// shared regional installation with several server processes. The few
// statements that differ between them live in dialect.go.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, "pgx"
	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // the embedded SQLite driver

	"github.com/traject-nt2/traject/internal/domain"
)

// DB is an open Traject database. On SQLite it is a pool of readers and a
// single writer, as SQLite in WAL mode allows many readers beside one
// writer; on PostgreSQL both are one pool, and data writes take a lock of
// their own instead (Begin).
type DB struct {
	dialect dialect
	dsn     string // as opened
	path    string // the SQLite file; "" on PostgreSQL
	name    string // how messages name the database: the file, or the URL without its password
	read    *sqlx.DB
	// write is the single writer. A statement run on it directly, outside a
	// Tx, never moves the data version: only bookkeeping may be written that
	// way (see Begin).
	write writer
	// unknownUserHash is what Authenticate compares the password of an
	// unknown user name against; "" is auth's dummy hash (PasswordCost).
	unknownUserHash string
}

// SetUnknownUserHash makes Authenticate compare the password of an unknown
// user name against hash instead of auth's dummy hash, which is of
// auth.PasswordCost. It is a test option: a test whose accounts are hashed
// at bcrypt's lowest cost passes a hash of that cost, so that refusing an
// unknown name still costs what refusing a wrong password costs (and not a
// quarter of a second, several under the race detector). Set it before the
// database is used.
func (db *DB) SetUnknownUserHash(hash string) { db.unknownUserHash = hash }

// Open opens the database that dsn names: a postgres:// or postgresql://
// URL, or else the path of a SQLite file, which is created with its folder
// when missing. It does not migrate; see Migrate and CheckSchema.
func Open(dsn string) (*DB, error) {
	open := openSQLite
	if IsPostgres(dsn) {
		open = openPostgres
	}
	db, err := open(dsn)
	if err == nil {
		db.dsn = dsn
	}
	return db, err
}

// openSQLite opens the SQLite file at path: WAL, foreign keys on, a busy
// timeout, and one writer whose transactions take the write lock at once.
// secure_delete is on for every connection, so that content a transaction
// frees (an erased learner's values, spec/domain.md "Erasure") is
// overwritten with zeros rather than left in free space; see scrubSQLite.
func openSQLite(path string) (*DB, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	q.Set("_secure_delete", "on")
	dsn := "file:" + path + "?" + q.Encode()
	write, err := sqlx.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1) // the single writer
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := write.Ping(); err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	q.Set("_txlock", "deferred")
	q.Set("mode", "rw")
	read, err := sqlx.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{dialect: sqlite, path: path, name: path, read: read, write: writer{write}}, nil
}

// createPrivate makes the SQLite file at path, and its folder, when they
// are missing, readable by the account that runs Traject alone (0600 and
// 0700), as its backups are: the file holds personal data (issue 18).
// SQLite gives the -wal and -shm files it makes the mode of the database
// file. An existing file or folder keeps its mode: its owner chose it.
func createPrivate(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create database folder: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}

// openPostgres connects to the PostgreSQL database of the URL: one pool for
// reading and writing, sized for a server process with a few dozen
// concurrent requests.
func openPostgres(dsn string) (*DB, error) {
	name := redactURL(dsn)
	pool, err := sqlx.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	if err := pool.Ping(); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return &DB{dialect: postgres, name: name, read: pool, write: writer{pool}}, nil
}

// Path returns the SQLite file the database was opened from, or "" for
// PostgreSQL.
func (db *DB) Path() string { return db.path }

// Name names the database in messages: the SQLite file, or the PostgreSQL
// URL without its password.
func (db *DB) Name() string { return db.name }

// IsPostgres reports whether the database is PostgreSQL.
func (db *DB) IsPostgres() bool { return db.dialect == postgres }

// Close closes the pools.
func (db *DB) Close() error {
	err1 := db.read.Close()
	if db.write.DB == db.read {
		return err1
	}
	err2 := db.write.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

// Tx is a write transaction. Every write has the same shape: Begin, defer
// Rollback, lower-case helpers that take the Tx, Commit.
type Tx struct {
	*sqlx.Tx
	dialect     dialect
	conn        *sqlx.Conn // PostgreSQL: the connection the transaction runs on
	bookkeeping bool       // commits without moving the data version (see version.go)
}

// Begin starts a write transaction on the data set, whose commit moves the
// data version (version.go) so that every cache of indicators, dashboards
// and drill-downs is dropped. Which one to open:
//
//   - Begin for a write of what the indicators read: the entities of the
//     data set (learners, referrals, placements, enrollments, evaluations,
//     certificates, outflows, followups, goals, learner goals, providers,
//     modules, groups), by import or by an edit on the web, with the audit
//     entries that go with it in the same transaction.
//   - beginBookkeeping (or a plain statement on the writer) for everything
//     else: sessions, failed logins and locks, audit entries of their own,
//     API tokens, user accounts and their providers, schedules and runs,
//     settings and the scheduler's lease. The server's page cache keys
//     bodies by the user's role and providers and reads them per request,
//     so a change of an account needs no new data version either.
//
// A bookkeeping write that took Begin would drop every cached dashboard
// (seconds to rebuild on a large data set) whenever someone types a wrong
// password; a data write that took beginBookkeeping would leave dashboards
// showing old figures.
//
// On PostgreSQL, where writers do not wait for one another as SQLite's
// single writer does, a data write first takes a transaction-level advisory
// lock: imports and edits read before they write (upsert.go), and two at
// once must not both insert the same key.
func (db *DB) Begin(ctx context.Context) (*Tx, error) {
	return db.begin(ctx, true)
}

func (db *DB) begin(ctx context.Context, data bool) (*Tx, error) {
	if db.dialect == sqlite {
		tx, err := db.write.BeginTxx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("begin transaction: %w", err)
		}
		return &Tx{Tx: tx, dialect: db.dialect}, nil
	}
	// PostgreSQL: the transaction keeps its connection, so that a bulk
	// write can reach pgx's COPY on the same connection (upsert.go).
	conn, err := db.write.Connx(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	t := &Tx{Tx: tx, dialect: db.dialect, conn: conn}
	if data {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, dataWriteLock); err != nil {
			t.Rollback()
			return nil, fmt.Errorf("lock for writing: %w", err)
		}
	}
	return t, nil
}

// Rollback rolls the transaction back, unless it was committed; deferred
// right after Begin, it is a no-op after Commit.
func (tx *Tx) Rollback() error {
	err := tx.Tx.Rollback()
	tx.release()
	return err
}

// release gives a PostgreSQL transaction's connection back to the pool.
func (tx *Tx) release() {
	if tx.conn != nil {
		tx.conn.Close()
		tx.conn = nil
	}
}

// beginBookkeeping starts a write transaction on records that no cache of
// the data depends on (see Begin for the list): its commit leaves the data
// version alone.
func (db *DB) beginBookkeeping(ctx context.Context) (*Tx, error) {
	tx, err := db.begin(ctx, false)
	if err == nil {
		tx.bookkeeping = true
	}
	return tx, err
}

// Stats counts the rows of every entity, in the order of the interchange format.
func (db *DB) Stats(ctx context.Context) ([]EntityCount, error) {
	var out []EntityCount
	for _, t := range tables {
		var n int
		if err := db.read.GetContext(ctx, &n, "SELECT COUNT(*) FROM "+t.name); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.entity, err)
		}
		out = append(out, EntityCount{Entity: t.entity, Rows: n})
	}
	return out, nil
}

// EntityCount is the number of rows stored for one entity.
type EntityCount struct {
	Entity string
	Rows   int
}

// ProviderExists reports whether a provider with this code is stored.
func (db *DB) ProviderExists(ctx context.Context, code string) (bool, error) {
	var n int
	err := db.read.GetContext(ctx, &n, db.read.Rebind("SELECT COUNT(*) FROM providers WHERE code = ?"), code)
	return n > 0, err
}

// notFound is the ENOTFOUND error for a missing record.
func notFound(what, key string) error {
	return domain.Errorf(domain.ENOTFOUND, "no %s %q", what, key)
}
