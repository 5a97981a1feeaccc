package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// obsForm is a posted observation form of G1 on date: L-AERTS in row 0,
// L-DEWULF in row 1, L-ENGELS (left on 2026-02-01) in row 2, with fields
// given as "o0.wellbeing" → "4".
func obsForm(date string, fields map[string]string) url.Values {
	f := url.Values{"date": {date}, "o0.learner": {"L-AERTS"}, "o1.learner": {"L-DEWULF"}, "o2.learner": {"L-ENGELS"}}
	for k, v := range fields {
		f.Set(k, v)
	}
	return f
}

// storedObservations returns G1's observations as learner → "date w/i".
func storedObservations(t *testing.T, a *servertest.App) map[string]string {
	t.Helper()
	obs, err := a.DB.FindGroupObservations(context.Background(), "G1")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range obs {
		out[o.Learner+" "+o.Date.String()] = string(rune('0'+o.Wellbeing)) + "/" + string(rune('0'+o.Involvement))
	}
	return out
}

func TestObservationFormRefuses(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	tests := []struct {
		name   string
		date   string
		fields map[string]string
		want   string // in the page
	}{
		{"score 6", "2026-03-13", map[string]string{"o0.wellbeing": "4", "o1.wellbeing": "6"}, nl("rule.score", 6, 1, 5)},
		{"score text", "2026-03-13", map[string]string{"o1.involvement": "veel"}, nl("read.wholenumber", "veel")},
		{"learner not in the group", "2026-03-13", map[string]string{"o0.wellbeing": "4", "o3.learner": "L-ZEGERS", "o3.wellbeing": "3"}, "Niet in deze groep ingeschreven: L-ZEGERS"},
		{"date after the enrollment", "2026-03-13", map[string]string{"o0.wellbeing": "4", "o2.wellbeing": "3"}, nl("rule.afterenrollment", domain.MustDate("2026-03-13"), "G1", domain.MustDate("2026-02-01"))},
		{"date before the enrollment", "2026-01-02", map[string]string{"o0.wellbeing": "4"}, nl("rule.beforeenrollment", domain.MustDate("2026-01-02"), "G1", domain.MustDate("2026-01-05"))},
		{"future date", "2026-03-16", map[string]string{"o0.wellbeing": "4"}, nl("rule.future", domain.MustDate("2026-03-16"))},
		{"no date", "", map[string]string{"o0.wellbeing": "4"}, nl("rule.required")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := obsForm(tt.date, tt.fields)
			rec := c.Post("/groups/G1/observations", f)
			servertest.WantStatus(t, tt.name, rec, http.StatusUnprocessableEntity)
			servertest.WantBody(t, tt.name, rec, tt.want)
			if got := storedObservations(t, a); len(got) != 0 {
				t.Errorf("%s: stored %v, want nothing", tt.name, got)
			}
		})
	}
}

func TestObservationFormSaves(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	ctx := context.Background()
	v0, _ := a.DB.DataVersion(ctx)
	rec := c.Post("/groups/G1/observations", obsForm("2026-03-13", map[string]string{
		"o0.wellbeing": "4", "o0.involvement": "5", "o1.wellbeing": "2", "o2.wellbeing": ""}))
	servertest.WantStatus(t, "save", rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/groups/G1?date=2026-03-13&saved=2&what=observations#observations" {
		t.Errorf("redirect to %q", loc)
	}
	got := storedObservations(t, a)
	if len(got) != 2 || got["L-AERTS 2026-03-13"] != "4/5" || got["L-DEWULF 2026-03-13"] != "2/0" {
		t.Errorf("stored %v, want L-AERTS 4/5 and L-DEWULF 2/0", got)
	}
	// One transaction: the data version moved once, and both records have
	// their audit entry.
	v1, _ := a.DB.DataVersion(ctx)
	if v1 != v0+1 {
		t.Errorf("data version %d → %d, want one step", v0, v1)
	}
	for _, l := range []string{"L-AERTS", "L-DEWULF"} {
		trail, err := a.DB.ListAudit(ctx, l, 20)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range trail {
			found = found || e.Entity == "observations" && e.Action == store.AuditCreate && e.Username == "t1"
		}
		if !found {
			t.Errorf("no audit entry for the observation of %s", l)
		}
	}
	// The page shows the last scores beside each learner.
	page := c.Get("/groups/G1?what=observations&saved=2")
	servertest.WantStatus(t, "page", page, http.StatusOK)
	servertest.WantBody(t, "page", page, "Opgeslagen: 2 observatie(s) gewijzigd.", "laatst: welb. 4 · betr. 5 (2026-03-13)",
		"laatst: welb. 2 · betr. – (2026-03-13)", `title="1 zeer laag: voelt zich niet goed in de groep"`,
		"gaat volledig op in de taken")
	// The page the save redirects to shows the scores saved on that date,
	// not an empty form.
	page = c.Get(rec.Header().Get("Location"))
	servertest.WantBody(t, "after save", page, `id="obs-date" name="date" value="2026-03-13"`,
		`id="o0-wellbeing-4" value="4" checked>`, `id="o0-involvement-5" value="5" checked>`,
		`id="o1-wellbeing-2" value="2" checked>`, `id="o1-involvement-0" value="" checked>`)
	// htmx gets the form back, with what it saved.
	c.HTMX = true
	rec = c.Post("/groups/G1/observations", obsForm("2026-03-14", map[string]string{"o0.wellbeing": "3"}))
	servertest.WantStatus(t, "htmx save", rec, http.StatusOK)
	servertest.WantBody(t, "htmx save", rec, `id="observations"`, "Opgeslagen: 1 observatie(s) gewijzigd.",
		`id="obs-date" name="date" value="2026-03-14"`, `id="o0-wellbeing-3" value="3" checked>`, `id="o1-wellbeing-0" value="" checked>`)
	// Today's form (nothing saved on 15 March) is empty.
	c.HTMX = false
	servertest.WantBody(t, "today", c.Get("/groups/G1"), `id="obs-date" name="date" value="2026-03-15"`, `id="o0-wellbeing-0" value="" checked>`)
}

func TestGroupGoalsInWords(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	rec := a.As("teacher").Get("/groups/G1")
	servertest.WantStatus(t, "group", rec, http.StatusOK)
	// M1-S1 is spoken production at A1 (level 2 of the ladder): in words, its description in the
	// tip that shows on hover and focus and describes the checkbox for screen readers.
	servertest.WantBody(t, "group", rec, `aria-describedby="r0-goal1-tip"> Spreken A1<span class="tip" id="r0-goal1-tip">Stelt zichzelf voor</span>`)
	// Not in a title too, which would show a second tooltip on hover.
	if strings.Contains(rec.Body.String(), `<label class="goal" title=`) {
		t.Error("a goal's label has a title beside its tip")
	}
}

func TestLearnerWellbeingChartAndFlag(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	servertest.WantStatus(t, "observe", a.As("teacher").Post("/groups/G1/observations", obsForm("2026-03-13", map[string]string{
		"o0.wellbeing": "2", "o0.involvement": "4", "o1.wellbeing": "4", "o1.involvement": "4"})), http.StatusSeeOther)
	c := a.As("counsellor")
	rec := c.Get("/learners/L-AERTS")
	servertest.WantStatus(t, "learner", rec, http.StatusOK)
	servertest.WantBody(t, "learner", rec, `id="wellbeing-chart"`, "data-wb-chart=", "2 laag", "Laag welbevinden of lage betrokkenheid")
	rec = c.Get("/learners?flag=low_wellbeing")
	servertest.WantStatus(t, "list", rec, http.StatusOK)
	servertest.WantBody(t, "list", rec, "L-AERTS", `flag-low_wellbeing`)
	if strings.Contains(rec.Body.String(), "/learners/L-DEWULF") {
		t.Errorf("L-DEWULF (scores 4 and 4) is listed under low wellbeing")
	}
}
