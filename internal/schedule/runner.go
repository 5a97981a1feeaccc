package schedule

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// Runner runs one schedule once: it records the run, has Job write the
// workbook, moves it into place atomically and applies retention; it makes
// a scheduled backup the same way (RunBackup).
type Runner struct {
	DB       *store.DB
	Job      Job
	Backup   BackupJob        // writes a scheduled backup; nil: DB.WriteBackup
	Train    TrainJob         // learns and stores the early warning's model; nil: DB.TrainRiskModel
	Now      func() time.Time // nil: time.Now
	Log      *slog.Logger     // nil: slog.Default()
	Location *time.Location   // the zone of cron fields, run days and file names; nil: domain.Zone (Brussels)
}

func (r *Runner) location() *time.Location {
	if r.Location != nil {
		return r.Location
	}
	return domain.Zone
}

func (r *Runner) now() time.Time {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	return now().In(r.location())
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

// RunNow runs the named schedule once with the given trigger (domain.Trigger*)
// and returns the recorded run. A failed export is recorded as a failed run
// and also returned as the error; a schedule that does not exist is
// ENOTFOUND, with no run recorded.
func (r *Runner) RunNow(ctx context.Context, name, trigger string) (domain.Run, error) {
	s, err := r.DB.FindSchedule(ctx, name)
	if err != nil {
		return domain.Run{}, err
	}
	run := domain.Run{Kind: domain.RunWorkbook, Schedule: s.Name, Trigger: trigger, StartedAt: r.now()}
	rule, jobErr := ParseRule(s.Period)
	if jobErr == nil {
		run.From, run.To = rule.Period(domain.DateOf(run.StartedAt))
	}
	if run.ID, err = r.DB.StartRun(ctx, run); err != nil {
		return domain.Run{}, err
	}
	if jobErr == nil {
		run.File, run.Size, run.SHA256, jobErr = r.write(ctx, s, run)
	}

	// Record the end even when ctx was cancelled (shutdown during the run).
	bg := context.WithoutCancel(ctx)
	run.FinishedAt = r.now()
	run.Status = domain.RunOK
	if jobErr != nil {
		run.Status, run.Error = domain.RunFailed, jobErr.Error()
	}
	if err := r.DB.FinishRun(bg, run); err != nil {
		if jobErr == nil {
			return run, fmt.Errorf("run %d of schedule %q wrote %s but could not be recorded: %w", run.ID, s.Name, run.File, err)
		}
		return run, fmt.Errorf("run %d of schedule %q failed (%w) and could not be recorded: %w", run.ID, s.Name, jobErr, err)
	}
	if jobErr != nil {
		return run, fmt.Errorf("run %d of schedule %q failed: %w", run.ID, s.Name, jobErr)
	}
	r.log().Info("schedule run ok", "schedule", s.Name, "run", run.ID, "trigger", trigger,
		"from", run.From.String(), "to", run.To.String(), "file", run.File, "bytes", run.Size)
	r.prune(bg, s)
	return run, nil
}

// write has Job write the workbook to a hidden temporary file in the output
// folder, seals it (hash, size, fsync) and renames it to its final name, so
// that a half-written workbook never appears under that name.
func (r *Runner) write(ctx context.Context, s domain.Schedule, run domain.Run) (file string, size int64, sum string, err error) {
	if !nameRE.MatchString(s.Name) {
		return "", 0, "", fmt.Errorf("schedule name %q cannot be used in a file name", s.Name)
	}
	dir, err := filepath.Abs(s.OutDir)
	if err != nil {
		return "", 0, "", fmt.Errorf("output folder %q: %w", s.OutDir, err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", 0, "", fmt.Errorf("create output folder: %w", err)
	}
	stamp := run.StartedAt.Format("20060102T150405")
	tmp := filepath.Join(dir, fmt.Sprintf(".%s-%s-%d.xlsx.tmp", s.Name, stamp, run.ID))
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := r.callJob(ctx, s, run.From, run.To, tmp); err != nil {
		return "", 0, "", err
	}
	size, sum, err = seal(tmp)
	if err != nil {
		return "", 0, "", err
	}
	file = filepath.Join(dir, fmt.Sprintf("traject-%s-%s_%s-%s.xlsx", s.Name, run.From, run.To, stamp))
	if _, err := os.Lstat(file); err == nil {
		// Two runs in one second: never overwrite a workbook another run recorded.
		file = filepath.Join(dir, fmt.Sprintf("traject-%s-%s_%s-%s-%d.xlsx", s.Name, run.From, run.To, stamp, run.ID))
	}
	if err := os.Rename(tmp, file); err != nil {
		return "", 0, "", fmt.Errorf("move workbook into place: %w", err)
	}
	syncDir(dir)
	return file, size, sum, nil
}

// callJob runs the Job, turning a panic into an error so that one broken
// export cannot stop the scheduler.
func (r *Runner) callJob(ctx context.Context, s domain.Schedule, from, to domain.Date, tmp string) (err error) {
	if r.Job == nil {
		return errors.New("no export job is configured")
	}
	defer func() {
		if p := recover(); p != nil {
			r.log().Error("schedule export panicked", "schedule", s.Name, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("the export panicked: %v", p)
		}
	}()
	if err := r.Job(ctx, s, from, to, tmp); err != nil {
		return err
	}
	if _, err := os.Stat(tmp); err != nil {
		return fmt.Errorf("the export reported success but wrote no file: %w", err)
	}
	return nil
}

// seal hashes the finished temporary file and flushes it to disk before it is
// renamed, so that a crash cannot leave an empty file under the final name.
func seal(path string) (int64, string, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, "", fmt.Errorf("open written workbook: %w", err)
	}
	defer f.Close()
	size, sum, err := hashFile(f)
	if err != nil {
		return 0, "", fmt.Errorf("read written workbook: %w", err)
	}
	if err := f.Sync(); err != nil {
		return 0, "", fmt.Errorf("flush written workbook: %w", err)
	}
	return size, sum, f.Close()
}

func hashFile(r io.Reader) (int64, string, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// syncDir makes the rename durable where the platform allows it; it is best
// effort because some systems cannot sync a folder.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// prune applies the schedule's retention to the workbooks its runs
// wrote: see retain.
func (r *Runner) prune(ctx context.Context, s domain.Schedule) {
	if s.Keep <= 0 {
		return
	}
	log := r.log().With("schedule", s.Name)
	runs, err := r.DB.ListRuns(ctx, store.RunQuery{Kind: domain.RunWorkbook, Schedule: s.Name, Status: domain.RunOK})
	if err != nil {
		log.Error("retention: list runs", "err", err)
		return
	}
	r.retain(ctx, log, runs, s.Keep)
}

// retain is the one retention of the run history, for a schedule's
// workbooks and the scheduled backups alike: of the files that runs
// (successful, newest first) recorded, it keeps the newest keep and lets go
// of the rest. It deletes a file only if it still has the size and SHA-256
// the run recorded, so a file someone replaced or put there is never
// touched; every file it lets go of is marked on its run (pruned_at) and
// logged. Problems are logged, not returned: the run itself has succeeded.
func (r *Runner) retain(ctx context.Context, log *slog.Logger, runs []domain.Run, keep int) {
	kept := map[string]bool{}
	for _, run := range runs {
		if run.Status != domain.RunOK || run.File == "" || !run.PrunedAt.IsZero() {
			continue
		}
		if len(kept) < keep && !kept[run.File] {
			kept[run.File] = true
			continue
		}
		outcome := "kept: a newer run recorded the same file"
		if !kept[run.File] {
			var err error
			if outcome, err = removeIfUnchanged(run); err != nil {
				log.Error("retention: remove old file", "run", run.ID, "file", run.File, "err", err)
				continue // try again after the next run
			}
		}
		if err := r.DB.PruneRun(ctx, run.ID, r.now()); err != nil {
			log.Error("retention: record removal", "run", run.ID, "err", err)
			continue
		}
		log.Info("retention: let go of old file", "run", run.ID, "file", run.File, "outcome", outcome)
	}
}

// removeIfUnchanged deletes the file of run (a workbook or a backup) if it
// is still the file the run wrote, and says what it did.
func removeIfUnchanged(run domain.Run) (string, error) {
	fi, err := os.Lstat(run.File)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "already gone", nil
	case err != nil:
		return "", err
	case !fi.Mode().IsRegular() || fi.Size() != run.Size:
		return "left in place: changed since the run wrote it", nil
	}
	f, err := os.Open(run.File)
	if err != nil {
		return "", err
	}
	_, sum, err := hashFile(f)
	f.Close()
	if err != nil {
		return "", err
	}
	if sum != run.SHA256 {
		return "left in place: changed since the run wrote it", nil
	}
	if err := os.Remove(run.File); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	return "removed", nil
}
