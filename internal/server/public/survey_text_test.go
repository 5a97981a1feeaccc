package public

import (
	"slices"
	"testing"
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
