package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// The run history (schema/017_runs.sql): the runs of scheduled workbooks,
// the backups made and the early warning's trainings (019_risk_models.sql),
// in one table, told apart by kind. A workbook run
// is recorded when it starts (StartRun) and again when it ends
// (FinishRun), so that a run cut short shows as running; a backup only
// once it has finished (RecordRun), so that one cut short leaves no row, as
// it leaves no file under a final name.

const runCols = `id, kind, schedule, period_from, period_to, trigger, started_at, finished_at, status, file, size, sha256, error, pruned_at`

// runNumber is a run's number among the runs of its schedule (or among the
// backups), 1 for the first: what the schedule's page calls it, where the
// id counts every run of the installation.
const runNumber = `(SELECT COUNT(*) FROM runs n WHERE n.kind = runs.kind
	AND COALESCE(n.schedule, '') = COALESCE(runs.schedule, '') AND n.id <= runs.id) AS number`

type runRow struct {
	ID         int64          `db:"id"`
	Kind       string         `db:"kind"`
	Schedule   sql.NullString `db:"schedule"`
	From       string         `db:"period_from"`
	To         string         `db:"period_to"`
	Trigger    string         `db:"trigger"`
	StartedAt  sql.NullString `db:"started_at"`
	FinishedAt sql.NullString `db:"finished_at"`
	Status     string         `db:"status"`
	File       string         `db:"file"`
	Size       int64          `db:"size"`
	SHA256     string         `db:"sha256"`
	Error      string         `db:"error"`
	PrunedAt   sql.NullString `db:"pruned_at"`
	Number     int            `db:"number"`
}

func (r runRow) run() (domain.Run, error) {
	run := domain.Run{ID: r.ID, Number: r.Number, Kind: r.Kind, Schedule: r.Schedule.String, Trigger: r.Trigger, Status: r.Status,
		File: r.File, Size: r.Size, SHA256: r.SHA256, Error: r.Error}
	var err error
	run.From, err = scanPeriodDate(r.From, err)
	run.To, err = scanPeriodDate(r.To, err)
	run.StartedAt, err = parseTS(r.StartedAt, "started_at", err)
	run.FinishedAt, err = parseTS(r.FinishedAt, "finished_at", err)
	run.PrunedAt, err = parseTS(r.PrunedAt, "pruned_at", err)
	if err != nil {
		return run, fmt.Errorf("run %d: %w", r.ID, err)
	}
	return run, nil
}

func scanPeriodDate(s string, err error) (domain.Date, error) {
	if err != nil || s == "" {
		return 0, err
	}
	d, ok := domain.ParseISO(s)
	if !ok {
		return 0, fmt.Errorf("stored period date %q is not YYYY-MM-DD", s)
	}
	return d, nil
}

// checkRunStart checks what every new run needs: a known kind, a schedule
// for a workbook and none for a backup, a known trigger.
func checkRunStart(r domain.Run) error {
	switch {
	case r.Kind != domain.RunWorkbook && r.Kind != domain.RunBackup && r.Kind != domain.RunRiskModel:
		return domain.Errorf(domain.EINVALID, "a run is a %s, a %s or a %s, not %q", domain.RunWorkbook, domain.RunBackup, domain.RunRiskModel, r.Kind)
	case r.Kind == domain.RunWorkbook && r.Schedule == "":
		return domain.Errorf(domain.EINVALID, "a workbook run needs its schedule")
	case r.Kind != domain.RunWorkbook && r.Schedule != "":
		return domain.Errorf(domain.EINVALID, "a %s belongs to no workbook schedule (%q)", r.Kind, r.Schedule)
	}
	switch r.Trigger {
	case domain.TriggerCron, domain.TriggerManual, domain.TriggerCatchUp:
		return nil
	}
	return domain.Errorf(domain.EINVALID, "run trigger must be %s, %s or %s, not %q", domain.TriggerCron, domain.TriggerManual, domain.TriggerCatchUp, r.Trigger)
}

// checkRunEnd checks the status a run ends with.
func checkRunEnd(r domain.Run) error {
	if r.Status != domain.RunOK && r.Status != domain.RunFailed {
		return domain.Errorf(domain.EINVALID, "a run finishes %s or %s, not %q", domain.RunOK, domain.RunFailed, r.Status)
	}
	return nil
}

// StartRun records the start of a run (status running) from r's Kind,
// Schedule, From, To, Trigger and StartedAt, and returns its id. A workbook
// run of a schedule that does not exist is ENOTFOUND.
func (db *DB) StartRun(ctx context.Context, r domain.Run) (int64, error) {
	if err := checkRunStart(r); err != nil {
		return 0, err
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = time.Now()
	}
	var id int64
	err := db.write.GetContext(ctx, &id, db.write.Rebind(`INSERT INTO runs
		(kind, schedule, period_from, period_to, trigger, started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		r.Kind, null(r.Schedule), r.From.String(), r.To.String(), r.Trigger, ts(r.StartedAt), domain.RunRunning)
	if err != nil {
		return 0, db.unknownSchedule(ctx, r, fmt.Errorf("record start of %s run: %w", r.Kind, err))
	}
	return id, nil
}

// unknownSchedule is ENOTFOUND when r's schedule is not stored (the
// foreign key refused the insert), else err.
func (db *DB) unknownSchedule(ctx context.Context, r domain.Run, err error) error {
	if r.Schedule != "" {
		if _, ferr := db.FindSchedule(ctx, r.Schedule); domain.ErrorCode(ferr) == domain.ENOTFOUND {
			return ferr
		}
	}
	return err
}

// FinishRun records the end of running run r.ID from r's Status (ok or
// failed), FinishedAt, File, Size, SHA256 and Error. A run that is not
// running any more is ECONFLICT; a missing one ENOTFOUND.
func (db *DB) FinishRun(ctx context.Context, r domain.Run) error {
	if err := checkRunEnd(r); err != nil {
		return err
	}
	if r.FinishedAt.IsZero() {
		r.FinishedAt = time.Now()
	}
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE runs
		SET status = ?, finished_at = ?, file = ?, size = ?, sha256 = ?, error = ?
		WHERE id = ? AND status = ?`),
		r.Status, ts(r.FinishedAt), r.File, r.Size, r.SHA256, r.Error, r.ID, domain.RunRunning)
	key := fmt.Sprint(r.ID)
	if err := affectedOne(res, err, "record end of run", "run", key); domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	if _, err := db.FindRun(ctx, r.ID); err != nil {
		return err
	}
	return domain.Errorf(domain.ECONFLICT, "run %d has already finished", r.ID)
}

// RecordRun stores a run that has finished (status ok or failed, with its
// start and finish times), in one go, and returns its id: a backup is
// recorded so.
func (db *DB) RecordRun(ctx context.Context, r domain.Run) (int64, error) {
	if err := checkRunStart(r); err != nil {
		return 0, err
	}
	if err := checkRunEnd(r); err != nil {
		return 0, err
	}
	if r.StartedAt.IsZero() || r.FinishedAt.IsZero() {
		return 0, domain.Errorf(domain.EINVALID, "a finished run is recorded with its start and finish times")
	}
	var id int64
	err := db.write.GetContext(ctx, &id, db.write.Rebind(`INSERT INTO runs
		(kind, schedule, period_from, period_to, trigger, started_at, finished_at, status, file, size, sha256, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		r.Kind, null(r.Schedule), r.From.String(), r.To.String(), r.Trigger, ts(r.StartedAt), ts(r.FinishedAt),
		r.Status, r.File, r.Size, r.SHA256, r.Error)
	if err != nil {
		return 0, db.unknownSchedule(ctx, r, fmt.Errorf("record %s run: %w", r.Kind, err))
	}
	return id, nil
}

// PruneRun records that retention let go of the file of run id at t.
func (db *DB) PruneRun(ctx context.Context, id int64, t time.Time) error {
	res, err := db.write.ExecContext(ctx, db.write.Rebind(`UPDATE runs SET pruned_at = ? WHERE id = ?`), ts(t), id)
	return affectedOne(res, err, "record pruning of run", "run", fmt.Sprint(id))
}

// RunQuery says which runs ListRuns returns. An empty field asks for any.
type RunQuery struct {
	Kind     string // domain.RunWorkbook, RunBackup or RunRiskModel
	Schedule string // a workbook schedule's name
	Status   string // domain.RunRunning, RunOK or RunFailed
	Limit    int    // at most this many; <= 0: all
}

// ListRuns returns the runs q asks for, newest first.
func (db *DB) ListRuns(ctx context.Context, q RunQuery) ([]domain.Run, error) {
	query := `SELECT ` + runCols + `, ` + runNumber + ` FROM runs WHERE 1 = 1`
	var args []any
	for _, f := range []struct{ col, val string }{{"kind", q.Kind}, {"schedule", q.Schedule}, {"status", q.Status}} {
		if f.val != "" {
			query += ` AND ` + f.col + ` = ?`
			args = append(args, f.val)
		}
	}
	query += ` ORDER BY id DESC`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, q.Limit)
	}
	var rows []runRow
	if err := db.read.SelectContext(ctx, &rows, db.read.Rebind(query), args...); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	out := make([]domain.Run, 0, len(rows))
	for _, r := range rows {
		run, err := r.run()
		if err != nil {
			return nil, err
		}
		out = append(out, run)
	}
	return out, nil
}

// LastRun returns the newest run q asks for (its Limit aside), or
// ENOTFOUND when there is none: the last successful backup is
// LastRun(RunQuery{Kind: domain.RunBackup, Status: domain.RunOK}).
func (db *DB) LastRun(ctx context.Context, q RunQuery) (domain.Run, error) {
	q.Limit = 1
	runs, err := db.ListRuns(ctx, q)
	if err != nil {
		return domain.Run{}, err
	}
	if len(runs) == 0 {
		return domain.Run{}, domain.Errorf(domain.ENOTFOUND, "no such run")
	}
	return runs[0], nil
}

// FindRun returns the run with this id, or ENOTFOUND.
func (db *DB) FindRun(ctx context.Context, id int64) (domain.Run, error) {
	var r runRow
	err := db.read.GetContext(ctx, &r, db.read.Rebind(`SELECT `+runCols+`, `+runNumber+` FROM runs WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Run{}, notFound("run", fmt.Sprint(id))
	}
	if err != nil {
		return domain.Run{}, fmt.Errorf("find run %d: %w", id, err)
	}
	return r.run()
}
