package public_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
)

func TestSurveyPage(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	c := a.PhoneAt("192.0.2.1")
	rec := c.Get("/s/" + r.Token)
	servertest.WantStatus(t, "page", rec, http.StatusOK)
	servertest.WantBody(t, "page", rec, "Hoe voel je je in de groep?", "Doe je graag mee in de les?", "Ben je tevreden over de cursus?",
		"Voor CVO Een", `name="learner"`, `name="comment"`, `?taal=ar`, "helemaal niet graag", "heel graag", "helemaal niet tevreden")
	if strings.Contains(rec.Body.String(), "Aerts") || strings.Contains(rec.Body.String(), "L-AERTS") {
		t.Error("the survey page names a learner")
	}
	// Arabic reads right to left.
	servertest.WantBody(t, "arabic", c.Get("/s/"+r.Token+"?taal=ar"), `dir="rtl"`, "كيف تشعر في المجموعة؟")

	ft := servertest.SurveyForm(t, c, r)
	answer := url.Values{"ft": {ft}, "wellbeing": {"4"}, "involvement": {"5"}, "satisfaction": {"3"}, "comment": {"Leuke les"}, "learner": {"L-AERTS"}}
	rec = c.Post("/s/"+r.Token, answer)
	servertest.WantStatus(t, "submit", rec, http.StatusOK)
	servertest.WantBody(t, "submit", rec, "Dank je wel! Je antwoord is bewaard.")
	got := servertest.Responses(t, a)
	if len(got) != 1 {
		t.Fatalf("%d responses stored, want 1", len(got))
	}
	if x := got[0]; x.Provider != "P1" || x.Respondent != "learner" || x.Date != domain.DateOf(servertest.Now) || x.Learner != "L-AERTS" ||
		x.Wellbeing != 4 || x.Involvement != 5 || x.Satisfaction != 3 || x.Comment != "Leuke les" || !strings.HasPrefix(x.ID, "WEB-") {
		t.Errorf("stored %+v", x)
	}

	// Replay: the same form again is refused and stores nothing.
	rec = c.Post("/s/"+r.Token, answer)
	servertest.WantStatus(t, "replay", rec, http.StatusConflict)
	servertest.WantBody(t, "replay", rec, "Dit formulier is al verstuurd.")

	// Forgery: a token with another signature, or one of another round.
	forged := url.Values{"ft": {ft[:strings.LastIndex(ft, ".")+1] + "AAAA"}, "wellbeing": {"1"}}
	servertest.WantStatus(t, "forged", c.Post("/s/"+r.Token, forged), http.StatusForbidden)
	servertest.WantStatus(t, "no token", c.Post("/s/"+r.Token, url.Values{"wellbeing": {"1"}}), http.StatusForbidden)
	other := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	otherFT := servertest.SurveyForm(t, c, other)
	servertest.WantStatus(t, "token of another round", c.Post("/s/"+r.Token, url.Values{"ft": {otherFT}, "wellbeing": {"1"}}), http.StatusForbidden)

	// Oversize: a comment over 1,000 characters comes back with a message;
	// a body over the limit is refused outright.
	long := url.Values{"ft": {servertest.SurveyForm(t, c, r)}, "wellbeing": {"2"}, "comment": {strings.Repeat("é", 1001)}}
	rec = c.Post("/s/"+r.Token, long)
	servertest.WantStatus(t, "long comment", rec, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "long comment", rec, "Je tekst is te lang: maximaal 1000 tekens.")
	huge := url.Values{"ft": {servertest.SurveyForm(t, c, r)}, "wellbeing": {"2"}, "comment": {strings.Repeat("x", 20000)}}
	servertest.WantStatus(t, "huge body", c.Post("/s/"+r.Token, huge), http.StatusRequestEntityTooLarge)
	// No score at all, or a score off the scale.
	rec = c.Post("/s/"+r.Token, url.Values{"ft": {servertest.SurveyForm(t, c, r)}})
	servertest.WantStatus(t, "no score", rec, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "no score", rec, "Kies bij minstens één vraag een gezichtje.")
	servertest.WantStatus(t, "score 9", c.Post("/s/"+r.Token, url.Values{"ft": {servertest.SurveyForm(t, c, r)}, "wellbeing": {"9"}}), http.StatusUnprocessableEntity)
	if n := len(servertest.Responses(t, a)); n != 1 {
		t.Errorf("%d responses after the refusals, want 1", n)
	}

	// An unknown link, or a round's id in place of its token: 404.
	servertest.WantStatus(t, "unknown token", c.Get("/s/nope"), http.StatusNotFound)
	servertest.WantStatus(t, "round id as token", c.Get("/s/"+r.ID), http.StatusNotFound)
	servertest.WantStatus(t, "post to unknown token", c.Post("/s/nope", url.Values{"ft": {ft}, "wellbeing": {"1"}}), http.StatusNotFound)
}

func TestSurveyClosed(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.PhoneAt("192.0.2.1")
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	ft := servertest.SurveyForm(t, c, r)
	// The coordinator closes the round: the link answers 410, and a form
	// served before is refused.
	k := a.As("coordinator")
	// Without its confirmation ticked, closing asks again and the link works.
	unconfirmed := k.Post("/surveys/"+r.ID+"/close", nil)
	servertest.WantStatus(t, "close unconfirmed", unconfirmed, http.StatusSeeOther)
	servertest.WantBody(t, "asked again", k.Get(unconfirmed.Header().Get("Location")), "Vink eerst aan dat je de bevraging wilt afsluiten.")
	servertest.WantStatus(t, "link after an unconfirmed close", c.Get("/s/"+r.Token), http.StatusOK)
	servertest.WantStatus(t, "close", k.Post("/surveys/"+r.ID+"/close", url.Values{"confirm": {"1"}}), http.StatusSeeOther)
	rec := c.Get("/s/" + r.Token)
	servertest.WantStatus(t, "closed page", rec, http.StatusGone)
	servertest.WantBody(t, "closed page", rec, "Deze bevraging is afgesloten.")
	rec = c.Post("/s/"+r.Token, url.Values{"ft": {ft}, "wellbeing": {"4"}})
	servertest.WantStatus(t, "closed post", rec, http.StatusGone)
	// A round past its closing date is closed too.
	past := servertest.OpenRound(t, a, "2026-03-14", servertest.Now.Add(-72*time.Hour))
	servertest.WantStatus(t, "past closing date", c.Get("/s/"+past.Token), http.StatusGone)
	if n := len(servertest.Responses(t, a)); n != 0 {
		t.Errorf("%d responses stored, want none", n)
	}
	// The coordinator's list counts and shows the round as closed.
	rec = k.Get("/surveys")
	servertest.WantStatus(t, "list", rec, http.StatusOK)
	servertest.WantBody(t, "list", rec, r.ID, "afgesloten")
}

func TestSurveyRoundPages(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	a.ServeWith(func(cfg *server.Config) { cfg.PublicURL = "https://traject.example.org" })
	k := a.As("coordinator")
	rec := k.Post("/surveys", url.Values{"provider": {"P1"}, "respondent": {"staff"}, "closes": {"2026-03-10"}, "ask_learner": {"1"}})
	servertest.WantStatus(t, "bad round", rec, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "bad round", rec, "De sluitingsdatum ligt in het verleden.", "Alleen lerenden hebben een cursistennummer.")
	rec = k.Post("/surveys", url.Values{"provider": {"P1"}, "respondent": {"partner"}, "closes": {"2026-03-31"}})
	servertest.WantStatus(t, "open", rec, http.StatusSeeOther)
	page := k.Get(rec.Header().Get("Location"))
	servertest.WantStatus(t, "round page", page, http.StatusOK)
	servertest.WantBody(t, "round page", page, `src="data:image/png;base64,`, "https://traject.example.org/s/", "Ronde nu afsluiten")
	// A partner round asks the partner type and satisfaction only.
	rounds, _ := a.DB.FindSurveyRounds(context.Background(), []string{"P1"})
	form := a.Anonymous().Get("/s/" + rounds[0].Token)
	servertest.WantBody(t, "partner form", form, "Ben je tevreden over de samenwerking met ons?", `name="partner_type"`)
	if strings.Contains(form.Body.String(), `name="wellbeing"`) || strings.Contains(form.Body.String(), `name="learner"`) {
		t.Error("the partner form asks for wellbeing or a learner number")
	}
}
