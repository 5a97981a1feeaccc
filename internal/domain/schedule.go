package domain

import "time"

// Schedule is an export schedule: when a workbook is written (Cron), of
// which period (Period), for whom (Provider) and where to. The cron
// expression and period rule are read by internal/schedule; the store keeps
// them as text.
type Schedule struct {
	Name      string
	Cron      string
	Period    string // a period rule of internal/schedule, e.g. "previous-month"
	Provider  string // "" = all providers
	Exact     bool   // exact counts instead of suppressed small counts
	OutDir    string
	Keep      int  // workbooks to keep; 0 keeps them all
	Paused    bool // a paused schedule is never due
	CreatedAt time.Time
	LastDueAt time.Time // the latest due time handled; zero: none yet
}

// The triggers of a run.
const (
	TriggerCron    = "cron"     // the scheduler, on time
	TriggerManual  = "manual"   // `traject schedule run`
	TriggerCatchUp = "catch-up" // the scheduler, for due times missed while Traject was down
)

// The statuses of a run.
const (
	RunRunning = "running"
	RunOK      = "ok"
	RunFailed  = "failed"
)

// The kinds of run: what a run makes. All are kept in one history.
const (
	RunWorkbook  = "workbook"   // a scheduled indicator workbook, of the schedule Run.Schedule
	RunBackup    = "backup"     // a backup of the SQLite database: scheduled, or `traject backup --out`
	RunRiskModel = "risk_model" // the early warning's weekly training (spec/early-warning.md); its model names the run
)

// Run is one run, from its start to its file or its error: a scheduled
// workbook (Kind RunWorkbook, with its Schedule and period), or a backup
// (Kind RunBackup; Trigger is TriggerCron or TriggerCatchUp for the
// scheduler, TriggerManual for `traject backup --out`).
type Run struct {
	ID         int64
	Number     int    // the run's number among its schedule's runs (or the backups', or the trainings'), from 1; set when read back
	Kind       string // RunWorkbook, RunBackup or RunRiskModel
	Schedule   string // the workbook's schedule; "" for a backup
	From, To   Date   // a workbook's reporting period, inclusive; zero for a backup, or if it could not be computed
	Trigger    string
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Status     string
	File       string // absolute path of the workbook or backup; "" unless the run succeeded
	Size       int64
	SHA256     string // lower-case hex
	Error      string
	PrunedAt   time.Time // when retention let go of File; zero while it is kept
}
