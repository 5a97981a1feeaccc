package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"github.com/traject-nt2/traject/internal/domain"
)

// Backups of a SQLite database with SQLite's online backup API, which
// copies the pages of one snapshot while writers go on (WAL: a reader
// blocks no writer). This is SQLite-only, part of the dialect seam: a
// PostgreSQL database is backed up with its own tools (pg_dump, base
// backups), which ErrBackupPostgres says.

// ErrBackupPostgres is the EINVALID error for a backup or restore asked of
// a PostgreSQL database.
var ErrBackupPostgres = domain.Errorf(domain.EINVALID,
	"a PostgreSQL database is backed up with its own tools: pg_dump / pg_restore, or base backups with WAL archiving (pg_basebackup)")

// BackupInfo describes a backup file.
type BackupInfo struct {
	Path          string
	Size          int64
	SHA256        string // lower-case hex
	SchemaVersion int
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Backup writes a consistent copy of the database to path: the pages of one
// snapshot, copied by the backup API in one step from a connection of its
// own (so writers go on meanwhile), into a temporary file beside path that
// is renamed to path only once it is complete and passes integrity_check.
// The copy is a single file in rollback-journal mode. path must not exist.
func (db *DB) Backup(ctx context.Context, path string) (*BackupInfo, error) {
	if db.dialect == postgres {
		return nil, ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return nil, domain.Errorf(domain.ECONFLICT, "%s exists: give a new file name", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath) // a no-op once renamed
	if err := db.WriteBackup(ctx, tmpPath); err != nil {
		return nil, err
	}
	info, err := CheckBackup(ctx, tmpPath)
	if err != nil {
		return nil, fmt.Errorf("the copy failed its check, nothing written: %w", err)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	info.Path = path
	return info, nil
}

// WriteBackup writes a consistent copy of the database into the file at
// path (new or empty) and flushes it to disk, with no check and no rename:
// it is the copying step of Backup, for a caller (the scheduler) that
// checks the copy with CheckBackup and moves it into place itself.
func (db *DB) WriteBackup(ctx context.Context, path string) error {
	if db.dialect == postgres {
		return ErrBackupPostgres
	}
	if err := backupFile(ctx, db.read, path, true); err != nil {
		return err
	}
	if err := syncFile(path); err != nil {
		return fmt.Errorf("backup: flush %s: %w", path, err)
	}
	return nil
}

// backupFile copies the main database of a connection of src into the
// SQLite file at dstPath (into: src is the live database) or the other way
// (from a file into the database of dstPath when into is false, see
// Restore), with one Step(-1): one snapshot, no restart.
func backupFile(ctx context.Context, src *sqlx.DB, dstPath string, into bool) error {
	srcConn, err := src.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer srcConn.Close()
	dst, err := sql.Open("sqlite3", "file:"+dstPath+"?"+url.Values{"_busy_timeout": {"10000"}}.Encode())
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer dst.Close()
	dstConn, err := dst.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer dstConn.Close()
	err = srcConn.Raw(func(s any) error {
		return dstConn.Raw(func(d any) error {
			from, to := s.(*sqlite3.SQLiteConn), d.(*sqlite3.SQLiteConn)
			if !into {
				from, to = to, from
			}
			b, err := to.Backup("main", from, "main")
			if err != nil {
				return err
			}
			for {
				done, err := b.Step(-1)
				if err != nil {
					b.Finish()
					return err
				}
				if done {
					break
				}
			}
			return b.Finish()
		})
	})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if into {
		// A single file: the copy took the source's WAL mode with its pages.
		if _, err := dstConn.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	return nil
}

// CheckBackup checks that path is a Traject SQLite database this binary can
// restore: SQLite's header, integrity_check ok, a schema_migrations table,
// and a schema version no newer than the binary knows. It returns the
// file's size, SHA-256 and schema version.
func CheckBackup(ctx context.Context, path string) (*BackupInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	head := make([]byte, len(sqliteHeader))
	_, rerr := io.ReadFull(f, head)
	f.Close()
	if rerr != nil || !bytes.Equal(head, sqliteHeader) {
		return nil, domain.Errorf(domain.EINVALID, "%s is not a SQLite database", path)
	}
	fdb, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer fdb.Close()
	var ok string
	if err := fdb.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "%s: integrity check failed: %v", path, err)
	}
	if ok != "ok" {
		return nil, domain.Errorf(domain.EINVALID, "%s: integrity check: %s", path, ok)
	}
	var n int
	if err := fdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n); err != nil || n == 0 {
		return nil, domain.Errorf(domain.EINVALID, "%s is a SQLite database but not a Traject database (no schema_migrations)", path)
	}
	info := &BackupInfo{Path: path}
	if err := fdb.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&info.SchemaVersion); err != nil {
		return nil, fmt.Errorf("%s: read schema version: %w", path, err)
	}
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	if want := ms[len(ms)-1].Version; info.SchemaVersion > want {
		return nil, domain.Errorf(domain.ESTALE, "%s has schema version %d, newer than this traject knows (%d): restore it with a newer traject", path, info.SchemaVersion, want)
	}
	fdb.Close()
	info.Size, info.SHA256, err = fileDigest(path)
	return info, err
}

// Restore replaces the database's content with the backup file at path,
// after CheckBackup, with the backup API from the file into this database
// (taking its write lock, so a process that has it open sees either the
// old or the new content, never a mix), then empties the WAL. A target that
// holds data is ECONFLICT unless replace. It returns the file's info.
func (db *DB) Restore(ctx context.Context, path string, replace bool) (*BackupInfo, error) {
	if db.dialect == postgres {
		return nil, ErrBackupPostgres
	}
	info, err := CheckBackup(ctx, path)
	if err != nil {
		return nil, err
	}
	if !replace {
		if err := db.refuseNonEmptyRestore(ctx); err != nil {
			return nil, err
		}
	}
	if err := backupFile(ctx, db.write.DB, path, false); err != nil {
		return nil, err
	}
	if err := db.checkpoint(ctx); err != nil {
		return info, err
	}
	return info, nil
}

// refuseNonEmptyRestore is ECONFLICT when the database holds any table
// with a row that a restore would lose (a migrated, empty one holds none).
func (db *DB) refuseNonEmptyRestore(ctx context.Context) error {
	var have int
	if err := db.read.GetContext(ctx, &have, db.read.Rebind(db.dialect.tableExistsSQL()), "schema_migrations"); err != nil {
		return err
	}
	if have == 0 {
		var n int
		if err := db.read.GetContext(ctx, &n, `SELECT COUNT(*) FROM sqlite_master`); err != nil {
			return err
		}
		if n > 0 {
			return domain.Errorf(domain.ECONFLICT, "%s holds tables but is not a Traject database: give --replace to overwrite it", db.name)
		}
		return nil
	}
	err := db.refuseNonEmpty(ctx)
	if domain.ErrorCode(err) == domain.ECONFLICT {
		return domain.Errorf(domain.ECONFLICT, "%s holds data: give --replace to overwrite it with the backup", db.name)
	}
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// fileDigest returns the size and the hex SHA-256 of a file.
func fileDigest(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// IntegrityCheck runs SQLite's PRAGMA integrity_check and returns nil when
// it says ok; on PostgreSQL there is no such check and it returns nil.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.dialect == postgres {
		return nil
	}
	var ok string
	if err := db.write.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if ok != "ok" {
		return domain.Errorf(domain.EINTERNAL, "integrity check of %s: %s", db.name, ok)
	}
	return nil
}
