package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestSurveyRoundForGroup: a round of learners can be aimed at one group of
// its provider; it then expects as many answers as the group has learners
// (enrolled on the day it opens), the round's page and list name the group
// and count the answers against its learners, and the questionnaire names
// the group. A group of another provider, or a group for staff, is refused
// beside the field.
func TestSurveyRoundForGroup(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	ctx := context.Background()
	k := a.As("coordinator")
	form := url.Values{"provider": {"P1"}, "respondent": {"learner"}, "group": {"G1"}, "closes": {"2026-03-31"}, "ask_learner": {"1"}}
	r := k.Post("/surveys", form)
	servertest.WantStatus(t, "open", r, http.StatusSeeOther)
	id := strings.TrimPrefix(r.Header().Get("Location"), "/surveys/")
	round, err := a.DB.FindSurveyRound(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// G1 on 2026-03-15: Aerts and Dewulf; Engels left on 2026-02-01.
	if round.Group != "G1" || round.GroupLearners != 2 || round.Expected != 2 {
		t.Fatalf("round %+v: want group G1 with 2 learners, expecting 2", round)
	}
	servertest.WantBody(t, "round page", k.Get("/surveys/"+id), "groep G1", `<dd id="round-group">G1</dd>`,
		`<dd id="round-group-learners">2</dd>`, "0 van 2 lerenden")
	servertest.WantBody(t, "list", k.Get("/surveys"), "<td>G1</td>")

	p := a.PhoneAt("192.0.2.7")
	servertest.WantBody(t, "questionnaire", p.Get("/s/"+round.Token), "Voor CVO Een, groep G1")
	ft := servertest.SurveyForm(t, p, round)
	servertest.WantStatus(t, "answer", p.Post("/s/"+round.Token, url.Values{"ft": {ft}, "wellbeing": {"4"}}), http.StatusOK)
	servertest.WantBody(t, "counted", k.Get("/surveys/"+id), "1 van 2 lerenden")

	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"provider": {"P1"}, "respondent": {"learner"}, "group": {"G2"}, "closes": {"2026-03-31"}}, "Deze aanbieder heeft geen groep met deze code."},
		{url.Values{"provider": {"P1"}, "respondent": {"learner"}, "group": {"G-NONE"}, "closes": {"2026-03-31"}}, "Deze aanbieder heeft geen groep met deze code."},
		{url.Values{"provider": {"P1"}, "respondent": {"staff"}, "group": {"G1"}, "closes": {"2026-03-31"}}, "Alleen een bevraging van lerenden kan voor één groep zijn."},
	} {
		r := k.Post("/surveys", tc.form)
		servertest.WantStatus(t, tc.want, r, http.StatusUnprocessableEntity)
		servertest.WantBody(t, tc.want, r, tc.want, `id="group-err"`)
	}
	if rounds, _ := a.DB.FindSurveyRounds(ctx, nil); len(rounds) != 1 {
		t.Errorf("%d rounds stored, want the one", len(rounds))
	}
	// A round without a group still expects 25 by default.
	r = k.Post("/surveys", url.Values{"provider": {"P1"}, "respondent": {"learner"}, "closes": {"2026-03-31"}})
	servertest.WantStatus(t, "open without a group", r, http.StatusSeeOther)
	if other, err := a.DB.FindSurveyRound(ctx, strings.TrimPrefix(r.Header().Get("Location"), "/surveys/")); err != nil || other.Group != "" || other.Expected != 25 {
		t.Errorf("round without a group: %+v, %v", other, err)
	}
}

// TestSurveyRoundQRViews: the round's code full screen (for a projector)
// and on an A4 sheet with plain instructions, for whoever manages the
// round only, built from the public address; without one they say what to
// configure.
func TestSurveyRoundQRViews(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	round := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	base := "/surveys/" + round.ID
	k := a.As("coordinator")
	servertest.WantBody(t, "no public address", k.Get(base+"/qr"), "--public-url")
	a.ServeWith(func(cfg *server.Config) { cfg.PublicURL = "https://traject.example.org" })
	k = a.As("coordinator")
	link := "https://traject.example.org/s/" + round.Token
	servertest.WantBody(t, "round page", k.Get(base), `href="`+base+`/qr"`, `href="`+base+`/print"`)
	full := k.Get(base + "/qr")
	servertest.WantStatus(t, "full screen", full, http.StatusOK)
	servertest.WantBody(t, "full screen", full, `class="qr-full"`, `src="data:image/png;base64,`, link, "Scan de code met je telefoon")
	sheet := k.Get(base + "/print")
	servertest.WantStatus(t, "print", sheet, http.StatusOK)
	servertest.WantBody(t, "print", sheet, `class="qr-sheet"`, `src="data:image/png;base64,`, link, "data-print",
		"Open de camera van je telefoon.", "Je kunt antwoorden tot en met 2026-03-31.", "English", "Français", "العربية")
	for _, role := range []string{"teacher", "counsellor", "coordinator2"} {
		for _, p := range []string{"/qr", "/print"} {
			if r := a.As(role).Get(base + p); r.Code != http.StatusForbidden && r.Code != http.StatusNotFound {
				t.Errorf("%s GET %s: %d, want 403 or 404", role, p, r.Code)
			}
		}
	}
}
