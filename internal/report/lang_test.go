package report

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// TestWorkbookInEnglish writes the conformance workbook with Lang "en": the
// layout's texts, the sheets' names, the codes' labels and the cases'
// explanations are English, and no Dutch of the layout is left.
func TestWorkbookInEnglish(t *testing.T) {
	ds := loadConformance(t)
	var buf bytes.Buffer
	if _, err := Write(&buf, ds, Options{Params: conformanceCases[0].params(), Exact: true, Lang: "en",
		GeneratedAt: time.Date(2025, 9, 15, 8, 30, 0, 0, time.UTC), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	en, err := DefaultLayoutIn("en")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range en.Sheets {
		names = append(names, s.Name)
	}
	if got := f.GetSheetList(); !slices.Equal(got, names) || got[0] != "Overview" || !slices.Contains(got, "Learners") {
		t.Fatalf("sheets %q, want %q (Overview … Learners …)", got, names)
	}
	rs := rows(t, f, "Learners")
	head := rs[0]
	col := func(label string) int {
		i := slices.Index(head, label)
		if i < 0 {
			t.Fatalf("Learners has no column %q: %q", label, head)
		}
		return i
	}
	cl, cc, cd, cr := col("Learner"), col("Class"), col("Explanation"), col("Learning route")
	var routes []string
	for _, c := range domain.LearningRoutes.Codes {
		routes = append(routes, locale.Code("en", domain.LearningRoutes.Name, c))
	}
	found := false
	for _, r := range rs[1:] {
		if at(r, cl) == "E001" && at(r, cc) == "started late" {
			found = true
			if want := "started on 2025-05-01 in group E00052, 1 day after the deadline (2025-04-30)"; at(r, cd) != want {
				t.Errorf("E001's explanation %q, want %q", at(r, cd), want)
			}
			if !slices.Contains(routes, at(r, cr)) {
				t.Errorf("E001's learning route %q is none of the English labels %q", at(r, cr), routes)
			}
		}
	}
	if !found {
		t.Error("no row of E001, started late")
	}
	// Nothing of the Dutch layout is left: no cell is a Dutch text of it
	// that English words otherwise.
	nl, _ := DefaultLayout()
	dutch := map[string]bool{}
	nl.eachText(func(_ string, s *string) { dutch[*s] = true })
	en.eachText(func(_ string, s *string) { delete(dutch, *s) }) // the same in both ("Code", "Indicator")
	for _, sheet := range f.GetSheetList() {
		for i, r := range rows(t, f, sheet) {
			for j, v := range r {
				if dutch[v] {
					t.Errorf("%s row %d column %d: %q is the Dutch layout's", sheet, i+1, j+1, v)
				}
			}
		}
	}
}

// TestDefaultLayoutInALanguageOutsideTheInterface is the Dutch one: a
// language of the catalogue that is not complete has no workbook.
func TestDefaultLayoutInALanguageOutsideTheInterface(t *testing.T) {
	nl, err := DefaultLayout()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"", "fr", "xx"} {
		if l, err := DefaultLayoutIn(lang); err != nil || l != nl {
			t.Errorf("DefaultLayoutIn(%q) is not the Dutch layout (%v)", lang, err)
		}
	}
}
