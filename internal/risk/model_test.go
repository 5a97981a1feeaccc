package risk

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// TestFitRecoversKnownWeights: outcomes drawn from a logistic model with
// known weights on three features give those weights back.
func TestFitRecoversKnownWeights(t *testing.T) {
	const n = 40000
	r := rand.New(rand.NewPCG(1, 2))
	intercept := -1.5
	weights := map[int]float64{AbsenceStreak: 0.9, Attendance4w: -1.2, DaysSinceEvaluation: 0.02}
	es := make([]Example, n)
	for i := range es {
		var f Features
		for k := range numNumeric {
			f.Defined[k] = true // a constant, defined feature: weight 0
		}
		f.Value[AbsenceStreak] = float64(r.IntN(5))
		f.Value[Attendance4w] = r.Float64()
		f.Value[DaysSinceEvaluation] = float64(r.IntN(120))
		eta := intercept
		for k, w := range weights {
			eta += w * f.Value[k]
		}
		es[i] = Example{Learner: "L", Day: domain.Date(i), Features: f, Positive: r.Float64() < sigmoid(eta)}
	}
	m, err := Fit(es)
	if err != nil {
		t.Fatal(err)
	}
	// Back from the standardised scale: raw weight = weight / scale, and
	// the raw intercept takes the means off.
	raw := map[string]float64{}
	b := m.Intercept
	for j, c := range m.Columns {
		if m.Scale[j] == 0 {
			if m.Weights[j] != 0 {
				t.Errorf("constant column %s has weight %v, want 0", c.Name(), m.Weights[j])
			}
			continue
		}
		raw[c.Name()] = m.Weights[j] / m.Scale[j]
		b -= m.Weights[j] * m.Mean[j] / m.Scale[j]
	}
	for k, w := range weights {
		got := raw[NumericNames[k]]
		if tol := 0.08 * math.Abs(w); math.Abs(got-w) > tol {
			t.Errorf("%s weight %.4f, want %.4f ± %.4f", NumericNames[k], got, w, tol)
		}
	}
	if math.Abs(b-intercept) > 0.1 {
		t.Errorf("intercept %.4f, want %.4f ± 0.1", b, intercept)
	}
	if len(raw) != len(weights) {
		t.Errorf("columns with a weight %v, want only %d", raw, len(weights))
	}
	// The contributions decompose the estimate exactly.
	f := &es[0].Features
	risk, cs := m.Estimate(f)
	eta := m.Intercept
	for _, c := range cs {
		eta += c
	}
	if math.Abs(sigmoid(eta)-risk) > 1e-15 {
		t.Errorf("intercept + contributions give %v, estimate %v", sigmoid(eta), risk)
	}
}

func TestFitCodesMissingExplicitly(t *testing.T) {
	// Wellbeing is known for half the examples; those without it leave
	// early more often. The missing indicator carries that, and an
	// undefined value is imputed with the mean, not read as 0.
	var es []Example
	for i := range 400 {
		var f Features
		f.Defined[AbsenceStreak] = true
		pos := i%4 == 1 // half of those without wellbeing
		if i%2 == 0 {
			f.Value[WellbeingLast], f.Defined[WellbeingLast] = float64(3+i%3), true
			pos = i%20 == 0
		}
		es = append(es, Example{Learner: "L", Day: domain.Date(i), Features: f, Positive: pos})
	}
	m, err := Fit(es)
	if err != nil {
		t.Fatal(err)
	}
	if m.Impute[WellbeingLast] != 4 {
		t.Errorf("imputed wellbeing %v, want the mean 4", m.Impute[WellbeingLast])
	}
	for j, c := range m.Columns {
		if c.Name() == "wellbeing_last:missing" && m.Weights[j] <= 0.3 {
			t.Errorf("wellbeing_last:missing weight %v, want clearly positive", m.Weights[j])
		}
	}
}

func TestFitOneClass(t *testing.T) {
	es := []Example{{Learner: "A"}, {Learner: "B"}}
	if _, err := Fit(es); err != ErrOneClass {
		t.Errorf("no positives: %v, want ErrOneClass", err)
	}
	if _, err := Fit(nil); err != ErrOneClass {
		t.Errorf("no examples: %v, want ErrOneClass", err)
	}
}

// The attributes that must never enter the model.
func TestNoCountryLanguageOrName(t *testing.T) {
	for _, c := range columns() {
		switch c.Feature {
		case "country_of_birth", "home_language", "first_name", "last_name", "name", "gender":
			t.Errorf("column %s", c.Name())
		}
	}
	a, b := handData(), handData()
	for i := range b.Data.Learners {
		l := &b.Data.Learners[i]
		l.CountryOfBirth, l.HomeLanguage, l.FirstName, l.LastName = "BE", "nl", "Jan", "Peeters"
	}
	if !featuresEqual(featuresOn(a, d("2025-02-24")), featuresOn(b, d("2025-02-24"))) {
		t.Error("country of birth, home language or name changed a feature")
	}
}
