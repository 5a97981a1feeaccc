package schedule

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// Defaults of a Scheduler. A scheduler that dies holding the lock is
// replaced within a minute: its lease runs out at most DefaultLease after
// its last renewal, and the others look every DefaultTick.
const (
	DefaultTick  = 15 * time.Second
	DefaultLease = 45 * time.Second
)

// housekeepEvery is how often the scheduler deletes expired sessions,
// uploads and login buckets (and
// once when it starts): often enough that they do not pile up, rarely
// enough that the delete costs nothing.
const housekeepEvery = time.Hour

// retentionEvery is how often the scheduler applies the retention period of
// personal data (spec/domain.md, "Retention": once a day).
const retentionEvery = 24 * time.Hour

// retentionActor names the scheduler in the audit trail of an erasure.
const retentionActor = "scheduler"

// maxCatchUp bounds the due times counted in one pass; a schedule down for
// longer than that many due times is caught up over a few passes instead.
const maxCatchUp = 1 << 20

// Scheduler runs every schedule that is due, in the foreground, until its
// context ends. Only the holder of the database's scheduler lock runs
// schedules, so a second scheduler on the same database waits. The holder
// also does the database's housekeeping: it deletes expired sessions, and it
// makes the scheduled backups.
type Scheduler struct {
	Runner
	Tick   time.Duration                        // time between passes; 0: DefaultTick
	Lease  time.Duration                        // how long the lock outlives a silent holder; 0: DefaultLease
	Holder string                               // names this scheduler in the lock; "": host:pid
	After  func(time.Duration) <-chan time.Time // waits between passes; nil: time.After (tests drive it)

	// The early warning's weekly training (train.go).
	TrainCron     string         // when to train; "": DefaultTrainCron
	TrainLocation *time.Location // the zone of TrainCron; nil: domain.Zone (Brussels)
	NoTrain       bool           // no weekly training

	badCron   map[string]string // schedules whose cron was logged as unreadable
	housekept time.Time         // when expired sessions were last deleted; zero: not yet
	retained  time.Time         // when retention was last applied; zero: not yet
}

func (s *Scheduler) tick() time.Duration {
	if s.Tick > 0 {
		return s.Tick
	}
	return DefaultTick
}

func (s *Scheduler) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return DefaultLease
}

func (s *Scheduler) holder() string {
	if s.Holder == "" {
		host, _ := os.Hostname()
		s.Holder = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	return s.Holder
}

func (s *Scheduler) after(d time.Duration) <-chan time.Time {
	if s.After != nil {
		return s.After(d)
	}
	return time.After(d)
}

// grace is how late a single due time may be handled and still count as on
// time (trigger cron) rather than caught up.
func (s *Scheduler) grace() time.Duration {
	return max(2*s.tick(), time.Minute)
}

// Run passes over the schedules at once and then every Tick, running those
// that are due, until ctx ends; then it releases the lock and returns nil.
// Failed runs are recorded and logged and do not stop it.
func (s *Scheduler) Run(ctx context.Context) error {
	holder := s.holder()
	log := s.log().With("holder", holder)
	defer func() {
		if err := s.DB.ReleaseSchedulerLock(context.WithoutCancel(ctx), holder); err != nil {
			log.Error("release scheduler lock", "err", err)
		}
	}()
	held, waiting := false, false
	for {
		ok, err := s.DB.AcquireSchedulerLock(ctx, holder, s.now(), s.lease())
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			log.Error("scheduler lock", "err", err)
		case !ok:
			if held || !waiting {
				attrs := []any{}
				if l, err := s.DB.FindSchedulerLock(ctx); err == nil {
					attrs = append(attrs, "other", l.Holder, "expires", l.ExpiresAt)
				}
				log.Warn("another scheduler holds the lock on this database; waiting", attrs...)
			}
			held, waiting = false, true
		default:
			if !held {
				log.Info("scheduler holds the lock; running due schedules", "tick", s.tick())
			}
			held, waiting = true, false
			s.heartbeatPass(ctx, holder)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.after(s.tick()):
		}
	}
}

// heartbeatPass runs one pass while renewing the lease, so that a long
// export does not let the lease lapse; if the lease is lost anyway the pass
// is cancelled, and the unfinished due time is left for the new holder.
func (s *Scheduler) heartbeatPass(ctx context.Context, holder string) {
	pass, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.lease() / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if ok, err := s.DB.AcquireSchedulerLock(pass, holder, s.now(), s.lease()); err == nil && !ok {
					s.log().Warn("scheduler lost its lock during a pass; stopping the pass", "holder", holder)
					cancel()
					return
				}
			}
		}
	}()
	defer close(done)
	s.housekeep(pass)
	s.retain(pass)
	if _, err := s.runDue(pass); err != nil && pass.Err() == nil {
		s.log().Error("scheduler pass", "err", err)
	}
	if _, err := s.backupDue(pass); err != nil && pass.Err() == nil {
		s.log().Error("scheduled backup", "err", err)
	}
	if _, err := s.trainDue(pass); err != nil && pass.Err() == nil {
		s.log().Error("scheduled risk training", "err", err)
	}
}

// Pass is what one pass of Once did: the workbook runs, and the backup
// and the risk training when they were due.
type Pass struct {
	Runs   []domain.Run
	Backup *domain.Run // the backup run; nil: no backup was due
	Train  *domain.Run // the risk training; nil: none was due
}

// Once takes the scheduler lock, deletes expired sessions, runs every
// schedule that is due now, makes the backup if it is due, and releases
// the lock; it is the scheduler's pass as a one-off command. Another
// scheduler holding the lock is ECONFLICT.
func (s *Scheduler) Once(ctx context.Context) (Pass, error) {
	holder := s.holder()
	ok, err := s.DB.AcquireSchedulerLock(ctx, holder, s.now(), s.lease())
	if err != nil {
		return Pass{}, err
	}
	if !ok {
		other := "another scheduler"
		if l, err := s.DB.FindSchedulerLock(ctx); err == nil {
			other = fmt.Sprintf("scheduler %s (until %s)", l.Holder, l.ExpiresAt.In(s.location()).Format(time.DateTime))
		}
		return Pass{}, domain.Errorf(domain.ECONFLICT, "%s holds the lock on this database", other)
	}
	defer s.DB.ReleaseSchedulerLock(context.WithoutCancel(ctx), holder)
	s.housekeep(ctx)
	var p Pass
	if p.Runs, err = s.runDue(ctx); err != nil {
		return p, err
	}
	if p.Backup, err = s.backupDue(ctx); err != nil {
		return p, err
	}
	p.Train, err = s.trainDue(ctx)
	return p, err
}

// housekeep deletes the sessions expired at the scheduler's now, at its
// first pass and then at most every housekeepEvery: nothing else deletes a
// session nobody signed out of. Only the lock holder does it, so several
// servers on one database do not repeat it. The delete is bookkeeping and
// leaves the data version (and so the dashboards' cache) alone. A failure
// is logged and tried again an hour later, not at every tick.
func (s *Scheduler) housekeep(ctx context.Context) {
	now := s.now()
	if !s.housekept.IsZero() && !now.Before(s.housekept) && now.Sub(s.housekept) < housekeepEvery {
		return
	}
	s.housekept = now
	for _, job := range []struct {
		what string
		run  func() (int, error)
	}{
		{"expired sessions", func() (int, error) { return s.DB.DeleteExpiredSessions(ctx, now) }},
		{"expired uploads", func() (int, error) { return s.DB.DeleteExpiredPendingUploads(ctx, now) }},
		// A bucket untouched for an hour has long filled up again.
		{"stale login buckets", func() (int, error) { return s.DB.DeleteStaleLoginBuckets(ctx, now.Add(-time.Hour)) }},
	} {
		n, err := job.run()
		switch {
		case err != nil && ctx.Err() == nil:
			s.log().Error("delete "+job.what, "err", err)
		case n > 0:
			s.log().Info("deleted "+job.what, "rows", n)
		}
	}
}

// retain applies the retention period of personal data (spec/domain.md,
// "Retention") at the scheduler's first pass and then once every
// retentionEvery, by the scheduler's clock: it erases the learners whose
// latest record is older than the stored period (nothing when it is off).
// The log says how many, never who. A failure is logged and tried again a
// day later.
func (s *Scheduler) retain(ctx context.Context) {
	now := s.now()
	if !s.retained.IsZero() && !now.Before(s.retained) && now.Sub(s.retained) < retentionEvery {
		return
	}
	s.retained = now
	n, err := s.DB.ApplyRetention(ctx, retentionActor, now)
	switch {
	case err != nil && ctx.Err() == nil:
		s.log().Error("apply retention", "erased", n, "err", err)
	case n > 0:
		s.log().Info("retention: erased learners whose latest record is older than the retention period", "learners", n)
	}
}

// runDue is one pass: each schedule that is not paused and has a due time
// after its last handled one, up to now, runs once; when several due times
// passed (Traject was down), or the only one is older than the grace, the
// run is a catch-up. The latest passed due time is then recorded, also after
// a failed run, so a failure is not retried every tick; only a run cut short
// by ctx (shutdown) leaves it, to be caught up at the next start.
func (s *Scheduler) runDue(ctx context.Context) ([]domain.Run, error) {
	now := s.now()
	list, err := s.DB.ListSchedules(ctx)
	if err != nil {
		return nil, err
	}
	var runs []domain.Run
	for _, sc := range list {
		if err := ctx.Err(); err != nil {
			return runs, err
		}
		if sc.Paused {
			continue
		}
		latest, count, ok := s.due(sc, now)
		if !ok || count == 0 {
			continue
		}
		trigger := domain.TriggerCron
		if count > 1 || now.Sub(latest) > s.grace() {
			trigger = domain.TriggerCatchUp
		}
		run, err := s.RunNow(ctx, sc.Name, trigger)
		if run.ID != 0 {
			runs = append(runs, run)
		}
		switch {
		case ctx.Err() != nil:
			return runs, ctx.Err()
		case err != nil && run.ID == 0:
			// Nothing was recorded (removed meanwhile, or the database failed):
			// leave the due time so that the next pass tries again.
			if domain.ErrorCode(err) != domain.ENOTFOUND {
				s.log().Error("scheduled run could not start", "schedule", sc.Name, "err", err)
			}
			continue
		case err != nil:
			s.log().Error("scheduled run failed", "schedule", sc.Name, "run", run.ID, "trigger", trigger, "err", err)
		}
		if err := s.DB.SetScheduleDue(ctx, sc.Name, latest); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			s.log().Error("record due time", "schedule", sc.Name, "err", err)
		}
	}
	return runs, nil
}

// due returns the latest due time of sc after its last handled one (or its
// creation) and not after now, and how many there were; ok is false for a
// cron expression that cannot be read (logged once per expression).
func (s *Scheduler) due(sc domain.Schedule, now time.Time) (latest time.Time, count int, ok bool) {
	cs, err := ParseCron(sc.Cron)
	if err != nil {
		if s.badCron == nil {
			s.badCron = map[string]string{}
		}
		if s.badCron[sc.Name] != sc.Cron {
			s.badCron[sc.Name] = sc.Cron
			s.log().Error("schedule skipped: unreadable cron expression", "schedule", sc.Name, "err", err)
		}
		return time.Time{}, 0, false
	}
	base := sc.LastDueAt
	if base.IsZero() {
		base = sc.CreatedAt
	}
	for next := cs.Next(base.In(s.location())); !next.IsZero() && !next.After(now) && count < maxCatchUp; next = cs.Next(next) {
		latest, count = next, count+1
	}
	return latest, count, true
}
