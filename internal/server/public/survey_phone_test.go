package public_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/server/servertest"
)

// TestSurveyOneLanguageChoice: the questionnaire has one language control,
// its own (Dutch, English, French, Arabic), and no selector of the site's
// beside it; choosing an interface language sets the whole page in it.
func TestSurveyOneLanguageChoice(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	p := a.PhoneAt("192.0.2.9")
	for _, lang := range []string{"", "nl", "en", "fr", "ar"} {
		path := "/s/" + r.Token
		if lang != "" {
			path += "?taal=" + lang
		}
		rec := p.Get(path)
		servertest.WantStatus(t, path, rec, http.StatusOK)
		body := rec.Body.String()
		if strings.Contains(body, `action="/lang"`) || strings.Contains(body, `id="lang-select"`) {
			t.Errorf("%s: the site's language selector is on the survey page", path)
		}
		if n := strings.Count(body, `class="survey-langs"`); n != 1 {
			t.Errorf("%s: %d language controls, want 1", path, n)
		}
	}
	servertest.WantBody(t, "english frame", p.Get("/s/"+r.Token+"?taal=en"), `<html lang="en">`, "Do you like taking part in class?", "not at all", "very much")
	servertest.WantBody(t, "french", p.Get("/s/"+r.Token+"?taal=fr"), `lang="fr"`, "Aimez-vous participer au cours ?", "pas du tout", "oui, beaucoup")
}

// TestSurveyLearnerNumberSaysWhoSees: beside the learner number the form
// says in plain words who can see a named answer (the provider's
// coordinators and the administrators, not the teacher or counsellor), that
// a later answer replaces it, and that without a number it is anonymous.
func TestSurveyLearnerNumberSaysWhoSees(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	r := servertest.OpenRound(t, a, "2026-03-31", servertest.Now)
	p := a.PhoneAt("192.0.2.10")
	servertest.WantBody(t, "nl", p.Get("/s/"+r.Token), `aria-describedby="learner-why"`,
		"Alleen de coördinatoren van CVO Een en de beheerders van Traject kunnen dan zien wat je antwoordde.",
		"Je lesgever en je trajectbegeleider zien het niet.", "Dan telt alleen je laatste antwoord.", "Dan weet niemand dat dit jouw antwoord is.")
	servertest.WantBody(t, "ar", p.Get("/s/"+r.Token+"?taal=ar"), "منسقو CVO Een")
}
