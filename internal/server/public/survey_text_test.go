package public

import (
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// The languages of the questions are those whose catalogue file has the
// survey's texts (the catalogue's test checks that each has them all).
func TestSurveyLanguages(t *testing.T) {
	if want := []string{"nl", "ar", "en", "fr"}; !slices.Equal(surveyLangs, want) {
		t.Errorf("surveyLangs = %q, want %q", surveyLangs, want)
	}
	if got := surveyDir("ar"); got != "rtl" {
		t.Errorf("surveyDir(ar) = %q, want rtl", got)
	}
	if got := surveyTexts("fr")["send"]; got != "Envoyer" {
		t.Errorf("French send = %q", got)
	}
}

// TestAnswerWordsPerQuestion: every question of every kind of respondent
// has five answer words of its own in every language of the questions,
// five different ones, so that no question falls back to another
// language's words or to a scale that does not answer it (issue 20).
func TestAnswerWordsPerQuestion(t *testing.T) {
	t.Parallel()
	respondents := make([]string, 0, len(domain.SurveyScores))
	for r := range domain.SurveyScores {
		respondents = append(respondents, r)
	}
	slices.Sort(respondents)
	for _, lang := range surveyLangs {
		for _, resp := range respondents {
			for _, score := range domain.SurveyScores[resp] {
				seen := map[string]bool{}
				for k := 1; k <= int(domain.MaxScore); k++ {
					key := answerKey(resp, score, k)
					if !locale.Defined(lang, key) {
						t.Errorf("%s: no %s", lang, key)
						continue
					}
					w := locale.T(lang, key)
					if seen[w] {
						t.Errorf("%s: %s repeats %q", lang, key, w)
					}
					seen[w] = true
				}
			}
		}
	}
	want := []string{"helemaal niet graag", "niet graag", "een beetje", "graag", "heel graag"}
	for k, w := range want {
		if got := locale.T("nl", answerKey("learner", "involvement", k+1)); got != w {
			t.Errorf("nl involvement %d = %q, want %q", k+1, got, w)
		}
	}
}
