package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/traject-nt2/traject/internal/domain"
)

// EvaluationSave is one row of an evaluation grid to store.
type EvaluationSave struct {
	Evaluation domain.Evaluation // Group set; Evaluator the user who saves it
	// OrigDate is the date of the stored evaluation this row edits (same
	// learner, group and kind), 0 for a new one. A different Evaluation.Date
	// moves the evaluation to that date.
	OrigDate domain.Date
	Goals    []string // codes of the module's goals achieved
}

// evaluationRecord is an evaluation as the audit trail shows it.
func evaluationRecord(ev domain.Evaluation, goals []string) map[string]any {
	m := recordValues("evaluations", &domain.DataSet{Evaluations: []domain.Evaluation{ev}})
	if goals == nil {
		goals = []string{}
	}
	m["goals"] = goals
	return m
}

// recordValues returns the only record of entity in ds as column → value,
// the form in which the audit trail keeps before and after.
func recordValues(entity string, ds *domain.DataSet) map[string]any {
	t := tableFor(entity)
	vals := make([]any, len(t.cols))
	t.values(ds, 0, vals)
	m := make(map[string]any, len(vals))
	for i, c := range t.cols {
		m[c] = vals[i]
	}
	return m
}

// reader is what the read helpers need: the read pool or a transaction.
type reader interface {
	sqlx.QueryerContext
	Rebind(string) string
}

// selectInto appends to ds the records of entity that match where (SQL with
// '?' placeholders over the table's own columns), in the given order.
func selectInto(ctx context.Context, q reader, entity string, ds *domain.DataSet, where, order string, args ...any) error {
	t := tableFor(entity)
	query := "SELECT " + strings.Join(t.cols, ", ") + " FROM " + t.name + " WHERE " + where
	if order != "" {
		query += " ORDER BY " + order
	}
	rows, err := q.QueryContext(ctx, q.Rebind(query), args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", t.entity, err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(t.cols))
	dst := make([]any, len(t.cols))
	for i := range raw {
		dst[i] = &raw[i]
	}
	in := &interner{m: make(map[string]string, 16)} // a page's few rows: no need for newInterner's big map
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return fmt.Errorf("read %s: %w", t.entity, err)
		}
		if err := t.scanInto(ds, raw, in); err != nil {
			return fmt.Errorf("read %s: %w", t.entity, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", t.entity, err)
	}
	return nil
}

// evaluationKey is the natural key of an evaluation as text, for the audit trail.
func evaluationKey(ev *domain.Evaluation) string {
	return ev.Learner + "/" + ev.Group + "/" + ev.Date.String() + "/" + ev.Kind
}

// SaveEvaluations stores the rows of one evaluation grid of group in one
// transaction, each with its goals, and records every change in the audit
// trail as actor at now. It asks the rules the grid asks first (one home
// each, in domain): the evaluation's own (Validate), its context
// (CheckEvaluation: the learner enrolled in the group, the levels for
// skills the module evaluates) and those of an entry (CheckNotFuture,
// CheckEvaluationWindow, CheckEvaluationGoals). A broken rule is EINVALID
// (domain.Refuse) and stores nothing; a row whose stored evaluation
// changed or whose new date is taken is ECONFLICT. It returns how many
// evaluations changed.
func (db *DB) SaveEvaluations(ctx context.Context, actor, group string, rows []EvaluationSave, now time.Time) (int, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	gf, err := tx.findGroupFile(ctx, group, false)
	if err != nil {
		return 0, err
	}
	changed := 0
	for i := range rows {
		n, err := tx.saveEvaluation(ctx, actor, gf, &rows[i], now)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	return changed, tx.Commit()
}

// saveEvaluation checks and stores one row of a grid; it returns 1 when the
// row changed something.
func (tx *Tx) saveEvaluation(ctx context.Context, actor string, gf *GroupFile, row *EvaluationSave, now time.Time) (int, error) {
	ev := row.Evaluation
	ev.Group = gf.Group.Code
	what := "evaluation " + evaluationKey(&ev)
	goals := slices.Clone(row.Goals)
	slices.Sort(goals)
	goals = slices.Compact(goals)
	if err := domain.Refuse(what, checkEvaluationEntry(&ev, gf, goals, domain.DateOf(now))...); err != nil {
		return 0, err
	}
	lookup := ev.Date
	if row.OrigDate != 0 {
		lookup = row.OrigDate
	}
	old, oldGoals, err := tx.findEvaluation(ctx, ev.Learner, ev.Group, lookup, ev.Kind)
	switch {
	case err == nil:
	case domain.ErrorCode(err) == domain.ENOTFOUND && row.OrigDate == 0:
		old = nil
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		return 0, domain.Errorf(domain.ECONFLICT, "%s: the evaluation of %s was changed or removed meanwhile: reload the page", what, row.OrigDate)
	default:
		return 0, err
	}
	if old != nil && old.Date != ev.Date {
		if _, _, err := tx.findEvaluation(ctx, ev.Learner, ev.Group, ev.Date, ev.Kind); err == nil {
			return 0, domain.Errorf(domain.ECONFLICT, "%s: there is already an evaluation of this kind on %s", what, ev.Date)
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return 0, err
		}
	}
	after := evaluationRecord(ev, goals)
	vals := make([]any, len(tableFor("evaluations").cols))
	tableFor("evaluations").values(&domain.DataSet{Evaluations: []domain.Evaluation{ev}}, 0, vals)
	if old == nil {
		if _, err := tx.ExecContext(ctx, tx.Rebind(insertSQL(tableFor("evaluations"))), vals...); err != nil {
			return 0, fmt.Errorf("insert %s: %w", what, err)
		}
		if err := tx.setEvaluationGoals(ctx, &ev, 0, goals); err != nil {
			return 0, err
		}
		return 1, tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditCreate, Entity: "evaluations",
			Key: evaluationKey(&ev), Learner: ev.Learner, After: after})
	}
	before := evaluationRecord(*old, oldGoals)
	same := old.Date == ev.Date && old.Levels == ev.Levels && old.Decision == ev.Decision &&
		old.Feedback == ev.Feedback && slices.Equal(oldGoals, goals)
	if same {
		return 0, nil // the evaluator of an unchanged row stays who it was
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE evaluations SET date = ?, listening = ?, reading = ?,
		spoken_interaction = ?, spoken_production = ?, writing = ?, decision = ?, evaluator = ?, feedback = ?
		WHERE learner = ? AND group_code = ? AND date = ? AND kind = ?`),
		vals[2], vals[4], vals[5], vals[6], vals[7], vals[8], vals[9], vals[10], vals[11],
		ev.Learner, ev.Group, old.Date.String(), ev.Kind)
	if err != nil {
		return 0, fmt.Errorf("update %s: %w", what, err)
	}
	if err := tx.setEvaluationGoals(ctx, &ev, old.Date, goals); err != nil {
		return 0, err
	}
	return 1, tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "evaluations",
		Key: evaluationKey(&ev), Learner: ev.Learner, Before: before, After: after})
}

// checkEvaluationEntry is domain's check of a grid row of gf, as the grid
// asks it (ui/group.go).
func checkEvaluationEntry(ev *domain.Evaluation, gf *GroupFile, goals []string, today domain.Date) []domain.FieldError {
	x := domain.EvaluationEntry{Evaluation: ev, Group: &gf.Group, Module: &gf.Module, Goals: goals, ModuleGoals: gf.Goals}
	if r := gf.Enrollment(ev.Learner); r != nil {
		x.Enrollment = &r.Enrollment
	}
	return x.Check(today)
}

// findEvaluation reads the evaluation with this key and its goals, or ENOTFOUND.
func (tx *Tx) findEvaluation(ctx context.Context, learner, group string, date domain.Date, kind string) (*domain.Evaluation, []string, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "evaluations", ds, "learner = ? AND group_code = ? AND date = ? AND kind = ?", "",
		learner, group, date.String(), kind); err != nil {
		return nil, nil, err
	}
	if len(ds.Evaluations) == 0 {
		return nil, nil, notFound("evaluation", learner+"/"+group+"/"+date.String()+"/"+kind)
	}
	goals := []string{}
	if err := tx.SelectContext(ctx, &goals, tx.Rebind(`SELECT goal FROM evaluation_goals
		WHERE learner = ? AND group_code = ? AND date = ? AND kind = ? ORDER BY goal`), learner, group, date.String(), kind); err != nil {
		return nil, nil, fmt.Errorf("read evaluation goals: %w", err)
	}
	return &ds.Evaluations[0], goals, nil
}

// setEvaluationGoals replaces the goals of evaluation ev, which was stored
// under oldDate (0: ev.Date).
func (tx *Tx) setEvaluationGoals(ctx context.Context, ev *domain.Evaluation, oldDate domain.Date, goals []string) error {
	if oldDate == 0 {
		oldDate = ev.Date
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM evaluation_goals
		WHERE learner = ? AND group_code = ? AND date = ? AND kind = ?`), ev.Learner, ev.Group, oldDate.String(), ev.Kind); err != nil {
		return fmt.Errorf("replace evaluation goals: %w", err)
	}
	for _, g := range goals {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO evaluation_goals (learner, group_code, date, kind, goal)
			VALUES (?, ?, ?, ?, ?)`), ev.Learner, ev.Group, ev.Date.String(), ev.Kind, g); err != nil {
			return fmt.Errorf("store evaluation goal %s: %w", g, err)
		}
	}
	return nil
}

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
