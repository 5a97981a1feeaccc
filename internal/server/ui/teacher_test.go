package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestGridOneDate: the grid has one date field; its new rows take it, a
// row with a stored evaluation keeps its own date, and a wrong grid date
// is said once, beside the field, storing nothing.
func TestGridOneDate(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	page := c.Get("/groups/G1")
	servertest.WantStatus(t, "group", page, http.StatusOK)
	servertest.WantBody(t, "group", page, `id="grid-date" name="date" value="2026-03-15"`)
	if n := strings.Count(page.Body.String(), `type="date"`); n != 2 { // the grid's and the observations'
		t.Errorf("the group page has %d date fields, want 2 (one per form)", n)
	}
	// Save Amina on 13 March.
	r := c.Post("/groups/G1/evaluations", gridForm(map[string]string{"date": "2026-03-13", "r0.listening": "A1", "r0.decision": "pass"}))
	servertest.WantStatus(t, "save", r, http.StatusSeeOther)
	// Her row now keeps that date; Dina's new row takes the grid's, 14 March.
	page = c.Get("/groups/G1")
	servertest.WantBody(t, "after save", page, `<input type="hidden" name="r0.date" value="2026-03-13"><span class="sub stored">opgeslagen op 2026-03-13</span>`)
	if strings.Contains(page.Body.String(), `name="r1.date"`) {
		t.Error("a row without a stored evaluation has a date of its own")
	}
	r = c.Post("/groups/G1/evaluations", gridForm(map[string]string{"date": "2026-03-14",
		"r0.orig": "2026-03-13", "r0.date": "2026-03-13", "r0.listening": "A1", "r0.decision": "pass",
		"r1.listening": "A0", "r1.decision": "fail"}))
	servertest.WantStatus(t, "save two", r, http.StatusSeeOther)
	got := moduleEnds(t, a)
	if got["L-AERTS"] != "2026-03-13 A1 pass " || got["L-DEWULF"] != "2026-03-14 A0 fail " {
		t.Errorf("stored %v, want Amina on 13 March and Dina on 14 March", got)
	}
	// A grid date that is no date: one message beside the field, nothing stored.
	r = c.Post("/groups/G1/evaluations", gridForm(map[string]string{"date": "", "r0.orig": "2026-03-13", "r0.date": "2026-03-13",
		"r0.listening": "A1", "r0.decision": "pass", "r1.orig": "2026-03-14", "r1.date": "2026-03-14", "r1.listening": "A0",
		"r1.decision": "fail", "r2.learner": "L-ENGELS", "r2.listening": "A1", "r2.decision": "fail"}))
	servertest.WantStatus(t, "no date", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "no date", r, `aria-invalid="true"`, `<span class="err" id="grid-date-err">`+nl("rule.required")+`</span>`)
	if n := strings.Count(r.Body.String(), nl("rule.required")); n != 1 {
		t.Errorf("the missing date is said %d times, want once", n)
	}
	// A date outside a new row's window is said in that row.
	f := gridForm(map[string]string{"date": "2026-03-10", "r0.learner": "L-ENGELS", "r0.listening": "A1", "r0.decision": "fail"})
	f.Del("r1.learner")
	r = c.Post("/groups/G1/evaluations", f)
	servertest.WantStatus(t, "outside", r, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "outside", r, `<span class="err" role="alert">`, "(2026-01-05 – 2026-03-03)")
}

// TestGridGoalLabelsNameTheirSource: two goals of the module that would
// read the same say which is the module's and which the provider's own.
func TestGridGoalLabelsNameTheirSource(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	withManyGoals(t, a)
	r := a.As("teacher").Get("/groups/G1")
	servertest.WantStatus(t, "group", r, http.StatusOK)
	servertest.WantBody(t, "group", r, "> Luisteren A1 (module)<span", "> Luisteren A1 (eigen doel)<span",
		"> Lezen A1<span", "> Spreken A1.1<span") // the others as before
	c := a.As("teacher")
	c.Lang = "en"
	servertest.WantBody(t, "group in English", c.Get("/groups/G1"), "> Listening A1 (module)<span", "> Listening A1 (own goal)<span")
}

// TestGroupPrintViews: the class list and the attendance sheet are plain
// tables, without a form control, of the learners in class, with the
// register's lessons as columns and empty ones to write a date in.
func TestGroupPrintViews(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	withTeacherDay(t, a)
	c := a.As("teacher")
	group := c.Get("/groups/G1")
	servertest.WantBody(t, "group page", group, `href="/groups/G1/print/classlist"`, `href="/groups/G1/print/attendance"`)

	r := c.Get("/groups/G1/print/classlist")
	servertest.WantStatus(t, "class list", r, http.StatusOK)
	body := r.Body.String()
	servertest.WantBody(t, "class list", r, "<h1>Klaslijst: G1</h1>", "<th scope=\"row\">Aerts, Amina</th><td>L-AERTS</td><td>lopend</td><td>2026-01-05</td>",
		"<th scope=\"row\">Dewulf, Dina</th><td>L-DEWULF</td>", "afgedrukt op 2026-03-15", "Traject bewaart geen contactgegevens")
	// Emre left on 1 February: not in class any more.
	if strings.Contains(body, "Engels") {
		t.Error("the class list holds a learner who left")
	}
	main := body[strings.Index(body, `<main`):]
	for _, control := range []string{"<input type=\"text\"", "<textarea", "<select", "type=\"checkbox\"", "type=\"radio\""} {
		if strings.Contains(main, control) {
			t.Errorf("the class list holds a form control %s", control)
		}
	}

	r = c.Get("/groups/G1/print/attendance?from=2026-03-12")
	servertest.WantStatus(t, "attendance sheet", r, http.StatusOK)
	body = r.Body.String()
	servertest.WantBody(t, "attendance sheet", r, "<h1>Aanwezigheidslijst: G1</h1>", `class="print-sheet print-attendance"`,
		`<th scope="col" class="day">2026-03-12</th><th scope="col" class="day">2026-03-15</th><th scope="col" class="day"><span class="vh">`,
		"2 lessen uit het register", "Aerts, Amina")
	if n := strings.Count(body, `<td class="box"></td>`); n != 2*12 {
		t.Errorf("the sheet has %d boxes, want 2 learners × 12 columns", n)
	}
	// From a later day the register has nothing planned yet.
	servertest.WantBody(t, "later", c.Get("/groups/G1/print/attendance?"+url.Values{"from": {"2026-04-01"}}.Encode()),
		"Geen lessen in het register vanaf deze dag")
	servertest.WantStatus(t, "bad date", c.Get("/groups/G1/print/attendance?from=gisteren"), http.StatusBadRequest)
	servertest.WantStatus(t, "unknown list", c.Get("/groups/G1/print/badges"), http.StatusBadRequest)
	// Another teacher's group is not theirs to print.
	servertest.WantStatus(t, "other teacher", a.As("teacher2").Get("/groups/G1/print/classlist"), http.StatusForbidden)
	servertest.WantStatus(t, "counsellor", a.As("counsellor").Get("/groups/G1/print/classlist"), http.StatusForbidden)
}
