package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
)

// GroupSummary is a group as the list of groups shows it.
type GroupSummary struct {
	Code         string
	Module       string
	ModuleName   string
	Provider     string
	Teacher      string
	StartDate    domain.Date
	EndDate      domain.Date
	PlannedHours int
	Learners     int // enrollments of any status
	Active       int // active enrollments
}

// GroupQuery selects a page of groups.
type GroupQuery struct {
	Search string // part of the group code or module name; "" for all
	// Today, when set, puts the groups still running on it (planned end
	// on or after it) first.
	Today  domain.Date
	Offset int
	Limit  int // ≤ 0: DefaultPageSize
}

// DefaultPageSize is how many rows a list page holds when not told.
const DefaultPageSize = 50

// GroupPage is one page of the groups a user may see, and how many there are.
type GroupPage struct {
	Groups []GroupSummary
	Total  int
}

// FindGroups returns the groups u may see (GroupFilter) that match q, the
// latest first, and with q.Today those still running before those ended.
func (db *DB) FindGroups(ctx context.Context, u *domain.User, q GroupQuery) (*GroupPage, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultPageSize
	}
	where, args := GroupFilter(u)
	if s := strings.TrimSpace(q.Search); s != "" {
		where += ` AND (g.code ` + db.dialect.like() + ` ? ESCAPE '\' OR m.name ` + db.dialect.like() + ` ? ESCAPE '\')`
		p := likePattern(s)
		args = append(args, p, p)
	}
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("find groups: %w", err)
	}
	defer tx.Rollback()
	page := &GroupPage{Groups: []GroupSummary{}}
	from := ` FROM course_groups g JOIN modules m ON m.code = g.module WHERE ` + where
	if err := tx.GetContext(ctx, &page.Total, tx.Rebind(`SELECT COUNT(*)`+from), args...); err != nil {
		return nil, fmt.Errorf("count groups: %w", err)
	}
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT g.code, g.module, m.name, m.provider, g.teacher, g.start_date,
		g.end_date, g.planned_hours,
		(SELECT COUNT(*) FROM enrollments e WHERE e.group_code = g.code),
		(SELECT COUNT(*) FROM enrollments e WHERE e.group_code = g.code AND e.status = 'active')`+from+`
		ORDER BY CASE WHEN g.end_date >= ? THEN 0 ELSE 1 END, g.start_date DESC, g.code LIMIT ? OFFSET ?`),
		append(args, q.Today.String(), q.Limit, q.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("find groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s GroupSummary
		var start, end string
		if err := rows.Scan(&s.Code, &s.Module, &s.ModuleName, &s.Provider, &s.Teacher, &start, &end, &s.PlannedHours,
			&s.Learners, &s.Active); err != nil {
			return nil, fmt.Errorf("find groups: %w", err)
		}
		s.StartDate, _ = domain.ParseISO(start)
		s.EndDate, _ = domain.ParseISO(end)
		page.Groups = append(page.Groups, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find groups: %w", err)
	}
	return page, nil
}

// likePattern is s as a LIKE pattern that matches s anywhere, with LIKE's
// own wildcards escaped by '\'.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// GroupFile is everything a group page shows: the group, its module with the
// module's goals, and its roster with the evaluations in the group.
type GroupFile struct {
	Group       domain.Group
	Module      domain.Module
	Goals       []domain.Goal // the module's goals, by code
	Roster      []RosterEntry // by learner name
	Evaluations []GroupEvaluation
}

// RosterEntry is one learner's enrollment in a group.
type RosterEntry struct {
	FirstName  string
	LastName   string
	Enrollment domain.Enrollment
}

// GroupEvaluation is an evaluation in a group with the goals ticked on it.
type GroupEvaluation struct {
	domain.Evaluation
	Goals []string
}

// Enrollment returns the roster entry of learner, or nil.
func (f *GroupFile) Enrollment(learner string) *RosterEntry {
	for i := range f.Roster {
		if f.Roster[i].Enrollment.Learner == learner {
			return &f.Roster[i]
		}
	}
	return nil
}

// Facts returns what the permission rules need to know about the group.
func (f *GroupFile) Facts() auth.GroupFacts {
	return auth.GroupFacts{Code: f.Group.Code, Teacher: f.Group.Teacher, Provider: f.Module.Provider}
}

// FindGroup returns the group page of code in one read snapshot, or ENOTFOUND.
// The caller checks that the user may see the group.
func (db *DB) FindGroup(ctx context.Context, code string) (*GroupFile, error) {
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("find group: %w", err)
	}
	defer tx.Rollback()
	return findGroupFile(ctx, tx, code, true)
}

func (tx *Tx) findGroupFile(ctx context.Context, code string, evaluations bool) (*GroupFile, error) {
	return findGroupFile(ctx, tx, code, evaluations)
}

func findGroupFile(ctx context.Context, q reader, code string, evaluations bool) (*GroupFile, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, q, "groups", ds, "code = ?", "", code); err != nil {
		return nil, err
	}
	if len(ds.Groups) == 0 {
		return nil, notFound("group", code)
	}
	if err := selectInto(ctx, q, "modules", ds, "code = ?", "", ds.Groups[0].Module); err != nil {
		return nil, err
	}
	if len(ds.Modules) == 0 {
		return nil, notFound("module", ds.Groups[0].Module)
	}
	if err := selectInto(ctx, q, "goals", ds, "module = ?", "code", ds.Groups[0].Module); err != nil {
		return nil, err
	}
	f := &GroupFile{Group: ds.Groups[0], Module: ds.Modules[0], Goals: ds.Goals}
	rows, err := q.QueryContext(ctx, q.Rebind(`SELECT l.first_name, l.last_name, e.learner, e.start_date,
		COALESCE(e.end_date, ''), e.status, e.hours_attended
		FROM enrollments e JOIN learners l ON l.id = e.learner WHERE e.group_code = ?
		ORDER BY l.last_name, l.first_name, l.id`), code)
	if err != nil {
		return nil, fmt.Errorf("read roster of %s: %w", code, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r RosterEntry
		var start, end string
		if err := rows.Scan(&r.FirstName, &r.LastName, &r.Enrollment.Learner, &start, &end, &r.Enrollment.Status,
			&r.Enrollment.HoursAttended); err != nil {
			return nil, fmt.Errorf("read roster of %s: %w", code, err)
		}
		r.Enrollment.Group = code
		r.Enrollment.StartDate, _ = domain.ParseISO(start)
		r.Enrollment.EndDate, _ = domain.ParseISO(end)
		f.Roster = append(f.Roster, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read roster of %s: %w", code, err)
	}
	if !evaluations {
		return f, nil
	}
	ds.Evaluations = nil
	if err := selectInto(ctx, q, "evaluations", ds, "group_code = ?", "learner, date, kind", code); err != nil {
		return nil, err
	}
	type key struct {
		learner, date, kind string
	}
	goals := map[key][]string{}
	grows, err := q.QueryContext(ctx, q.Rebind(`SELECT learner, date, kind, goal FROM evaluation_goals
		WHERE group_code = ? ORDER BY goal`), code)
	if err != nil {
		return nil, fmt.Errorf("read evaluation goals of %s: %w", code, err)
	}
	defer grows.Close()
	for grows.Next() {
		var k key
		var g string
		if err := grows.Scan(&k.learner, &k.date, &k.kind, &g); err != nil {
			return nil, fmt.Errorf("read evaluation goals of %s: %w", code, err)
		}
		goals[k] = append(goals[k], g)
	}
	if err := grows.Err(); err != nil {
		return nil, fmt.Errorf("read evaluation goals of %s: %w", code, err)
	}
	for _, ev := range ds.Evaluations {
		gs := goals[key{ev.Learner, ev.Date.String(), ev.Kind}]
		if gs == nil {
			gs = []string{}
		}
		f.Evaluations = append(f.Evaluations, GroupEvaluation{Evaluation: ev, Goals: gs})
	}
	return f, nil
}

// SaveAttendance sets the hours attended of learners in group (learner id →
// hours) in one transaction, recording each change in the audit trail as
// actor at now. A learner not enrolled in the group, negative hours, or
// other hours than the enrollment's attendance register sums up to (its
// hours then come from the register: spec/domain.md, "Hours from the
// register") is EINVALID and stores nothing. It returns how many enrollments changed.
func (db *DB) SaveAttendance(ctx context.Context, actor, group string, hours map[string]float64, now time.Time) (int, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	learners := make([]string, 0, len(hours))
	for l := range hours {
		learners = append(learners, l)
	}
	slices.Sort(learners)
	changed := 0
	for _, learner := range learners {
		h := hours[learner]
		ds := &domain.DataSet{}
		if err := selectInto(ctx, tx, "enrollments", ds, "learner = ? AND group_code = ?", "", learner, group); err != nil {
			return 0, err
		}
		if len(ds.Enrollments) == 0 {
			return 0, domain.Errorf(domain.EINVALID, "learner %s is not enrolled in group %s", learner, group)
		}
		old := ds.Enrollments[0]
		if err := tx.refuseRegisterTotal(ctx, &old, h); err != nil {
			return 0, err
		}
		if old.HoursAttended == h {
			continue
		}
		if err := tx.setEnrollmentHours(ctx, actor, old, h, now); err != nil {
			return 0, err
		}
		changed++
	}
	return changed, tx.Commit()
}

// BusiestTeacher returns the teacher (a user name) of the most groups, "" when
// no group names one; the demo accounts use it.
func (db *DB) BusiestTeacher(ctx context.Context) (string, error) {
	var name string
	err := db.read.GetContext(ctx, &name, `SELECT teacher FROM course_groups WHERE teacher <> ''
		GROUP BY teacher ORDER BY COUNT(*) DESC, teacher LIMIT 1`)
	if errNoRows(err) {
		return "", nil
	}
	return name, err
}

// LargestProvider returns the provider with the most enrollments in its
// groups, "" when there is none; the demo accounts use it.
func (db *DB) LargestProvider(ctx context.Context) (string, error) {
	var code string
	err := db.read.GetContext(ctx, &code, `SELECT p.code FROM providers p
		LEFT JOIN modules m ON m.provider = p.code LEFT JOIN course_groups g ON g.module = m.code
		LEFT JOIN enrollments e ON e.group_code = g.code
		GROUP BY p.code ORDER BY COUNT(e.learner) DESC, p.code LIMIT 1`)
	if errNoRows(err) {
		return "", nil
	}
	return code, err
}
