package public

import (
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// The texts of the survey page are the catalogue's survey.… keys: plain
// Dutch (B1 or simpler) first, and every language whose file has them, for
// learners who read it better (today English, French and Arabic). A
// language of the questions need not be a language of the whole interface.

// surveyLangs are the languages of the questions: those whose catalogue
// file holds the survey's texts, Dutch first.
var surveyLangs = func() []string {
	var out []string
	for _, l := range locale.Languages {
		if locale.Defined(l, "survey.title") {
			out = append(out, l)
		}
	}
	return out
}()

// surveyKeys are the survey's keys without their "survey." prefix.
var surveyKeys = func() []string {
	var out []string
	for _, k := range locale.Keys(locale.Default) {
		if s, ok := strings.CutPrefix(k, "survey."); ok {
			out = append(out, s)
		}
	}
	return out
}()

// surveyTexts returns the texts in lang (with the catalogue's fallback to
// Dutch), by their keys without "survey.", for the template.
func surveyTexts(lang string) map[string]string {
	m := make(map[string]string, len(surveyKeys))
	for _, k := range surveyKeys {
		m[k] = locale.T(lang, "survey."+k)
	}
	return m
}

// surveyDir is the writing direction of lang, "ltr" or "rtl".
func surveyDir(lang string) string { return locale.T(lang, "language.dir") }

// answerKey is the catalogue key of the words of point k (1 to 5) of the
// scale of one question, named by who answers and what it scores: each
// question has answer words of its own, in every language of the
// questions ("Doe je graag mee in de les?" runs from "helemaal niet graag"
// to "heel graag", not from "heel slecht" to "heel goed").
func answerKey(respondent, score string, k int) string {
	return "survey.a." + respondent + "." + score + "." + strconv.Itoa(k)
}
