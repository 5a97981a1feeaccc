package domain

import (
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// CodeList is a closed list of lower-case codes with their Dutch labels
// (spec/domain.md: a value outside the list is an input error, never guessed).
type CodeList struct {
	Name   string
	Codes  []string
	Labels []string // Dutch, same order as Codes
}

// Parse returns the canonical code for v, matched case-insensitively and
// without surrounding spaces. Blank is an error; callers handle optional fields.
func (c *CodeList) Parse(v string) (string, error) {
	low := strings.ToLower(strings.TrimSpace(v))
	for _, code := range c.Codes {
		if code == low {
			return code, nil
		}
	}
	if low == "" {
		return "", locale.Errorf("rule.requiredof", strings.Join(c.Codes, ", "))
	}
	return "", locale.Errorf("rule.notcode", strings.TrimSpace(v), locale.New("list."+c.Name), strings.Join(c.Codes, ", "))
}

// Has reports whether code is in the list.
func (c *CodeList) Has(code string) bool {
	for _, x := range c.Codes {
		if x == code {
			return true
		}
	}
	return false
}

// Label returns the Dutch label of code, or the code itself when unknown.
func (c *CodeList) Label(code string) string {
	for i, x := range c.Codes {
		if x == code {
			return c.Labels[i]
		}
	}
	return code
}

// The code lists of spec/domain.md.
var (
	ProviderTypes = &CodeList{"provider type",
		[]string{"cbe", "cvo", "utc", "vdab", "syntra", "private", "other"},
		[]string{"CBE", "CVO", "UCT", "VDAB", "Syntra", "privé", "andere"}}
	GoalSources = &CodeList{"goal source",
		[]string{"framework", "provider"},
		[]string{"referentiekader", "aanbieder"}}
	Genders = &CodeList{"gender",
		[]string{"f", "m", "x"},
		[]string{"vrouw", "man", "x"}}
	SchoolingLevels = &CodeList{"schooling level",
		[]string{"none", "primary", "lower_secondary", "upper_secondary", "higher", "unknown"},
		[]string{"geen", "lager onderwijs", "lager secundair", "hoger secundair", "hoger onderwijs", "onbekend"}}
	Literacies = &CodeList{"literacy",
		[]string{"literate_latin", "literate_other_script", "low_literate", "non_literate", "unknown"},
		[]string{"gealfabetiseerd (Latijns schrift)", "gealfabetiseerd (ander schrift)", "laaggeletterd", "niet gealfabetiseerd", "onbekend"}}
	LearningRoutes = &CodeList{"learning route",
		[]string{"alfa", "slow", "standard", "fast"},
		[]string{"alfa", "traag", "standaard", "snel"}}
	CivicStatuses = &CodeList{"civic status",
		[]string{"obliged", "entitled", "voluntary", "none"},
		[]string{"verplicht inburgeraar", "rechthebbend inburgeraar", "vrijwillig", "geen"}}
	Perspectives = &CodeList{"perspective",
		[]string{"work", "education", "social", "unknown"},
		[]string{"werk", "onderwijs", "sociaal", "onbekend"}}
	ReferralSources = &CodeList{"referral source",
		[]string{"agentschap", "hvn", "vdab", "ocmw", "self", "other"},
		[]string{"Agentschap Integratie en Inburgering", "Huis van het Nederlands", "VDAB", "OCMW", "zelf", "andere"}}
	PlacementMethods = &CodeList{"placement method",
		[]string{"test", "evc", "evk", "transfer", "other"},
		[]string{"test", "EVC", "EVK", "doorstroom", "andere"}}
	Intensities = &CodeList{"intensity",
		[]string{"standard", "intensive", "extensive"},
		[]string{"standaard", "intensief", "extensief"}}
	EnrollmentStatuses = &CodeList{"enrollment status",
		[]string{"active", "completed", "dropped", "transferred"},
		[]string{"lopend", "afgerond", "gestopt", "overgeplaatst"}}
	EvaluationKinds = &CodeList{"evaluation kind",
		[]string{"intake", "formative", "module_end", "external_test"},
		[]string{"intake", "tussentijds", "moduleafsluitend", "externe toets"}}
	Decisions = &CodeList{"decision",
		[]string{"pass", "fail", "deferred", "none"},
		[]string{"geslaagd", "niet geslaagd", "uitgesteld", "geen"}}
	CertificateKinds = &CodeList{"certificate kind",
		[]string{"module", "programme", "external"},
		[]string{"deelcertificaat", "certificaat", "extern"}}
	OutflowTypes = &CodeList{"outflow type",
		[]string{"qualified", "transfer", "early_leaver"},
		[]string{"gekwalificeerd", "doorstroom", "vroegtijdig"}}
	OutflowReasons = &CodeList{"outflow reason",
		[]string{"work", "moved", "health", "care_duties", "motivation", "level_mismatch", "financial", "other", "unknown"},
		[]string{"werk", "verhuisd", "gezondheid", "zorgtaken", "motivatie", "niveau past niet", "financieel", "andere", "onbekend"}}
	Destinations = &CodeList{"destination",
		[]string{"work", "education", "nt2_elsewhere", "none", "unknown"},
		[]string{"werk", "onderwijs", "NT2 elders", "geen", "onbekend"}}
	FollowUpStatuses = &CodeList{"follow-up status",
		[]string{"work", "education", "work_and_education", "none", "unknown"},
		[]string{"werk", "onderwijs", "werk en onderwijs", "geen", "onbekend"}}
)
