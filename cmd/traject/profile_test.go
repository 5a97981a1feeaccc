package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/testdb"
)

const profileDir = "../../testdata/profiles/centrum"

// TestImportWithProfile: the centre software's export imported with its
// profile stores the same records as the same data in the interchange
// format; a second import changes nothing; errors name the file's own rows
// and columns, and nothing is stored.
func TestImportWithProfile(t *testing.T) {
	plain, mapped := newDB(t), newDB(t)
	for _, db := range []string{plain, mapped} {
		mustCLI(t, "import", "--quiet", "--db", db, conformanceData)
	}
	mustCLI(t, "import", "--quiet", "--db", plain, filepath.Join(profileDir, "twin"))
	profile := filepath.Join(profileDir, "profile.json")
	out := mustCLI(t, "import", "--quiet", "--db", mapped, "--profile", profile, filepath.Join(profileDir, "export"))
	if !strings.Contains(out, "imported: 11 inserted, 0 updated, 0 unchanged") {
		t.Errorf("first import: %s", out)
	}
	exp1, exp2 := t.TempDir(), t.TempDir()
	mustCLI(t, "export", "data", "--out", exp1, "--db", plain)
	mustCLI(t, "export", "data", "--out", exp2, "--db", mapped)
	entries, err := os.ReadDir(exp1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(exp1, e.Name()))
		b, err := os.ReadFile(filepath.Join(exp2, e.Name()))
		if err != nil || string(a) != string(b) {
			t.Errorf("%s differs between the interchange import and the profile import", e.Name())
		}
	}
	out = mustCLI(t, "import", "--quiet", "--db", mapped, "--profile", profile, filepath.Join(profileDir, "export"))
	if !strings.Contains(out, "imported: 0 inserted, 0 updated, 11 unchanged") {
		t.Errorf("second import changed something: %s", out)
	}

	bad := t.TempDir()
	copyFile := func(name string, edit func(string) string) {
		b, err := os.ReadFile(filepath.Join(profileDir, "export", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bad, name), []byte(edit(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("Cursisten-2026-03.csv", func(s string) string { return strings.Replace(s, ";M;Turks", ";O;Turks", 1) })
	copyFile("Aanmeldingen-2026-03.csv", func(s string) string { return strings.Replace(s, "05.03.2026", "2026-03-05", 1) })
	copyFile("Evaluaties-2026-03.csv", func(s string) string { return strings.Replace(s, "A2.1,Niet getest", "A2.1,X1", 1) })
	code, _, errOut := cli(t, "import", "--db", newDB(t), "--profile", profile, bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	for _, want := range []string{
		`Cursisten-2026-03.csv:3: Geslacht (M/V): "O" is not a gender (f, m, x)`,
		`Aanmeldingen-2026-03.csv:5: Datum aanmelding: "2026-03-05" is not a date in the form DD.MM.YYYY`,
		`Evaluaties-2026-03.csv:4: Lezen: "X1" is not a CEFR level`,
		"nothing was imported",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

// TestProfileCommands keeps a profile in the database, imports with it by
// name, shows it as the JSON another provider can add, and removes it.
func TestProfileCommands(t *testing.T) {
	db := newDB(t)
	mustCLI(t, "import", "--quiet", "--db", db, conformanceData)
	profile := filepath.Join(profileDir, "profile.json")
	if out := mustCLI(t, "profile", "add", "--db", db, "--provider", "CVO-A", profile); !strings.Contains(out, "profile centrumsoftware saved for CVO-A (4 file entries)") {
		t.Errorf("add: %s", out)
	}
	if code, _, errOut := cli(t, "profile", "add", "--db", db, "--provider", "NOPE", profile); code == 0 || !strings.Contains(errOut, `unknown provider "NOPE"`) {
		t.Errorf("add for an unknown provider: exit %d, %s", code, errOut)
	}
	if out := mustCLI(t, "profile", "list", "--db", db); !strings.Contains(out, "centrumsoftware") || !strings.Contains(out, "CVO-A") ||
		!strings.Contains(out, "learners,referrals,referrals,evaluations") {
		t.Errorf("list: %s", out)
	}
	shown := mustCLI(t, "profile", "show", "--db", db, "centrumsoftware")
	other := newDB(t)
	mustCLI(t, "import", "--quiet", "--db", other, conformanceData)
	handed := filepath.Join(t.TempDir(), "handed.json")
	if err := os.WriteFile(handed, []byte(shown), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, "profile", "add", "--db", other, handed)
	if again := mustCLI(t, "profile", "show", "--db", other, "centrumsoftware"); again != shown {
		t.Errorf("a profile handed over reads differently:\n%s\n%s", shown, again)
	}
	out := mustCLI(t, "import", "--quiet", "--db", db, "--profile", "centrumsoftware", filepath.Join(profileDir, "export"))
	if !strings.Contains(out, "11 inserted") {
		t.Errorf("import by name: %s", out)
	}
	mustCLI(t, "profile", "remove", "--db", db, "centrumsoftware")
	if code, _, errOut := cli(t, "profile", "show", "--db", db, "centrumsoftware"); code == 0 || !strings.Contains(errOut, `no profile "centrumsoftware"`) {
		t.Errorf("show after remove: exit %d, %s", code, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name": "x", "files": [{"match": "*.csv", "entity": "cursisten"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cli(t, "import", "--db", db, "--profile", bad, filepath.Join(profileDir, "export")); code == 0 ||
		!strings.Contains(errOut, `files[0].entity: unknown entity "cursisten"`) {
		t.Errorf("import with an invalid profile: exit %d, %s", code, errOut)
	}
}

// TestShippedProfilesImport imports the three single-purpose examples of
// testdata/profiles in turn — a learner list by its JSON file (first as a
// dry run), the agency's referral list by the name it is stored under,
// the evaluation workbook by its JSON file — and stores what their
// interchange twins store; a second round changes nothing. A stored
// profile moves with traject copy, and its name cannot be taken by another
// provider.
func TestShippedProfilesImport(t *testing.T) {
	const examples = "../../testdata/profiles"
	plain, mapped := newDB(t), newDB(t)
	for _, db := range []string{plain, mapped} {
		mustCLI(t, "import", "--quiet", "--db", db, conformanceData)
	}
	for _, dir := range []string{"cursisten", "aanmeldingen", "evaluatieblad"} {
		mustCLI(t, "import", "--quiet", "--db", plain, filepath.Join(examples, dir, "twin"))
	}
	mustCLI(t, "profile", "add", "--db", mapped, "--provider", "CVO-A", filepath.Join(examples, "aanmeldingen", "profile.json"))
	steps := []struct {
		profile, path string
		rows          int
	}{
		{filepath.Join(examples, "cursisten", "profile.json"), filepath.Join(examples, "cursisten", "export"), 4},
		{"aanmeldingslijst-agentschap", filepath.Join(examples, "aanmeldingen", "export"), 4},
		{filepath.Join(examples, "evaluatieblad", "profile.json"), filepath.Join(examples, "evaluatieblad", "export", "Evaluatieblad-2026-03.xlsx"), 3},
	}
	dry := mustCLI(t, "import", "--quiet", "--dry-run", "--db", mapped, "--profile", steps[0].profile, steps[0].path)
	if !strings.Contains(dry, "dry run, nothing stored") || !strings.Contains(dry, "4 inserted") {
		t.Errorf("dry run: %s", dry)
	}
	for round, want := range []string{"%d inserted, 0 updated, 0 unchanged", "0 inserted, 0 updated, %d unchanged"} {
		for _, s := range steps {
			out := mustCLI(t, "import", "--quiet", "--db", mapped, "--profile", s.profile, s.path)
			if w := fmt.Sprintf(want, s.rows); !strings.Contains(out, w) {
				t.Errorf("round %d, %s: %s; want %q", round+1, s.profile, out, w)
			}
		}
	}
	exp1, exp2 := t.TempDir(), t.TempDir()
	mustCLI(t, "export", "data", "--out", exp1, "--db", plain)
	mustCLI(t, "export", "data", "--out", exp2, "--db", mapped)
	a, b := readDir(t, exp1), readDir(t, exp2)
	for _, name := range slices.Sorted(maps.Keys(a)) {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between the interchange import and the profile imports", name)
		}
	}

	// Names are per owner: another provider's profile of the same name is
	// its own, and a name kept by two owners is asked for with its owner.
	mustCLI(t, "profile", "add", "--db", mapped, "--provider", "UTC-A", filepath.Join(examples, "aanmeldingen", "profile.json"))
	code, _, errOut := cli(t, "profile", "show", "--db", mapped, "aanmeldingslijst-agentschap")
	if code == 0 || !strings.Contains(errOut, `profile "aanmeldingslijst-agentschap" is kept for CVO-A, UTC-A: say whose`) {
		t.Errorf("show a name of two owners: exit %d, %s", code, errOut)
	}
	code, _, errOut = cli(t, "import", "--quiet", "--db", mapped, "--profile", "aanmeldingslijst-agentschap", steps[1].path)
	if code == 0 || !strings.Contains(errOut, "say whose") {
		t.Errorf("import with a name of two owners: exit %d, %s", code, errOut)
	}
	if out := mustCLI(t, "import", "--quiet", "--db", mapped, "--profile", "aanmeldingslijst-agentschap", "--profile-provider", "CVO-A", steps[1].path); !strings.Contains(out, "4 unchanged") {
		t.Errorf("import with CVO-A's: %s", out)
	}

	shown := mustCLI(t, "profile", "show", "--db", mapped, "--provider", "CVO-A", "aanmeldingslijst-agentschap")
	copied := testdb.DSN(t)
	mustCLI(t, "copy", "--from", mapped, "--to", copied)
	if again := mustCLI(t, "profile", "show", "--db", copied, "--provider", "CVO-A", "aanmeldingslijst-agentschap"); again != shown {
		t.Errorf("the copy's profile reads differently:\n%s\nwant\n%s", again, shown)
	}
	lines := strings.Split(strings.TrimSpace(mustCLI(t, "profile", "list", "--db", copied)), "\n")
	if len(lines) != 3 {
		t.Fatalf("list after copy: %q, want the header and two profiles", lines)
	}
	for i, owner := range []string{"CVO-A", "UTC-A"} {
		if f := strings.Fields(lines[i+1]); len(f) < 3 || f[0] != "aanmeldingslijst-agentschap" || f[1] != owner || f[2] != "referrals" {
			t.Errorf("list after copy: %q, want aanmeldingslijst-agentschap %s referrals", lines[i+1], owner)
		}
	}
	out := mustCLI(t, "profile", "remove", "--db", copied, "--provider", "UTC-A", "aanmeldingslijst-agentschap")
	if !strings.Contains(out, "profile aanmeldingslijst-agentschap of UTC-A removed") {
		t.Errorf("remove: %s", out)
	}
	if again := mustCLI(t, "profile", "show", "--db", copied, "aanmeldingslijst-agentschap"); again != shown {
		t.Errorf("CVO-A's profile after UTC-A's was removed:\n%s\nwant\n%s", again, shown)
	}
}
