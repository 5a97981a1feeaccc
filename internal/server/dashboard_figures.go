package server

import (
	"math"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
)

// How the dashboard shows the figures of indicator.FigureDefs, and which
// list of cases (indicator.Case.Is fields) stands behind each number.

// figureParts names, per figure, the fields of its numerator, denominator
// and value: a field of the indicator's JSON object, or a count that
// Case.Is knows (judged, started). Hours and sums of gains are no case
// counts; their list ("" here) is left out.
type figureParts struct {
	num, den, val string // data-field of each number (for tests and scripts)
	numList       string // the cases behind the numerator; "" for none
	denList       string // the cases behind the denominator and the value
	valIsCount    bool   // the value is the numerator's count (waiting list)
	lowerIsBetter bool   // a fall is an improvement
}

var figureFields = map[string]figureParts{
	indicator.AccessRate:           {"on_time", "judged", "rate", "on_time", "judged", false, false},
	indicator.WaitingList:          {"waiting_list", "cohort", "waiting_list", "waiting_list", "cohort", true, true},
	indicator.MedianDaysToStart:    {"", "started", "median_days_to_start", "", "started", false, true},
	indicator.ProgressRate:         {"on_track", "cohort", "rate", "on_track", "cohort", false, false},
	indicator.AttendanceRate:       {"hours_attended", "planned_hours", "attendance_rate", "", "cohort", false, false},
	indicator.CertificationRate:    {"certified", "cohort", "rate", "certified", "cohort", false, false},
	indicator.GainRate:             {"gained", "assessed", "rate", "gained", "assessed", false, false},
	indicator.MeanGain:             {"gain_sum", "pairs", "mean_gain", "", "assessed", false, false},
	indicator.QualifiedOutflowRate: {"qualified", "total", "qualified_rate", "qualified", "total", false, false},
	indicator.EarlyLeaverRate:      {"early_leaver", "total", "early_leaver_rate", "early_leaver", "total", false, true},
	indicator.EffectRate:           {"positive", "followed_up", "rate", "positive", "followed_up", false, false},
}

// headline is the figure each indicator's tile leads with.
var headline = map[string]string{
	indicator.IndicatorAccess:        indicator.AccessRate,
	indicator.IndicatorProgress:      indicator.ProgressRate,
	indicator.IndicatorCertification: indicator.CertificationRate,
	indicator.IndicatorLearningGain:  indicator.GainRate,
	indicator.IndicatorOutflow:       indicator.QualifiedOutflowRate,
	indicator.IndicatorEffects:       indicator.EffectRate,
}

// caseCount returns how many cases of indicator ind pass field (see
// indicator.Case.Is) in the indicators in, read from the counts; false when
// the field has no count there. It is the size of the drill-down list, which
// decides whether a link to it would reveal a small cell.
func caseCount(in *indicator.Indicators, ind, field string) (int, bool) {
	a, p, c, g, o, e := &in.Access, &in.Progress, &in.Certification, &in.LearningGain, &in.Outflow, &in.Effects
	switch ind {
	case indicator.IndicatorAccess:
		switch field {
		case "cohort":
			return a.Cohort.N, true
		case "on_time":
			return a.OnTime.N, true
		case "late":
			return a.Late.N, true
		case "waiting_overdue":
			return a.WaitingOverdue.N, true
		case "waiting_in_term":
			return a.WaitingInTerm.N, true
		case "waiting_list":
			return a.WaitingList.N, true
		case "started":
			return a.Started(), true
		case "judged":
			return a.Judged(), true
		}
	case indicator.IndicatorProgress:
		switch field {
		case "cohort":
			return p.Cohort.N, true
		case "on_track":
			return p.OnTrack.N, true
		case "not_on_track":
			return p.Cohort.N - p.OnTrack.N, true
		}
	case indicator.IndicatorCertification:
		switch field {
		case "cohort":
			return c.Cohort.N, true
		case "certified":
			return c.Certified.N, true
		case "not_certified":
			return c.Cohort.N - c.Certified.N, true
		}
	case indicator.IndicatorLearningGain:
		switch field {
		case "cohort", "participants":
			return g.Participants.N, true
		case "assessed":
			return g.Assessed.N, true
		case "gained":
			return g.Gained.N, true
		case "assessed_no_gain":
			return g.Assessed.N - g.Gained.N, true
		case "not_assessed":
			return g.Participants.N - g.Assessed.N, true
		}
		if rest, ok := strings.CutPrefix(field, "by_skill."); ok {
			skill, what, _ := strings.Cut(rest, ".")
			for k, code := range domain.SkillCodes {
				if code == skill {
					switch what {
					case "assessed":
						return g.BySkill[k].Assessed.N, true
					case "gained":
						return g.BySkill[k].Gained.N, true
					}
				}
			}
		}
	case indicator.IndicatorOutflow:
		switch field {
		case "cohort", "total":
			return o.Total.N, true
		case "qualified":
			return o.Qualified.N, true
		case "transfer":
			return o.Transfer.N, true
		case "early_leaver":
			return o.EarlyLeaver.N, true
		case "other":
			return o.Total.N - o.Qualified.N - o.Transfer.N - o.EarlyLeaver.N, true
		}
		if r, ok := strings.CutPrefix(field, "reasons."); ok {
			return o.Reasons[r].N, true
		}
		if d, ok := strings.CutPrefix(field, "destinations."); ok {
			return o.Destinations[d].N, true
		}
	case indicator.IndicatorEffects:
		switch field {
		case "cohort":
			return o.Total.N, true
		case "positive":
			return e.Positive.N, true
		case "followed_up":
			return e.FollowedUp.N, true
		case "followed_up_not_positive":
			return e.FollowedUp.N - e.Positive.N, true
		case "not_followed_up":
			return o.Total.N - e.FollowedUp.N, true
		}
	}
	return 0, false
}

// numberFormat formats the dashboard's numbers in one language, as the
// CLI's table does in Dutch: "88,6%", "35,0 d", "1,41", "12.345".
type numberFormat struct{ lang string }

// decimal formats v with the given decimals (-1: as many as needed) and
// the language's decimal mark.
func (nf numberFormat) decimal(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if nf.lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// count formats a whole number with thousands separated ("12.345", "12,345").
func (nf numberFormat) count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "."
	if nf.lang == "en" {
		sep = ","
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// amount formats one number of a figure as shown: "<5" for a suppressed
// count, "n<5" for a rate, mean or sum over a small cell (as the CLI's
// table), "–" for one that does not exist.
func (nf numberFormat) amount(a indicator.Amount, kind indicator.Kind) string {
	switch {
	case !a.Valid:
		return "–"
	case a.Suppressed && a.Count:
		return indicator.SuppressedText
	case a.Suppressed:
		return "n" + indicator.SuppressedText
	}
	switch kind {
	case indicator.KindRate:
		return nf.decimal(a.Value*100, 1) + "%"
	case indicator.KindDays:
		return nf.decimal(a.Value, 1) + " d"
	case indicator.KindMean:
		return nf.decimal(a.Value, 2)
	}
	if a.Count || a.Value == math.Trunc(a.Value) && math.Abs(a.Value) < 1e15 {
		return nf.count(int(a.Value))
	}
	return nf.decimal(a.Value, -1)
}

// delta formats the change of a figure against the year before: percentage
// points for rates, else in the figure's own unit, with a sign.
func (nf numberFormat) delta(d float64, kind indicator.Kind) string {
	sign := "+"
	if d < 0 {
		sign = "−"
		d = -d
	}
	switch kind {
	case indicator.KindRate:
		return sign + nf.decimal(d*100, 1) + " pp"
	case indicator.KindDays:
		return sign + nf.decimal(d, 1) + " d"
	case indicator.KindMean:
		return sign + nf.decimal(d, 2)
	}
	return sign + nf.count(int(math.Round(d)))
}

// exactText is an exact value as data-value holds it: the shortest text
// that reads back as the same float64.
func exactText(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
