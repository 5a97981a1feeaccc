package risk

import (
	"math"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/msg"
)

// ReasonText returns the sentence for the counsellor of feature k (an index
// into FeatureNames) of f, a key of the message catalogue (internal/msg)
// with its arguments: "3 lessen na elkaar afwezig", "welbevinden gedaald
// van 4 naar 2".
func ReasonText(f *Features, k int) msg.Text {
	if k >= numNumeric {
		a := k - numNumeric
		code := f.Attr[a]
		if code == "" {
			return msg.New("risk.reason." + CategoricalNames[a] + ".none")
		}
		return msg.New("risk.reason."+CategoricalNames[a], attrLabel(a, code))
	}
	key := "risk.reason." + NumericNames[k]
	if !f.Defined[k] {
		return msg.New(key + ".none")
	}
	v := f.Value[k]
	n := int(math.Round(v))
	switch k {
	case AbsenceStreak, WeeksEnrolled, DaysSinceEvaluation, WaitingDays, EarlierDropouts:
		if n == 1 {
			return msg.New(key + ".one")
		}
		return msg.New(key, n)
	case Attendance4w, Unregistered4w, ShareOfGroupPassed:
		return msg.New(key, int(math.Round(v*100)))
	case LastEvaluationFail:
		if n == 0 {
			return msg.New(key + ".no")
		}
		return msg.New(key)
	case WellbeingLast, InvolvementLast:
		return msg.New(key, n, domain.ScoreLabels[max(0, min(n, int(domain.MaxScore)))])
	case WellbeingChange:
		last := f.WellbeingFirst + n
		switch {
		case n < 0:
			return msg.New(key+".down", f.WellbeingFirst, last)
		case n > 0:
			return msg.New(key+".up", f.WellbeingFirst, last)
		}
		return msg.New(key+".same", last)
	}
	return msg.New(key, v)
}

// attrLabel returns the Dutch label of code of attribute a.
func attrLabel(a int, code string) string {
	switch a {
	case LearningRoute:
		return domain.LearningRoutes.Label(code)
	case Literacy:
		return domain.Literacies.Label(code)
	case SchoolingLevel:
		return domain.SchoolingLevels.Label(code)
	case CivicStatus:
		return domain.CivicStatuses.Label(code)
	}
	return code
}

// formatDecimal writes v with decimals digits and a decimal comma, as the
// Dutch texts write numbers.
func formatDecimal(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
}
