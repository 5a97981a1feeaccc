package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
	"github.com/traject-nt2/traject/internal/testdb"
)

// A fixed clock for the tests: no test reads the real one.
var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// cliAt runs traject in-process on the day of now.
func cliAt(t *testing.T, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" },
		now: func() time.Time { return now }}
	code := run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

func mustCLIAt(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	code, out, errOut := cliAt(t, now, args...)
	if code != 0 {
		t.Fatalf("traject %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// readCSV returns the rows of one file of the conformance folder as maps
// of column to value.
func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(conformance, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, c := range rows[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func openStore(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestLearnerExportHoldsEveryRecordAndNoOther checks the right of access:
// the document holds every record of the conformance files that names the
// learner, and their audit trail, and no other learner's id.
func TestLearnerExportHoldsEveryRecordAndNoOther(t *testing.T) {
	dsn := newDB(t)
	mustCLI(t, "import", conformance, "--db", dsn, "--quiet")
	const id = "L000029"
	db := openStore(t, dsn)
	if err := db.SaveFollowUp(context.Background(), "tester", domain.FollowUp{Learner: id, Date: domain.MustDate("2026-02-01"), Status: "work"}, testNow); err != nil {
		t.Fatal(err)
	}
	out := mustCLI(t, "learner", "export", id, "--db", dsn)
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, file := range []string{"learner_goals", "referrals", "placements", "enrollments", "evaluations",
		"certificates", "outflows", "followups", "observations", "survey_responses"} {
		want := 0
		for _, r := range readCSV(t, file+".csv") {
			if r["learner"] == id {
				want++
			}
		}
		if file == "followups" {
			want++ // the one saved above
		}
		var got []map[string]any
		if err := json.Unmarshal(doc[file], &got); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(got) != want {
			t.Errorf("%s: %d records, want %d", file, len(got), want)
		}
		for _, r := range got {
			if r["learner"] != id {
				t.Errorf("%s: a record of learner %v", file, r["learner"])
			}
		}
	}
	var audit []map[string]any
	if err := json.Unmarshal(doc["audit_trail"], &audit); err != nil || len(audit) != 1 || audit[0]["entity"] != "followups" {
		t.Errorf("audit trail %s, want the one follow-up saved", doc["audit_trail"])
	}
	if !strings.HasPrefix(out, "{\n  \"learner\": {\n    \"id\": \""+id+"\",\n    \"first_name\"") {
		t.Errorf("the document does not start with the learner in column order:\n%.200s", out)
	}
	for _, r := range readCSV(t, "learners.csv") {
		if r["id"] != id && strings.Contains(out, `"`+r["id"]+`"`) {
			t.Errorf("the export of %s names learner %s", id, r["id"])
		}
	}
	if code, _, errOut := cli(t, "learner", "export", "NOPE", "--db", dsn); code == 0 || !strings.Contains(errOut, `no learner "NOPE"`) {
		t.Errorf("export of an unknown learner: exit %d, %q", code, errOut)
	}
}

// conformanceQueries are the parameters of TestConformance's expected files.
var conformanceQueries = [][]string{
	{"--from", "2024-09-01", "--to", "2025-08-31"},
	{"--from", "2024-09-01", "--to", "2025-08-31", "--provider", "CVO-A"},
	{"--from", "2025-01-01", "--to", "2025-12-31", "--as-of", "2026-06-30"},
}

// indicatorsWithoutAgeBand returns the JSON of every conformance query
// with the age_band breakdown removed, which erasure may change.
func indicatorsWithoutAgeBand(t *testing.T, dsn string) []string {
	t.Helper()
	var out []string
	for _, q := range conformanceQueries {
		raw := mustCLI(t, append([]string{"indicators", "--format", "json", "--db", dsn}, q...)...)
		var v map[string]any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			t.Fatal(err)
		}
		b, ok := v["breakdowns"].(map[string]any)
		if !ok || b["age_band"] == nil {
			t.Fatalf("no age_band breakdown in %.200s", raw)
		}
		delete(b, "age_band")
		j, err := json.Marshal(v) // map keys sorted: a stable text
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(j))
	}
	return out
}

// uniqueLearner picks a learner of the conformance set with evaluations in a
// group, observations and a named survey response, whose first name, last
// name and birth date no other learner shares, so that finding one of them
// in the files after the erasure means it was not erased.
func uniqueLearner(t *testing.T) map[string]string {
	t.Helper()
	learners := readCSV(t, "learners.csv")
	count := map[string]int{}
	for _, l := range learners {
		count["f"+l["first_name"]]++
		count["l"+l["last_name"]]++
		count["b"+l["birth_date"]]++
	}
	has := func(file, id string) bool {
		for _, r := range readCSV(t, file) {
			if r["learner"] == id && (file != "evaluations.csv" || r["group"] != "") {
				return true
			}
		}
		return false
	}
	for _, l := range learners {
		if count["f"+l["first_name"]] == 1 && count["l"+l["last_name"]] == 1 && count["b"+l["birth_date"]] == 1 &&
			has("evaluations.csv", l["id"]) && has("observations.csv", l["id"]) && has("survey_responses.csv", l["id"]) {
			return l
		}
	}
	t.Fatal("the conformance set has no learner with unique names and every kind of record: the erasure test needs one")
	return nil
}

// TestEraseLeavesNoTraceAndKeepsIndicators erases a learner of the
// conformance set after giving one of their evaluations a feedback text
// (recorded in the audit trail with its values), then reads the bytes of
// every file in the database's folder: none of the removed values may be
// there. The indicators of every conformance query are unchanged but for
// age_band. The byte test is SQLite's: PostgreSQL's files are the server's.
func TestEraseLeavesNoTraceAndKeepsIndicators(t *testing.T) {
	dsn := newDB(t)
	mustCLI(t, "import", conformance, "--db", dsn, "--quiet")
	l := uniqueLearner(t)
	id := l["id"]
	const feedback = "Vertrouwelijk: Zanzibar-7731 vertelt over haar familie"
	ctx := context.Background()
	db := openStore(t, dsn)
	ds, err := db.LoadDataSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x, err := db.ExportLearner(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	saved := false
	for _, ev := range ds.Evaluations {
		if ev.Learner != id || ev.Group == "" {
			continue
		}
		var goals []string
		for _, r := range x.Evaluations {
			if r.Get("group") == ev.Group && r.Get("date") == ev.Date.String() && r.Get("kind") == ev.Kind {
				if g, ok := r.Get("goals").([]string); ok {
					goals = g
				}
			}
		}
		ev.Feedback = feedback
		if _, err := db.SaveEvaluations(ctx, "teacher01", ev.Group, []store.EvaluationSave{{Evaluation: ev, OrigDate: ev.Date, Goals: goals}}, testNow); err != nil {
			t.Fatalf("save feedback: %v", err)
		}
		saved = true
		break
	}
	if !saved {
		t.Fatal("no evaluation in a group to give feedback")
	}
	if got := mustCLI(t, "learner", "export", id, "--db", dsn); !strings.Contains(got, feedback) {
		t.Fatal("the feedback was not stored")
	}
	before := indicatorsWithoutAgeBand(t, dsn)

	if code, _, errOut := cli(t, "learner", "erase", id, "--db", dsn); code != 2 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("erase without --yes: exit %d, %q", code, errOut)
	}
	out := mustCLIAt(t, testNow, "learner", "erase", id, "--yes", "--db", dsn)
	if !strings.Contains(out, "outside") {
		t.Errorf("the erasure does not say that files already written are outside the database:\n%s", out)
	}
	newID := strings.Fields(strings.SplitN(out, "now name ", 2)[1])[0]
	if len(newID) != len("ANON-")+12 || !strings.HasPrefix(newID, "ANON-") || strings.Trim(newID[5:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		t.Fatalf("new id %q, want ANON- and 12 upper-case letters or digits", newID)
	}
	if code, _, _ := cli(t, "learner", "export", id, "--db", dsn); code == 0 {
		t.Error("the old id is still a learner")
	}
	raw := mustCLI(t, "learner", "export", newID, "--db", dsn)
	var got struct {
		Learner         map[string]any   `json:"learner"`
		Evaluations     []map[string]any `json:"evaluations"`
		Observations    []map[string]any `json:"observations"`
		SurveyResponses []map[string]any `json:"survey_responses"`
		AuditTrail      []map[string]any `json:"audit_trail"`
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	wantLearner := map[string]any{"first_name": "Anoniem", "last_name": "Anoniem", "birth_date": l["birth_date"][:4] + "-07-01",
		"home_language": "", "country_of_birth": "", "counsellor": "", "gender": l["gender"]}
	for k, v := range wantLearner {
		if got.Learner[k] != v {
			t.Errorf("learner %s = %v, want %v", k, got.Learner[k], v)
		}
	}
	if len(got.Evaluations) == 0 || len(got.Observations) == 0 {
		t.Errorf("the pseudonym has %d evaluations and %d observations, want the learner's", len(got.Evaluations), len(got.Observations))
	}
	for _, e := range got.Evaluations {
		if e["feedback"] != "" {
			t.Errorf("feedback %q left", e["feedback"])
		}
	}
	for _, o := range got.Observations {
		if o["note"] != "" {
			t.Errorf("note %q left", o["note"])
		}
	}
	if len(got.SurveyResponses) != 0 {
		t.Errorf("%d survey responses still name the learner, want them anonymous", len(got.SurveyResponses))
	}
	var erase int
	for _, a := range got.AuditTrail {
		if a["before"] != nil || a["after"] != nil {
			t.Errorf("audit entry %v keeps values", a["id"])
		}
		if a["action"] == "erase" {
			erase++
		}
	}
	if erase != 1 || len(got.AuditTrail) < 2 {
		t.Errorf("audit trail %v: want the feedback's event and one erase", got.AuditTrail)
	}

	if after := indicatorsWithoutAgeBand(t, dsn); !slices.Equal(after, before) {
		for i := range before {
			if after[i] != before[i] {
				t.Errorf("indicators of %v changed by the erasure", conformanceQueries[i])
			}
		}
	}

	if testdb.Postgres() {
		return // the byte test reads SQLite's files
	}
	// db stays open, as a running server's would: SQLite removes the -wal
	// file when its last connection closes, which would hide a WAL that
	// the erasure left holding old pages.
	removed := []string{id, l["first_name"], l["last_name"], l["birth_date"], feedback}
	files, err := os.ReadDir(filepath.Dir(dsn))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(dsn), f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range removed {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s still holds %q", f.Name(), v)
			}
		}
	}
}

// TestRetentionErasesOnlyTheOlder: with a retention of 2 years, a learner
// whose latest record lies one day before the day 2 years ago is erased;
// one whose latest record is on that day is not.
func TestRetentionErasesOnlyTheOlder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"providers.csv": "code,name,type\nP1,Provider,cvo\n",
		"learners.csv": "id,first_name,last_name,birth_date,gender,home_language,country_of_birth,schooling_level,schooling_years,literacy,learning_route,civic_status,perspective,counsellor\n" +
			"OLD1,Olga,Older,1980-05-05,f,,,primary,,literate_latin,standard,obliged,work,\n" +
			"NEW1,Nina,Newer,1981-06-06,f,,,primary,,literate_latin,standard,obliged,work,\n",
		"referrals.csv": "learner,date,source,provider\nOLD1,2023-01-10,self,P1\nNEW1,2023-01-10,self,P1\n",
		"outflows.csv":  "learner,date,type,reason,destination,provider\nOLD1,2024-03-01,qualified,,work,P1\n",
		"followups.csv": "learner,date,status\nNEW1,2024-03-02,work\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dsn := newDB(t)
	mustCLI(t, "import", dir, "--db", dsn, "--quiet")
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC) // 2 years back: 2024-03-02
	if code, _, errOut := cliAt(t, now, "retention", "--dry-run", "--db", dsn); code != 2 || !strings.Contains(errOut, "off") {
		t.Fatalf("dry run with retention off: exit %d, %q", code, errOut)
	}
	mustCLI(t, "retention", "--years", "2", "--db", dsn)
	dry := mustCLIAt(t, now, "retention", "--dry-run", "--db", dsn)
	if !strings.Contains(dry, "OLD1") || !strings.Contains(dry, "outflows on 2024-03-01") || strings.Contains(dry, "NEW1") {
		t.Fatalf("dry run:\n%s", dry)
	}
	mustCLIAt(t, now, "learner", "export", "OLD1", "--db", dsn) // the dry run erased nothing
	mustCLIAt(t, now, "retention", "--apply", "--db", dsn)
	if code, _, _ := cli(t, "learner", "export", "OLD1", "--db", dsn); code == 0 {
		t.Error("OLD1 was not erased")
	}
	mustCLI(t, "learner", "export", "NEW1", "--db", dsn)
	// A second run finds nobody: the erased learner is not erased again.
	if again := mustCLIAt(t, now, "retention", "--dry-run", "--db", dsn); !strings.Contains(again, ": 0 learners") {
		t.Errorf("second dry run:\n%s", again)
	}
	mustCLI(t, "retention", "--off", "--db", dsn)
	if out := mustCLI(t, "retention", "--db", dsn); !strings.Contains(out, "off") {
		t.Errorf("after --off: %s", out)
	}
}

// TestSettingsChangesAudited: `traject retention` and `traject backup
// schedule` record their changes in the audit trail as the command line
// ("cli"), before and after, as the web's administration does (issue 18).
func TestSettingsChangesAudited(t *testing.T) {
	dsn := newDB(t)
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	mustCLIAt(t, now, "retention", "--years", "3", "--db", dsn)
	mustCLIAt(t, now, "retention", "--off", "--db", dsn)
	mustCLIAt(t, now, "retention", "--off", "--db", dsn) // already off: nothing to record
	want := []string{
		`cli create retention_years  → {"years":3}`,
		`cli delete retention_years {"years":3} → `,
	}
	if !testdb.Postgres() {
		dir := filepath.Join(t.TempDir(), "backups")
		mustCLIAt(t, now, "backup", "schedule", "--cron", "0 2 * * *", "--dir", dir, "--keep", "14", "--db", dsn)
		mustCLIAt(t, now, "backup", "schedule", "--off", "--db", dsn)
		d, _ := json.Marshal(dir)
		want = append(want, `cli create backup_schedule  → {"cron":"0 2 * * *","dir":`+string(d)+`,"keep":14}`,
			`cli delete backup_schedule {"cron":"0 2 * * *","dir":`+string(d)+`,"keep":14} → `)
	}
	db := openStore(t, dsn)
	trail, err := db.ListAuditOf(context.Background(), "settings", 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(trail) - 1; i >= 0; i-- {
		r := trail[i]
		got = append(got, r.Username+" "+r.Action+" "+r.Key+" "+string(r.Before)+" → "+string(r.After))
		if !r.At.Equal(now) {
			t.Errorf("%s %s at %v, want %v", r.Action, r.Key, r.At, now)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trail of settings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
