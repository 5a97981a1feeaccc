package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// LearnerSummary is a learner as a list shows it, with their flags.
type LearnerSummary struct {
	ID         string
	FirstName  string
	LastName   string
	Counsellor string
	Flags      []signal.Flag // on LearnerQuery.AsOf
}

// LearnerQuery selects a page of learners.
type LearnerQuery struct {
	Search string      // part of the name or learner number; "" for all
	Flag   string      // only learners with this kind of flag (signal.Kinds); "" for all
	AsOf   domain.Date // the day flags are judged on
	Offset int
	Limit  int // ≤ 0: DefaultPageSize
	// NoFlags leaves the flags out (LearnerFlags asks them for a page
	// chosen afterwards: the list sorted by risk).
	NoFlags bool
}

// LearnerPage is one page of the learners a user may see, and how many match.
type LearnerPage struct {
	Learners []LearnerSummary
	Total    int
}

// FindLearners returns the learners u may see (LearnerFilter) that match
// q, by name, with their flags as of q.AsOf. An unknown flag is EINVALID.
func (db *DB) FindLearners(ctx context.Context, u *domain.User, q LearnerQuery) (*LearnerPage, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultPageSize
	}
	if q.Flag != "" && !slices.Contains(signal.Kinds, q.Flag) {
		return nil, domain.Errorf(domain.EINVALID, "unknown flag %q", q.Flag)
	}
	where, args := LearnerFilter(u)
	if s := strings.TrimSpace(q.Search); s != "" {
		where += ` AND (l.id ` + db.dialect.like() + ` ? ESCAPE '\' OR l.last_name ` + db.dialect.like() + ` ? ESCAPE '\' OR l.first_name ` + db.dialect.like() + ` ? ESCAPE '\'
			OR (l.first_name || ' ' || l.last_name) ` + db.dialect.like() + ` ? ESCAPE '\')`
		p := likePattern(s)
		args = append(args, p, p, p, p)
	}
	if q.Flag != "" {
		cond, cargs := flagCondition(q.Flag, q.AsOf, flagParams)
		where += " AND " + cond
		args = append(args, cargs...)
	}
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("find learners: %w", err)
	}
	defer tx.Rollback()
	page := &LearnerPage{Learners: []LearnerSummary{}}
	if err := tx.GetContext(ctx, &page.Total, tx.Rebind(`SELECT COUNT(*) FROM learners l WHERE `+where), args...); err != nil {
		return nil, fmt.Errorf("count learners: %w", err)
	}
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT l.id, l.first_name, l.last_name, l.counsellor FROM learners l
		WHERE `+where+` ORDER BY l.last_name, l.first_name, l.id LIMIT ? OFFSET ?`), append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("find learners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s LearnerSummary
		if err := rows.Scan(&s.ID, &s.FirstName, &s.LastName, &s.Counsellor); err != nil {
			return nil, fmt.Errorf("find learners: %w", err)
		}
		page.Learners = append(page.Learners, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find learners: %w", err)
	}
	if q.NoFlags {
		return page, nil
	}
	ids := make([]string, len(page.Learners))
	for i, s := range page.Learners {
		ids[i] = s.ID
	}
	flags, err := learnerFlags(ctx, tx, ids, q.AsOf)
	if err != nil {
		return nil, err
	}
	for i := range page.Learners {
		page.Learners[i].Flags = flags[page.Learners[i].ID]
	}
	return page, nil
}

// LearnerFile is everything a learner page shows: the learner and their
// whole trajectory, by date.
type LearnerFile struct {
	Learner      domain.Learner
	Goals        []domain.LearnerGoal
	Referrals    []domain.Referral
	Placements   []domain.Placement
	Enrollments  []EnrollmentInfo
	Evaluations  []domain.Evaluation
	Certificates []domain.Certificate
	Outflows     []domain.Outflow
	FollowUps    []domain.FollowUp
	Observations []domain.Observation
	Links        []domain.LearnerLink
	Modules      map[string]string // module code → name, for the modules named above
	Providers    map[string]string // provider code → name, for every provider
	Flags        []signal.Flag     // on the day FindLearner was asked for
	FlagSince    []domain.Date     // beside each of Flags, the day its situation began (signal.Index.Since)
	GoalNotices  []signal.GoalNotice
	Handlings    []domain.FlagHandling // of the learner's flags, handled or snoozed on the worklist

	moduleProvider map[string]string // module code → provider code
}

// EnrollmentInfo is an enrollment with what the learner page shows of its group.
type EnrollmentInfo struct {
	domain.Enrollment
	Module       string
	Provider     string
	Teacher      string
	GroupStart   domain.Date
	GroupEnd     domain.Date
	PlannedHours int
}

// Facts returns what the permission rules need to know about the learner,
// from the file itself; its providers follow the one linking rule of
// domain.ProviderLinks.
func (f *LearnerFile) Facts() auth.LearnerFacts {
	lf := auth.LearnerFacts{ID: f.Learner.ID, Counsellor: f.Learner.Counsellor}
	ds := &domain.DataSet{Referrals: f.Referrals, Placements: f.Placements, Outflows: f.Outflows, LearnerLinks: f.Links}
	links := domain.ProviderLinks{Module: f.moduleProvider, Group: map[string]string{}}
	for _, e := range f.Enrollments {
		lf.Groups = append(lf.Groups, auth.GroupFacts{Code: e.Group, Teacher: e.Teacher, Provider: e.Provider})
		ds.Enrollments = append(ds.Enrollments, e.Enrollment)
		links.Group[e.Group] = e.Provider
	}
	lf.Providers = links.LearnerProviders(ds, nil)[f.Learner.ID]
	return lf
}

// learnerProviders returns the providers learner id is linked to, sorted,
// by the one rule of domain.ProviderLinks over the learner's referrals,
// placements, enrollments, outflows and links read through q; nil for a learner
// linked to none or who does not exist.
func learnerProviders(ctx context.Context, q reader, id string) ([]string, error) {
	ds := &domain.DataSet{}
	for _, entity := range []string{"referrals", "placements", "enrollments", "outflows", "learner_links"} {
		if err := selectInto(ctx, q, entity, ds, "learner = ?", "", id); err != nil {
			return nil, err
		}
	}
	links := domain.ProviderLinks{Module: map[string]string{}, Group: map[string]string{}}
	for _, r := range []struct {
		into  map[string]string
		query string
	}{
		{links.Module, `SELECT m.code, m.provider FROM modules m WHERE m.code IN (SELECT module FROM placements WHERE learner = ?)`},
		{links.Group, `SELECT g.code, m.provider FROM course_groups g JOIN modules m ON m.code = g.module
			WHERE g.code IN (SELECT group_code FROM enrollments WHERE learner = ?)`},
	} {
		rows, err := q.QueryContext(ctx, q.Rebind(r.query), id)
		if err != nil {
			return nil, fmt.Errorf("read the providers of learner: %w", err)
		}
		for rows.Next() {
			var code, provider string
			if err := rows.Scan(&code, &provider); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read the providers of learner: %w", err)
			}
			r.into[code] = provider
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read the providers of learner: %w", err)
		}
	}
	return links.LearnerProviders(ds, nil)[id], nil
}

// FindLearner returns the learner page of id in one read snapshot, with the
// flags as of asOf, or ENOTFOUND. The caller checks that the user may see it.
func (db *DB) FindLearner(ctx context.Context, id string, asOf domain.Date) (*LearnerFile, error) {
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("find learner: %w", err)
	}
	defer tx.Rollback()
	f, err := findLearnerFile(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	f.Flags, f.FlagSince, f.GoalNotices = f.flags(asOf)
	if f.Handlings, err = selectHandlings(ctx, tx, "learner = ?", id); err != nil {
		return nil, err
	}
	return f, nil
}

// findLearnerFile reads the learner page of id, without flags, in tx.
func findLearnerFile(ctx context.Context, tx *sqlx.Tx, id string) (*LearnerFile, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "learners", ds, "id = ?", "", id); err != nil {
		return nil, err
	}
	if len(ds.Learners) == 0 {
		return nil, notFound("learner", id)
	}
	for _, e := range []struct{ entity, order string }{
		{"learner_goals", "skill"}, {"referrals", "date"}, {"placements", "date, module"},
		{"evaluations", "date, kind"}, {"certificates", "date"}, {"outflows", "date"}, {"followups", "date"},
		{"observations", "date, group_code"}, {"learner_links", "provider"},
	} {
		if err := selectInto(ctx, tx, e.entity, ds, "learner = ?", e.order, id); err != nil {
			return nil, err
		}
	}
	f := &LearnerFile{Learner: ds.Learners[0], Goals: ds.LearnerGoals, Referrals: ds.Referrals, Placements: ds.Placements,
		Evaluations: ds.Evaluations, Certificates: ds.Certificates, Outflows: ds.Outflows, FollowUps: ds.FollowUps,
		Observations: ds.Observations, Links: ds.LearnerLinks, Modules: map[string]string{}, Providers: map[string]string{}, moduleProvider: map[string]string{}}
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT e.group_code, e.start_date, COALESCE(e.end_date, ''), e.status,
		e.hours_attended, g.module, m.provider, g.teacher, g.start_date, g.end_date, g.planned_hours
		FROM enrollments e JOIN course_groups g ON g.code = e.group_code JOIN modules m ON m.code = g.module
		WHERE e.learner = ? ORDER BY e.start_date, e.group_code`), id)
	if err != nil {
		return nil, fmt.Errorf("read enrollments of learner: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := EnrollmentInfo{Enrollment: domain.Enrollment{Learner: id}}
		var start, end, gstart, gend string
		if err := rows.Scan(&e.Group, &start, &end, &e.Status, &e.HoursAttended, &e.Module, &e.Provider, &e.Teacher,
			&gstart, &gend, &e.PlannedHours); err != nil {
			return nil, fmt.Errorf("read enrollments of learner: %w", err)
		}
		e.StartDate, _ = domain.ParseISO(start)
		e.EndDate, _ = domain.ParseISO(end)
		e.GroupStart, _ = domain.ParseISO(gstart)
		e.GroupEnd, _ = domain.ParseISO(gend)
		f.Enrollments = append(f.Enrollments, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read enrollments of learner: %w", err)
	}
	mrows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT code, name, provider FROM modules WHERE code IN (
		SELECT module FROM placements WHERE learner = ?
		UNION SELECT g.module FROM enrollments e JOIN course_groups g ON g.code = e.group_code WHERE e.learner = ?
		UNION SELECT module FROM certificates WHERE learner = ? AND module IS NOT NULL)`), id, id, id)
	if err != nil {
		return nil, fmt.Errorf("read modules of learner: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var code, name, provider string
		if err := mrows.Scan(&code, &name, &provider); err != nil {
			return nil, fmt.Errorf("read modules of learner: %w", err)
		}
		f.Modules[code], f.moduleProvider[code] = name, provider
	}
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("read modules of learner: %w", err)
	}
	prows, err := tx.QueryContext(ctx, `SELECT code, name FROM providers`)
	if err != nil {
		return nil, fmt.Errorf("read providers: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var code, name string
		if err := prows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("read providers: %w", err)
		}
		f.Providers[code] = name
	}
	if err := prows.Err(); err != nil {
		return nil, fmt.Errorf("read providers: %w", err)
	}
	return f, nil
}

// SaveLearnerGoal stores a learner's individual goal for one skill (a new
// one, or a change of the goal for that skill), recording it in the audit
// trail as actor at now. A broken rule (domain.CheckLearnerGoalEntry) or an
// unknown learner is EINVALID.
func (db *DB) SaveLearnerGoal(ctx context.Context, actor string, g domain.LearnerGoal, now time.Time) error {
	return db.saveLearnerRecord(ctx, actor, "learner_goals", &domain.DataSet{LearnerGoals: []domain.LearnerGoal{g}},
		g.Learner, domain.CheckLearnerGoalEntry(&g, domain.DateOf(now)), now, nil)
}

// SaveOutflow stores a learner's outflow (new, or a change of the outflow on
// that date), recording it in the audit trail as actor at now. A broken rule
// (domain.CheckOutflowEntry), an unknown learner or provider is EINVALID.
func (db *DB) SaveOutflow(ctx context.Context, actor string, o domain.Outflow, now time.Time) error {
	return db.saveLearnerRecord(ctx, actor, "outflows", &domain.DataSet{Outflows: []domain.Outflow{o}},
		o.Learner, domain.CheckOutflowEntry(&o, domain.DateOf(now)), now, nil)
}

// SaveOutflowEnding stores a learner's outflow as SaveOutflow does and, in
// the same transaction, ends the learner's open enrollments that it ends
// (domain.EndsEnrollment: active, started by the outflow's date, in a group
// of its provider) on its date with the status of its type
// (domain.EndEnrollment), each with its audit entry. It returns the
// enrollments it ended.
func (db *DB) SaveOutflowEnding(ctx context.Context, actor string, o domain.Outflow, now time.Time) ([]domain.Enrollment, error) {
	var ended []domain.Enrollment
	err := db.saveLearnerRecord(ctx, actor, "outflows", &domain.DataSet{Outflows: []domain.Outflow{o}},
		o.Learner, domain.CheckOutflowEntry(&o, domain.DateOf(now)), now, func(tx *Tx) error {
			var err error
			ended, err = tx.endEnrollments(ctx, actor, &o, now)
			return err
		})
	if err != nil {
		return nil, err
	}
	return ended, nil
}

// endEnrollments ends the open enrollments of o's learner that o ends.
func (tx *Tx) endEnrollments(ctx context.Context, actor string, o *domain.Outflow, now time.Time) ([]domain.Enrollment, error) {
	var groups []struct {
		Group    string `db:"group_code"`
		Provider string `db:"provider"`
	}
	if err := tx.SelectContext(ctx, &groups, tx.Rebind(`SELECT e.group_code, m.provider FROM enrollments e
		JOIN course_groups g ON g.code = e.group_code JOIN modules m ON m.code = g.module
		WHERE e.learner = ? AND e.status = 'active' ORDER BY e.group_code`), o.Learner); err != nil {
		return nil, fmt.Errorf("read the open enrollments of %s: %w", o.Learner, err)
	}
	var ended []domain.Enrollment
	for _, g := range groups {
		ds := &domain.DataSet{}
		if err := selectInto(ctx, tx, "enrollments", ds, "learner = ? AND group_code = ?", "", o.Learner, g.Group); err != nil {
			return nil, err
		}
		if len(ds.Enrollments) == 0 || !domain.EndsEnrollment(o, &ds.Enrollments[0], g.Provider) {
			continue
		}
		e := domain.EndEnrollment(o, ds.Enrollments[0])
		if err := domain.Refuse("enrollment "+e.Learner+"/"+e.Group, e.Validate()...); err != nil {
			return nil, err
		}
		if _, err := tx.saveRecord(ctx, actor, "enrollments", &domain.DataSet{Enrollments: []domain.Enrollment{e}}, o.Learner, now, nil); err != nil {
			return nil, err
		}
		ended = append(ended, e)
	}
	return ended, nil
}

// SaveFollowUp stores a learner's follow-up (new, or a change of the one on
// that date), recording it in the audit trail as actor at now. A broken rule
// (domain.CheckFollowUpEntry) or an unknown learner is EINVALID.
func (db *DB) SaveFollowUp(ctx context.Context, actor string, f domain.FollowUp, now time.Time) error {
	return db.saveLearnerRecord(ctx, actor, "followups", &domain.DataSet{FollowUps: []domain.FollowUp{f}},
		f.Learner, domain.CheckFollowUpEntry(&f, domain.DateOf(now)), now, nil)
}

// saveLearnerRecord upserts the one record of entity in ds on its natural key
// in a transaction of its own, with its audit entry; then, when set, runs
// and within the same transaction.
func (db *DB) saveLearnerRecord(ctx context.Context, actor, entity string, ds *domain.DataSet, learner string, errs []domain.FieldError, now time.Time,
	and func(tx *Tx) error) error {
	t := tableFor(entity)
	vals := make([]any, len(t.cols))
	t.values(ds, 0, vals)
	what := strings.TrimSuffix(entity, "s") + " " + keyText(t, vals)
	if err := domain.Refuse(what, errs...); err != nil {
		return err
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM learners WHERE id = ?`), learner); err != nil {
		return fmt.Errorf("save %s: %w", what, err)
	}
	if n == 0 {
		return domain.Errorf(domain.EINVALID, "%s: no learner %q", what, learner)
	}
	if len(ds.Outflows) > 0 && ds.Outflows[0].Provider != "" {
		if err := tx.checkProviders(ctx, []string{ds.Outflows[0].Provider}); err != nil {
			return err
		}
	}
	if _, err := tx.saveRecord(ctx, actor, entity, ds, learner, now, nil); err != nil {
		return err
	}
	if and != nil {
		if err := and(tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// saveRecord inserts the one record of entity in ds, or updates the stored
// record with its natural key, within tx and with its audit entry (learner
// names whose record it is). unchanged, when set, is asked whether the
// stored record may stay as it is; saveRecord then writes nothing and
// reports false.
func (tx *Tx) saveRecord(ctx context.Context, actor, entity string, ds *domain.DataSet, learner string, now time.Time,
	unchanged func(old *domain.DataSet) bool) (bool, error) {
	t := tableFor(entity)
	vals := make([]any, len(t.cols))
	t.values(ds, 0, vals)
	what := strings.TrimSuffix(entity, "s") + " " + keyText(t, vals)
	var where []string
	var keyArgs []any
	for _, k := range t.key {
		where = append(where, t.cols[k]+" = ?")
		keyArgs = append(keyArgs, vals[k])
	}
	old := &domain.DataSet{}
	if err := selectInto(ctx, tx, entity, old, strings.Join(where, " AND "), "", keyArgs...); err != nil {
		return false, err
	}
	after := recordValues(entity, ds)
	key := strings.Trim(strings.ReplaceAll(keyText(t, vals), ", ", "/"), "()")
	if t.count(old) == 0 {
		if _, err := tx.ExecContext(ctx, tx.Rebind(insertSQL(t)), vals...); err != nil {
			return false, fmt.Errorf("save %s: %w", what, err)
		}
		return true, tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditCreate, Entity: entity, Key: key,
			Learner: learner, After: after})
	}
	if unchanged != nil && unchanged(old) {
		return false, nil
	}
	before := recordValues(entity, old)
	if _, err := tx.ExecContext(ctx, tx.Rebind(updateSQL(t)), updateArgs(nil, t, vals)...); err != nil {
		return false, fmt.Errorf("save %s: %w", what, err)
	}
	return true, tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: entity, Key: key,
		Learner: learner, Before: before, After: after})
}

// BusiestCounsellor returns the counsellor (a user name) of the most
// learners, "" when no learner has one; the demo accounts use it.
func (db *DB) BusiestCounsellor(ctx context.Context) (string, error) {
	var name string
	err := db.read.GetContext(ctx, &name, `SELECT counsellor FROM learners WHERE counsellor <> ''
		GROUP BY counsellor ORDER BY COUNT(*) DESC, counsellor LIMIT 1`)
	if errNoRows(err) {
		return "", nil
	}
	return name, err
}
