package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/store"
)

// openRound opens a round of P1 for learners, asking for the learner
// number, closing on closes, as the store would at opened.
func openRound(t *testing.T, a *app, closes string, opened time.Time) *store.SurveyRound {
	t.Helper()
	r, err := a.db.OpenSurveyRound(context.Background(), "k1", store.SurveyRound{Provider: "P1", Respondent: "learner",
		AskLearner: true, Closes: domain.MustDate(closes)}, opened)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var formTokenRE = regexp.MustCompile(`name="ft" value="([^"]+)"`)

// surveyForm fetches the questionnaire of r in browser p and returns its
// form token.
func surveyForm(t *testing.T, p *phone, r *store.SurveyRound) string {
	t.Helper()
	rec := p.get("/s/" + r.Token)
	wantStatus(t, "survey page", rec, http.StatusOK)
	m := formTokenRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("survey page has no form token")
	}
	return m[1]
}

// responses counts the stored survey responses.
func responses(t *testing.T, a *app) []domain.SurveyResponse {
	t.Helper()
	ds, err := a.db.LoadDataSet(context.Background(), "survey_responses")
	if err != nil {
		t.Fatal(err)
	}
	return ds.SurveyResponses
}

func TestSurveyPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	r := openRound(t, a, "2026-03-31", testNow)
	c := a.phoneAt("192.0.2.1")
	rec := c.get("/s/" + r.Token)
	wantStatus(t, "page", rec, http.StatusOK)
	wantBody(t, "page", rec, "Hoe voelt u zich in de groep?", "Doet u graag mee in de les?", "Bent u tevreden over de cursus?",
		"Voor CVO Een", `name="learner"`, `name="comment"`, `?taal=ar`)
	if strings.Contains(rec.Body.String(), "Aerts") || strings.Contains(rec.Body.String(), "L-AERTS") {
		t.Error("the survey page names a learner")
	}
	// Arabic reads right to left.
	wantBody(t, "arabic", c.get("/s/"+r.Token+"?taal=ar"), `dir="rtl"`, "كيف تشعر في المجموعة؟")

	ft := surveyForm(t, c, r)
	answer := url.Values{"ft": {ft}, "wellbeing": {"4"}, "involvement": {"5"}, "satisfaction": {"3"}, "comment": {"Leuke les"}, "learner": {"L-AERTS"}}
	rec = c.post("/s/"+r.Token, answer)
	wantStatus(t, "submit", rec, http.StatusOK)
	wantBody(t, "submit", rec, "Dank u wel! Uw antwoord is bewaard.")
	got := responses(t, a)
	if len(got) != 1 {
		t.Fatalf("%d responses stored, want 1", len(got))
	}
	if x := got[0]; x.Provider != "P1" || x.Respondent != "learner" || x.Date != domain.DateOf(testNow) || x.Learner != "L-AERTS" ||
		x.Wellbeing != 4 || x.Involvement != 5 || x.Satisfaction != 3 || x.Comment != "Leuke les" || !strings.HasPrefix(x.ID, "WEB-") {
		t.Errorf("stored %+v", x)
	}

	// Replay: the same form again is refused and stores nothing.
	rec = c.post("/s/"+r.Token, answer)
	wantStatus(t, "replay", rec, http.StatusConflict)
	wantBody(t, "replay", rec, "Dit formulier is al verstuurd.")

	// Forgery: a token with another signature, or one of another round.
	forged := url.Values{"ft": {ft[:strings.LastIndex(ft, ".")+1] + "AAAA"}, "wellbeing": {"1"}}
	wantStatus(t, "forged", c.post("/s/"+r.Token, forged), http.StatusForbidden)
	wantStatus(t, "no token", c.post("/s/"+r.Token, url.Values{"wellbeing": {"1"}}), http.StatusForbidden)
	other := openRound(t, a, "2026-03-31", testNow)
	otherFT := surveyForm(t, c, other)
	wantStatus(t, "token of another round", c.post("/s/"+r.Token, url.Values{"ft": {otherFT}, "wellbeing": {"1"}}), http.StatusForbidden)

	// Oversize: a comment over 1,000 characters comes back with a message;
	// a body over the limit is refused outright.
	long := url.Values{"ft": {surveyForm(t, c, r)}, "wellbeing": {"2"}, "comment": {strings.Repeat("é", 1001)}}
	rec = c.post("/s/"+r.Token, long)
	wantStatus(t, "long comment", rec, http.StatusUnprocessableEntity)
	wantBody(t, "long comment", rec, "Uw tekst is te lang: maximaal 1000 tekens.")
	huge := url.Values{"ft": {surveyForm(t, c, r)}, "wellbeing": {"2"}, "comment": {strings.Repeat("x", 20000)}}
	wantStatus(t, "huge body", c.post("/s/"+r.Token, huge), http.StatusRequestEntityTooLarge)
	// No score at all, or a score off the scale.
	rec = c.post("/s/"+r.Token, url.Values{"ft": {surveyForm(t, c, r)}})
	wantStatus(t, "no score", rec, http.StatusUnprocessableEntity)
	wantBody(t, "no score", rec, "Kies bij minstens één vraag een gezichtje.")
	wantStatus(t, "score 9", c.post("/s/"+r.Token, url.Values{"ft": {surveyForm(t, c, r)}, "wellbeing": {"9"}}), http.StatusUnprocessableEntity)
	if n := len(responses(t, a)); n != 1 {
		t.Errorf("%d responses after the refusals, want 1", n)
	}

	// An unknown link, or a round's id in place of its token: 404.
	wantStatus(t, "unknown token", c.get("/s/nope"), http.StatusNotFound)
	wantStatus(t, "round id as token", c.get("/s/"+r.ID), http.StatusNotFound)
	wantStatus(t, "post to unknown token", c.post("/s/nope", url.Values{"ft": {ft}, "wellbeing": {"1"}}), http.StatusNotFound)
}

func TestSurveyClosed(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.phoneAt("192.0.2.1")
	r := openRound(t, a, "2026-03-31", testNow)
	ft := surveyForm(t, c, r)
	// The coordinator closes the round: the link answers 410, and a form
	// served before is refused.
	k := a.as("coordinator")
	// Without its confirmation ticked, closing asks again and the link works.
	unconfirmed := k.post("/surveys/"+r.ID+"/close", nil)
	wantStatus(t, "close unconfirmed", unconfirmed, http.StatusSeeOther)
	wantBody(t, "asked again", k.get(unconfirmed.Header().Get("Location")), "Vink eerst aan dat je de bevraging wilt afsluiten.")
	wantStatus(t, "link after an unconfirmed close", c.get("/s/"+r.Token), http.StatusOK)
	wantStatus(t, "close", k.post("/surveys/"+r.ID+"/close", url.Values{"confirm": {"1"}}), http.StatusSeeOther)
	rec := c.get("/s/" + r.Token)
	wantStatus(t, "closed page", rec, http.StatusGone)
	wantBody(t, "closed page", rec, "Deze bevraging is afgesloten.")
	rec = c.post("/s/"+r.Token, url.Values{"ft": {ft}, "wellbeing": {"4"}})
	wantStatus(t, "closed post", rec, http.StatusGone)
	// A round past its closing date is closed too.
	past := openRound(t, a, "2026-03-14", testNow.Add(-72*time.Hour))
	wantStatus(t, "past closing date", c.get("/s/"+past.Token), http.StatusGone)
	if n := len(responses(t, a)); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
	// The coordinator's list counts and shows the round as closed.
	rec = k.get("/surveys")
	wantStatus(t, "list", rec, http.StatusOK)
	wantBody(t, "list", rec, r.ID, "afgesloten")
}

func TestSurveyRoundPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.serveWith(func(cfg *Config) { cfg.PublicURL = "https://traject.example.org" })
	k := a.as("coordinator")
	rec := k.post("/surveys", url.Values{"provider": {"P1"}, "respondent": {"staff"}, "closes": {"2026-03-10"}, "ask_learner": {"1"}})
	wantStatus(t, "bad round", rec, http.StatusUnprocessableEntity)
	wantBody(t, "bad round", rec, "De sluitingsdatum ligt in het verleden.", "Alleen lerenden hebben een cursistennummer.")
	rec = k.post("/surveys", url.Values{"provider": {"P1"}, "respondent": {"partner"}, "closes": {"2026-03-31"}})
	wantStatus(t, "open", rec, http.StatusSeeOther)
	page := k.get(rec.Header().Get("Location"))
	wantStatus(t, "round page", page, http.StatusOK)
	wantBody(t, "round page", page, `src="data:image/png;base64,`, "https://traject.example.org/s/", "Ronde nu afsluiten")
	// A partner round asks the partner type and satisfaction only.
	rounds, _ := a.db.FindSurveyRounds(context.Background(), []string{"P1"})
	form := a.anonymous().get("/s/" + rounds[0].Token)
	wantBody(t, "partner form", form, "Bent u tevreden over de samenwerking met ons?", `name="partner_type"`)
	if strings.Contains(form.Body.String(), `name="wellbeing"`) || strings.Contains(form.Body.String(), `name="learner"`) {
		t.Error("the partner form asks for wellbeing or a learner number")
	}
}
