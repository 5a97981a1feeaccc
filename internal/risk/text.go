package risk

import (
	"math"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// ReasonText returns the sentence for the counsellor of feature k (an index
// into FeatureNames) of f, a key of the message catalogue (internal/msg)
// with its arguments: "3 lessen na elkaar afwezig", "welbevinden gedaald
// van 4 naar 2".
func ReasonText(f *Features, k int) locale.Text {
	if k >= numNumeric {
		a := k - numNumeric
		code := f.Attr[a]
		if code == "" {
			return locale.New("risk.reason." + CategoricalNames[a] + ".none")
		}
		return locale.New("risk.reason."+CategoricalNames[a], attrLabel(a, code))
	}
	key := "risk.reason." + NumericNames[k]
	if !f.Defined[k] {
		return locale.New(key + ".none")
	}
	v := f.Value[k]
	n := int(math.Round(v))
	switch k {
	case AbsenceStreak, WeeksEnrolled, DaysSinceEvaluation, WaitingDays, EarlierDropouts:
		if n == 0 && (k == AbsenceStreak || k == EarlierDropouts) {
			return locale.New(key + ".zero") // "al 0 keer eerder vroegtijdig gestopt" reads wrong
		}
		if n == 1 {
			return locale.New(key + ".one")
		}
		return locale.New(key, n)
	case Attendance4w, Unregistered4w, ShareOfGroupPassed:
		return locale.New(key, int(math.Round(v*100)))
	case LastEvaluationFail:
		if n == 0 {
			return locale.New(key + ".no")
		}
		return locale.New(key)
	case WellbeingLast, InvolvementLast:
		return locale.New(key, n, locale.New("score."+strconv.Itoa(max(1, min(n, int(domain.MaxScore))))))
	case WellbeingChange:
		last := f.WellbeingFirst + n
		switch {
		case n < 0:
			return locale.New(key+".down", f.WellbeingFirst, last)
		case n > 0:
			return locale.New(key+".up", f.WellbeingFirst, last)
		}
		return locale.New(key+".same", last)
	}
	return locale.New(key, v)
}

// attrLabel returns the name of code of attribute a, as a catalogue text
// written in the reason's language.
func attrLabel(a int, code string) any {
	switch a {
	case LearningRoute:
		return locale.New(domain.LearningRoutes.Key(code))
	case Literacy:
		return locale.New(domain.Literacies.Key(code))
	case SchoolingLevel:
		return locale.New(domain.SchoolingLevels.Key(code))
	case CivicStatus:
		return locale.New(domain.CivicStatuses.Key(code))
	}
	return code
}

// formatDecimal writes v with decimals digits and a decimal comma, as the
// Dutch texts write numbers.
func formatDecimal(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
}
