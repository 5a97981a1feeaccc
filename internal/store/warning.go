package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// The counsellor's answers to the early warning (schema/
// 020_warning_actions.sql): each is stored with its audit entry, shown in
// the learner's history, counted on the validation page, and part of the
// learner's personal data (ExportLearner, EraseLearner, Copy).

// warningActionCols are the columns of warning_actions in table order, as
// the access export shows them.
var warningActionCols = []string{"id", "learner", "group_code", "estimate_day", "model_id", "action", "date", "note",
	"recorded_by", "recorded_at"}

type warningActionRow struct {
	ID          int64  `db:"id"`
	Learner     string `db:"learner"`
	Group       string `db:"group_code"`
	EstimateDay string `db:"estimate_day"`
	ModelID     int64  `db:"model_id"`
	Action      string `db:"action"`
	Date        string `db:"date"`
	Note        string `db:"note"`
	RecordedBy  string `db:"recorded_by"`
	RecordedAt  string `db:"recorded_at"`
}

func (r warningActionRow) action() (domain.WarningAction, error) {
	a := domain.WarningAction{ID: r.ID, Learner: r.Learner, Group: r.Group, ModelID: r.ModelID, Action: r.Action,
		Note: r.Note, RecordedBy: r.RecordedBy}
	var err error
	a.EstimateDay, err = scanPeriodDate(r.EstimateDay, err)
	a.Date, err = scanPeriodDate(r.Date, err)
	a.RecordedAt, err = parseTS(sql.NullString{String: r.RecordedAt, Valid: true}, "recorded_at", err)
	if err != nil {
		return a, fmt.Errorf("warning action %d: %w", r.ID, err)
	}
	return a, nil
}

// warningAfter is what the audit trail keeps of a warning action.
func warningAfter(a *domain.WarningAction) map[string]any {
	return map[string]any{"learner": a.Learner, "group": a.Group, "estimate_day": a.EstimateDay.String(),
		"model_id": a.ModelID, "action": a.Action, "date": a.Date.String(), "note": a.Note}
}

// SaveWarningAction stores what actor did about a warning, at now, with its
// audit entry, and returns its id. domain.CheckWarningActionEntry (which
// the web form asks first) says what is wrong; the learner must be enrolled
// in the group the warning named.
func (db *DB) SaveWarningAction(ctx context.Context, actor string, a domain.WarningAction, now time.Time) (int64, error) {
	what := "warning action " + a.Learner + "/" + a.Group + "/" + a.EstimateDay.String()
	if err := domain.Refuse(what, domain.CheckWarningActionEntry(&a, domain.DateOf(now))...); err != nil {
		return 0, err
	}
	if actor == "" {
		return 0, domain.Errorf(domain.EINVALID, "%s names no user", what)
	}
	// Bookkeeping: no cached figure or estimate reads warning actions, so
	// one of them does not drop the dashboards and estimates of the data.
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM enrollments WHERE learner = ? AND group_code = ?`),
		a.Learner, a.Group); err != nil {
		return 0, fmt.Errorf("save %s: %w", what, err)
	}
	if n == 0 {
		return 0, domain.Refuse(what, domain.FieldError{Field: "group", Message: "the learner is not enrolled in this group"})
	}
	var id int64
	if err := tx.GetContext(ctx, &id, tx.Rebind(`INSERT INTO warning_actions
		(learner, group_code, estimate_day, model_id, action, date, note, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		a.Learner, a.Group, a.EstimateDay.String(), a.ModelID, a.Action, a.Date.String(), a.Note, actor, ts(now)); err != nil {
		return 0, fmt.Errorf("save %s: %w", what, conflict(err))
	}
	key := fmt.Sprintf("%s/%s/%s/%d", a.Learner, a.Group, a.EstimateDay, id)
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditCreate, Entity: "warning_actions", Key: key,
		Learner: a.Learner, After: warningAfter(&a)}); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("save %s: %w", what, err)
	}
	return id, nil
}

// ListWarningActions returns the learner's warning actions, the latest
// first (by date, then as recorded).
func (db *DB) ListWarningActions(ctx context.Context, learner string) ([]domain.WarningAction, error) {
	return db.selectWarningActions(ctx, `learner = ?`, `date DESC, id DESC`, learner)
}

// WarningActionsBetween returns every warning action dated in [from, to],
// by learner, group and date: the validation page counts those of the
// learners its reader may see.
func (db *DB) WarningActionsBetween(ctx context.Context, from, to domain.Date) ([]domain.WarningAction, error) {
	return db.selectWarningActions(ctx, `date >= ? AND date <= ?`, `learner, group_code, date, id`, from.String(), to.String())
}

func (db *DB) selectWarningActions(ctx context.Context, where, order string, args ...any) ([]domain.WarningAction, error) {
	var rows []warningActionRow
	q := `SELECT id, learner, group_code, estimate_day, model_id, action, date, note, recorded_by, recorded_at
		FROM warning_actions WHERE ` + where + ` ORDER BY ` + order
	if err := db.read.SelectContext(ctx, &rows, db.read.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("list warning actions: %w", err)
	}
	out := make([]domain.WarningAction, 0, len(rows))
	for _, r := range rows {
		a, err := r.action()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// LearnerFlags returns the flags on asOf of the learners ids (as
// FindLearners gives them), for a page of learners chosen after a
// FindLearners with NoFlags: the list sorted by risk.
func (db *DB) LearnerFlags(ctx context.Context, ids []string, asOf domain.Date) (map[string][]signal.Flag, error) {
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("learner flags: %w", err)
	}
	defer tx.Rollback()
	return learnerFlags(ctx, tx, ids, asOf)
}
