package store

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/testdb"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(migratedDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migratedDSN is a new database with the current schema: a copy of one
// migrated once per test binary (testkit.MigratedDSN, which imports this
// package, for store's own tests).
func migratedDSN(t *testing.T) string {
	t.Helper()
	return testdb.Copy(t, "store_migrated", func(dsn string) error {
		db, err := Open(dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Migrate(context.Background())
		return err
	})
}

func sample() *domain.DataSet {
	d := domain.MustDate
	years := 12
	lv := func(ls ...string) domain.Levels {
		out := domain.NoLevels
		for i, s := range ls {
			out[i], _ = domain.ParseLevel(s)
		}
		return out
	}
	return &domain.DataSet{
		Providers: []domain.Provider{{Code: "CVO-A", Name: "CVO A", Type: "cvo"}},
		Modules: []domain.Module{{Code: "CVO-A/1.1", Provider: "CVO-A", Name: "Module 1.1", Programme: "NT2 Richtgraad 1",
			EntryLevel: 0, TargetLevel: 2, Skills: domain.AllSkills, NominalHours: 120}},
		Goals: []domain.Goal{{Code: "G1", Module: "CVO-A/1.1", Skill: domain.Reading, Level: 2, Description: "Lezen", Source: "framework"},
			{Code: "G2", Skill: domain.Writing, Level: 2, Description: "Schrijven", Source: "provider"}},
		Learners: []domain.Learner{{ID: "L1", FirstName: "Amina", LastName: "El Idrissi", BirthDate: d("1980-02-29"), Gender: "f",
			SchoolingLevel: "higher", SchoolingYears: &years, Literacy: "literate_latin", LearningRoute: "standard",
			CivicStatus: "obliged", Perspective: "work", Counsellor: "c1"},
			{ID: "L2", FirstName: "Jan", LastName: "Peeters", BirthDate: d("1999-01-01"), Gender: "m",
				SchoolingLevel: "unknown", Literacy: "unknown", LearningRoute: "fast", CivicStatus: "none", Perspective: "unknown"}},
		LearnerGoals: []domain.LearnerGoal{{Learner: "L1", Skill: domain.Listening, TargetLevel: 4, SetDate: d("2025-01-01")}},
		Referrals:    []domain.Referral{{Learner: "L1", Date: d("2025-01-01"), Source: "agentschap", Provider: "CVO-A"}, {Learner: "L2", Date: d("2025-01-02"), Source: "self"}},
		Groups:       []domain.Group{{Code: "G001", Module: "CVO-A/1.1", StartDate: d("2025-02-01"), EndDate: d("2025-05-01"), PlannedHours: 120, Intensity: "standard"}},
		Placements:   []domain.Placement{{Learner: "L1", Date: d("2025-01-10"), Module: "CVO-A/1.1", Method: "test", Levels: lv("A0", "", "pre-A1")}},
		Enrollments: []domain.Enrollment{{Learner: "L1", Group: "G001", StartDate: d("2025-02-01"), EndDate: d("2025-05-01"), Status: "completed", HoursAttended: 100.5},
			{Learner: "L2", Group: "G001", StartDate: d("2025-02-01"), Status: "active", HoursAttended: 12}},
		Evaluations: []domain.Evaluation{{Learner: "L1", Group: "G001", Date: d("2025-04-30"), Kind: "module_end", Levels: lv("A1", "A1", "A1", "A1", "A1"), Decision: "pass", Feedback: "Goed; \"heel\" goed\nVerder zo."},
			{Learner: "L1", Date: d("2025-04-30"), Kind: "external_test", Levels: lv("A1"), Decision: "none"}},
		Certificates: []domain.Certificate{{Learner: "L1", Kind: "module", Module: "CVO-A/1.1", Date: d("2025-05-02"), Level: 2},
			{Learner: "L1", Kind: "external", Date: d("2025-06-01"), Level: domain.NoLevel}},
		Outflows:  []domain.Outflow{{Learner: "L1", Date: d("2025-05-02"), Type: "qualified", Destination: "work", Provider: "CVO-A"}},
		FollowUps: []domain.FollowUp{{Learner: "L1", Date: d("2025-11-02"), Status: "work"}},
	}
}

func upsert(t *testing.T, db *DB, ds *domain.DataSet) map[string]UpsertCount {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	counts, err := tx.Upsert(ctx, ds, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	out := map[string]UpsertCount{}
	for _, c := range counts {
		out[c.Entity] = c
	}
	return out
}

func TestUpsertRoundTripAndIdempotence(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	in := sample()
	first := upsert(t, db, in)
	if c := first["evaluations"]; c.Inserted != 2 || c.Updated != 0 || c.Unchanged != 0 {
		t.Fatalf("first import evaluations = %+v, want 2 inserted", c)
	}
	got, err := db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("loaded data set differs from stored:\n got %+v\nwant %+v", got, in)
	}
	second := upsert(t, db, in)
	for _, c := range second {
		if c.Inserted != 0 || c.Updated != 0 || c.Unchanged == 0 {
			t.Errorf("second import %s = %+v, want only unchanged", c.Entity, c)
		}
	}
	changed := sample()
	changed.Enrollments[1].HoursAttended = 14.25
	changed.Evaluations[1].Levels[domain.Listening] = 3 // the external test, NULL group in its key
	third := upsert(t, db, changed)
	if c := third["enrollments"]; c.Updated != 1 || c.Unchanged != 1 || c.Inserted != 0 {
		t.Errorf("enrollments = %+v, want 1 updated 1 unchanged", c)
	}
	if c := third["evaluations"]; c.Updated != 1 || c.Unchanged != 1 || c.Inserted != 0 {
		t.Errorf("evaluations = %+v, want 1 updated 1 unchanged", c)
	}
	got, err = db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, changed) {
		t.Fatalf("after update loaded %+v\nwant %+v", got.Evaluations, changed.Evaluations)
	}
	stats, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats[0].Entity != "providers" || stats[0].Rows != 1 || len(stats) != len(tables) || stats[len(stats)-1].Entity != "survey_responses" {
		t.Errorf("stats = %+v", stats)
	}
}

func TestForeignKeysAreEnforced(t *testing.T) {
	db := openTest(t)
	ds := sample()
	ds.Enrollments[0].Group = "NOPE"
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// A conflict (dialect.go, conflict), not an internal error, naming the
	// entity (and on SQLite the row; PostgreSQL's COPY sends rows in bulk).
	_, err = tx.Upsert(ctx, ds, nil)
	if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "enrollments") ||
		!strings.Contains(err.Error(), "refers to a record that does not exist") {
		t.Fatalf("upsert with unknown group: err = %v (code %q), want ECONFLICT naming the entity", err, domain.ErrorCode(err))
	}
}

func TestStaleSchemaIsRefused(t *testing.T) {
	db, err := Open(testdb.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	err = db.CheckSchema(ctx)
	if domain.ErrorCode(err) != domain.ESTALE || !strings.Contains(err.Error(), "traject migrate") {
		t.Fatalf("CheckSchema on new database = %v, want ESTALE naming traject migrate", err)
	}
	applied, err := db.Migrate(ctx)
	if err != nil || len(applied) == 0 {
		t.Fatalf("Migrate = %v, %v", applied, err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after migrate = %v", err)
	}
	again, err := db.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second Migrate applied %v, %v; want nothing", again, err)
	}

	// A database that got a migration numbered lower than its highest one
	// later (a branch merged after another) lacks it, and is refused too.
	for _, q := range []string{`DROP TABLE login_buckets`, `DROP TABLE pending_uploads`, `DELETE FROM schema_migrations WHERE version = 7`} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CheckSchema(ctx); domain.ErrorCode(err) != domain.ESTALE || !strings.Contains(err.Error(), "007_shared_state") {
		t.Fatalf("CheckSchema without migration 007 = %v, want ESTALE naming it", err)
	}
	if applied, err := db.Migrate(ctx); err != nil || len(applied) != 1 || applied[0] != "007_shared_state" {
		t.Fatalf("Migrate of the missing one applied %v, %v", applied, err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after migrating the missing one = %v", err)
	}
}

// TestReadSnapshot checks that a read transaction sees one snapshot of the
// database on both backends: a commit made after its first read does not
// show in its second. (PostgreSQL's default isolation would show it, so a
// page read in several statements could mix two versions.)
func TestReadSnapshot(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	tx, err := db.read.BeginTxx(ctx, db.dialect.snapshotOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	count := func() int {
		t.Helper()
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM providers`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if _, err := db.write.ExecContext(ctx, db.write.Rebind(`INSERT INTO providers (code, name, type) VALUES (?, ?, ?)`),
		"CVO-NEW", "CVO Nieuw", "cvo"); err != nil {
		t.Fatal(err)
	}
	if after := count(); after != before {
		t.Errorf("a read transaction saw a later commit: %d providers, then %d", before, after)
	}
}

// TestSQLiteFilesAreTheOwnersOnly: a new SQLite database, its WAL and
// shared-memory files and the folder Traject makes for it can be read by
// the account that runs Traject alone, as its backups are (issue 18): they
// hold personal data.
func TestSQLiteFilesAreTheOwnersOnly(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, which leaves new files readable by everyone
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "traject.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(name), err)
			continue
		}
		if got := fi.Mode() & (os.ModePerm | os.ModeDir); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(name), got, want)
		}
	}
}
