package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

func TestQualityFindingsPerKind(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	// L-DEWULF and L-ENGELS (P1) have an enrollment without placement; give
	// P2 one too, and P1 a finding of another kind.
	ds := &domain.DataSet{Enrollments: []domain.Enrollment{{Learner: "L-XHONNEUX", Group: "G2",
		StartDate: domain.MustDate("2026-02-02"), Status: "active", HoursAttended: 4}},
		Outflows: []domain.Outflow{{Learner: "L-ENGELS", Date: domain.MustDate("2026-02-01"), Type: "early_leaver", Provider: "P1"}}}
	tx, err := a.DB.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Upsert(context.Background(), ds, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	r := a.As("coordinator").Get("/quality")
	servertest.WantStatus(t, "coordinator", r, http.StatusOK)
	servertest.WantBody(t, "coordinator", r, "Bevindingen van jouw aanbieder(s): P1", "Inschrijving zonder niveaubepaling",
		`<a href="/learners/L-DEWULF">L-DEWULF</a>`, "ingeschreven in groep G1 vanaf 2026-01-05 zonder niveaubepaling",
		`<a href="/groups/G1">`, "Vroegtijdige uitstroom zonder reden", `<a href="/learners/L-ENGELS">`, "3 bevindingen op 2026-03-15")
	if strings.Contains(r.Body.String(), "L-XHONNEUX") {
		t.Error("a coordinator sees another provider's finding")
	}
	// The summary lists every kind in the order of quality.Kinds, with its count.
	body := r.Body.String()
	if i, j := strings.Index(body, "Aanmelding zonder start"), strings.Index(body, "Evaluatie buiten de inschrijving"); i < 0 || j < i {
		t.Error("the summary does not list the kinds in order")
	}

	r = a.As("admin").Get("/quality")
	servertest.WantBody(t, "admin", r, `<a href="/learners/L-XHONNEUX">`, `<a href="/learners/L-DEWULF">`, "4 bevindingen op 2026-03-15")

	c := a.As("admin")
	c.Lang = "en"
	servertest.WantBody(t, "English", c.Get("/quality"), "Enrollment without placement", "4 findings as of 2026-03-15")

	r = a.As("coordinator2").Get("/quality?kind=enrollment_without_placement")
	servertest.WantStatus(t, "one kind", r, http.StatusOK)
	servertest.WantBody(t, "one kind", r, `<a href="/learners/L-XHONNEUX">`, "Alle soorten")
	servertest.WantStatus(t, "unknown kind", a.As("admin").Get("/quality?kind=nope"), http.StatusBadRequest)
	r = a.As("admin").Get("/quality?as_of=2025-12-01")
	servertest.WantBody(t, "as of", r, "op 2025-12-01")
	servertest.WantStatus(t, "bad date", a.As("admin").Get("/quality?as_of=morgen"), http.StatusUnprocessableEntity)
}

// A kind with many findings shows ten on the overview and pages of fifty.
func TestQualityPaginatesLargeKinds(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ds := &domain.DataSet{}
	for i := range 60 {
		id := fmt.Sprintf("L-EXTRA-%02d", i)
		ds.Learners = append(ds.Learners, domain.Learner{ID: id, FirstName: "X", LastName: "Extra", BirthDate: domain.MustDate("1990-01-01"),
			Gender: "x", SchoolingLevel: "primary", Literacy: "literate_latin", LearningRoute: "standard", CivicStatus: "obliged", Perspective: "work"})
		ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: id, Group: "G1", StartDate: domain.MustDate("2026-01-05"), Status: "active"})
	}
	tx, _ := a.DB.Begin(context.Background())
	if _, err := tx.Upsert(context.Background(), ds, nil); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	c := a.As("coordinator")
	r := c.Get("/quality")
	servertest.WantBody(t, "overview", r, "Alle 62 tonen") // and L-DEWULF, L-ENGELS of the fixture
	if n := strings.Count(r.Body.String(), `href="/learners/`); n != 10 {
		t.Errorf("the overview shows %d findings of the kind, want 10", n)
	}
	r = c.Get("/quality?kind=enrollment_without_placement&as_of=2026-03-15")
	if n := strings.Count(r.Body.String(), `href="/learners/`); n != 50 {
		t.Errorf("page 1 shows %d findings, want 50", n)
	}
	servertest.WantBody(t, "page 1", r, "Pagina 1 van 2")
	r = c.Get("/quality?kind=enrollment_without_placement&as_of=2026-03-15&page=2")
	if n := strings.Count(r.Body.String(), `href="/learners/`); n != 12 {
		t.Errorf("page 2 shows %d findings, want 12", n)
	}
}
