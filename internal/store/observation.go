package store

import (
	"context"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// Observations of wellbeing and involvement (spec/domain.md, "observation"):
// a teacher records them for a whole group on one date, from the group page.

// SaveObservations stores observations of learners in group in one
// transaction, recording each change in the audit trail as actor at now.
// It asks the rules the observation form asks first (one home each, in
// domain): the observation's own (Validate: scores from 1 to 5 and at
// least one), its context (CheckObservation: the learner enrolled in the
// group on the date) and that of an entry (CheckNotFuture). A broken rule
// is EINVALID (domain.Refuse) and stores nothing. An observation of the
// same learner, group and date replaces the stored one. It returns how
// many observations changed.
func (db *DB) SaveObservations(ctx context.Context, actor, group string, obs []domain.Observation, now time.Time) (int, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	gf, err := tx.findGroupFile(ctx, group, false)
	if err != nil {
		return 0, err
	}
	today := domain.DateOf(now)
	changed := 0
	for i := range obs {
		o := obs[i]
		o.Group = gf.Group.Code
		what := "observation " + o.Learner + "/" + o.Group + "/" + o.Date.String()
		var enr *domain.Enrollment
		if r := gf.Enrollment(o.Learner); r != nil {
			enr = &r.Enrollment
		}
		if err := domain.Refuse(what, domain.CheckObservationEntry(&o, enr, today)...); err != nil {
			return 0, err
		}
		n, err := tx.saveObservation(ctx, actor, &o, now)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	return changed, tx.Commit()
}

// saveObservation inserts or replaces one checked observation; it returns 1
// when something changed. An observation whose scores and note stay keeps
// its observer: who scored it is who it was.
func (tx *Tx) saveObservation(ctx context.Context, actor string, o *domain.Observation, now time.Time) (int, error) {
	changed, err := tx.saveRecord(ctx, actor, "observations", &domain.DataSet{Observations: []domain.Observation{*o}}, o.Learner, now,
		func(old *domain.DataSet) bool {
			x := old.Observations[0]
			return x.Wellbeing == o.Wellbeing && x.Involvement == o.Involvement && x.Note == o.Note
		})
	if !changed {
		return 0, err
	}
	return 1, err
}

// FindGroupObservations returns the observations of group, by learner and
// date. The caller checks that the user may see the group.
func (db *DB) FindGroupObservations(ctx context.Context, group string) ([]domain.Observation, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "observations", ds, "group_code = ?", "learner, date", group); err != nil {
		return nil, err
	}
	return ds.Observations, nil
}

// FindLearnerObservations returns the observations of learner in every
// group, by date. The caller checks that the user may see the learner.
func (db *DB) FindLearnerObservations(ctx context.Context, learner string) ([]domain.Observation, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "observations", ds, "learner = ?", "date, group_code", learner); err != nil {
		return nil, err
	}
	return ds.Observations, nil
}

// LastObservations returns, per learner, the latest of obs (sorted by date
// within each learner, as the Find… methods return them); with several on
// the latest date, the last of them.
func LastObservations(obs []domain.Observation) map[string]domain.Observation {
	out := make(map[string]domain.Observation, len(obs))
	for _, o := range obs {
		if last, ok := out[o.Learner]; !ok || o.Date >= last.Date {
			out[o.Learner] = o
		}
	}
	return out
}
