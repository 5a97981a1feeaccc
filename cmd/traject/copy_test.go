package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
	"github.com/traject-nt2/traject/internal/testkit"
)

// TestCopyThereAndBack copies a demo installation from a SQLite file into
// the test run's database (PostgreSQL in the PostgreSQL pass) and from
// there into a new SQLite file: the data exported, the indicators, the
// accounts, tokens, schedules and audit trail are the same all the way.
func TestCopyThereAndBack(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "src.db")
	mustCLI(t, "migrate", "--db", src)
	mustCLI(t, "demo", "--learners", "150", "--today", "2026-06-30", "--accounts=false", "--db", src)
	db, err := store.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("a long enough password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	made := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	if err := db.CreateUser(ctx, "test", domain.User{Username: "root", Role: domain.RoleAdmin, DisplayName: "Tom Claes",
		Email: "tom.claes@example.org"}, string(hash), made); err != nil {
		t.Fatal(err)
	}
	db.Close()
	mustCLI(t, "token", "create", "--username", "root", "--db", src)
	mustCLI(t, "schedule", "add", "maand", "--cron", "0 6 1 * *", "--period", "previous-month", "--out-dir", t.TempDir(), "--db", src)
	mustCLI(t, "risk", "train", "--as-of", "2026-03-02", "--db", src)

	mid := testdb.DSN(t)
	back := filepath.Join(t.TempDir(), "back.db")
	out := mustCLI(t, "copy", "--from", src, "--to", mid)
	if !strings.Contains(out, "copied ") {
		t.Fatalf("copy says %q", out)
	}
	mustCLI(t, "copy", "--from", mid, "--to", back)

	exportOf := func(dbPath string) map[string][]byte {
		dir := filepath.Join(t.TempDir(), "export")
		mustCLI(t, "export", "data", "--out", dir, "--db", dbPath)
		return readDir(t, dir)
	}
	want := exportOf(src)
	sameFiles(t, "export after copying there", exportOf(mid), want)
	sameFiles(t, "export after copying back", exportOf(back), want)

	indicators := func(dbPath string) string {
		return mustCLI(t, "indicators", "--from", "2025-09-01", "--to", "2026-06-30", "--format", "json", "--db", dbPath)
	}
	if a, b, c := indicators(src), indicators(mid), indicators(back); a != b || a != c {
		t.Error("the indicators differ between the copies")
	}
	if users := mustCLI(t, "user", "list", "--db", back); !strings.Contains(users, "Tom Claes") || !strings.Contains(users, "tom.claes@example.org") {
		t.Errorf("the account's name and e-mail address were not copied:\n%s", users)
	}
	for _, list := range [][]string{{"user", "list"}, {"token", "list"}, {"schedule", "list"}} {
		a := mustCLI(t, append(list, "--db", src)...)
		if b := mustCLI(t, append(list, "--db", back)...); a != b {
			t.Errorf("traject %s differs after the copy:\n%s\nwant\n%s", strings.Join(list, " "), b, a)
		}
	}
	// The early warning's stored model goes along, and names its training.
	riskTable := func(dbPath string) string {
		return mustCLI(t, "risk", "--as-of", "2026-03-02", "--format", "table", "--db", dbPath)
	}
	if a, b := riskTable(src), riskTable(back); a != b || !strings.Contains(a, "Model 1 geleerd") {
		t.Errorf("risk after the copy:\n%s\nwant\n%s", b, a)
	}
	if out := mustCLI(t, "risk", "train", "--as-of", "2026-03-09", "--db", mid); !strings.HasPrefix(out, "risk model 2 (run 2)") {
		t.Errorf("a training in the copy: %q", out)
	}
	trail := func(dbPath string) int { // users and tokens are audited
		db, err := store.Open(dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		n := 0
		for _, entity := range []string{"users", "api_tokens"} {
			rows, err := db.ListAuditOf(ctx, entity, 100)
			if err != nil {
				t.Fatal(err)
			}
			n += len(rows)
		}
		return n
	}
	if a, b := trail(src), trail(back); a == 0 || a != b {
		t.Errorf("audit entries of users and tokens: %d after the copy, want %d (and some)", b, a)
	}

	// The copy's ids continue where the source's stopped: a new token in
	// the copy is the second, not a clash with the first.
	mustCLI(t, "token", "create", "--username", "root", "--db", mid)
	if list := mustCLI(t, "token", "list", "--db", mid); strings.Count(list, "root") != 2 {
		t.Errorf("tokens in the copy after making one more:\n%s", list)
	}

	// A target that holds data is refused, and left as it was.
	code, _, errOut := cli(t, "copy", "--from", src, "--to", back)
	if code == 0 || !strings.Contains(errOut, "is not empty") {
		t.Errorf("copy into a full database: exit %d, %q", code, errOut)
	}
	sameFiles(t, "export after the refused copy", exportOf(back), want)
}

// TestCopyTablesCoverTheSchema holds the copy's table lists against the
// schema: a new table must be copied or left behind on purpose, never
// forgotten.
func TestCopyTablesCoverTheSchema(t *testing.T) {
	db := testkit.Migrated(t)
	tables, err := db.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, name := range append(store.CopiedTables(), store.NotCopiedTables()...) {
		known[name] = true
	}
	for _, name := range tables {
		if !known[name] {
			t.Errorf("table %s is neither copied nor left out on purpose (store/copy.go)", name)
		}
	}
}

// TestCopyNamesTextThatIsNotText copies a SQLite file that holds text an
// older Traject let in (invalid UTF-8, a NUL) into the test run's database
// (PostgreSQL in the PostgreSQL pass): the copy stops having copied
// nothing and names each value's table, key and column, never the value;
// with --repair-text it copies them repaired and says which (issue 18,
// finding 8).
func TestCopyNamesTextThatIsNotText(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "old.db")
	mustCLI(t, "migrate", "--db", src)
	mustCLI(t, "demo", "--learners", "20", "--today", "2026-06-30", "--accounts=false", "--db", src)
	raw, err := sql.Open("sqlite3", src)
	if err != nil {
		t.Fatal(err)
	}
	var learner, response string
	if err := raw.QueryRowContext(ctx, `SELECT MIN(id) FROM learners`).Scan(&learner); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRowContext(ctx, `SELECT MIN(id) FROM survey_responses`).Scan(&response); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE learners SET last_name = 'Pee' || CAST(X'00' AS TEXT) || 'ters' WHERE id = ?`,
		`UPDATE survey_responses SET comment = 'Fijn ' || CAST(X'FF' AS TEXT) WHERE id = ?`,
	} {
		id := learner
		if strings.Contains(q, "survey") {
			id = response
		}
		if _, err := raw.ExecContext(ctx, q, id); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	dst := testdb.DSN(t)
	code, out, errOut := cli(t, "copy", "--from", src, "--to", dst)
	if code != 1 {
		t.Fatalf("copy: exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"2 value(s) that are not text", "nothing was copied", "learners (id=" + learner + "): last_name",
		"survey_responses (id=" + response + "): comment", "--repair-text"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("copy says\n%s\nwithout %q", errOut, want)
		}
	}
	if strings.Contains(errOut, "Pee") || strings.Contains(errOut, "Fijn") {
		t.Errorf("the message shows a value:\n%s", errOut)
	}
	// Nothing was committed: the same target takes the repaired copy.
	out = mustCLI(t, "copy", "--from", src, "--to", dst, "--repair-text")
	for _, want := range []string{"repaired learners (id=" + learner + "): last_name", "repaired survey_responses (id=" + response + "): comment",
		"repaired 2 value(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("copy --repair-text says\n%s\nwithout %q", out, want)
		}
	}
	db, err := store.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.LoadDataSet(ctx, "learners", "survey_responses")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ds.Learners {
		if l.ID == learner && l.LastName != "Peeters" {
			t.Errorf("repaired last name %q, want Peeters", l.LastName)
		}
	}
	for _, r := range ds.SurveyResponses {
		if r.ID == response && r.Comment != "Fijn \uFFFD" {
			t.Errorf("repaired comment %q, want %q", r.Comment, "Fijn \uFFFD")
		}
	}
}
