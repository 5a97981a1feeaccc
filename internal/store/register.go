package store

import (
	"context"
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// The hours rule (spec/domain.md, "Hours from the register"): an enrollment
// with attendance records has hours_attended = the sum of their hours
// (domain.RegisterHours). Every write to the register — an import, demo
// data, a later web register — goes through Upsert, which keeps the totals
// in step in its own transaction (followRegister); traject copy moves
// registers and totals together, already in step.

// register is the attendance register of some groups as it will stand
// after a write: the stored lessons and records overlaid with those of the
// data set being written.
type register struct {
	lessons map[lessonKey]float64
	records map[[2]string][]domain.Attendance // (learner, group) → records
}

type lessonKey struct {
	group string
	date  domain.Date
}

func (r *register) lessonHours(group string, d domain.Date) float64 {
	return r.lessons[lessonKey{group, d}]
}

// hours returns the register total of an enrollment, ok false when it has
// no record.
func (r *register) hours(learner, group string) (float64, bool) {
	return domain.RegisterHours(r.records[[2]string{learner, group}], r.lessonHours)
}

// registerGroups are the groups whose enrollments' totals a write of ds may
// set or change: those of its lessons, records and enrollments.
func registerGroups(ds *domain.DataSet) []string {
	set := map[string]bool{}
	for i := range ds.Lessons {
		set[ds.Lessons[i].Group] = true
	}
	for i := range ds.Attendance {
		set[ds.Attendance[i].Group] = true
	}
	for i := range ds.Enrollments {
		set[ds.Enrollments[i].Group] = true
	}
	out := make([]string, 0, len(set))
	for g := range set {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

// selectGroups reads the rows of entity in groups (every row when there
// are many groups: one scan is then cheaper than many lookups).
func selectGroups(ctx context.Context, q reader, entity string, ds *domain.DataSet, groups []string) error {
	if len(groups) > 200 {
		return selectInto(ctx, q, entity, ds, "1 = 1", "")
	}
	for len(groups) > 0 {
		n := min(len(groups), 100)
		args := make([]any, n)
		for i := range args {
			args[i] = groups[i]
		}
		where := "group_code IN (?" + strings.Repeat(", ?", n-1) + ")"
		if err := selectInto(ctx, q, entity, ds, where, "", args...); err != nil {
			return err
		}
		groups = groups[n:]
	}
	return nil
}

// loadRegister reads the register of groups as it will stand once ds is
// written: stored lessons and records, with ds's in their place.
func (tx *Tx) loadRegister(ctx context.Context, groups []string, ds *domain.DataSet) (*register, error) {
	stored := &domain.DataSet{}
	if err := selectGroups(ctx, tx, "lessons", stored, groups); err != nil {
		return nil, err
	}
	if err := selectGroups(ctx, tx, "attendance", stored, groups); err != nil {
		return nil, err
	}
	r := &register{lessons: make(map[lessonKey]float64, len(stored.Lessons)+len(ds.Lessons)),
		records: map[[2]string][]domain.Attendance{}}
	for _, ls := range [][]domain.Lesson{stored.Lessons, ds.Lessons} {
		for i := range ls {
			r.lessons[lessonKey{ls[i].Group, ls[i].Date}] = ls[i].Hours
		}
	}
	type recKey struct {
		learner, group string
		date           domain.Date
	}
	all := map[recKey]domain.Attendance{}
	for _, as := range [][]domain.Attendance{stored.Attendance, ds.Attendance} {
		for _, a := range as {
			all[recKey{a.Learner, a.Group, a.Date}] = a
		}
	}
	for k, a := range all {
		r.records[[2]string{k.learner, k.group}] = append(r.records[[2]string{k.learner, k.group}], a)
	}
	for _, recs := range r.records { // a sum in date order, the same on every run
		slices.SortFunc(recs, func(a, b domain.Attendance) int { return int(a.Date - b.Date) })
	}
	return r, nil
}

// withRegisterTotals returns ds with each enrollment that has a register
// carrying the register's total (the import has refused a different
// one, interchange.Validate), and the register itself; ds itself is left
// alone. It returns ds and a nil register when ds writes to no register.
func (tx *Tx) withRegisterTotals(ctx context.Context, ds *domain.DataSet) (*domain.DataSet, *register, []string, error) {
	groups := registerGroups(ds)
	if len(groups) == 0 {
		return ds, nil, nil, nil
	}
	reg, err := tx.loadRegister(ctx, groups, ds)
	if err != nil {
		return nil, nil, nil, err
	}
	out := *ds
	out.Enrollments = slices.Clone(ds.Enrollments)
	for i := range out.Enrollments {
		e := &out.Enrollments[i]
		if h, ok := reg.hours(e.Learner, e.Group); ok {
			e.HoursAttended = h
		}
	}
	return &out, reg, groups, nil
}

// followRegister sets hours_attended of every stored enrollment in groups
// to its register's total where it has records and the total differs:
// the enrollments the data set did not carry itself, whose register it
// changed. Run after every table of the data set is written.
func (tx *Tx) followRegister(ctx context.Context, reg *register, groups []string) error {
	if len(reg.records) == 0 {
		return nil // no register in these groups: no total to follow
	}
	stored := &domain.DataSet{}
	if err := selectGroups(ctx, tx, "enrollments", stored, groups); err != nil {
		return err
	}
	var changed []domain.Enrollment
	for _, e := range stored.Enrollments {
		if h, ok := reg.hours(e.Learner, e.Group); ok && h != e.HoursAttended {
			e.HoursAttended = h
			changed = append(changed, e)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	_, err := tx.upsertTable(ctx, tableFor("enrollments"), &domain.DataSet{Enrollments: changed}, len(changed), nil)
	return err
}

// refuseRegisterTotal refuses hours typed in for enrollment e that has an
// attendance register with another total: the register is then the
// source of its hours.
func (tx *Tx) refuseRegisterTotal(ctx context.Context, e *domain.Enrollment, hours float64) error {
	reg, err := tx.loadRegister(ctx, []string{e.Group}, &domain.DataSet{})
	if err != nil {
		return err
	}
	if total, ok := reg.hours(e.Learner, e.Group); ok && !domain.SameHours(total, hours) {
		return domain.Invalid("rule.registerhours", e.Learner, e.Group, locale.Decimal(total))
	}
	return nil
}
