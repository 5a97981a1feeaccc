package indicator

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestCaseCountMatchesExplain checks, on random data sets, that the count
// the dashboard reads for every field of every indicator is exactly the
// number of cases its drill-down lists: a link that promises 7 learners
// opens a list of 7.
func TestCaseCountMatchesExplain(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		ds := genDataSet(seed, 120)
		p := genParams(rand.New(rand.NewPCG(seed, 7)))
		res := Compute(ds, p)
		for _, ind := range IndicatorNames {
			for _, field := range concreteFields(ind) {
				n, ok := res.Indicators.CaseCount(ind, field)
				if !ok {
					t.Errorf("seed %d: %s.%s has no count", seed, ind, field)
					continue
				}
				if want := len(ExplainFilter(ds, p, Filter{Indicator: ind, Class: field})); n != want {
					t.Errorf("seed %d: CaseCount(%s, %s) = %d, explain lists %d", seed, ind, field, n, want)
				}
			}
		}
		if _, ok := res.Indicators.CaseCount(IndicatorAccess, "no_such_field"); ok {
			t.Errorf("an unknown field has a count")
		}
	}
}

// concreteScoreField is field with 1 … 5 in place of N.
func concreteScoreField(field string) []string {
	if !strings.HasSuffix(field, ".N") {
		return []string{field}
	}
	var out []string
	for n := 1; n <= 5; n++ {
		out = append(out, strings.TrimSuffix(field, "N")+string(rune('0'+n)))
	}
	return out
}

// concreteFields is Fields(ind) with every code in place of SKILL, REASON
// and DESTINATION.
func concreteFields(ind string) []string {
	var out []string
	for _, f := range Fields(ind) {
		var codes []string
		var ph string
		switch {
		case strings.Contains(f, "SKILL"):
			ph, codes = "SKILL", domain.SkillCodes[:]
		case strings.Contains(f, "REASON"):
			ph, codes = "REASON", domain.OutflowReasons.Codes
		case strings.Contains(f, "DESTINATION"):
			ph, codes = "DESTINATION", domain.Destinations.Codes
		case strings.HasPrefix(f, "R.S."):
			for _, sl := range surveySlots {
				for _, g := range concreteScoreField(strings.TrimPrefix(f, "R.S.")) {
					out = append(out, sl.respondent+"."+sl.score+"."+g)
				}
			}
			continue
		case strings.HasSuffix(f, ".N"):
			out = append(out, concreteScoreField(f)...)
			continue
		default:
			out = append(out, f)
			continue
		}
		for _, c := range codes {
			out = append(out, strings.Replace(f, ph, c, 1))
		}
	}
	return out
}
