package domain

import (
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// CodeList is a closed list of lower-case codes (spec/domain.md: a value
// outside the list is an input error, never guessed). The labels of its codes
// are in the catalogue, under Key(code).
type CodeList struct {
	Name  string // also the catalogue's name of the list: "list.<Name>"
	Codes []string
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

// Key returns the catalogue key of code's label, code.<list>.<code>;
// locale.Code(lang, c.Name, code) writes it, and an unknown code as itself.
func (c *CodeList) Key(code string) string { return locale.CodeKey(c.Name, code) }

// CodeLists are all the code lists of spec/domain.md, for the catalogue's
// test and for finding a list by its name.
func CodeLists() []*CodeList {
	return []*CodeList{ProviderTypes, GoalSources, Genders, SchoolingLevels, Literacies, LearningRoutes,
		CivicStatuses, Perspectives, ReferralSources, PlacementMethods, Intensities, EnrollmentStatuses, EvaluationKinds,
		Decisions, CertificateKinds, OutflowTypes, OutflowReasons, Destinations, FollowUpStatuses, RespondentKinds, PartnerTypes, AttendanceStatuses}
}

// The code lists of spec/domain.md.
var (
	ProviderTypes = &CodeList{"provider type",
		[]string{"cbe", "cvo", "utc", "vdab", "syntra", "private", "other"}}
	GoalSources = &CodeList{"goal source",
		[]string{"framework", "provider"}}
	Genders = &CodeList{"gender",
		[]string{"f", "m", "x"}}
	SchoolingLevels = &CodeList{"schooling level",
		[]string{"none", "primary", "lower_secondary", "upper_secondary", "higher", "unknown"}}
	Literacies = &CodeList{"literacy",
		[]string{"literate_latin", "literate_other_script", "low_literate", "non_literate", "unknown"}}
	LearningRoutes = &CodeList{"learning route",
		[]string{"alfa", "slow", "standard", "fast"}}
	CivicStatuses = &CodeList{"civic status",
		[]string{"obliged", "entitled", "voluntary", "none"}}
	Perspectives = &CodeList{"perspective",
		[]string{"work", "education", "social", "unknown"}}
	ReferralSources = &CodeList{"referral source",
		[]string{"agentschap", "hvn", "vdab", "ocmw", "self", "other"}}
	PlacementMethods = &CodeList{"placement method",
		[]string{"test", "evc", "evk", "transfer", "other"}}
	Intensities = &CodeList{"intensity",
		[]string{"standard", "intensive", "extensive"}}
	EnrollmentStatuses = &CodeList{"enrollment status",
		[]string{"active", "completed", "dropped", "transferred"}}
	EvaluationKinds = &CodeList{"evaluation kind",
		[]string{"intake", "formative", "module_end", "external_test"}}
	Decisions = &CodeList{"decision",
		[]string{"pass", "fail", "deferred", "none"}}
	CertificateKinds = &CodeList{"certificate kind",
		[]string{"module", "programme", "external"}}
	OutflowTypes = &CodeList{"outflow type",
		[]string{"qualified", "transfer", "early_leaver"}}
	OutflowReasons = &CodeList{"outflow reason",
		[]string{"work", "moved", "health", "care_duties", "motivation", "level_mismatch", "financial", "other", "unknown"}}
	Destinations = &CodeList{"destination",
		[]string{"work", "education", "nt2_elsewhere", "none", "unknown"}}
	FollowUpStatuses = &CodeList{"follow-up status",
		[]string{"work", "education", "work_and_education", "none", "unknown"}}
)
