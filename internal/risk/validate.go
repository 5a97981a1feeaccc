package risk

import (
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// Windows are the learning and test windows of a validation (spec/
// early-warning.md, "Validation").
type Windows struct {
	TrainFrom, TrainTo, TestFrom, TestTo domain.Date
}

// Check returns an EINVALID error naming the first window that is not a
// window: a missing date, a from after its to, or a test window that does
// not start after the learning window starts.
func (w Windows) Check() error {
	for _, p := range []struct {
		name     string
		from, to domain.Date
	}{{"train", w.TrainFrom, w.TrainTo}, {"test", w.TestFrom, w.TestTo}} {
		if p.from == 0 || p.to == 0 {
			return domain.Errorf(domain.EINVALID, "the %s window needs both a from and a to date", p.name)
		}
		if p.from > p.to {
			return domain.Errorf(domain.EINVALID, "the %s window runs from %s to %s: from is after to", p.name, p.from, p.to)
		}
	}
	if w.TestFrom <= w.TrainFrom {
		return domain.Errorf(domain.EINVALID, "the test window starts on %s, not after the train window's start %s", w.TestFrom, w.TrainFrom)
	}
	return nil
}

// Report is the JSON form of `traject risk validate` (spec/early-warning.md,
// "Command line and JSON form").
type Report struct {
	Train struct {
		From      string `json:"from"`
		To        string `json:"to"`
		Examples  int    `json:"examples"`
		Positives int    `json:"positives"`
	} `json:"train"`
	Test struct {
		From          string   `json:"from"`
		To            string   `json:"to"`
		Examples      int      `json:"examples"`
		Positives     int      `json:"positives"`
		AUC           *float64 `json:"auc"`
		Brier         *float64 `json:"brier"`
		PrecisionAt10 *float64 `json:"precision_at_10"`
		RecallAt10    *float64 `json:"recall_at_10"`
		Calibration   []Decile `json:"calibration"`
	} `json:"test"`
	Baseline struct {
		Precision *float64 `json:"precision"`
		Recall    *float64 `json:"recall"`
	} `json:"baseline"`
	ByLearningRoute map[string]Part `json:"by_learning_route"`
	ByGender        map[string]Part `json:"by_gender"`
	Features        []Weight        `json:"features"`
}

// Part is the figures of one learning route or gender.
type Part struct {
	Examples  int      `json:"examples"`
	Positives int      `json:"positives"`
	AUC       *float64 `json:"auc"`
}

// Weight is a column's weight in the JSON form.
type Weight struct {
	Feature string  `json:"feature"`
	Weight  float64 `json:"weight"`
}

// Validate learns on the Mondays of [TrainFrom, TrainTo] whose horizon ends
// before TestFrom and estimates on the Mondays of [TestFrom, TestTo], both
// only where D + H is on or before the last day of the data, and reports
// the figures of spec/early-warning.md ("Validation"). With provider, the
// examples are the enrollments in that provider's groups; their features
// still read every record of the learner. It returns the model it learned
// (nil when the learning examples lack an outcome) with the report.
func Validate(in *Input, w Windows, provider string) (*Report, *Model, error) {
	if err := w.Check(); err != nil {
		return nil, nil, err
	}
	x := newIndex(in)
	return x.validate(w, x.lastDay, provider)
}

// validate is Validate with the last day of the data given.
func (x *index) validate(w Windows, known domain.Date, provider string) (*Report, *Model, error) {
	r := &Report{ByLearningRoute: map[string]Part{}, ByGender: map[string]Part{}, Features: []Weight{}}
	r.Train.From, r.Train.To = w.TrainFrom.String(), w.TrainTo.String()
	r.Test.From, r.Test.To = w.TestFrom.String(), w.TestTo.String()

	// The test examples are made after the fit, so that the learning
	// examples and the design can be freed first.
	train := x.examples(window{from: w.TrainFrom, to: w.TrainTo, known: known, before: w.TestFrom}, provider)
	r.Train.Examples, r.Train.Positives = len(train), positives(train)
	m, err := Fit(train)
	test := x.examples(window{from: w.TestFrom, to: w.TestTo, known: known}, provider)
	r.Test.Examples, r.Test.Positives = len(test), positives(test)
	if err == ErrOneClass {
		m, err = nil, nil
	}
	if err != nil {
		return nil, nil, domain.Errorf(domain.EINTERNAL, "fitting the model: %v", err)
	}
	r.Test.Calibration = Calibration(nil)
	if m == nil {
		x.parts(r, test, nil)
		return r, nil, nil
	}
	for j, c := range m.Columns {
		r.Features = append(r.Features, Weight{Feature: c.Name(), Weight: *round4(&m.Weights[j])})
	}
	scored := x.score(m, test)
	r.Test.AUC = round4(AUC(scored))
	r.Test.Brier = round4(Brier(scored))
	p, rc := AtTenPercent(scored)
	r.Test.PrecisionAt10, r.Test.RecallAt10 = round4(p), round4(rc)
	r.Test.Calibration = Calibration(scored)
	for i := range r.Test.Calibration {
		d := &r.Test.Calibration[i]
		d.MeanRisk, d.Observed = round4(d.MeanRisk), round4(d.Observed)
	}
	bp, br := Baseline(scored)
	r.Baseline.Precision, r.Baseline.Recall = round4(bp), round4(br)
	x.parts(r, test, scored)
	return r, m, nil
}

// score estimates every example with m and asks the counsellor's flags of
// its learner on its day.
func (x *index) score(m *Model, es []Example) []Scored {
	p := signal.DefaultParams()
	out := make([]Scored, len(es))
	for i := range es {
		e := &es[i]
		risk, _ := m.Estimate(&e.Features)
		out[i] = Scored{Learner: e.Learner, Group: e.Group, Day: e.Day, Risk: risk, Positive: e.Positive,
			Flagged: len(x.flags.Flags(e.Learner, e.Day, p)) > 0}
	}
	return out
}

// parts fills the figures per learning route and gender: every key with at
// least one test example, exact (an operator's report). scored is nil
// without a model.
func (x *index) parts(r *Report, test []Example, scored []Scored) {
	type acc struct {
		s      []Scored
		n, pos int
	}
	routes, genders := map[string]*acc{}, map[string]*acc{}
	add := func(m map[string]*acc, k string, i int) {
		a := m[k]
		if a == nil {
			a = &acc{}
			m[k] = a
		}
		a.n++
		if test[i].Positive {
			a.pos++
		}
		if scored != nil {
			a.s = append(a.s, scored[i])
		}
	}
	for i := range test {
		route, gender := "", ""
		if l := x.learners[test[i].Learner]; l != nil {
			route, gender = l.LearningRoute, l.Gender
		}
		add(routes, route, i)
		add(genders, gender, i)
	}
	for k, a := range routes {
		r.ByLearningRoute[k] = Part{Examples: a.n, Positives: a.pos, AUC: round4(AUC(a.s))}
	}
	for k, a := range genders {
		r.ByGender[k] = Part{Examples: a.n, Positives: a.pos, AUC: round4(AUC(a.s))}
	}
}

func positives(es []Example) int {
	n := 0
	for i := range es {
		if es[i].Positive {
			n++
		}
	}
	return n
}
