package store

import (
	"context"
	"fmt"

	"github.com/traject-nt2/traject/internal/domain"
)

// FindAgenda returns, in one read snapshot, what the teacher's start page
// (internal/agenda) reads about the groups u may see (GroupFilter) that run
// on some day from from to to: the groups, their modules, enrollments and
// learners, lessons and attendance, module-end evaluations and
// observations. A few queries whatever the number of groups: each table is
// read once, filtered by the same subquery of groups.
func (db *DB) FindAgenda(ctx context.Context, u *domain.User, from, to domain.Date) (*domain.DataSet, error) {
	where, args := GroupFilter(u)
	sub := `SELECT g.code FROM course_groups g WHERE ` + where + ` AND g.start_date <= ? AND g.end_date >= ?`
	args = append(args, to.String(), from.String())
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("find agenda: %w", err)
	}
	defer tx.Rollback()
	ds := &domain.DataSet{}
	for _, q := range []struct{ entity, where, order string }{
		{"groups", "code IN (" + sub + ")", "code"},
		{"modules", "code IN (SELECT g2.module FROM course_groups g2 WHERE g2.code IN (" + sub + "))", "code"},
		{"enrollments", "group_code IN (" + sub + ")", "group_code, learner"},
		{"learners", "id IN (SELECT e2.learner FROM enrollments e2 WHERE e2.group_code IN (" + sub + "))", "last_name, first_name, id"},
		{"lessons", "group_code IN (" + sub + ")", "group_code, date"},
		{"attendance", "group_code IN (" + sub + ")", "group_code, date, learner"},
		{"evaluations", "kind = 'module_end' AND group_code IN (" + sub + ")", "group_code, learner, date"},
		{"observations", "group_code IN (" + sub + ")", "group_code, learner, date"},
	} {
		if err := selectInto(ctx, tx, q.entity, ds, q.where, q.order, args...); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// FindLessons returns up to limit lessons of group on or after from, by date.
func (db *DB) FindLessons(ctx context.Context, group string, from domain.Date, limit int) ([]domain.Lesson, error) {
	ds := &domain.DataSet{}
	if err := selectInto(ctx, db.read, "lessons", ds, "group_code = ? AND date >= ?", "date", group, from.String()); err != nil {
		return nil, err
	}
	if len(ds.Lessons) > limit {
		ds.Lessons = ds.Lessons[:limit]
	}
	return ds.Lessons, nil
}
