package schedule

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// Scheduled backups (issue 13): the scheduler makes a backup of the SQLite
// database whenever the backup schedule's cron expression is due, writing
// it under a hidden temporary name in the schedule's folder, checking it
// (store.CheckBackup) and only then renaming it to traject-YYYYMMDD-HHMMSS.db,
// so that a backup cut short never appears under a final name. Each backup
// is recorded; of the scheduler's own backups only the newest Keep stay.

// BackupJob writes a consistent copy of the database to tmpPath, a file
// that does not exist yet; the Runner checks it and renames it into place
// only after BackupJob returns nil.
type BackupJob func(ctx context.Context, tmpPath string) error

// maxBackupKeep bounds the number of backups a schedule may keep.
const maxBackupKeep = 1000

// backupCronName names the backup schedule in the scheduler's log; no
// workbook schedule can have this name (nameRE).
const backupCronName = "(backup)"

// backupTimeLayout is the time stamp in a backup's file name.
const backupTimeLayout = "20060102-150405"

// backupTempRE matches the temporary files of scheduled backups, with the
// journal SQLite may leave beside one when the process is killed.
var backupTempRE = regexp.MustCompile(`^\.traject-[0-9]{8}-[0-9]{6}\.db\.tmp(-journal|-wal|-shm)?$`)

// BackupFileName is the final name of a scheduled backup started at t.
func BackupFileName(t time.Time) string {
	return "traject-" + t.Format(backupTimeLayout) + ".db"
}

// ValidateBackup checks a backup schedule before it is stored and returns
// it normalised: the cron expression trimmed, the folder absolute (the
// scheduler may run from another working directory than the command that
// set it).
func ValidateBackup(s domain.BackupSchedule) (domain.BackupSchedule, error) {
	if _, err := ParseCron(s.Cron); err != nil {
		return s, err
	}
	s.Cron = strings.Join(strings.Fields(s.Cron), " ")
	if strings.TrimSpace(s.Dir) == "" {
		return s, domain.Errorf(domain.EINVALID, "a backup schedule needs a folder for the backups")
	}
	dir, err := filepath.Abs(s.Dir)
	if err != nil {
		return s, domain.Errorf(domain.EINVALID, "backup folder %q: %v", s.Dir, err)
	}
	s.Dir = dir
	if s.Keep < 0 || s.Keep > maxBackupKeep {
		return s, domain.Errorf(domain.EINVALID, "backups to keep must be from 0 (keep every backup) to %d, not %d", maxBackupKeep, s.Keep)
	}
	return s, nil
}

func (r *Runner) backupJob() BackupJob {
	if r.Backup != nil {
		return r.Backup
	}
	return r.DB.WriteBackup
}

// RunBackup makes one backup for the schedule s with the given trigger,
// records it (ok, or failed with its error) and, when it succeeded, lets go
// of the scheduler's backups beyond s.Keep. A failed backup is also
// returned as the error.
func (r *Runner) RunBackup(ctx context.Context, s domain.BackupSchedule, trigger string) (domain.Run, error) {
	run := domain.Run{Kind: domain.RunBackup, Trigger: trigger, StartedAt: r.now(), Status: domain.RunOK}
	var err error
	run.File, run.Size, run.SHA256, err = r.writeBackup(ctx, s.Dir, run.StartedAt)
	run.FinishedAt = r.now()
	if err != nil {
		run.Status, run.Error = domain.RunFailed, err.Error()
	}
	// Record the end even when ctx was cancelled (shutdown during the backup).
	bg := context.WithoutCancel(ctx)
	id, rerr := r.DB.RecordRun(bg, run)
	run.ID = id
	switch {
	case rerr != nil && err == nil:
		return run, fmt.Errorf("backup %s was written but could not be recorded: %w", run.File, rerr)
	case rerr != nil:
		return run, fmt.Errorf("backup into %s failed (%w) and could not be recorded: %w", s.Dir, err, rerr)
	case err != nil:
		return run, fmt.Errorf("backup into %s failed: %w", s.Dir, err)
	}
	r.log().Info("backup ok", "backup", run.ID, "trigger", trigger, "file", run.File, "bytes", run.Size)
	r.pruneBackups(bg, s)
	return run, nil
}

// writeBackup has the BackupJob write the copy to a hidden temporary file
// in dir, checks it and renames it to its final name. Temporary files of
// earlier backups that were cut short (a killed process) are removed
// first: only the holder of the scheduler lock makes scheduled backups, so
// none of them is still being written.
func (r *Runner) writeBackup(ctx context.Context, dir string, started time.Time) (file string, size int64, sum string, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", 0, "", fmt.Errorf("backup folder %q: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", 0, "", fmt.Errorf("create backup folder: %w", err)
	}
	r.removeBackupTemps(dir)
	name := BackupFileName(started)
	tmp := filepath.Join(dir, "."+name+".tmp")
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := r.backupJob()(ctx, tmp); err != nil {
		return "", 0, "", err
	}
	info, err := store.CheckBackup(ctx, tmp)
	if err != nil {
		return "", 0, "", fmt.Errorf("the copy failed its check, nothing kept: %w", err)
	}
	file = filepath.Join(dir, name)
	for i := 2; ; i++ {
		if _, err := os.Lstat(file); errors.Is(err, os.ErrNotExist) {
			break
		}
		// Two backups in one second: never overwrite one that was recorded.
		file = filepath.Join(dir, fmt.Sprintf("traject-%s-%d.db", started.Format(backupTimeLayout), i))
	}
	if err := os.Rename(tmp, file); err != nil {
		return "", 0, "", fmt.Errorf("move backup into place: %w", err)
	}
	syncDir(dir)
	return file, info.Size, info.SHA256, nil
}

// removeBackupTemps deletes what backups cut short left in dir: hidden
// temporary files named as the scheduler names them, nothing else.
func (r *Runner) removeBackupTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		r.log().Error("backup: read folder", "dir", dir, "err", err)
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !backupTempRE.MatchString(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			r.log().Error("backup: remove temporary file of an unfinished backup", "file", path, "err", err)
			continue
		}
		r.log().Info("backup: removed temporary file of an unfinished backup", "file", path)
	}
}

// pruneBackups applies the schedule's retention to the backups the
// scheduler made (not those of `traject backup --out`, which it never
// deletes): see retain.
func (r *Runner) pruneBackups(ctx context.Context, s domain.BackupSchedule) {
	if s.Keep <= 0 {
		return
	}
	runs, err := r.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunBackup, Status: domain.RunOK})
	if err != nil {
		r.log().Error("backup retention: list backups", "err", err)
		return
	}
	runs = slices.DeleteFunc(runs, func(b domain.Run) bool { return b.Trigger == domain.TriggerManual })
	r.retain(ctx, r.log().With("retention", "backup"), runs, s.Keep)
}

// backupDue makes the scheduled backup when a due time of the backup
// schedule has passed since the last one handled (a catch-up when several
// passed or the only one is older than the grace), then records that due
// time, also after a failed backup, so that a failure is not retried every
// tick. Without a schedule, or on PostgreSQL, it does nothing.
func (s *Scheduler) backupDue(ctx context.Context) (*domain.Run, error) {
	if s.DB.IsPostgres() {
		return nil, nil
	}
	bs, err := s.DB.FindBackupSchedule(ctx)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	latest, count, ok := s.due(domain.Schedule{Name: backupCronName, Cron: bs.Cron, CreatedAt: bs.CreatedAt, LastDueAt: bs.LastDueAt}, now)
	if !ok || count == 0 {
		return nil, nil
	}
	trigger := domain.TriggerCron
	if count > 1 || now.Sub(latest) > s.grace() {
		trigger = domain.TriggerCatchUp
	}
	run, err := s.RunBackup(ctx, bs, trigger)
	if ctx.Err() != nil {
		return nil, ctx.Err() // cut short by shutdown: caught up at the next start
	}
	if err != nil {
		s.log().Error("scheduled backup failed", "backup", run.ID, "trigger", trigger, "err", err)
	}
	if err := s.DB.SetBackupDue(ctx, latest); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		s.log().Error("record due time of the backup schedule", "err", err)
	}
	if run.ID == 0 {
		return nil, nil
	}
	return &run, nil
}

// RunManualBackup makes one backup into dir now, as `traject backup --out`
// does (store.DB.Backup: a hidden temporary file of its own, checked, then
// renamed), under the scheduler's name for its time, and records it in the
// run history as a manual backup, which the schedule's retention never
// deletes. It is the admin page's "Nu een back-up maken". Its temporary
// file is not named as the scheduler names its own, so neither removes the
// other's file while it is being written. A failure is recorded too, and
// returned.
func (r *Runner) RunManualBackup(ctx context.Context, dir string) (domain.Run, error) {
	run := domain.Run{Kind: domain.RunBackup, Trigger: domain.TriggerManual, StartedAt: r.now(), Status: domain.RunOK}
	err := func() error {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return fmt.Errorf("backup folder %q: %w", dir, err)
		}
		if err := os.MkdirAll(abs, 0o750); err != nil {
			return fmt.Errorf("create backup folder: %w", err)
		}
		path := filepath.Join(abs, BackupFileName(run.StartedAt))
		for i := 2; ; i++ {
			if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
				break
			}
			path = filepath.Join(abs, fmt.Sprintf("traject-%s-%d.db", run.StartedAt.Format(backupTimeLayout), i))
		}
		info, err := r.DB.Backup(ctx, path)
		if err != nil {
			return err
		}
		run.File, run.Size, run.SHA256 = path, info.Size, info.SHA256
		return nil
	}()
	run.FinishedAt = r.now()
	if err != nil {
		run.Status, run.Error = domain.RunFailed, err.Error()
	}
	id, rerr := r.DB.RecordRun(context.WithoutCancel(ctx), run)
	run.ID = id
	switch {
	case rerr != nil && err == nil:
		return run, fmt.Errorf("backup %s was written but could not be recorded: %w", run.File, rerr)
	case rerr != nil:
		return run, fmt.Errorf("backup into %s failed (%w) and could not be recorded: %w", dir, err, rerr)
	case err != nil:
		return run, fmt.Errorf("backup into %s failed: %w", dir, err)
	}
	r.log().Info("backup ok", "backup", run.ID, "trigger", run.Trigger, "file", run.File, "bytes", run.Size)
	return run, nil
}
