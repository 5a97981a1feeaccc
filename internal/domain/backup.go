package domain

import "time"

// BackupSchedule says when the scheduler makes a backup of the database
// (Cron), into which folder (Dir) and how many of its backups it keeps.
// There is at most one; it applies to SQLite only (PostgreSQL is backed up
// with pg_dump). The backups made are runs of kind RunBackup.
type BackupSchedule struct {
	Cron      string
	Dir       string // absolute
	Keep      int    // backups to keep; 0 keeps them all
	CreatedAt time.Time
	LastDueAt time.Time // the latest due time handled; zero: none yet
}

// BackupWarnAfter is how long a database may go without a successful
// backup before the administration warns (issue 13: two days).
const BackupWarnAfter = 48 * time.Hour

// BackupOverdue reports whether, at now, the latest successful backup
// (zero: none ever) is more than BackupWarnAfter ago.
func BackupOverdue(lastOK, now time.Time) bool {
	return lastOK.IsZero() || now.Sub(lastOK) > BackupWarnAfter
}
