package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// The counsellor's worklist (issue 20): every learner a user may see that
// matches a search, with their flags and the day each flag's situation
// began (flagColumn, the twin of signal.Index.Since), their status
// (statusColumn, the twin of signal.Index.Status), the groups they are in
// and their providers, the notice of goals past their target date (judged
// by signal.GoalsOverdue over the records it needs), and the flags' handling.
// It reads in one snapshot and a fixed number of statements, whatever the
// number of learners; the web layer sorts, counts, filters and pages.

// WorkItem is one learner on the worklist.
type WorkItem struct {
	LearnerSummary                     // with the flags on the day asked for
	Since          []domain.Date       // beside each of Flags, the day its situation began
	Status         string              // signal.StatusWaiting, StatusInCourse or StatusOutflowed
	Groups         []string            // the groups of the enrollments open on the day, sorted
	Providers      []string            // their providers' names; else the provider of the latest referral
	Goals          []signal.GoalNotice // goals past their target date without the level
	Handlings      []domain.FlagHandling
}

// WorklistQuery selects the learners of a worklist.
type WorklistQuery struct {
	Search string      // part of the name or learner number; "" for all
	AsOf   domain.Date // the day flags are judged on
}

// Worklist returns the learners u may see (LearnerFilter) that match q, in
// no particular order, with what the worklist shows of each on q.AsOf.
func (db *DB) Worklist(ctx context.Context, u *domain.User, q WorklistQuery) ([]WorkItem, error) {
	where, wargs := LearnerFilter(u)
	if s := strings.TrimSpace(q.Search); s != "" {
		like := db.dialect.like()
		where += ` AND (l.id ` + like + ` ? ESCAPE '\' OR l.last_name ` + like + ` ? ESCAPE '\' OR l.first_name ` + like + ` ? ESCAPE '\'
			OR (l.first_name || ' ' || l.last_name) ` + like + ` ? ESCAPE '\')`
		p := likePattern(s)
		wargs = append(wargs, p, p, p, p)
	}
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("worklist: %w", err)
	}
	defer tx.Rollback()
	day := q.AsOf
	status, sargs := statusColumn(day, flagParams)
	flags, fargs := flagColumns(day)
	args := slices.Concat(sargs, fargs, wargs)
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT l.id, l.first_name, l.last_name, l.counsellor, `+status+`, `+flags+`
		FROM learners l WHERE `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("worklist: %w", err)
	}
	var items []WorkItem
	at := map[string]int{}
	vals := make([]sql.NullString, len(signal.Kinds))
	for rows.Next() {
		var it WorkItem
		dst := []any{&it.ID, &it.FirstName, &it.LastName, &it.Counsellor, &it.Status}
		for i := range vals {
			dst = append(dst, &vals[i])
		}
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("worklist: %w", err)
		}
		if it.Flags, it.Since, err = readFlags(vals, day); err != nil {
			rows.Close()
			return nil, err
		}
		at[it.ID] = len(items)
		items = append(items, it)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("worklist: %w", err)
	}
	if len(items) == 0 {
		return items, nil
	}
	mine := `learner IN (SELECT l.id FROM learners l WHERE ` + where + `)`
	if err := worklistGroups(ctx, tx, mine, wargs, day, items, at); err != nil {
		return nil, err
	}
	if err := worklistGoals(ctx, tx, mine, wargs, day, items, at); err != nil {
		return nil, err
	}
	hs, err := selectHandlings(ctx, tx, mine, wargs...)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if i, ok := at[h.Learner]; ok {
			items[i].Handlings = append(items[i].Handlings, h)
		}
	}
	return items, nil
}

// worklistGroups fills in the groups of the enrollments open on day and
// their providers, or for a learner in none the provider of their latest
// referral on or before day.
func worklistGroups(ctx context.Context, tx reader, mine string, wargs []any, day domain.Date, items []WorkItem, at map[string]int) error {
	on := day.String()
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT e.learner, e.group_code, p.name FROM enrollments e
		JOIN course_groups g ON g.code = e.group_code JOIN modules m ON m.code = g.module JOIN providers p ON p.code = m.provider
		WHERE `+openEnrollmentSQL+` AND e.`+mine+`
		UNION ALL SELECT r.learner, '', p.name FROM referrals r JOIN providers p ON p.code = r.provider
		WHERE r.date <= ? AND r.`+mine+` AND NOT EXISTS (SELECT 1 FROM referrals r2 WHERE r2.learner = r.learner
			AND r2.provider IS NOT NULL AND r2.date > r.date AND r2.date <= ?)`),
		slices.Concat([]any{on, on, day.AddDays(-flagParams.GraceDays).String()}, wargs, []any{on}, wargs, []any{on})...)
	if err != nil {
		return fmt.Errorf("worklist groups: %w", err)
	}
	defer rows.Close()
	referred := map[string][]string{}
	for rows.Next() {
		var learner, group, provider string
		if err := rows.Scan(&learner, &group, &provider); err != nil {
			return fmt.Errorf("worklist groups: %w", err)
		}
		it := &items[at[learner]]
		switch {
		case group == "":
			referred[learner] = append(referred[learner], provider)
			continue
		case !slices.Contains(it.Groups, group):
			it.Groups = append(it.Groups, group)
		}
		if !slices.Contains(it.Providers, provider) {
			it.Providers = append(it.Providers, provider)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("worklist groups: %w", err)
	}
	for i := range items {
		it := &items[i]
		if len(it.Providers) == 0 {
			for _, p := range referred[it.ID] {
				if !slices.Contains(it.Providers, p) {
					it.Providers = append(it.Providers, p)
				}
			}
		}
		slices.Sort(it.Groups)
		slices.Sort(it.Providers)
	}
	return nil
}

// worklistGoals fills in the notice of goals past their target date: the
// learners' goals whose target date lies before day, and the placements and
// evaluations of those learners, judged by signal.GoalsOverdue.
func worklistGoals(ctx context.Context, tx reader, mine string, wargs []any, day domain.Date, items []WorkItem, at map[string]int) error {
	ds := &domain.DataSet{}
	past := `target_date IS NOT NULL AND target_date < ? AND ` + mine
	if err := selectInto(ctx, tx, "learner_goals", ds, past, "learner, skill", append([]any{day.String()}, wargs...)...); err != nil {
		return err
	}
	if len(ds.LearnerGoals) == 0 {
		return nil
	}
	with := `learner IN (SELECT learner FROM learner_goals WHERE ` + past + `)`
	for _, entity := range []string{"placements", "evaluations"} {
		if err := selectInto(ctx, tx, entity, ds, with, "learner", append([]any{day.String()}, wargs...)...); err != nil {
			return err
		}
	}
	byLearner := func(n int, learner func(int) string) map[string][2]int {
		m := map[string][2]int{}
		for i := range n {
			r := m[learner(i)]
			if r[1] == 0 {
				r[0] = i
			}
			r[1] = i + 1
			m[learner(i)] = r
		}
		return m
	}
	goals := byLearner(len(ds.LearnerGoals), func(i int) string { return ds.LearnerGoals[i].Learner })
	pls := byLearner(len(ds.Placements), func(i int) string { return ds.Placements[i].Learner })
	evs := byLearner(len(ds.Evaluations), func(i int) string { return ds.Evaluations[i].Learner })
	for learner, g := range goals {
		p, e := pls[learner], evs[learner]
		if i, ok := at[learner]; ok {
			items[i].Goals = signal.GoalsOverdue(ds.LearnerGoals[g[0]:g[1]], ds.Placements[p[0]:p[1]], ds.Evaluations[e[0]:e[1]], day)
		}
	}
	return nil
}

// handlingCols are the columns of flag_handling, in the order selectHandlings reads them.
const handlingCols = `learner, kind, since, until, username, handled_at`

// selectHandlings returns the handlings that match where, by learner, kind and since.
func selectHandlings(ctx context.Context, q reader, where string, args ...any) ([]domain.FlagHandling, error) {
	rows, err := q.QueryContext(ctx, q.Rebind(`SELECT `+handlingCols+` FROM flag_handling WHERE `+where+
		` ORDER BY learner, kind, since`), args...)
	if err != nil {
		return nil, fmt.Errorf("read flag handling: %w", err)
	}
	defer rows.Close()
	var out []domain.FlagHandling
	for rows.Next() {
		var h domain.FlagHandling
		var since, at string
		var until sql.NullString
		if err := rows.Scan(&h.Learner, &h.Kind, &since, &until, &h.Username, &at); err != nil {
			return nil, fmt.Errorf("read flag handling: %w", err)
		}
		var ok bool
		if h.Since, ok = domain.ParseISO(since); !ok {
			return nil, fmt.Errorf("read flag handling: stored since %q is not YYYY-MM-DD", since)
		}
		if until.Valid {
			if h.Until, ok = domain.ParseISO(until.String); !ok {
				return nil, fmt.Errorf("read flag handling: stored until %q is not YYYY-MM-DD", until.String)
			}
		}
		if h.At, err = parseUTCText(at); err != nil {
			return nil, fmt.Errorf("read flag handling: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// FlagHandlings returns the handlings of learner's flags, by kind and since.
func (db *DB) FlagHandlings(ctx context.Context, learner string) ([]domain.FlagHandling, error) {
	return selectHandlings(ctx, db.read, "learner = ?", learner)
}

// handlingKey is a handling's key as the audit trail names it.
func handlingKey(learner, kind string, since domain.Date) string {
	return learner + "/" + kind + "/" + since.String()
}

// handlingValues is a handling as the audit trail holds it.
func handlingValues(h *domain.FlagHandling) map[string]any {
	m := map[string]any{"learner": h.Learner, "kind": h.Kind, "since": h.Since.String(), "until": nil}
	if h.Until != 0 {
		m["until"] = h.Until.String()
	}
	return m
}

// SaveFlagHandling stores a handling of a flag (new, or a change of the
// handling of the same situation) as actor at now, with its audit entry. A
// broken rule (domain.CheckFlagHandling) or an unknown learner is EINVALID.
// Handling a flag is bookkeeping: no cache of the data depends on it.
func (db *DB) SaveFlagHandling(ctx context.Context, actor string, h domain.FlagHandling, now time.Time) error {
	what := "flag handling " + handlingKey(h.Learner, h.Kind, h.Since)
	if err := domain.Refuse(what, domain.CheckFlagHandling(&h, domain.DateOf(now))...); err != nil {
		return err
	}
	h.Username, h.At = actor, now
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM learners WHERE id = ?`), h.Learner); err != nil {
		return fmt.Errorf("save %s: %w", what, err)
	}
	if n == 0 {
		return domain.Errorf(domain.EINVALID, "%s: no learner %q", what, h.Learner)
	}
	old, err := selectHandlings(ctx, tx, "learner = ? AND kind = ? AND since = ?", h.Learner, h.Kind, h.Since.String())
	if err != nil {
		return err
	}
	until := any(nil)
	if h.Until != 0 {
		until = h.Until.String()
	}
	entry := AuditEntry{At: now, Username: actor, Entity: "flag_handling", Key: handlingKey(h.Learner, h.Kind, h.Since),
		Learner: h.Learner, After: handlingValues(&h)}
	if len(old) == 0 {
		entry.Action = AuditCreate
		_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO flag_handling (`+handlingCols+`) VALUES (?, ?, ?, ?, ?, ?)`),
			h.Learner, h.Kind, h.Since.String(), until, actor, utcText(now))
	} else {
		entry.Action, entry.Before = AuditUpdate, handlingValues(&old[0])
		_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE flag_handling SET until = ?, username = ?, handled_at = ?
			WHERE learner = ? AND kind = ? AND since = ?`), until, actor, utcText(now), h.Learner, h.Kind, h.Since.String())
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", what, err)
	}
	if err := tx.Audit(ctx, entry); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteFlagHandling undoes the handling of learner's flag of kind whose
// situation began on since, as actor at now, with its audit entry: the flag
// shows again. A handling that does not exist is ENOTFOUND.
func (db *DB) DeleteFlagHandling(ctx context.Context, actor, learner, kind string, since domain.Date, now time.Time) error {
	tx, err := db.beginBookkeeping(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := selectHandlings(ctx, tx, "learner = ? AND kind = ? AND since = ?", learner, kind, since.String())
	if err != nil {
		return err
	}
	if len(old) == 0 {
		return notFound("flag handling", handlingKey(learner, kind, since))
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM flag_handling WHERE learner = ? AND kind = ? AND since = ?`),
		learner, kind, since.String()); err != nil {
		return fmt.Errorf("delete flag handling: %w", err)
	}
	if err := tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditDelete, Entity: "flag_handling",
		Key: handlingKey(learner, kind, since), Learner: learner, Before: handlingValues(&old[0])}); err != nil {
		return err
	}
	return tx.Commit()
}
