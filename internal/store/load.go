package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// LoadOptions choose what LoadDataSetWith reads.
type LoadOptions struct {
	// Entities to read; all of them when empty.
	Entities []string
	// Slim leaves out the columns no indicator or check reads (names,
	// feedback, evaluator, certificate numbers…): they come back blank.
	Slim bool
}

// IndicatorEntities are the entities the indicators and the data-quality
// checks read (everything but goals and learner goals). The CLI, the web
// cache and the workbook load exactly these, so all compute from the same
// values.
var IndicatorEntities = []string{"providers", "modules", "learners", "learner_links", "referrals", "groups", "lessons", "placements",
	"enrollments", "attendance", "evaluations", "certificates", "outflows", "followups", "observations", "survey_responses"}

// LoadDataSet reads every record of the named entities (all of them when
// none are named) in one read transaction, so the result is one consistent
// snapshot even while an import writes.
func (db *DB) LoadDataSet(ctx context.Context, entities ...string) (*domain.DataSet, error) {
	return db.LoadDataSetWith(ctx, LoadOptions{Entities: entities})
}

// LoadDataSetWith reads records as LoadOptions say, as one consistent
// snapshot. Large loads read in two halves on two connections at once (the
// machine has cores to spare and SQLite reads in parallel under WAL); the
// data version is read before and after, and if a write committed in
// between the load is done again in one transaction.
func (db *DB) LoadDataSetWith(ctx context.Context, opt LoadOptions) (*domain.DataSet, error) {
	want := tables
	if len(opt.Entities) > 0 {
		want = nil
		for _, e := range opt.Entities {
			t := tableFor(e)
			if t == nil {
				return nil, fmt.Errorf("unknown entity %q", e)
			}
			want = append(want, t)
		}
	}
	var first, second []*table
	for _, t := range want {
		if t.entity == "evaluations" || t.entity == "placements" {
			first = append(first, t)
		} else {
			second = append(second, t)
		}
	}
	if len(first) > 0 && len(second) > 0 {
		before, err := db.DataVersion(ctx)
		if err != nil {
			return nil, err
		}
		ds := &domain.DataSet{}
		errc := make(chan error, 1)
		go func() { errc <- db.loadTables(ctx, first, ds, opt.Slim) }()
		err = db.loadTables(ctx, second, ds, opt.Slim) // each table fills its own slice of ds
		if err2 := <-errc; err == nil {
			err = err2
		}
		if err != nil {
			return nil, err
		}
		after, err := db.DataVersion(ctx)
		if err != nil {
			return nil, err
		}
		if after == before {
			return ds, nil
		}
	}
	ds := &domain.DataSet{}
	if err := db.loadTables(ctx, want, ds, opt.Slim); err != nil {
		return nil, err
	}
	return ds, nil
}

// loadTables reads tables into ds in one read transaction.
func (db *DB) loadTables(ctx context.Context, want []*table, ds *domain.DataSet, slim bool) error {
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	in := newInterner()
	for _, t := range want {
		if err := loadTable(ctx, tx.Tx, t, ds, in, slim); err != nil {
			return err
		}
	}
	return nil
}

func loadTable(ctx context.Context, tx *sql.Tx, t *table, ds *domain.DataSet, in *interner, slim bool) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t.name).Scan(&n); err != nil {
		return fmt.Errorf("count %s: %w", t.name, err)
	}
	reserve(ds, t.entity, n)
	cols := t.cols
	if slim && len(t.slim) > 0 {
		// NULL keeps each column at its place, so scanInto reads it as blank.
		cols = slices.Clone(t.cols)
		for _, i := range t.slim {
			cols[i] = "NULL"
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+t.name)
	if err != nil {
		return fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(t.cols))
	dst := make([]any, len(t.cols))
	for i := range raw {
		dst[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return fmt.Errorf("read %s: %w", t.name, err)
		}
		if err := t.scanInto(ds, raw, in); err != nil {
			return fmt.Errorf("read %s: %w", t.name, err)
		}
	}
	return rows.Err()
}

// reserve grows the slice of an entity to hold n records without copying.
func reserve(ds *domain.DataSet, entity string, n int) {
	if n == 0 {
		return // an empty table leaves its slice nil, as a data set read from files does
	}
	switch entity {
	case "learners":
		ds.Learners = make([]domain.Learner, 0, n)
	case "referrals":
		ds.Referrals = make([]domain.Referral, 0, n)
	case "placements":
		ds.Placements = make([]domain.Placement, 0, n)
	case "enrollments":
		ds.Enrollments = make([]domain.Enrollment, 0, n)
	case "lessons":
		ds.Lessons = make([]domain.Lesson, 0, n)
	case "attendance":
		ds.Attendance = make([]domain.Attendance, 0, n)
	case "evaluations":
		ds.Evaluations = make([]domain.Evaluation, 0, n)
	case "certificates":
		ds.Certificates = make([]domain.Certificate, 0, n)
	case "outflows":
		ds.Outflows = make([]domain.Outflow, 0, n)
	case "followups":
		ds.FollowUps = make([]domain.FollowUp, 0, n)
	case "observations":
		ds.Observations = make([]domain.Observation, 0, n)
	}
}
