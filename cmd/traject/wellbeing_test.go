package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const wellbeingExample = "../../testdata/conformance"

// copyDir copies the files of src into a new temporary folder, less those
// named in skip.
func copyDir(t *testing.T, src string, skip ...string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || slicesContains(skip, e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestWellbeingImportExportRoundTrip imports the specification's example
// with its observations and survey responses, exports it, imports the
// export into a new database and exports again: the two exports are equal,
// and the new files hold every row.
func TestWellbeingImportExportRoundTrip(t *testing.T) {
	db := newDB(t)
	out := mustCLI(t, "import", wellbeingExample, "--db", db)
	if !strings.Contains(out, "observations") || !strings.Contains(out, "survey_responses") {
		t.Fatalf("import output names no new entity:\n%s", out)
	}
	exp1 := filepath.Join(t.TempDir(), "export1")
	mustCLI(t, "export", "data", "--out", exp1, "--db", db)
	db2 := newDB(t)
	mustCLI(t, "import", exp1, "--db", db2)
	exp2 := filepath.Join(t.TempDir(), "export2")
	mustCLI(t, "export", "data", "--out", exp2, "--db", db2)
	a, b := readDir(t, exp1), readDir(t, exp2)
	sameFiles(t, "export, import, export", b, a)
	for file, src := range map[string]string{"observations.csv": "observations.csv", "survey_responses.csv": "survey_responses.csv"} {
		orig, err := os.ReadFile(filepath.Join(wellbeingExample, src))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Count(string(a[file]), "\n"), strings.Count(string(orig), "\n"); got != want {
			t.Errorf("%s exported %d lines, the example has %d", file, got, want)
		}
	}
}

// TestWellbeingMessyFilesImport reads the two new files as spreadsheets
// write them: semicolons, a byte-order mark, Windows line ends, header
// names in capitals, DD/MM/YYYY dates.
func TestWellbeingMessyFilesImport(t *testing.T) {
	dir := copyDir(t, wellbeingExample)
	for _, name := range []string{"observations.csv", "survey_responses.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		lines[0] = strings.ToUpper(lines[0])
		var messy []string
		for _, l := range lines {
			fields := splitCSV(l)
			for i, f := range fields {
				if len(f) == 10 && f[4] == '-' && f[7] == '-' { // YYYY-MM-DD → DD/MM/YYYY
					fields[i] = f[8:10] + "/" + f[5:7] + "/" + f[0:4]
				}
			}
			messy = append(messy, strings.Join(fields, ";"))
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("\ufeff"+strings.Join(messy, "\r\n")+"\r\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db := newDB(t)
	mustCLI(t, "import", dir, "--db", db)
	clean := newDB(t)
	mustCLI(t, "import", wellbeingExample, "--db", clean)
	sameFiles(t, "messy and clean files", exportOf(t, db), exportOf(t, clean))
}

func exportOf(t *testing.T, db string) map[string][]byte {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	mustCLI(t, "export", "data", "--out", dir, "--db", db)
	return readDir(t, dir)
}

// splitCSV splits one line of the example's CSV, keeping quoted fields
// (with their quotes) whole.
func splitCSV(line string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case r == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(out, cur.String())
}

// TestWellbeingBadRowsAreRefused checks that every broken rule of the two
// new entities is reported with its file, row and column, and that nothing
// is stored.
func TestWellbeingBadRowsAreRefused(t *testing.T) {
	dir := copyDir(t, wellbeingExample, "observations.csv", "survey_responses.csv")
	obs := "learner,group,date,wellbeing,involvement,observer,note\n" +
		"L000001,G00002,2025-09-05,6,,teacher02,\n" + // 2: score out of range
		"L000001,G00002,2025-09-06,,,teacher02,\n" + // 3: no score
		"L000001,G00039,2025-12-01,3,3,,\n" + // 4: not enrolled in that group
		"L000001,G00002,2025-07-01,3,3,,\n" + // 5: before the enrollment
		"L000001,G00002,2025-09-05,4,4,,\n" + // 6: duplicate key (row 2)
		"L999999,G00002,2025-09-10,4,4,,\n" + // 7: no such learner
		"L000001,G00002,2025-09-12,x,4,,\n" // 8: not a number
	surveys := "id,provider,date,respondent,learner,group,partner_type,wellbeing,involvement,satisfaction,comment\n" +
		"S1,CVO-A,2025-05-03,staff,L000029,,,3,,,\n" + // 2: a learner on a staff response
		"S2,CVO-A,2025-05-03,partner,,,,,,4,\n" + // 3: partner without partner_type
		"S3,CVO-A,2025-05-03,learner,,,vdab,4,,,\n" + // 4: partner_type on a learner
		"S4,CVO-A,2025-05-03,partner,,,vdab,4,,,\n" + // 5: a partner gives no wellbeing
		"S5,NOPE,2025-05-03,staff,,,,4,,,\n" + // 6: no provider
		"S6,CBE-A,2025-05-03,learner,,G00039,,4,,,\n" + // 7: a group of another provider
		"S1,CVO-A,2025-05-04,staff,,,,4,,,\n" // 8: duplicate id
	for name, body := range map[string]string{"observations.csv": obs, "survey_responses.csv": surveys} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db := newDB(t)
	code, _, errOut := cli(t, "import", dir, "--db", db)
	if code != 1 {
		t.Fatalf("import of bad rows: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"observations.csv:2: wellbeing: 6 is not a score from 1 to 5",
		"observations.csv:3: wellbeing: give wellbeing, involvement or both",
		"observations.csv:4: group: learner L000001 is not enrolled in group G00039",
		"observations.csv:5: date: 2025-07-01 lies before the enrollment in G00002 starts (2025-08-09)",
		"observations.csv:6: duplicate key (learner, group, date): also on row 2",
		`observations.csv:7: learner: no learner "L999999"`,
		`observations.csv:8: wellbeing: "x" is not a whole number`,
		"survey_responses.csv:2: learner: must be blank unless the respondent is a learner",
		"survey_responses.csv:3: partner_type: is required",
		"survey_responses.csv:4: partner_type: must be blank unless the respondent is a partner",
		"survey_responses.csv:5: wellbeing: a partner does not give wellbeing (only satisfaction)",
		`survey_responses.csv:6: provider: no provider "NOPE"`,
		"survey_responses.csv:7: group: group G00039 is a group of CVO-A, not of CBE-A",
		"survey_responses.csv:8: duplicate key (id): also on row 2",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing error %q", want)
		}
	}
	if t.Failed() {
		t.Logf("stderr:\n%s", errOut)
	}
	if exp := exportOf(t, db); len(exp["learners.csv"]) > len("id,first_name,last_name,birth_date,gender,home_language,country_of_birth,schooling_level,schooling_years,literacy,learning_route,civic_status,perspective,counsellor\n") {
		t.Error("an import with errors stored learners")
	}
}
