package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// Issue 18: what one provider's users may write about and read of a
// learner that another provider shares, and what is recorded of it.

// addData stores ds over the fixture, as an import by an admin would.
func addData(t *testing.T, a *app, ds *domain.DataSet) {
	t.Helper()
	ctx := context.Background()
	tx, err := a.db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Upsert(ctx, ds, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// outflowsOf returns the stored outflows of learner, by date.
func outflowsOf(t *testing.T, a *app, learner string) []domain.Outflow {
	t.Helper()
	ds, err := a.db.LoadDataSet(context.Background(), "outflows")
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Outflow
	for _, o := range ds.Outflows {
		if o.Learner == learner {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(x, y domain.Outflow) int { return int(x.Date - y.Date) })
	return out
}

// auditCount counts every entry of the audit trail.
func auditCount(t *testing.T, a *app) int {
	t.Helper()
	var n int
	for _, learner := range []string{"L-AERTS", "L-DEWULF", "L-BOSMANS", "L-ENGELS", "L-ZEGERS", "L-XHONNEUX"} {
		trail, err := a.db.ListAudit(context.Background(), learner, 10000)
		if err != nil {
			t.Fatal(err)
		}
		n += len(trail)
	}
	others, err := a.db.ListAuditOf(context.Background(), "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	return n + len(others)
}

var providerOptionRE = regexp.MustCompile(`(?s)<select id="out-provider".*?</select>`)
var optionValueRE = regexp.MustCompile(`<option value="([^"]*)"`)

// outflowProviderOptions returns the providers the outflow form of a
// learner page offers (the blank choice left out).
func outflowProviderOptions(t *testing.T, what, body string) []string {
	t.Helper()
	sel := providerOptionRE.FindString(body)
	if sel == "" {
		t.Fatalf("%s: the page has no outflow provider choice", what)
	}
	var out []string
	for _, m := range optionValueRE.FindAllStringSubmatch(sel, -1) {
		if m[1] != "" {
			out = append(out, m[1])
		}
	}
	return out
}

// TestOutflowFormProviders checks finding 3: the outflow form offers, and
// accepts, only providers the learner is linked to that the user may act
// for (an admin: any), and no one overwrites another provider's outflow.
func TestOutflowFormProviders(t *testing.T) {
	a := newApp(t)
	addData(t, a, &domain.DataSet{Providers: []domain.Provider{{Code: "P3", Name: "Syntra Drie", Type: "syntra"}}})

	// L-AERTS is P1's only: referred to P1, placed into M1, enrolled in G1.
	for _, tc := range []struct {
		role string
		want []string
	}{
		{"counsellor", []string{"P1"}},
		{"coordinator", []string{"P1"}},
		{"admin", []string{"P1", "P2", "P3"}},
	} {
		r := a.as(tc.role).get("/learners/L-AERTS")
		wantStatus(t, tc.role+" learner page", r, http.StatusOK)
		if got := outflowProviderOptions(t, tc.role, r.Body.String()); !slices.Equal(got, tc.want) {
			t.Errorf("%s: outflow form offers %v, want %v", tc.role, got, tc.want)
		}
	}

	outflow := func(date, provider string) url.Values {
		return url.Values{"date": {date}, "type": {"early_leaver"}, "reason": {"work"}, "provider": {provider}}
	}
	before := auditCount(t, a)
	for _, tc := range []struct{ role, provider string }{
		{"counsellor", "P2"}, {"counsellor", "P3"}, {"coordinator", "P2"}, {"coordinator", "P3"},
	} {
		what := tc.role + " outflow from " + tc.provider
		r := a.as(tc.role).post("/learners/L-AERTS/outflows", outflow("2026-03-01", tc.provider))
		wantStatus(t, what, r, http.StatusBadRequest)
		wantBody(t, what, r, "Kies een aanbieder waarvoor u deze lerende mag laten uitstromen.")
	}
	htmx := a.as("coordinator")
	htmx.htmx = true
	r := htmx.post("/learners/L-AERTS/outflows", outflow("2026-03-01", "P2"))
	wantStatus(t, "htmx outflow from P2", r, http.StatusBadRequest)
	if r.Header().Get("HX-Retarget") != "#learner-main" {
		t.Errorf("htmx outflow from P2: HX-Retarget %q, want the form's section", r.Header().Get("HX-Retarget"))
	}
	if got := outflowsOf(t, a, "L-AERTS"); len(got) != 0 {
		t.Errorf("refused outflows stored: %+v", got)
	}
	if n := auditCount(t, a); n != before {
		t.Errorf("refused outflows left %d audit entries", n-before)
	}
	r = a.as("admin").post("/learners/L-AERTS/outflows", outflow("2026-03-01", "P3"))
	wantStatus(t, "admin outflow from P3", r, http.StatusSeeOther)
	if got := outflowsOf(t, a, "L-AERTS"); len(got) != 1 || got[0].Provider != "P3" {
		t.Errorf("admin's outflow: stored %+v", got)
	}

	// L-ZEGERS becomes P1's too (a referral), and P2 records her outflow of
	// 2026-03-02: P1's coordinator may not overwrite it, with P1 or with no
	// provider; P2's may, and her counsellor (c2) may.
	addData(t, a, &domain.DataSet{
		Referrals: []domain.Referral{{Learner: "L-ZEGERS", Date: domain.MustDate("2025-11-15"), Source: "self", Provider: "P1"}},
		Outflows: []domain.Outflow{{Learner: "L-ZEGERS", Date: domain.MustDate("2026-03-02"), Type: "qualified",
			Provider: "P2"}}})
	r = a.as("coordinator").get("/learners/L-ZEGERS")
	wantStatus(t, "coordinator L-ZEGERS", r, http.StatusOK)
	if got := outflowProviderOptions(t, "coordinator L-ZEGERS", r.Body.String()); !slices.Equal(got, []string{"P1"}) {
		t.Errorf("P1's coordinator is offered %v for a learner of P1 and P2, want [P1]", got)
	}
	r = a.as("counsellor2").get("/learners/L-ZEGERS")
	if got := outflowProviderOptions(t, "counsellor2 L-ZEGERS", r.Body.String()); !slices.Equal(got, []string{"P1", "P2"}) {
		t.Errorf("L-ZEGERS' counsellor is offered %v, want [P1 P2]", got)
	}
	before = auditCount(t, a)
	for _, provider := range []string{"P1", ""} {
		what := "P1 overwrites P2's outflow with provider " + provider
		r := a.as("coordinator").post("/learners/L-ZEGERS/outflows", outflow("2026-03-02", provider))
		wantStatus(t, what, r, http.StatusUnprocessableEntity)
		wantBody(t, what, r, "Op deze datum staat al een uitstroom van een andere aanbieder.")
	}
	if got := outflowsOf(t, a, "L-ZEGERS"); len(got) != 1 || got[0].Provider != "P2" || got[0].Type != "qualified" {
		t.Errorf("P2's outflow after refused overwrites: %+v", got)
	}
	if n := auditCount(t, a); n != before {
		t.Errorf("refused overwrites left %d audit entries", n-before)
	}
	wantStatus(t, "P1 outflow on another day", a.as("coordinator").post("/learners/L-ZEGERS/outflows", outflow("2026-03-03", "P1")), http.StatusSeeOther)
	wantStatus(t, "P2 changes its own", a.as("coordinator2").post("/learners/L-ZEGERS/outflows", outflow("2026-03-02", "P2")), http.StatusSeeOther)
	if got := outflowsOf(t, a, "L-ZEGERS"); len(got) != 2 || got[0].Type != "early_leaver" || got[0].Provider != "P2" || got[1].Provider != "P1" {
		t.Errorf("outflows of L-ZEGERS: %+v", got)
	}
	wantStatus(t, "her counsellor", a.as("counsellor2").post("/learners/L-ZEGERS/outflows", outflow("2026-03-02", "P1")), http.StatusSeeOther)
}
