package importer

import (
	"context"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/interchange"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testkit"
)

const conformance = "../../testdata/conformance"

// newDB is a migrated, empty database of the test run's backend.
func newDB(t *testing.T) *store.DB {
	t.Helper()
	return testkit.Migrated(t)
}

func totals(counts []store.UpsertCount) (ins, upd, same int) {
	for _, c := range counts {
		ins, upd, same = ins+c.Inserted, upd+c.Updated, same+c.Unchanged
	}
	return
}

// TestImportThenAgain imports the conformance data set, then again: the
// second import finds every row unchanged.
func TestImportThenAgain(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	rep, err := Path(ctx, db, conformance, Options{})
	if err != nil || !rep.OK() {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	ins, upd, same := totals(rep.Counts)
	if ins == 0 || upd != 0 || same != 0 {
		t.Fatalf("first import: %d inserted, %d updated, %d unchanged", ins, upd, same)
	}
	rep, err = Path(ctx, db, conformance, Options{})
	if err != nil || !rep.OK() {
		t.Fatalf("import again: %v %v", err, rep.Errors)
	}
	if i2, u2, s2 := totals(rep.Counts); i2 != 0 || u2 != 0 || s2 != ins {
		t.Fatalf("second import: %d inserted, %d updated, %d unchanged; want 0, 0, %d", i2, u2, s2, ins)
	}
}

// TestDryRunAndErrorsStoreNothing checks all or nothing: a dry run and an
// import with an error leave the database as it was.
func TestDryRunAndErrorsStoreNothing(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	rep, err := Path(ctx, db, conformance, Options{DryRun: true})
	if err != nil || !rep.OK() {
		t.Fatalf("dry run: %v %v", err, rep.Errors)
	}
	if n := learners(t, db); n != 0 {
		t.Fatalf("a dry run stored %d learners", n)
	}
	rep, err = Path(ctx, db, "../../testdata/errors", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatal("the broken data set imported without errors")
	}
	if n := learners(t, db); n != 0 {
		t.Fatalf("an import with errors stored %d learners", n)
	}
}

// TestCoordinatorScope checks that a coordinator's import of another
// provider's rows is refused, row by row, and stores nothing.
func TestCoordinatorScope(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	batch, rowErrs, err := interchange.Read(conformance, nil)
	if err != nil || len(rowErrs) > 0 {
		t.Fatalf("read: %v %v", err, rowErrs)
	}
	u := &domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"CVO-A"}}
	rep, err := Batch(ctx, db, batch, nil, Options{User: u, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatal("a coordinator of CVO-A imported every provider's rows")
	}
	for _, e := range rep.Errors {
		if e.Pos.File == "" || e.Pos.Row == 0 || e.Message == "" {
			t.Errorf("an error without its place: %+v", e)
		}
	}
	if !containsMessage(rep.Errors, "providers.csv") {
		t.Errorf("no error names providers.csv: %v", rep.Errors)
	}
	if n := learners(t, db); n != 0 {
		t.Fatalf("a refused import stored %d learners", n)
	}
	admin := &domain.User{Username: "root", Role: domain.RoleAdmin}
	if rep, err := Batch(ctx, db, batch, nil, Options{User: admin}); err != nil || !rep.OK() {
		t.Fatalf("an admin's import: %v %v", err, rep.Errors)
	}
}

func containsMessage(errs []interchange.RowError, file string) bool {
	for _, e := range errs {
		if strings.HasPrefix(e.Pos.File, file) {
			return true
		}
	}
	return false
}

func learners(t *testing.T, db *store.DB) int {
	t.Helper()
	stats, err := db.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.Entity == "learners" {
			return s.Rows
		}
	}
	return 0
}
