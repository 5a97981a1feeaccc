// Package locale is the message catalogue of the interface: Dutch, the
// default, and English. The texts live in translations/nl.json and
// translations/en.json, embedded in the binary, so that a translator edits
// one flat file per language (key → text, with fmt verbs such as %d where a
// number goes) without reading Go.
//
// Texts that the specification defines in Dutch are not repeated in nl.json:
// the names of indicators, breakdowns and figures (internal/indicator, from
// spec/indicators.md), the kinds of data-quality findings (internal/quality)
// and the labels of domain's code lists and skills. Their Dutch comes from the
// package that defines them, so a workbook and a page can never name one
// thing twice; en.json holds their English.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/quality"
)

// Default is the language of a page unless English is chosen.
const Default = "nl"

// Languages are the languages of the interface, the default first.
var Languages = []string{"nl", "en"}

//go:embed translations/*.json
var files embed.FS

// catalogue maps a language to its texts by key.
var catalogue = mustLoad()

// mustLoad reads the embedded translation files and adds the Dutch texts
// that other packages define. The files are part of the binary and a test
// checks them, so a broken file is a programming error.
func mustLoad() map[string]map[string]string {
	c, err := load()
	if err != nil {
		panic("locale: " + err.Error())
	}
	return c
}

func load() (map[string]map[string]string, error) {
	c := map[string]map[string]string{}
	for _, lang := range Languages {
		b, err := files.ReadFile("translations/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("translations/%s.json: %w", lang, err)
		}
		c[lang] = m
	}
	nl := c["nl"]
	for key, text := range specDutch() {
		if _, dup := nl[key]; dup {
			return nil, fmt.Errorf("translations/nl.json: %q is defined by the specification; remove it from the file", key)
		}
		nl[key] = text
	}
	return c, nil
}

// specDutch are the Dutch texts of keys whose wording the specification and
// the engine own.
func specDutch() map[string]string {
	m := map[string]string{}
	for i, name := range indicator.IndicatorNames {
		m["ind."+name] = indicator.IndicatorLabels[i]
	}
	for i, name := range indicator.BreakdownNames {
		m["bd."+name] = indicator.BreakdownLabels[i]
	}
	for _, d := range indicator.FigureDefs {
		for which, text := range map[string]string{"label": d.Label, "short": d.Short, "num": d.Numerator, "den": d.Denom} {
			if text != "" { // a figure without a numerator (the median) has no text for it
				m["fig."+d.Code+"."+which] = text
			}
		}
	}
	for _, k := range quality.Kinds {
		m["qual."+k.Code] = k.Title
		m["qual."+k.Code+".text"] = k.Explanation
	}
	return m
}

// Lang returns lang when it is a language of the interface, else Default.
func Lang(lang string) string {
	if _, ok := catalogue[lang]; ok {
		return lang
	}
	return Default
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := catalogue[Default][key]
	return ok
}

// T returns the text of key in lang, formatted with args. A key missing in
// lang falls back to Dutch; an unknown key is shown as itself, so that a gap
// is visible on the page (and a test of the catalogue finds it).
func T(lang, key string, args ...any) string {
	text, ok := catalogue[lang][key]
	if !ok {
		if text, ok = catalogue[Default][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}

// codeLists are domain's code lists by name.
var codeLists = func() map[string]*domain.CodeList {
	m := map[string]*domain.CodeList{}
	for _, l := range []*domain.CodeList{domain.ProviderTypes, domain.GoalSources, domain.Genders, domain.SchoolingLevels,
		domain.Literacies, domain.LearningRoutes, domain.CivicStatuses, domain.Perspectives, domain.ReferralSources,
		domain.PlacementMethods, domain.Intensities, domain.EnrollmentStatuses, domain.EvaluationKinds, domain.Decisions,
		domain.CertificateKinds, domain.OutflowTypes, domain.OutflowReasons, domain.Destinations, domain.FollowUpStatuses,
		domain.RespondentKinds, domain.PartnerTypes, domain.AttendanceStatuses} {
		m[l.Name] = l
	}
	return m
}()

// Code returns the label of code in domain's code list named list (e.g.
// "decision"): domain's Dutch label, or the English one of en.json
// ("code.<list>/<code>"), or the code with its underscores as spaces. A code
// that is not in the list is shown as it is.
func Code(lang, list, code string) string {
	l := codeLists[list]
	if l == nil || !l.Has(code) {
		return code
	}
	if lang != "en" {
		return l.Label(code)
	}
	if s, ok := catalogue["en"]["code."+list+"/"+code]; ok {
		return s
	}
	return strings.ReplaceAll(code, "_", " ")
}

// Skill returns the name of skill k in lang.
func Skill(lang string, k domain.Skill) string {
	if k < 0 || k >= domain.NumSkills {
		return ""
	}
	if lang == "en" {
		if s, ok := catalogue["en"]["skill."+domain.SkillCodes[k]]; ok {
			return s
		}
	}
	return domain.SkillLabels[k]
}
