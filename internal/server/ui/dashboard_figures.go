package ui

import (
	"math"
	"strconv"

	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
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
	indicator.WellbeingRate:        {"high", "observed", "rate", "high", "observed", false, false},
	indicator.InvolvementRate:      {"high", "observed", "rate", "high", "observed", false, false},
	indicator.SatisfactionRate:     surveyParts("learner.satisfaction"),
	indicator.StaffWellbeingRate:   surveyParts("staff.wellbeing"),
	indicator.PartnerSatisfaction:  surveyParts("partner.satisfaction"),
}

// surveyParts are the fields of the rate of one survey score (respondent.score).
func surveyParts(code string) figureParts {
	return figureParts{code + ".high", code + ".responses", code + ".rate", code + ".high", code + ".responses", false, false}
}

// headline is the figure each indicator's tile leads with.
var headline = map[string]string{
	indicator.IndicatorAccess:        indicator.AccessRate,
	indicator.IndicatorProgress:      indicator.ProgressRate,
	indicator.IndicatorCertification: indicator.CertificationRate,
	indicator.IndicatorLearningGain:  indicator.GainRate,
	indicator.IndicatorOutflow:       indicator.QualifiedOutflowRate,
	indicator.IndicatorEffects:       indicator.EffectRate,
	indicator.IndicatorWellbeing:     indicator.WellbeingRate,
	indicator.IndicatorInvolvement:   indicator.InvolvementRate,
	indicator.IndicatorSurvey:        indicator.SatisfactionRate,
}

// tileCohort is the field of the count a tile names first: all cases, but
// for the surveys the learners' answers on satisfaction, the headline's
// denominator (a sum over every kind of respondent would mean nothing).
func tileCohort(ind string) string {
	if ind == indicator.IndicatorSurvey {
		return "learner.satisfaction.responses"
	}
	return "cohort"
}

// tileClasses are the fields a tile counts after its cohort. Progress and
// certification split their class of failures into the cases whose window
// has closed and those still running ("nog lopend", indicator.Case.Pending),
// which are no failures yet; the rate counts them as the spec says.
func tileClasses(ind string) []string {
	switch ind {
	case indicator.IndicatorSurvey:
		return []string{"learner.satisfaction.high", "learner.satisfaction.low"}
	case indicator.IndicatorProgress:
		return []string{"on_track", "missed", "pending"}
	case indicator.IndicatorCertification:
		return []string{"certified", "missed", "pending"}
	}
	return indicator.Classes(ind)
}

// numberFormat formats the dashboard's numbers in one language, as the
// CLI's table does in Dutch: "88,6%", "35,0 d", "1,41", "12.345".
type numberFormat struct{ lang string }

// decimal formats v with the given decimals (-1: as many as needed), the
// thousands grouped and the language's decimal mark (locale.Float).
func (nf numberFormat) decimal(v float64, decimals int) string {
	return locale.Float(nf.lang, v, decimals)
}

// count formats a whole number with thousands separated ("12.345", "12,345").
func (nf numberFormat) count(n int) string { return locale.Number(n).In(nf.lang) }

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
