// Package importer runs an import of an interchange data set into the store
// (spec/interchange.md, "Import semantics"): read, validate against the
// database, and upsert in one transaction, all or nothing. The CLI and the
// web upload share it.
package importer

import (
	"context"
	"fmt"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/store"
)

// Options control one import.
type Options struct {
	DryRun bool
	// User, when set, is who imports: a coordinator's rows must stay within
	// their providers (scope.go); an admin, or no user (the CLI), imports
	// anything.
	User *domain.User
	// Lang is the language of the scope messages ("nl" or "en").
	Lang string
	// Today is the day of the import (Brussels): the date of the links a
	// coordinator's import makes for the new learners it creates (scope.go).
	Today domain.Date
	// LinkProvider is the coordinator's provider the new learners of the
	// import are linked to; blank for a coordinator of one provider, whose
	// it is (scope.go).
	LinkProvider string
	// Progress, when set, is told what is happening on long imports.
	Progress func(stage, entity string, done, total int)
	// Profile, when set, reads other systems' files as it says
	// (spec/interchange.md, "mapping profiles") instead of the interchange
	// format.
	Profile *interchange.Profile
	// Limits bound what Path reads (interchange/limits.go); the zero value
	// is interchange.UploadLimits, the CLI passes CommandLimits.
	Limits interchange.Limits
}

// Report says what an import found and did.
type Report struct {
	Errors []interchange.RowError // every invalid row; nothing is stored when there is one
	Counts []store.UpsertCount    // per entity, what was (or with DryRun would be) written
	DryRun bool
	// Providers are the providers the import concerns, for the import
	// history (batchProviders).
	Providers []string
}

// OK reports whether the data set had no errors.
func (r *Report) OK() bool { return len(r.Errors) == 0 }

// Path imports the folder of CSV files or the .xlsx workbook at path; with
// opt.Profile, also a .zip or one CSV file, of another system's files.
func Path(ctx context.Context, db *store.DB, path string, opt Options) (*Report, error) {
	var progress func(string, int)
	if opt.Progress != nil {
		progress = func(entity string, rows int) { opt.Progress("read", entity, rows, 0) }
	}
	read := opt.Limits.Read
	if opt.Profile != nil {
		read = func(path string, progress func(string, int)) (*interchange.Batch, []interchange.RowError, error) {
			return opt.Limits.ReadProfile(path, opt.Profile, progress)
		}
	}
	batch, rowErrs, err := read(path, progress)
	if err != nil {
		return nil, err
	}
	return Batch(ctx, db, batch, rowErrs, opt)
}

// Batch validates and stores a data set that was already read; rowErrs are
// the errors found while reading it.
func Batch(ctx context.Context, db *store.DB, batch *interchange.Batch, rowErrs []interchange.RowError, opt Options) (*Report, error) {
	rep := &Report{DryRun: opt.DryRun, Errors: rowErrs, Providers: batchProviders(opt.User, batch)}
	register := len(batch.Lessons) > 0 || len(batch.Attendance) > 0 || len(batch.Enrollments) > 0
	known, err := Known(ctx, db, register || len(batch.Evaluations) > 0 || len(batch.Observations) > 0, register)
	if err != nil {
		return nil, err
	}
	if opt.User != nil {
		// A coordinator's rows are checked against their reach, and the rest
		// of the import sees only the learners they may name (scope.go).
		var scope []interchange.RowError
		scope, known, err = ScopeErrors(ctx, db, opt, batch, rowErrs, known)
		if err != nil {
			return nil, err
		}
		rep.Errors = append(rep.Errors, scope...)
	}
	rep.Errors = append(rep.Errors, interchange.Validate(batch, known)...)
	interchange.SortErrors(rep.Errors)
	if len(rep.Errors) > 0 {
		return rep, nil
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var progress func(string, int, int)
	if opt.Progress != nil {
		progress = func(entity string, done, total int) { opt.Progress("write", entity, done, total) }
	}
	rep.Counts, err = tx.Upsert(ctx, &batch.DataSet, progress)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if opt.DryRun {
		return rep, nil // the deferred Rollback discards every write
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	if err := db.Analyze(ctx, rep.Counts); err != nil {
		return rep, fmt.Errorf("the import is stored, but refreshing the database's statistics failed: %w", err)
	}
	return rep, nil
}

// DataSet stores a data set made in memory (the demo data) through the same
// validation as a file import; each record's position is its index.
func DataSet(ctx context.Context, db *store.DB, ds *domain.DataSet, opt Options) (*Report, error) {
	return Batch(ctx, db, interchange.NewBatch(ds), nil, opt)
}

// Known loads what rows of an import may reference from the database; with
// enrollments, also the stored enrollments (for evaluations, observations
// and attendance of a group, which need one: domain.CheckEvaluation,
// CheckObservation, CheckAttendance); with register, the stored lessons and
// attendance (for attendance, which lies on a lesson, and enrollments,
// whose given hours must match their register: domain.CheckRegisterTotal).
func Known(ctx context.Context, db *store.DB, enrollments, register bool) (*interchange.Known, error) {
	entities := []string{"providers", "modules", "learners", "groups"}
	if enrollments {
		entities = append(entities, "enrollments")
	}
	if register {
		entities = append(entities, "lessons", "attendance")
	}
	ds, err := db.LoadDataSet(ctx, entities...)
	if err != nil {
		return nil, err
	}
	k := &interchange.Known{
		Providers: make(map[string]bool, len(ds.Providers)),
		Modules:   make(map[string]*domain.Module, len(ds.Modules)),
		Groups:    make(map[string]*domain.Group, len(ds.Groups)),
		Learners:  make(map[string]domain.Date, len(ds.Learners)),
	}
	for _, p := range ds.Providers {
		k.Providers[p.Code] = true
	}
	for i := range ds.Modules {
		k.Modules[ds.Modules[i].Code] = &ds.Modules[i]
	}
	for i := range ds.Groups {
		k.Groups[ds.Groups[i].Code] = &ds.Groups[i]
	}
	for _, l := range ds.Learners {
		k.Learners[l.ID] = l.BirthDate
	}
	if enrollments {
		k.Enrollments = make(map[[2]string]domain.Enrollment, len(ds.Enrollments))
		for _, e := range ds.Enrollments {
			k.Enrollments[[2]string{e.Learner, e.Group}] = e
		}
	}
	if register {
		k.Lessons = make(map[interchange.LessonKey]float64, len(ds.Lessons))
		for _, l := range ds.Lessons {
			k.Lessons[interchange.LessonKey{Group: l.Group, Date: l.Date}] = l.Hours
		}
		k.Attendance = ds.Attendance
	}
	return k, nil
}
