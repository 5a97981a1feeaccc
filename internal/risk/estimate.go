package risk

import (
	"cmp"
	"math"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// The honesty rules of spec/early-warning.md ("The model", and the issue's
// "honesty"): no estimate is shown from too little history or a poor
// validation; the counsellor keeps the flags.
const (
	// MinPositives: fewer enrollments that left early in the learning
	// window is "too little history".
	MinPositives = 50
	// MinAUC: a validation AUC below this is too poor to show estimates.
	MinAUC = 0.65
	// MaxReasons is how many reasons an estimate gives at most.
	MaxReasons = 3
)

// The reasons an estimate is refused.
const (
	TooLittleHistory = "too_little_history"
	PoorValidation   = "poor_validation"
)

// Listing is the JSON form of `traject risk --as-of` (spec/early-warning.md,
// "Command line and JSON form"). When the estimates are refused, Refused
// says why and Enrollments is empty; Model still names the windows and the
// validation that led to the refusal.
type Listing struct {
	AsOf        string      `json:"as_of"`
	Provider    *string     `json:"provider"`
	Model       ModelInfo   `json:"model"`
	Refused     *Refusal    `json:"refused,omitempty"`
	Enrollments []Estimated `json:"enrollments"`
}

// ModelInfo names the model that made the estimates and its validation.
type ModelInfo struct {
	ID         int64  `json:"-"` // the stored model's id; 0: learned for this listing
	Trained    string `json:"trained"`
	TrainFrom  string `json:"train_from"`
	TrainTo    string `json:"train_to"`
	Validation struct {
		TestFrom      string   `json:"test_from"`
		TestTo        string   `json:"test_to"`
		AUC           *float64 `json:"auc"`
		PrecisionAt10 *float64 `json:"precision_at_10"`
		RecallAt10    *float64 `json:"recall_at_10"`
	} `json:"validation"`
}

// Refusal says why no estimate is shown.
type Refusal struct {
	Reason string      `json:"reason"` // TooLittleHistory or PoorValidation
	Text   string      `json:"text"`   // in Dutch
	Why    locale.Text `json:"-"`
}

// Estimated is one open enrollment's estimate.
type Estimated struct {
	Learner string   `json:"learner"`
	Group   string   `json:"group"`
	Risk    float64  `json:"risk"`
	Rank    int      `json:"rank"`
	Reasons []Reason `json:"reasons"`
}

// Reason is a feature that raises an estimate, with its value.
type Reason struct {
	Feature      string      `json:"feature"`
	Value        any         `json:"value"` // a number, an attribute's code, or null when not defined
	Contribution float64     `json:"contribution"`
	Text         string      `json:"text"` // in Dutch
	Why          locale.Text `json:"-"`
}

// DefaultWindows returns the windows of the model shown on asOf: tested on
// the last complete school year (1 September – 31 August) that ended
// before asOf, and learned on that year and the one before it. The
// validation learns on the year before only (its horizon must end before
// the test year), the model shown on both.
func DefaultWindows(asOf domain.Date) Windows {
	end := domain.SchoolYearStart(asOf).AddDays(-1) // the last 31 August before asOf's school year
	if end >= asOf {
		end = end.AddYears(-1)
	}
	testFrom := end.AddYears(-1).AddDays(1)
	return Windows{TrainFrom: testFrom.AddYears(-1), TrainTo: end, TestFrom: testFrom, TestTo: end}
}

// Estimate lists the enrollments open on asOf in groups of provider ("" for
// all), highest estimate first, with the model and its validation. Only
// what is known on asOf is read: the model learns from the examples whose
// outcome is known on asOf (D + H on or before asOf and the last day of
// the data).
func Estimate(in *Input, asOf domain.Date, provider string) (*Listing, error) {
	x := newIndex(in)
	t, err := x.train(asOf, provider)
	if err != nil {
		return nil, err
	}
	return x.estimateWith(asOf, t), nil
}

// refuse applies the honesty rules: no estimate from fewer than
// MinPositives early leavers in the learning window, nor after a
// validation AUC below MinAUC (or none). It returns nil when estimates may
// be shown.
func refuse(earlyLeavers int, auc *float64, w Windows) *Refusal {
	if earlyLeavers < MinPositives {
		return refusal(TooLittleHistory, locale.New("risk.refused.too_little_history", earlyLeavers, MinPositives))
	}
	if auc == nil || *auc < MinAUC {
		return refusal(PoorValidation, poorValidation(auc, w))
	}
	return nil
}

// poorValidation is the text of a PoorValidation refusal.
func poorValidation(auc *float64, w Windows) locale.Text {
	s := "–"
	if auc != nil {
		s = formatDecimal(*auc, 2)
	}
	return locale.New("risk.refused.poor_validation", s, w.TestFrom.String(), w.TestTo.String())
}

func refusal(reason string, why locale.Text) *Refusal {
	return &Refusal{Reason: reason, Text: why.In("nl"), Why: why}
}

// estimated is e's estimate by m with its reasons: the features that raise
// it most, at most MaxReasons, largest contribution first (ties in the
// order of FeatureNames).
func estimated(m *Model, e *Example) Estimated {
	risk, cs := m.Estimate(&e.Features)
	out := Estimated{Learner: e.Learner, Group: e.Group, Risk: round(risk, 4), Reasons: []Reason{}}
	order := make([]int, numFeatures)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(cs[b], cs[a]) })
	for _, k := range order {
		if len(out.Reasons) == MaxReasons || round(cs[k], 2) <= 0 {
			break
		}
		why := ReasonText(&e.Features, k)
		out.Reasons = append(out.Reasons, Reason{Feature: FeatureNames[k], Value: value(&e.Features, k),
			Contribution: round(cs[k], 2), Text: why.In("nl"), Why: why})
	}
	return out
}

// value returns feature k of f for the JSON form.
func value(f *Features, k int) any {
	if k >= numNumeric {
		if f.Attr[k-numNumeric] == "" {
			return nil
		}
		return f.Attr[k-numNumeric]
	}
	if !f.Defined[k] {
		return nil
	}
	return round(f.Value[k], 4)
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// earlyLeavers returns the number of enrollments among es that left early
// on one of their judgement days ("too little history" counts these, not
// examples).
func earlyLeavers(es []Example) int {
	seen := map[key]bool{}
	for i := range es {
		if es[i].Positive {
			seen[key{es[i].Learner, es[i].Group}] = true
		}
	}
	return len(seen)
}
