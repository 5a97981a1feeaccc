package public

import (
	"maps"
	"slices"
	"testing"
)

// Every language of the questions has every text of the Dutch page.
func TestSurveyTextsComplete(t *testing.T) {
	for _, lang := range surveyLangs {
		for _, key := range slices.Sorted(maps.Keys(surveyCatalogue["nl"])) {
			if surveyCatalogue[lang][key] == "" {
				t.Errorf("%s: no text %q", lang, key)
			}
		}
		if n, want := len(surveyCatalogue[lang]), len(surveyCatalogue["nl"]); n != want {
			t.Errorf("%s: %d texts, Dutch has %d", lang, n, want)
		}
	}
}
