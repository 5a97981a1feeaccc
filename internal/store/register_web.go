package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
)

// The teacher's register on the web (issue 21, point 2): a group's lessons
// planned in one step, a lesson's attendance written record by record, and
// the count of lessons still not registered on the groups page. Each write
// asks the domain's checks, records every change in the audit trail and
// keeps the hours rule (spec/domain.md, "Hours from the register") in its
// own transaction: an enrollment whose records change takes their total.

// GroupRegister is the attendance register of one group: its lessons by
// date and their records by date and learner.
type GroupRegister struct {
	Lessons    []domain.Lesson
	Attendance []domain.Attendance
}

// Lesson returns the lesson on d, or nil.
func (r *GroupRegister) Lesson(d domain.Date) *domain.Lesson {
	i, ok := slices.BinarySearchFunc(r.Lessons, d, func(l domain.Lesson, d domain.Date) int { return int(l.Date - d) })
	if !ok {
		return nil
	}
	return &r.Lessons[i]
}

// FindRegister returns the register of group in one read snapshot. The
// caller checks that the user may see the group.
func (db *DB) FindRegister(ctx context.Context, group string) (*GroupRegister, error) {
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("find register: %w", err)
	}
	defer tx.Rollback()
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "lessons", ds, "group_code = ?", "date", group); err != nil {
		return nil, err
	}
	if err := selectInto(ctx, tx, "attendance", ds, "group_code = ?", "date, learner", group); err != nil {
		return nil, err
	}
	return &GroupRegister{Lessons: ds.Lessons, Attendance: ds.Attendance}, nil
}

// SaveRegister writes the attendance records of learners at group's lesson
// on date, in one transaction, recording each change in the audit trail as
// actor at now. Every record passes the domain's checks of an entry first
// (CheckAttendanceEntry: a status, hours for late, at a planned lesson not
// after today, not above its hours, the learner enrolled that day); a broken
// rule is EINVALID and stores nothing. The enrollments whose records
// changed take their register's total in the same transaction (the hours
// rule), each change of hours audited too. It returns how many records
// changed.
func (db *DB) SaveRegister(ctx context.Context, actor, group string, date domain.Date, records []domain.Attendance, now time.Time) (int, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	gf, err := tx.findGroupFile(ctx, group, false)
	if err != nil {
		return 0, err
	}
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "lessons", ds, "group_code = ? AND date = ?", "", group, date.String()); err != nil {
		return 0, err
	}
	var lesson *domain.Lesson
	if len(ds.Lessons) > 0 {
		lesson = &ds.Lessons[0]
	}
	today := domain.DateOf(now.In(domain.Zone)) // the day of the classroom, in Brussels
	changed := 0
	var learners []string
	for i := range records {
		a := records[i]
		a.Group, a.Date = gf.Group.Code, date
		var enr *domain.Enrollment
		if r := gf.Enrollment(a.Learner); r != nil {
			enr = &r.Enrollment
		}
		what := "attendance " + a.Learner + "/" + a.Group + "/" + a.Date.String()
		if err := domain.Refuse(what, domain.CheckAttendanceEntry(&a, lesson, enr, today)...); err != nil {
			return 0, err
		}
		ok, err := tx.saveRecord(ctx, actor, "attendance", &domain.DataSet{Attendance: []domain.Attendance{a}}, a.Learner, now,
			func(old *domain.DataSet) bool {
				x := old.Attendance[0]
				return x.Status == a.Status && sameHoursPtr(x.Hours, a.Hours)
			})
		if err != nil {
			return 0, err
		}
		if ok {
			changed++
			learners = append(learners, a.Learner)
		}
	}
	if changed == 0 {
		return 0, nil // nothing written: no transaction to commit, no data version to move
	}
	reg, err := tx.loadRegister(ctx, []string{gf.Group.Code}, &domain.DataSet{})
	if err != nil {
		return 0, err
	}
	for _, l := range learners {
		old := gf.Enrollment(l).Enrollment
		if h, ok := reg.hours(l, gf.Group.Code); ok && h != old.HoursAttended {
			if err := tx.setEnrollmentHours(ctx, actor, old, h, now); err != nil {
				return 0, err
			}
			gf.Enrollment(l).Enrollment.HoursAttended = h // a learner written twice is compared with what is stored now
		}
	}
	return changed, tx.Commit()
}

func sameHoursPtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return domain.SameHours(*a, *b)
}

// setEnrollmentHours sets the hours_attended of stored enrollment old to
// h, with its audit entry: the one write of an enrollment's hours, typed
// in (SaveAttendance) or following its register (SaveRegister).
func (tx *Tx) setEnrollmentHours(ctx context.Context, actor string, old domain.Enrollment, h float64, now time.Time) error {
	upd := old
	upd.HoursAttended = h
	if errs := upd.Validate(); len(errs) > 0 {
		return domain.Errorf(domain.EINVALID, "enrollment %s/%s: %s", old.Learner, old.Group, errs[0])
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE enrollments SET hours_attended = ?
		WHERE learner = ? AND group_code = ?`), h, old.Learner, old.Group); err != nil {
		return fmt.Errorf("set hours of %s/%s: %w", old.Learner, old.Group, err)
	}
	return tx.Audit(ctx, AuditEntry{At: now, Username: actor, Action: AuditUpdate, Entity: "enrollments",
		Key: old.Learner + "/" + old.Group, Learner: old.Learner,
		Before: recordValues("enrollments", &domain.DataSet{Enrollments: []domain.Enrollment{old}}),
		After:  recordValues("enrollments", &domain.DataSet{Enrollments: []domain.Enrollment{upd}})})
}

// PlanLessons creates the lessons of plan (its Group a code; the stored
// group is read here) in one transaction, each recorded in the audit trail
// as actor at now. The plan passes the domain's checks first
// (LessonPlan.Check, and each lesson's own, Lesson.Validate and
// CheckLessonInGroup); a broken rule is EINVALID and stores nothing. Days
// that hold a lesson already are left as they are. It returns how many
// lessons it created.
func (db *DB) PlanLessons(ctx context.Context, actor string, plan domain.LessonPlan, now time.Time) (int, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ds := &domain.DataSet{}
	if err := selectInto(ctx, tx, "groups", ds, "code = ?", "", plan.Group.Code); err != nil {
		return 0, err
	}
	if len(ds.Groups) == 0 {
		return 0, notFound("group", plan.Group.Code)
	}
	plan.Group = &ds.Groups[0]
	if err := domain.Refuse("lesson plan of "+plan.Group.Code, plan.Check()...); err != nil {
		return 0, err
	}
	if err := selectInto(ctx, tx, "lessons", ds, "group_code = ?", "date", plan.Group.Code); err != nil {
		return 0, err
	}
	planned := make(map[domain.Date]bool, len(ds.Lessons))
	for _, l := range ds.Lessons {
		planned[l.Date] = true
	}
	lessons := plan.Lessons(func(d domain.Date) bool { return planned[d] })
	for i := range lessons {
		l := &lessons[i]
		what := "lesson " + l.Group + "/" + l.Date.String()
		if err := domain.Refuse(what, append(l.Validate(), domain.Collect(domain.CheckLessonInGroup(l, plan.Group))...)...); err != nil {
			return 0, err
		}
		if _, err := tx.saveRecord(ctx, actor, "lessons", &domain.DataSet{Lessons: []domain.Lesson{*l}}, "", now, nil); err != nil {
			return 0, err
		}
	}
	if len(lessons) == 0 {
		return 0, nil
	}
	return len(lessons), tx.Commit()
}

// UnregisteredLessons returns, per group of groups that has any, how many
// of its lessons before asOf are not registered: lessons without the
// record of a learner enrolled on their day. The rule's home is
// domain.Unregistered; this is its SQL twin, so that the groups page
// counts in the database instead of reading every record of its groups,
// held to the rule by an agreement test (register_web_test.go).
func (db *DB) UnregisteredLessons(ctx context.Context, groups []string, asOf domain.Date) (map[string]int, error) {
	out := map[string]int{}
	for len(groups) > 0 {
		n := min(len(groups), 100)
		args := make([]any, 0, n+1)
		for _, g := range groups[:n] {
			args = append(args, g)
		}
		args = append(args, asOf.String())
		rows, err := db.read.QueryContext(ctx, db.read.Rebind(`SELECT l.group_code, COUNT(*) FROM lessons l
			WHERE l.group_code IN (?`+strings.Repeat(", ?", n-1)+`) AND l.date < ?
			AND EXISTS (SELECT 1 FROM enrollments e WHERE e.group_code = l.group_code
				AND e.start_date <= l.date AND (e.end_date IS NULL OR e.end_date >= l.date)
				AND NOT EXISTS (SELECT 1 FROM attendance a
					WHERE a.learner = e.learner AND a.group_code = l.group_code AND a.date = l.date))
			GROUP BY l.group_code`), args...)
		if err != nil {
			return nil, fmt.Errorf("count unregistered lessons: %w", err)
		}
		for rows.Next() {
			var g string
			var c int
			if err := rows.Scan(&g, &c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("count unregistered lessons: %w", err)
			}
			out[g] = c
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("count unregistered lessons: %w", err)
		}
		groups = groups[n:]
	}
	return out, nil
}
