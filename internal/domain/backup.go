package domain

import "time"

// BackupSchedule says when the scheduler makes a backup of the database
// (Cron), into which folder (Dir) and how many of its backups it keeps.
// There is at most one; it applies to SQLite only (PostgreSQL is backed up
// with pg_dump).
type BackupSchedule struct {
	Cron      string
	Dir       string // absolute
	Keep      int    // backups to keep; 0 keeps them all
	CreatedAt time.Time
	LastDueAt time.Time // the latest due time handled; zero: none yet
}

// BackupRun is one finished backup: the file it wrote, or its error.
// Trigger is TriggerCron or TriggerCatchUp for the scheduler, TriggerManual
// for `traject backup --out`.
type BackupRun struct {
	ID         int64
	Trigger    string
	StartedAt  time.Time
	FinishedAt time.Time
	Status     string // RunOK or RunFailed
	File       string // absolute path; "" unless ok
	Size       int64
	SHA256     string // lower-case hex
	Error      string
	PrunedAt   time.Time // when retention let go of File; zero while it is kept
}

// BackupWarnAfter is how long a database may go without a successful
// backup before the administration warns (issue 13: two days).
const BackupWarnAfter = 48 * time.Hour

// BackupOverdue reports whether, at now, the latest successful backup
// (zero: none ever) is more than BackupWarnAfter ago.
func BackupOverdue(lastOK, now time.Time) bool {
	return lastOK.IsZero() || now.Sub(lastOK) > BackupWarnAfter
}
