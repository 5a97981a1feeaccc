package ui

import (
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
)

// How the dashboard and drill-down name indicators, breakdowns, figures and
// classes, from the catalogue of internal/locale.

// indicatorLabel is the name of indicator name in lang.
func indicatorLabel(lang, name string) string { return locale.T(lang, "ind."+name) }

// breakdownLabel is the name of breakdown name in lang.
func breakdownLabel(lang, name string) string { return locale.T(lang, "bd."+name) }

// figureText is the label, short label, numerator or denominator ("label",
// "short", "num", "den") of figure code in lang.
func figureText(lang, code, which string) string {
	key := "fig." + code + "." + which
	if !locale.Has(key) {
		return ""
	}
	return locale.T(lang, key)
}

// breakdownLists are the code lists of the learner-attribute breakdowns.
var breakdownLists = map[string]*domain.CodeList{
	indicator.BreakdownGender:         domain.Genders,
	indicator.BreakdownLearningRoute:  domain.LearningRoutes,
	indicator.BreakdownSchoolingLevel: domain.SchoolingLevels,
	indicator.BreakdownLiteracy:       domain.Literacies,
	indicator.BreakdownCivicStatus:    domain.CivicStatuses,
}

// breakdownKeyLabel is how a key of breakdown name reads: a provider by its
// code, a code by its label, an age band or level as it is.
func breakdownKeyLabel(lang, name, key string) string {
	if l := breakdownLists[name]; l != nil {
		return locale.Code(lang, l.Name, key)
	}
	return key
}

// fieldLabel is how a class or count field of indicator ind reads
// (see indicator.Fields), e.g. "laat gestart" or "reden: werk".
func fieldLabel(lang, ind, field string) string {
	if field == "" || field == "cohort" {
		return locale.T(lang, "class.cohort")
	}
	if ind == indicator.IndicatorLearningGain {
		if rest, ok := strings.CutPrefix(field, "by_skill."); ok {
			skill, what, _ := strings.Cut(rest, ".")
			if k := slices.Index(domain.SkillCodes[:], skill); k >= 0 {
				return locale.T(lang, "class.learning_gain.by_skill."+what, locale.Skill(lang, domain.Skill(k)))
			}
		}
	}
	if ind == indicator.IndicatorOutflow {
		if r, ok := strings.CutPrefix(field, "reasons."); ok {
			return locale.T(lang, "class.outflow.reasons", locale.Code(lang, domain.OutflowReasons.Name, r))
		}
		if d, ok := strings.CutPrefix(field, "destinations."); ok {
			return locale.T(lang, "class.outflow.destinations", locale.Code(lang, domain.Destinations.Name, d))
		}
	}
	switch ind {
	case indicator.IndicatorWellbeing, indicator.IndicatorInvolvement:
		if n, ok := strings.CutPrefix(field, "distribution."); ok {
			return locale.T(lang, "class.score.distribution", n)
		}
		return locale.T(lang, "class.observed."+field)
	case indicator.IndicatorSurvey:
		var sv indicator.Survey
		for _, sc := range sv.Scores() {
			if rest, ok := strings.CutPrefix(field, sc.Code()+"."); ok {
				return locale.T(lang, "class.survey."+sc.Code()) + ": " + scoreFieldLabel(lang, rest)
			}
		}
		return scoreFieldLabel(lang, field)
	}
	if ind == indicator.IndicatorEffects && field == "total" {
		field = "cohort"
	}
	return locale.T(lang, "class."+ind+"."+field)
}

// scoreFieldLabel names a field of one survey score: responses, high,
// middle, low or distribution.N.
func scoreFieldLabel(lang, field string) string {
	if n, ok := strings.CutPrefix(field, "distribution."); ok {
		return locale.T(lang, "class.score.distribution", n)
	}
	return locale.T(lang, "class.score."+field)
}
