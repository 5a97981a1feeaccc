package schedule

import (
	"context"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
	"github.com/traject-nt2/traject/internal/store"
)

// The early warning's weekly training (issue 21 point 3, spec/
// early-warning.md): the scheduler learns the model again every week, on
// the data up to then, validated on the last complete school year it did
// not learn from, and stores it (store.RiskModel), so that `traject risk`
// estimates with it and says which model made an estimate. Each training is
// a run of kind risk_model in the one run history; `traject risk train`
// makes one on demand (trigger manual).

// DefaultTrainCron is when the scheduler trains: Mondays at 05:00 in
// Brussels (domain.Zone, unless TrainLocation), before the counsellors'
// week starts.
const DefaultTrainCron = "0 5 * * 1"

// trainCronName names the training in the scheduler's log; no workbook
// schedule can have this name (nameRE).
const trainCronName = "(risk training)"

// TrainDueSetting is the setting (store.GetSetting) that keeps the latest
// due time of the weekly training the scheduler handled, so that every
// scheduler on the database, and every process that holds its lock in
// turn, trains once per due time.
const TrainDueSetting = "risk_train_last_due"

// TrainJob learns and stores the model shown on asOf for provider ("" for
// the whole installation), as trained at `at` by run runID.
type TrainJob func(ctx context.Context, asOf domain.Date, provider string, at time.Time, runID int64) (store.RiskModel, error)

func (r *Runner) trainJob() TrainJob {
	if r.Train != nil {
		return r.Train
	}
	return r.DB.TrainRiskModel
}

// RunTrain trains the model shown on asOf for provider once with the given
// trigger and records it as a run of kind risk_model, whose period is the
// learning window: ok with the stored model (refused or not), or failed
// with its error, which is also returned.
func (r *Runner) RunTrain(ctx context.Context, asOf domain.Date, provider, trigger string) (domain.Run, store.RiskModel, error) {
	w := risk.DefaultWindows(asOf)
	run := domain.Run{Kind: domain.RunRiskModel, Trigger: trigger, StartedAt: r.now(), From: w.TrainFrom, To: w.TrainTo}
	var err error
	if run.ID, err = r.DB.StartRun(ctx, run); err != nil {
		return domain.Run{}, store.RiskModel{}, err
	}
	m, jobErr := r.callTrain(ctx, asOf, provider, run)
	// Record the end even when ctx was cancelled (shutdown during the training).
	bg := context.WithoutCancel(ctx)
	run.FinishedAt = r.now()
	run.Status = domain.RunOK
	if jobErr != nil {
		run.Status, run.Error = domain.RunFailed, jobErr.Error()
	}
	if err := r.DB.FinishRun(bg, run); err != nil {
		if jobErr == nil {
			return run, m, fmt.Errorf("training %d stored model %d but could not be recorded: %w", run.ID, m.ID, err)
		}
		return run, m, fmt.Errorf("training %d failed (%w) and could not be recorded: %w", run.ID, jobErr, err)
	}
	if jobErr != nil {
		return run, m, fmt.Errorf("training %d failed: %w", run.ID, jobErr)
	}
	refused := ""
	if m.Refused != nil {
		refused = m.Refused.Reason
	}
	r.log().Info("risk model trained", "run", run.ID, "model", m.ID, "trigger", trigger, "as_of", asOf.String(),
		"provider", provider, "refused", refused)
	return run, m, nil
}

// callTrain runs the TrainJob, turning a panic into an error so that a
// broken training cannot stop the scheduler.
func (r *Runner) callTrain(ctx context.Context, asOf domain.Date, provider string, run domain.Run) (m store.RiskModel, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the training panicked: %v", p)
		}
	}()
	return r.trainJob()(ctx, asOf, provider, run.StartedAt, run.ID)
}

func (s *Scheduler) trainCron() string {
	if s.TrainCron != "" {
		return s.TrainCron
	}
	return DefaultTrainCron
}

func (s *Scheduler) trainZone() *time.Location {
	if s.TrainLocation != nil {
		return s.TrainLocation
	}
	return domain.Zone
}

// trainDue trains the model when a due time of the weekly training has
// passed since the last one handled (a catch-up when several passed or
// the only one is older than the grace) and records that due time, also
// after a failed training, so that a failure is not retried every tick.
// The first time a scheduler looks at a database it only records its
// now: the first training is at the next due time, as a new workbook
// schedule's first run is. The model is the whole installation's, for
// the day of the due time's now in the training's zone.
func (s *Scheduler) trainDue(ctx context.Context) (*domain.Run, error) {
	if s.NoTrain {
		return nil, nil
	}
	now := s.now()
	last, err := s.DB.GetSetting(ctx, TrainDueSetting)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, s.DB.SetSetting(ctx, TrainDueSetting, now.UTC().Format(time.RFC3339))
	}
	if err != nil {
		return nil, err
	}
	base, err := time.Parse(time.RFC3339, last)
	if err != nil {
		return nil, fmt.Errorf("setting %s %q is not an RFC 3339 time: %w", TrainDueSetting, last, err)
	}
	zone := s.trainZone()
	cs, err := ParseCron(s.trainCron())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", trainCronName, err)
	}
	var latest time.Time
	count := 0
	for next := cs.Next(base.In(zone)); !next.IsZero() && !next.After(now) && count < maxCatchUp; next = cs.Next(next) {
		latest, count = next, count+1
	}
	if count == 0 {
		return nil, nil
	}
	trigger := domain.TriggerCron
	if count > 1 || now.Sub(latest) > s.grace() {
		trigger = domain.TriggerCatchUp
	}
	run, _, err := s.RunTrain(ctx, domain.DateOf(now.In(zone)), "", trigger)
	if ctx.Err() != nil {
		return nil, ctx.Err() // cut short by shutdown: caught up at the next start
	}
	if err != nil {
		s.log().Error("scheduled risk training failed", "run", run.ID, "trigger", trigger, "err", err)
	}
	if err := s.DB.SetSetting(ctx, TrainDueSetting, latest.UTC().Format(time.RFC3339)); err != nil {
		s.log().Error("record due time of the risk training", "err", err)
	}
	if run.ID == 0 {
		return nil, nil
	}
	return &run, nil
}
