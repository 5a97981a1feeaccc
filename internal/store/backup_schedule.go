package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// The backup schedule (schema/011_backups.sql); the backups made are runs
// of kind backup (run.go). internal/schedule reads the cron expression and
// makes the backups; the store keeps them. SQLite only: on PostgreSQL a
// schedule is refused with ErrBackupPostgres.

// FindBackupSchedule returns the backup schedule, or ENOTFOUND when there
// is none.
func (db *DB) FindBackupSchedule(ctx context.Context) (domain.BackupSchedule, error) {
	var r struct {
		Cron      string         `db:"cron"`
		Dir       string         `db:"dir"`
		Keep      int64          `db:"keep"`
		CreatedAt sql.NullString `db:"created_at"`
		LastDueAt sql.NullString `db:"last_due_at"`
	}
	err := db.read.GetContext(ctx, &r, `SELECT cron, dir, keep, created_at, last_due_at FROM backup_schedule WHERE id = 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.BackupSchedule{}, domain.Errorf(domain.ENOTFOUND, "no backup schedule is set")
	}
	if err != nil {
		return domain.BackupSchedule{}, fmt.Errorf("read backup schedule: %w", err)
	}
	s := domain.BackupSchedule{Cron: r.Cron, Dir: r.Dir, Keep: int(r.Keep)}
	s.CreatedAt, err = parseTS(r.CreatedAt, "created_at", err)
	s.LastDueAt, err = parseTS(r.LastDueAt, "last_due_at", err)
	if err != nil {
		return s, fmt.Errorf("backup schedule: %w", err)
	}
	return s, nil
}

// BackupScheduleSetting is the audit trail's key of the backup schedule
// (SettingEntity).
const BackupScheduleSetting = "backup_schedule"

// backupScheduleValue is the backup schedule as the audit trail records it.
type backupScheduleValue struct {
	Cron string `json:"cron"`
	Dir  string `json:"dir"`
	Keep int    `json:"keep"`
}

// SetBackupSchedule stores s as the backup schedule, replacing the one
// there was, and records the change in the audit trail as actor at
// s.CreatedAt. Its due times count from s.CreatedAt (the time it was set):
// a changed schedule does not catch up on times of the new cron expression
// that passed before the change. On PostgreSQL it is ErrBackupPostgres.
func (db *DB) SetBackupSchedule(ctx context.Context, actor string, s domain.BackupSchedule) error {
	if db.dialect == postgres {
		return ErrBackupPostgres
	}
	switch {
	case strings.TrimSpace(s.Cron) == "":
		return domain.Errorf(domain.EINVALID, "a backup schedule needs a cron expression")
	case strings.TrimSpace(s.Dir) == "":
		return domain.Errorf(domain.EINVALID, "a backup schedule needs a folder")
	case s.Keep < 0:
		return domain.Errorf(domain.EINVALID, "backups to keep must be 0 (keep all) or more, not %d", s.Keep)
	case s.CreatedAt.IsZero():
		return domain.Errorf(domain.EINVALID, "a backup schedule needs the time it was set")
	}
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	before, err := tx.backupScheduleValue(ctx)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO backup_schedule (id, cron, dir, keep, created_at, last_due_at)
		VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET cron = excluded.cron, dir = excluded.dir, keep = excluded.keep,
			created_at = excluded.created_at, last_due_at = excluded.last_due_at`),
		s.Cron, s.Dir, s.Keep, ts(s.CreatedAt), nullTS(s.LastDueAt))
	if err != nil {
		return fmt.Errorf("store backup schedule: %w", err)
	}
	after := &backupScheduleValue{Cron: s.Cron, Dir: s.Dir, Keep: s.Keep}
	if err := tx.RecordSetting(ctx, actor, BackupScheduleSetting, anyOrNil(before), after, s.CreatedAt); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteBackupSchedule turns scheduled backups off, recording it in the
// audit trail as actor at now; the history and the files stay. It reports
// whether there was a schedule.
func (db *DB) DeleteBackupSchedule(ctx context.Context, actor string, now time.Time) (bool, error) {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	before, err := tx.backupScheduleValue(ctx)
	if err != nil || before == nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM backup_schedule WHERE id = 1`); err != nil {
		return false, fmt.Errorf("delete backup schedule: %w", err)
	}
	if err := tx.RecordSetting(ctx, actor, BackupScheduleSetting, before, nil, now); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// backupScheduleValue reads the stored backup schedule for the audit
// trail, nil when there is none.
func (tx *Tx) backupScheduleValue(ctx context.Context) (*backupScheduleValue, error) {
	var rows []backupScheduleValue
	if err := tx.SelectContext(ctx, &rows, `SELECT cron, dir, keep FROM backup_schedule WHERE id = 1`); err != nil {
		return nil, fmt.Errorf("read backup schedule: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// anyOrNil is v as an interface value, nil (not a typed nil) for nil.
func anyOrNil(v *backupScheduleValue) any {
	if v == nil {
		return nil
	}
	return v
}

// SetBackupDue records t as the latest due time of the backup schedule the
// scheduler has handled; without a schedule it is ENOTFOUND.
func (db *DB) SetBackupDue(ctx context.Context, t time.Time) error {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE backup_schedule SET last_due_at = ? WHERE id = 1`), nullTS(t))
	return affectedOne(res, err, "set due time of", "backup schedule", "backup")
}
