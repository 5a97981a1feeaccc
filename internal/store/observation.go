package store

import (
	"context"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// Observations of wellbeing and involvement (spec/domain.md, "observation"):
// a teacher records them for a whole group on one date, from the group page.

// observationKey is the natural key of an observation as text, for the audit trail.
func observationKey(o *domain.Observation) string {
	return o.Learner + "/" + o.Group + "/" + o.Date.String()
}

// SaveObservations stores observations of learners in group in one
// transaction, recording each change in the audit trail as actor at now.
// It checks the rules of spec/domain.md again (the server checks them first,
// with messages per field): scores from 1 to 5 and at least one, the learner
// enrolled in the group on the date (domain.CheckObservation), and no date
// after today. A broken rule is EINVALID and stores nothing. An observation
// of the same learner, group and date replaces the stored one. It returns
// how many observations changed.
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
		what := "observation " + observationKey(&o)
		if errs := o.Validate(); len(errs) > 0 {
			return 0, domain.Errorf(domain.EINVALID, "%s: %s", what, errs[0])
		}
		if o.Date > today {
			return 0, domain.Errorf(domain.EINVALID, "%s: the date lies in the future", what)
		}
		var enr *domain.Enrollment
		if r := gf.Enrollment(o.Learner); r != nil {
			enr = &r.Enrollment
		}
		if fe := domain.CheckObservation(&o, enr); fe != nil {
			return 0, domain.Errorf(domain.EINVALID, "%s: %s", what, fe)
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
// when something changed.
func (tx *Tx) saveObservation(ctx context.Context, actor string, o *domain.Observation, now time.Time) (int, error) {
	what := "observation " + observationKey(o)
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "observations", ds, "learner = ? AND group_code = ? AND date = ?", "",
		o.Learner, o.Group, o.Date.String()); err != nil {
		return 0, err
	}
	t := tableFor("observations")
	vals := make([]any, len(t.cols))
	after := &domain.DataSet{Observations: []domain.Observation{*o}}
	t.values(after, 0, vals)
	entry := AuditEntry{At: now, Username: actor, Entity: "observations", Key: observationKey(o), Learner: o.Learner,
		After: recordValues("observations", after)}
	if len(ds.Observations) == 0 {
		if _, err := tx.ExecContext(ctx, tx.Rebind(insertSQL(t)), vals...); err != nil {
			return 0, fmt.Errorf("insert %s: %w", what, err)
		}
		entry.Action = AuditCreate
		return 1, tx.Audit(ctx, entry)
	}
	old := ds.Observations[0]
	if old.Wellbeing == o.Wellbeing && old.Involvement == o.Involvement && old.Note == o.Note {
		return 0, nil // the observer of an unchanged observation stays who it was
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE observations SET wellbeing = ?, involvement = ?, observer = ?, note = ?
		WHERE learner = ? AND group_code = ? AND date = ?`), vals[3], vals[4], vals[5], vals[6],
		o.Learner, o.Group, o.Date.String()); err != nil {
		return 0, fmt.Errorf("update %s: %w", what, err)
	}
	entry.Action, entry.Before = AuditUpdate, recordValues("observations", ds)
	return 1, tx.Audit(ctx, entry)
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
