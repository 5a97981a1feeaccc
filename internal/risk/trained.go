package risk

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// Trained is a model learned for a day, with its windows and its
// validation: what `traject risk train` and the scheduler's weekly
// training store, and what `traject risk --as-of` estimates with. Model is
// nil when the honesty rules refuse it (Refused says why); the validation
// that led to the refusal is kept all the same.
type Trained struct {
	AsOf         domain.Date // the day it was trained for: only what was known that day was read
	DataTo       domain.Date // the last day of the data it read (at most AsOf)
	Provider     string      // "" for the whole installation
	Windows      Windows     // as DefaultWindows(AsOf)
	EarlyLeavers int         // enrollments that left early in the learning window
	Model        *Model      // nil when Refused
	Validation   *Report     // on Windows' test window, by the model learned before it
	Refused      *Refusal
}

// Train learns the model shown on asOf for provider ("" for all), as
// Estimate does before it estimates: on the windows DefaultWindows(asOf),
// from only what is known on asOf, validated on the last complete school
// year it did not learn from, and refused by the honesty rules.
func Train(in *Input, asOf domain.Date, provider string) (*Trained, error) {
	return newIndex(in).train(asOf, provider)
}

func (x *index) train(asOf domain.Date, provider string) (*Trained, error) {
	known := min(x.lastDay, asOf)
	w := DefaultWindows(asOf)
	t := &Trained{AsOf: asOf, DataTo: known, Provider: provider, Windows: w}
	report, _, err := x.validate(w, known, provider)
	if err != nil {
		return nil, err
	}
	t.Validation = report
	train := x.examples(window{from: w.TrainFrom, to: w.TrainTo, known: known}, provider)
	t.EarlyLeavers = earlyLeavers(train)
	if t.Refused = refuse(t.EarlyLeavers, report.Test.AUC, w); t.Refused != nil {
		return t, nil
	}
	if t.Model, err = Fit(train); err != nil {
		return nil, domain.Errorf(domain.EINTERNAL, "fitting the model: %v", err)
	}
	return t, nil
}

// Restore gives back a stored training its refusal: reason is the one
// stored with it ("" for none, TooLittleHistory or PoorValidation), and its
// Dutch text is written from the stored figures (AsOf, Windows,
// EarlyLeavers and Validation, read back first). The refusal is the one
// made when it was trained, never judged again against today's thresholds
// (MinPositives, MinAUC): a stored model keeps the decision it was stored
// with. An unknown reason is an error.
func (t *Trained) Restore(reason string) error {
	var auc *float64
	if t.Validation != nil {
		auc = t.Validation.Test.AUC
	}
	t.Refused = nil
	switch reason {
	case "":
	case TooLittleHistory:
		t.Refused = refusal(TooLittleHistory, locale.New("risk.refused.too_little_history", t.EarlyLeavers, MinPositives))
	case PoorValidation:
		t.Refused = refusal(PoorValidation, poorValidation(auc, t.Windows))
	default:
		return fmt.Errorf("risk model: unknown refusal %q", reason)
	}
	return nil
}

// Info is the model's part of the JSON form of `traject risk --as-of`.
func (t *Trained) Info() ModelInfo {
	var mi ModelInfo
	mi.Trained = t.DataTo.String()
	mi.TrainFrom, mi.TrainTo = t.Windows.TrainFrom.String(), t.Windows.TrainTo.String()
	v := &mi.Validation
	v.TestFrom, v.TestTo = t.Windows.TestFrom.String(), t.Windows.TestTo.String()
	if t.Validation != nil {
		v.AUC, v.PrecisionAt10, v.RecallAt10 = t.Validation.Test.AUC, t.Validation.Test.PrecisionAt10, t.Validation.Test.RecallAt10
	}
	return mi
}

// EstimateWith lists the enrollments open on asOf in groups of t's
// provider, highest estimate first, estimated by the trained (or stored)
// model t, which must have been trained on or before asOf. The features
// are those known on asOf; nothing is learned. A refused t gives a
// refused listing.
func EstimateWith(in *Input, asOf domain.Date, t *Trained) (*Listing, error) {
	if t.AsOf > asOf {
		return nil, domain.Errorf(domain.EINVALID, "the model was trained for %s, after the judgement day %s", t.AsOf, asOf)
	}
	return newIndex(in).estimateWith(asOf, t), nil
}

func (x *index) estimateWith(asOf domain.Date, t *Trained) *Listing {
	l := &Listing{AsOf: asOf.String(), Model: t.Info(), Enrollments: []Estimated{}}
	if t.Provider != "" {
		p := t.Provider
		l.Provider = &p
	}
	if l.Refused = t.Refused; l.Refused != nil || t.Model == nil {
		return l
	}
	for _, e := range x.onDay(asOf, t.Provider) {
		l.Enrollments = append(l.Enrollments, estimated(t.Model, &e))
	}
	slices.SortFunc(l.Enrollments, func(a, b Estimated) int {
		return cmp.Or(cmp.Compare(b.Risk, a.Risk), cmp.Compare(a.Learner, b.Learner), cmp.Compare(a.Group, b.Group))
	})
	for i := range l.Enrollments {
		l.Enrollments[i].Rank = i + 1
	}
	return l
}

// modelJSON is the stored form of a Model: everything Estimate needs, so
// that a model read back estimates exactly as the one fitted (Go's JSON
// numbers round-trip a float64 exactly). Columns are named, so that a
// model stored by a version with other columns is refused, not misread.
type modelJSON struct {
	Columns   []string           `json:"columns"`
	Impute    map[string]float64 `json:"impute"`
	Mean      []float64          `json:"mean"`
	Scale     []float64          `json:"scale"`
	Weights   []float64          `json:"weights"`
	Intercept float64            `json:"intercept"`
}

// MarshalJSON writes the model in its stored form.
func (m *Model) MarshalJSON() ([]byte, error) {
	out := modelJSON{Impute: map[string]float64{}, Mean: m.Mean, Scale: m.Scale, Weights: m.Weights, Intercept: m.Intercept}
	for _, c := range m.Columns {
		out.Columns = append(out.Columns, c.Name())
	}
	for k, n := range NumericNames {
		out.Impute[n] = m.Impute[k]
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a model in its stored form; one whose columns are
// not this version's is an error.
func (m *Model) UnmarshalJSON(b []byte) error {
	var in modelJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("risk model: %w", err)
	}
	cols := columns()
	if len(in.Columns) != len(cols) {
		return fmt.Errorf("risk model: %d columns stored, this version has %d: train it again", len(in.Columns), len(cols))
	}
	for j, c := range cols {
		if in.Columns[j] != c.Name() {
			return fmt.Errorf("risk model: column %d is %q, this version has %q: train it again", j+1, in.Columns[j], c.Name())
		}
	}
	for _, v := range [][]float64{in.Mean, in.Scale, in.Weights} {
		if len(v) != len(cols) {
			return fmt.Errorf("risk model: %d values for %d columns", len(v), len(cols))
		}
	}
	*m = Model{Columns: cols, Mean: in.Mean, Scale: in.Scale, Weights: in.Weights, Intercept: in.Intercept}
	for k, n := range NumericNames {
		v, ok := in.Impute[n]
		if !ok {
			return fmt.Errorf("risk model: no imputed value for %s", n)
		}
		m.Impute[k] = v
	}
	return nil
}
