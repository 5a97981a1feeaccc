package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// cursistenForm is the assistant's form for the shipped example
// testdata/profiles/cursisten: its profile, field by field (the gender
// values in the order the assistant lists them, sorted).
func cursistenForm(action string) url.Values {
	return url.Values{"entity": {"learners"}, "match": {"Cursistenlijst*.csv"}, "skip_rows": {"0"}, "date_format": {"DD-MM-YYYY"},
		"col.id": {"Stamnummer"}, "col.first_name": {"Voornaam"}, "col.last_name": {"Familienaam"},
		"col.birth_date": {"Geboortedatum"}, "col.gender": {"Geslacht (M/V)"}, "col.home_language": {"Moedertaal"},
		"col.schooling_level": {"="}, "const.schooling_level": {"unknown"}, "col.literacy": {"="}, "const.literacy": {"unknown"},
		"col.learning_route": {"="}, "const.learning_route": {"standard"}, "col.civic_status": {"="}, "const.civic_status": {"none"},
		"col.perspective": {"="}, "const.perspective": {"unknown"},
		"from.gender.0": {"V"}, "to.gender.0": {"f"}, "from.gender.1": {"X"}, "to.gender.1": {"x"}, "from.gender.2": {"m"}, "to.gender.2": {"m"},
		"action": {action}, "name": {"cursistenlijst"}}
}

// TestCoordinatorImportsTheShippedLearnerList: the coordinator the README
// names imports the shipped learner list through the mapping assistant
// (issue 20): its new learners become their provider's by a link dated the
// day of the import, and a list naming another provider's learner is still
// refused, storing nothing.
func TestCoordinatorImportsTheShippedLearnerList(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	data, err := os.ReadFile("../../../testdata/profiles/cursisten/export/Cursistenlijst 2026-03.csv")
	if err != nil {
		t.Fatal(err)
	}
	c := a.SignIn("k1")
	page := c.Upload("/imports/assistant", "Cursistenlijst 2026-03.csv", data).Header().Get("Location")
	r := c.Post(page, cursistenForm("check"))
	servertest.WantStatus(t, "dry run", r, http.StatusOK)
	servertest.WantBody(t, "dry run", r, `id="assistant-ok"`)
	r = c.Post(page, cursistenForm("save"))
	servertest.WantStatus(t, "save and import", r, http.StatusOK)
	servertest.WantBody(t, "save and import", r, `id="import-done"`)
	ctx := context.Background()
	visible, err := a.DB.VisibleLearners(ctx, &domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"P26101", "P26102", "P26103", "P26104"} {
		if !visible[id] {
			t.Errorf("k1 does not see %s after importing it", id)
		}
	}
	x, err := a.DB.ExportLearner(ctx, "P26101")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.LearnerLinks) != 1 || str(x.LearnerLinks[0].Get("provider")) != "P1" || str(x.LearnerLinks[0].Get("date")) != "2026-03-15" {
		t.Errorf("P26101's links: %+v, want one to P1 dated 2026-03-15", x.LearnerLinks)
	}
	if v, _ := a.DB.VisibleLearners(ctx, &domain.User{Username: "k2", Role: domain.RoleCoordinator, Providers: []string{"P2"}}); v["P26101"] {
		t.Error("k2 sees a learner of P1's list")
	}

	// Another provider's learner in the list: refused, nothing stored.
	hostile := strings.Replace(string(data), "P26104;Sam;Okafor", "L-ZEGERS;Zora;Zegers", 1)
	hostile = strings.Replace(hostile, "P26101;", "P26199;", 1)
	page = c.Upload("/imports/assistant", "Cursistenlijst 2026-04.csv", []byte(hostile)).Header().Get("Location")
	form := cursistenForm("check")
	form.Set("match", "Cursistenlijst*.csv")
	r = c.Post(page, form)
	servertest.WantStatus(t, "another provider's learner", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "another provider's learner", r, "is al in gebruik")
	if _, err := a.DB.ExportLearner(ctx, "P26199"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a refused list stored a learner: %v", err)
	}

	// The import history: k1's import through the assistant, with its
	// counts, on Brussels's clock; not on the page of P2's coordinator.
	servertest.WantStatus(t, "a workbook with mistakes", c.Upload("/imports", "lerenden.xlsx", servertest.NewLearnerWorkbook(t, "P2", "31/02/1991")),
		http.StatusUnprocessableEntity)
	r = c.Get("/imports/history")
	servertest.WantStatus(t, "history", r, http.StatusOK)
	servertest.WantBody(t, "history", r, "<td>k1</td><td>importpagina</td><td><code>lerenden.xlsx</code></td>", "Geweigerd: 2 fouten",
		"learners!2: birth_date: ")
	servertest.WantBody(t, "history", r, "<td>2026-03-15 ", "<td>k1</td><td>assistent</td><td><code>Cursistenlijst 2026-03.csv</code></td><td>cursistenlijst</td>",
		"Lerenden: 4 nieuw, 0 gewijzigd, 0 ongewijzigd", "Koppelingen van nieuwe lerenden: 4 nieuw")
	if r := a.SignIn("k2").Get("/imports/history"); strings.Contains(r.Body.String(), "Cursistenlijst") {
		t.Error("P2's coordinator sees P1's import")
	}
	servertest.WantBody(t, "admin's history", a.SignIn("root").Get("/imports/history"), "Cursistenlijst 2026-03.csv")
	servertest.WantStatus(t, "a teacher's history", a.SignIn("t1").Get("/imports/history"), http.StatusForbidden)
}
