package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/testdb"
)

var riskWindows = []string{"--train-from", "2023-09-01", "--train-to", "2025-08-31", "--test-from", "2024-09-01", "--test-to", "2025-08-31"}

// demoDB returns a migrated database at path holding the demo data.
func demoDB(t *testing.T, path string) string {
	t.Helper()
	mustCLI(t, "migrate", "--db", path)
	mustCLI(t, "demo", "--db", path, "--learners", "1500", "--today", "2026-06-30", "--accounts=false")
	return path
}

// TestRiskValidateIsDeterministic: the same data and windows give
// byte-identical `risk validate` JSON twice, and on SQLite and PostgreSQL
// (when TRAJECT_TEST_POSTGRES is set).
func TestRiskValidateIsDeterministic(t *testing.T) {
	sqlite := demoDB(t, filepath.Join(t.TempDir(), "traject.db"))
	args := append([]string{"risk", "validate", "--db", sqlite}, riskWindows...)
	first := mustCLI(t, args...)
	if again := mustCLI(t, args...); again != first {
		t.Fatalf("two runs differ:\n%s\n%s", first, again)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(first), &r); err != nil {
		t.Fatalf("%v\n%s", err, first)
	}
	for _, k := range []string{"train", "test", "baseline", "by_learning_route", "by_gender", "features"} {
		if _, ok := r[k]; !ok {
			t.Errorf("no %q in\n%s", k, first)
		}
	}
	if n := r["test"].(map[string]any)["examples"].(float64); n == 0 {
		t.Errorf("no test examples in the demo data:\n%s", first)
	}
	if testdb.Postgres() {
		pg := demoDB(t, testdb.DSN(t))
		if other := mustCLI(t, append([]string{"risk", "validate", "--db", pg}, riskWindows...)...); other != first {
			t.Fatalf("PostgreSQL gives other figures:\n%s\nSQLite:\n%s", other, first)
		}
	}
}

func TestRiskAsOf(t *testing.T) {
	db := demoDB(t, testdb.DSN(t))
	out := mustCLI(t, "risk", "--db", db, "--as-of", "2026-03-02")
	var l struct {
		AsOf     string  `json:"as_of"`
		Provider *string `json:"provider"`
		Model    struct {
			TrainFrom  string         `json:"train_from"`
			Validation map[string]any `json:"validation"`
		} `json:"model"`
		Refused     map[string]any   `json:"refused"`
		Enrollments []map[string]any `json:"enrollments"`
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if l.AsOf != "2026-03-02" || l.Provider != nil || l.Model.TrainFrom != "2023-09-01" || l.Model.Validation["test_to"] != "2025-08-31" {
		t.Errorf("head of\n%.600s", out)
	}
	if l.Refused == nil && len(l.Enrollments) == 0 || l.Refused != nil && len(l.Enrollments) != 0 {
		t.Errorf("refused %v with %d enrollments", l.Refused, len(l.Enrollments))
	}
	for i, e := range l.Enrollments {
		if e["rank"].(float64) != float64(i+1) {
			t.Fatalf("enrollment %d: %v", i, e)
		}
	}
	table := mustCLI(t, "risk", "--db", db, "--as-of", "2026-03-02", "--format", "table")
	if !strings.Contains(table, "Inschatting vroegtijdige uitstroom op 2026-03-02") {
		t.Errorf("table:\n%.600s", table)
	}
}

func TestRiskBadInput(t *testing.T) {
	db := newDB(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"risk", "--db", db}, 2, "--as-of is required"},
		{[]string{"risk", "--db", db, "--as-of", "2026-02-30"}, 2, "--as-of"},
		{[]string{"risk", "--db", db, "--as-of", "2026-03-02", "--format", "xml"}, 2, `--format "xml"`},
		{[]string{"risk", "--db", db, "--as-of", "2026-03-02", "--provider", "NOPE"}, 1, `no provider "NOPE"`},
		{[]string{"risk", "validate", "--db", db, "--train-from", "2023-09-01"}, 2, "--train-to is required"},
		{append([]string{"risk", "validate", "--db", db}, "--train-from", "2024-09-01", "--train-to", "2025-08-31", "--test-from", "2024-09-01", "--test-to", "2025-08-31"), 2, "test window starts"},
	} {
		code, _, errOut := cli(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args[1:], code, errOut, c.code, c.want)
		}
	}
}

// TestRiskTrain: `risk train` stores the model of a day with its windows
// and validation; `risk --as-of` then estimates with the latest stored
// model trained on or before the day, exactly as learning again would,
// and names it; a day before any training is learned as before.
func TestRiskTrain(t *testing.T) {
	db := demoDB(t, testdb.DSN(t))
	asOf := []string{"risk", "--db", db, "--as-of", "2026-03-02"}
	fresh := mustCLI(t, asOf...)
	out := mustCLIAt(t, testNow, "risk", "train", "--db", db)
	for _, want := range []string{"risk model 1 (run ", "for the whole installation, trained for 2026-03-02",
		"learned on 2023-09-01 to 2025-08-31; validated on 2024-09-01 to 2025-08-31", "AUC 0.", "precision at 10 % 0."} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if stored := mustCLI(t, asOf...); stored != fresh {
		t.Errorf("the stored model estimates otherwise than learning again:\n%.500s\n%.500s", stored, fresh)
	}
	if table := mustCLI(t, append(asOf, "--format", "table")...); !strings.Contains(table, "Model 1 geleerd op 2023-09-01 tot 2025-08-31") {
		t.Errorf("table does not name the model:\n%.400s", table)
	}
	if table := mustCLI(t, "risk", "--db", db, "--as-of", "2026-03-01", "--format", "table"); !strings.Contains(table, "\nModel geleerd op") {
		t.Errorf("a day before the training:\n%.400s", table)
	}
	// The same day again: the same model (its id and run aside); a later
	// training is used from its day on.
	again := mustCLI(t, "risk", "train", "--db", db, "--as-of", "2026-03-02")
	strip := func(s string) string { _, rest, _ := strings.Cut(s, " for "); return rest }
	if !strings.HasPrefix(again, "risk model 2 ") || strip(again) != strip(out) {
		t.Errorf("training twice:\n%s\n%s", out, again)
	}
	mustCLI(t, "risk", "train", "--db", db, "--as-of", "2026-03-09")
	if table := mustCLI(t, "risk", "--db", db, "--as-of", "2026-03-16", "--format", "table"); !strings.Contains(table, "Model 3 geleerd") {
		t.Errorf("a week later:\n%.400s", table)
	}
	if table := mustCLI(t, append(asOf, "--format", "table")...); !strings.Contains(table, "Model 2 geleerd") {
		t.Errorf("the latest of the day:\n%.400s", table)
	}
	// Too little history: stored and said.
	if early := mustCLI(t, "risk", "train", "--db", db, "--as-of", "2024-01-08"); !strings.Contains(early, "refused (too_little_history)") {
		t.Errorf("two months of history:\n%s", early)
	}
	// --if-none (make run): the newest model refused, so it trains; then a
	// model that shows estimates is stored, so it does not.
	if out := mustCLIAt(t, testNow, "risk", "train", "--if-none", "--db", db); !strings.HasPrefix(out, "risk model 5 ") {
		t.Errorf("--if-none after a refused model:\n%s", out)
	}
	if out := mustCLIAt(t, testNow, "risk", "train", "--if-none", "--db", db); out != "risk model 5 is stored (trained for 2026-03-02); not trained again\n" {
		t.Errorf("--if-none with a model stored:\n%s", out)
	}
}

func TestRiskTrainBadInput(t *testing.T) {
	db := newDB(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"risk", "train", "--db", db, "--as-of", "2026-02-30"}, 2, "--as-of"},
		{[]string{"risk", "train", "--db", db, "--provider", "NOPE"}, 1, `no provider "NOPE"`},
		{[]string{"risk", "train", "--db", db, "extra"}, 2, "risk train takes no arguments"},
	} {
		code, _, errOut := cli(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args[1:], code, errOut, c.code, c.want)
		}
	}
}

// TestSchedulerTrainsWeekly: `scheduler --once` first notes the time, and
// after the next Monday 05:00 in Brussels trains the model once.
func TestSchedulerTrainsWeekly(t *testing.T) {
	db := newDB(t)
	wednesday := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	if out := mustCLIAt(t, wednesday, "scheduler", "--once", "--db", db); !strings.Contains(out, "no schedule is due") {
		t.Errorf("first look: %q", out)
	}
	monday := time.Date(2026, 3, 9, 4, 0, 30, 0, time.UTC) // 05:00:30 in Brussels
	if out := mustCLIAt(t, monday, "scheduler", "--once", "--db", db); !strings.Contains(out, "risk training 1 (cron): ok") {
		t.Errorf("Monday: %q", out)
	}
	if out := mustCLIAt(t, monday.Add(time.Hour), "scheduler", "--once", "--db", db); !strings.Contains(out, "no schedule is due") {
		t.Errorf("an hour later: %q", out)
	}
	if table := mustCLI(t, "risk", "--db", db, "--as-of", "2026-03-09", "--format", "table"); !strings.Contains(table, "Model 1 geleerd") {
		t.Errorf("after the scheduled training:\n%.400s", table)
	}
}

// TestRiskTrainIsDeterministic: the same data trained for the same day in
// two databases gives the same stored model, so the same estimates a week
// later: SQLite against PostgreSQL when TRAJECT_TEST_POSTGRES is set, two
// SQLite files otherwise.
func TestRiskTrainIsDeterministic(t *testing.T) {
	other := filepath.Join(t.TempDir(), "other.db")
	if testdb.Postgres() {
		other = testdb.DSN(t)
	}
	var outs []string
	for _, db := range []string{demoDB(t, filepath.Join(t.TempDir(), "traject.db")), demoDB(t, other)} {
		train := mustCLI(t, "risk", "train", "--db", db, "--as-of", "2026-03-02")
		outs = append(outs, train+mustCLI(t, "risk", "--db", db, "--as-of", "2026-03-09"))
	}
	if outs[0] != outs[1] {
		t.Errorf("the other database:\n%.600s\nSQLite:\n%.600s", outs[1], outs[0])
	}
}
