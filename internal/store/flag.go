package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// The counsellor's flags in the store. The rule is signal's (spec/
// early-warning.md, "The counsellor's flags on a day"): the learner page
// shows signal.Index.Flags over the learner's own records. The learner list
// selects, pages and shows flags over every learner the user may see, on
// 100,000 learners, without reading their records into Go: for it,
// flagCondition and flagColumn are the rule's SQL twin, held to signal on
// every learner, kind and day of generated data sets by
// TestFlagSQLAgreesWithSignal. Change one, change the other.

// flagParams are the parameters the pages judge the flags with.
var flagParams = signal.DefaultParams()

// lastBefore returns the last day d with d.AddMonths(n) < x (AddMonths is
// monotonic, so those days form a prefix of the calendar). The twin
// compares record dates with such days because adding months clamps
// (spec/indicators.md, "Adding months"), which SQL's date arithmetic does not.
func lastBefore(x domain.Date, n int) domain.Date {
	d := x.AddMonths(-n)
	for d.AddDays(1).AddMonths(n) < x {
		d = d.AddDays(1)
	}
	for d.AddMonths(n) >= x {
		d = d.AddDays(-1)
	}
	return d
}

// openEnrollmentSQL is signal.OpenOn over the alias e of enrollments, with
// its group's end: started on or before the day, not ended by it, and the
// day no later than the group's end plus grace_days. Arguments: the day,
// the day, the day minus grace_days.
const openEnrollmentSQL = `e.start_date <= ? AND (e.end_date IS NULL OR e.end_date > ?)
	AND EXISTS (SELECT 1 FROM course_groups eg WHERE eg.code = e.group_code AND eg.end_date >= ?)`

// waitingSQL is signal.Index.Waiting over the alias r of referrals: dated on
// or before the day, no enrollment starting in [referral, day], no outflow
// in (referral, day]. Arguments: the day three times.
const waitingSQL = `r.date <= ? AND NOT EXISTS (SELECT 1 FROM enrollments we WHERE we.learner = r.learner
	AND we.start_date >= r.date AND we.start_date <= ?)
	AND NOT EXISTS (SELECT 1 FROM outflows wo WHERE wo.learner = r.learner AND wo.date > r.date AND wo.date <= ?)`

// waitingReferralSQL is the condition on the alias r of referrals, and its
// arguments, of a referral of l that raises kind (Overdue or DeadlineSoon)
// on day: still waiting (waitingSQL), its deadline before the day
// (signal.Index.overdue) or in [day, day + SoonDays]
// (signal.Index.deadlineSoon).
func waitingReferralSQL(kind string, day domain.Date, p signal.Params) (string, []any) {
	on := day.String()
	if kind == signal.Overdue {
		return `r.learner = l.id AND r.date <= ? AND ` + waitingSQL, []any{lastBefore(day, p.StatutoryMonths).String(), on, on, on}
	}
	return `r.learner = l.id AND r.date > ? AND r.date <= ? AND ` + waitingSQL,
		[]any{lastBefore(day, p.StatutoryMonths).String(), lastBefore(day.AddDays(p.SoonDays+1), p.StatutoryMonths).String(), on, on, on}
}

// outflowRaisingSQL is the condition on the alias o of outflows, and its
// arguments, of an outflow of l that raises kind (NoReason or NoFollowUp)
// on day: signal.Index.noReason with signal.ReasonUnknown, or
// signal.Index.noFollowUp (outflow + 6 months ≤ day ≤ outflow + 12 months,
// no follow-up in (outflow, day], no enrollment starting in (outflow, day]).
func outflowRaisingSQL(kind string, day domain.Date, p signal.Params) (string, []any) {
	on := day.String()
	if kind == signal.NoReason {
		return `o.learner = l.id AND o.type = 'early_leaver' AND o.reason = 'unknown' AND o.date <= ?`, []any{on}
	}
	return `o.learner = l.id AND o.date > ? AND o.date <= ?
			AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.learner = o.learner AND f.date > o.date AND f.date <= ?)
			AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.learner = o.learner AND e.start_date > o.date AND e.start_date <= ?)`,
		[]any{lastBefore(day, p.FollowupMonths).String(), lastBefore(day.AddDays(1), p.FollowUpDueMonths).String(), on, on}
}

// flagCondition returns the SQL condition on the alias l of learners that
// holds when the learner has a flag of kind on day, and its arguments; each
// branch names the function of signal it twins. An unknown kind holds for
// nobody.
func flagCondition(kind string, day domain.Date, p signal.Params) (string, []any) {
	on := day.String()
	open := func() []any { return []any{on, on, day.AddDays(-p.GraceDays).String()} }
	switch kind {
	case signal.Overdue, signal.DeadlineSoon:
		where, args := waitingReferralSQL(kind, day, p)
		return `EXISTS (SELECT 1 FROM referrals r WHERE ` + where + `)`, args
	case signal.NoPlacement: // signal.Index.noPlacement; the rarer half first, which SQLite then asks first
		return `(NOT EXISTS (SELECT 1 FROM placements p WHERE p.learner = l.id AND p.date <= ?)
			AND EXISTS (SELECT 1 FROM enrollments e WHERE e.learner = l.id AND ` + openEnrollmentSQL + `))`, append([]any{on}, open()...)
	case signal.NoEvaluation: // signal.Index.noEvaluation
		since := day.AddDays(-p.IdleDays).String()
		return `(EXISTS (SELECT 1 FROM enrollments e WHERE e.learner = l.id AND e.start_date <= ? AND ` + openEnrollmentSQL + `)
			AND NOT EXISTS (SELECT 1 FROM evaluations v WHERE v.learner = l.id AND v.date > ? AND v.date <= ?))`,
			append(append([]any{since}, open()...), since, on)
	case signal.NoReason, signal.NoFollowUp:
		where, args := outflowRaisingSQL(kind, day, p)
		return `EXISTS (SELECT 1 FROM outflows o WHERE ` + where + `)`, args
	case signal.LowWellbeing: // signal.Index.lowWellbeing
		return `(EXISTS (SELECT 1 FROM enrollments e WHERE e.learner = l.id AND ` + openEnrollmentSQL + `)
			AND (` + lowScoreSQL("wellbeing") + ` OR ` + lowScoreSQL("involvement") + `))`,
			append(open(), int64(p.LowScore), on, on, int64(p.LowScore), on, on)
	}
	return nothing, nil
}

// flagColumn returns a column of a select from the alias l of learners,
// and its arguments, that is not NULL when the learner has a flag of kind
// on day, and then holds the day its situation began (signal.Index.Since,
// whose twin it is): for Overdue and DeadlineSoon the date of the earliest
// referral that raises it, whose deadline also gives the flag's days.
func flagColumn(kind string, day domain.Date, p signal.Params) (string, []any) {
	on := day.String()
	open := []any{on, on, day.AddDays(-p.GraceDays).String()}
	cond, cargs := flagCondition(kind, day, p)
	switch kind {
	case signal.Overdue, signal.DeadlineSoon:
		where, args := waitingReferralSQL(kind, day, p)
		return `(SELECT MIN(r.date) FROM referrals r WHERE ` + where + `)`, args
	case signal.NoReason, signal.NoFollowUp:
		where, args := outflowRaisingSQL(kind, day, p)
		return `(SELECT MIN(o.date) FROM outflows o WHERE ` + where + `)`, args
	case signal.NoPlacement:
		return `CASE WHEN ` + cond + ` THEN (SELECT MIN(e.start_date) FROM enrollments e WHERE e.learner = l.id AND ` +
			openEnrollmentSQL + `) END`, append(cargs, open...)
	case signal.NoEvaluation:
		return `CASE WHEN ` + cond + ` THEN COALESCE((SELECT MAX(v.date) FROM evaluations v WHERE v.learner = l.id AND v.date <= ?),
			(SELECT MIN(e.start_date) FROM enrollments e WHERE e.learner = l.id AND e.start_date <= ? AND ` + openEnrollmentSQL + `)) END`,
			append(append(cargs, on, day.AddDays(-p.IdleDays).String()), open...)
	case signal.LowWellbeing:
		return `CASE WHEN ` + cond + ` THEN (SELECT MAX(ob.date) FROM observations ob WHERE ob.learner = l.id AND ob.date <= ?
			AND (ob.wellbeing IS NOT NULL OR ob.involvement IS NOT NULL)) END`, append(cargs, on)
	}
	return `CASE WHEN ` + cond + ` THEN 'x' END`, cargs
}

// statusColumn returns a column of a select from the alias l of learners,
// and its arguments, that holds the learner's status on day: the SQL twin
// of signal.Index.Status, held to it by TestWorklistAgreesWithSignal.
func statusColumn(day domain.Date, p signal.Params) (string, []any) {
	on := day.String()
	return `CASE WHEN EXISTS (SELECT 1 FROM enrollments e WHERE e.learner = l.id AND ` + openEnrollmentSQL + `) THEN '` + signal.StatusInCourse + `'
		WHEN EXISTS (SELECT 1 FROM outflows so WHERE so.learner = l.id AND so.date <= ?
			AND NOT EXISTS (SELECT 1 FROM enrollments se WHERE se.learner = so.learner AND se.start_date > so.date AND se.start_date <= ?)
			AND NOT EXISTS (SELECT 1 FROM referrals sr WHERE sr.learner = so.learner AND sr.date > so.date AND sr.date <= ?))
		THEN '` + signal.StatusOutflowed + `' ELSE '` + signal.StatusWaiting + `' END`,
		[]any{on, on, day.AddDays(-p.GraceDays).String(), on, on, on}
}

// lowScoreSQL is the condition that the learner's last observation scoring
// col (wellbeing or involvement) on or before the day, in any group, scored
// at most the first argument; with several on that date, one of them did,
// so the lowest of the day did. Arguments: the low score, the day, the day.
func lowScoreSQL(col string) string {
	return `EXISTS (SELECT 1 FROM observations ob WHERE ob.learner = l.id AND ob.` + col + ` <= ? AND ob.date <= ?
			AND NOT EXISTS (SELECT 1 FROM observations ob2 WHERE ob2.learner = ob.learner AND ob2.` + col + ` IS NOT NULL
				AND ob2.date > ob.date AND ob2.date <= ?))`
}

// learnerFlags returns the flags of the learners ids on day, by the SQL
// twin in one statement (a row per learner, a column per kind); a learner
// without a flag is absent.
func learnerFlags(ctx context.Context, q reader, ids []string, day domain.Date) (map[string][]signal.Flag, error) {
	out := map[string][]signal.Flag{}
	if len(ids) == 0 {
		return out, nil
	}
	cols, args := flagColumns(day)
	for _, id := range ids {
		args = append(args, id)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	rows, err := q.QueryContext(ctx, q.Rebind(`SELECT l.id, `+cols+` FROM learners l WHERE l.id IN `+in), args...)
	if err != nil {
		return nil, fmt.Errorf("learner flags: %w", err)
	}
	defer rows.Close()
	vals := make([]sql.NullString, len(signal.Kinds))
	var id string
	dst := []any{&id}
	for i := range vals {
		dst = append(dst, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("learner flags: %w", err)
		}
		fs, _, err := readFlags(vals, day)
		if err != nil {
			return nil, err
		}
		if fs != nil {
			out[id] = fs
		}
	}
	return out, rows.Err()
}

// flagColumns returns the columns of flagColumn for every kind, in the
// order of signal.Kinds, and their arguments.
func flagColumns(day domain.Date) (string, []any) {
	var cols []string
	var args []any
	for _, kind := range signal.Kinds {
		col, cargs := flagColumn(kind, day, flagParams)
		cols = append(cols, col)
		args = append(args, cargs...)
	}
	return strings.Join(cols, ", "), args
}

// readFlags returns the flags that the columns of flagColumns raise on day,
// and beside each the day its situation began.
func readFlags(vals []sql.NullString, day domain.Date) ([]signal.Flag, []domain.Date, error) {
	var fs []signal.Flag
	var since []domain.Date
	for i, kind := range signal.Kinds {
		if !vals[i].Valid {
			continue
		}
		date, ok := domain.ParseISO(vals[i].String)
		if !ok {
			return nil, nil, fmt.Errorf("learner flags: stored date %q of %s is not YYYY-MM-DD", vals[i].String, kind)
		}
		f := signal.Flag{Kind: kind}
		if kind == signal.Overdue || kind == signal.DeadlineSoon {
			f.Days = signal.Days(kind, flagParams.Deadline(&domain.Referral{Date: date}), day)
		}
		fs = append(fs, f)
		since = append(since, date)
	}
	return fs, since, nil
}

// flags returns the learner's flags on day, the day each one's situation
// began, and the goals past their target date without the level, judged by
// signal over the records of the file itself.
func (f *LearnerFile) flags(day domain.Date) ([]signal.Flag, []domain.Date, []signal.GoalNotice) {
	ds := &domain.DataSet{Referrals: f.Referrals, Placements: f.Placements, Evaluations: f.Evaluations,
		Outflows: f.Outflows, FollowUps: f.FollowUps, Observations: f.Observations}
	for _, e := range f.Enrollments {
		ds.Enrollments = append(ds.Enrollments, e.Enrollment)
		ds.Groups = append(ds.Groups, domain.Group{Code: e.Group, EndDate: e.GroupEnd})
	}
	x := signal.NewIndex(ds)
	fs := x.Flags(f.Learner.ID, day, flagParams)
	var since []domain.Date
	for _, fl := range fs {
		since = append(since, x.Since(f.Learner.ID, fl.Kind, day, flagParams))
	}
	return fs, since, signal.GoalsOverdue(f.Goals, f.Placements, f.Evaluations, day)
}
