package risk

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
)

// The model (spec/early-warning.md, "The model"): a logistic regression
// with an L2 penalty, fitted by gonum's L-BFGS on standardised columns.
//
// Coding. A numeric feature is one column; one that can be undefined
// (missingable) has a second column, its indicator for missing, and its
// undefined values are imputed with the mean of its defined values in the
// learning examples. An attribute is one column per code (one-hot); a value
// outside its list is none of them. Every column is then standardised with
// the learning examples' mean and standard deviation, so that the weights
// are comparable (a weight is the change in log-odds for one standard
// deviation) and the penalty treats them alike. A constant column gets
// weight 0.
//
// Contributions. The log-odds of an estimate is the intercept plus the
// sum over columns of weight × standardised value; a feature's
// contribution is the sum over its columns (value and missing indicator,
// or its codes). The intercept is the log-odds of a learning example whose
// every column sits at its mean, so a contribution says how much a fact
// raises or lowers the estimate against the average example.

// Penalty is λ of the objective: the mean log-loss plus λ/2 times the sum of
// the squared weights (the intercept is not penalised).
const Penalty = 1e-3

// missingable marks the numeric features that can be undefined.
var missingable = [numNumeric]bool{
	Attendance4w: true, Unregistered4w: true, WellbeingLast: true, InvolvementLast: true,
	WellbeingChange: true, WaitingDays: true,
}

// Column is one column of the model: a feature, and which part of it.
type Column struct {
	Feature string // the feature's JSON name
	Part    string // "" for a numeric value, "missing" for its indicator, a code for an attribute
	num     int    // the numeric feature, or -1
	cat     int    // the attribute, or -1
}

// Name returns the column's name in the JSON form: the feature, or
// feature:part ("attendance_4w:missing", "learning_route:alfa").
func (c Column) Name() string {
	if c.Part == "" {
		return c.Feature
	}
	return c.Feature + ":" + c.Part
}

// columns returns the model's columns in their fixed order.
func columns() []Column {
	var cs []Column
	for i, n := range NumericNames {
		cs = append(cs, Column{Feature: n, num: i, cat: -1})
		if missingable[i] {
			cs = append(cs, Column{Feature: n, Part: "missing", num: i, cat: -1})
		}
	}
	for i, n := range CategoricalNames {
		for _, code := range categories[i] {
			cs = append(cs, Column{Feature: n, Part: code, num: -1, cat: i})
		}
	}
	return cs
}

// Model is a fitted early-warning model.
type Model struct {
	Columns   []Column
	Impute    [numNumeric]float64 // the value an undefined numeric feature takes
	Mean      []float64           // per column, of the learning examples
	Scale     []float64           // per column: the standard deviation, or 0 for a constant column
	Weights   []float64           // per column, on the standardised scale
	Intercept float64
}

// raw writes f's columns, before standardising, into row.
func (m *Model) raw(f *Features, row []float64) {
	for j, c := range m.Columns {
		switch {
		case c.cat >= 0:
			row[j] = b2f(f.Attr[c.cat] == c.Part)
		case c.Part == "missing":
			row[j] = b2f(!f.Defined[c.num])
		case f.Defined[c.num]:
			row[j] = f.Value[c.num]
		default:
			row[j] = m.Impute[c.num]
		}
	}
}

// standardise turns a raw row into standardised values in place.
func (m *Model) standardise(row []float64) {
	for j := range row {
		if m.Scale[j] == 0 {
			row[j] = 0
		} else {
			row[j] = (row[j] - m.Mean[j]) / m.Scale[j]
		}
	}
}

// ErrOneClass is returned by Fit when the learning examples are all
// positive or all negative: no model can be learned from them.
var ErrOneClass = errors.New("risk: the learning examples do not have both outcomes")

// Fit learns a model from examples, in their order (the order fixes the
// sums, so the same examples in the same order give the same model).
func Fit(examples []Example) (*Model, error) {
	pos := 0
	for i := range examples {
		if examples[i].Positive {
			pos++
		}
	}
	if len(examples) == 0 || pos == 0 || pos == len(examples) {
		return nil, ErrOneClass
	}
	m := &Model{Columns: columns()}
	var sum, cnt [numNumeric]float64
	for i := range examples {
		f := &examples[i].Features
		for k := range numNumeric {
			if f.Defined[k] {
				sum[k] += f.Value[k]
				cnt[k]++
			}
		}
	}
	for k := range numNumeric {
		if cnt[k] > 0 {
			m.Impute[k] = sum[k] / cnt[k]
		}
	}
	// Three passes over the raw rows (mean, deviation, standardised values)
	// keep only the standardised design in memory, in float32: at a few
	// million examples it is most of what a validation holds.
	p, n := len(m.Columns), len(examples)
	row := make([]float64, p)
	m.Mean, m.Scale = make([]float64, p), make([]float64, p)
	for i := range examples {
		m.raw(&examples[i].Features, row)
		floats.Add(m.Mean, row)
	}
	floats.Scale(1/float64(n), m.Mean)
	for i := range examples {
		m.raw(&examples[i].Features, row)
		for j, v := range row {
			m.Scale[j] += (v - m.Mean[j]) * (v - m.Mean[j])
		}
	}
	for j := range m.Scale {
		m.Scale[j] = math.Sqrt(m.Scale[j] / float64(n))
		if m.Scale[j] < 1e-9 {
			m.Scale[j] = 0
		}
	}
	X := make([]float32, n*p)
	y := make([]float64, n)
	for i := range examples {
		m.raw(&examples[i].Features, row)
		m.standardise(row)
		for j, v := range row {
			X[i*p+j] = float32(v)
		}
		y[i] = b2f(examples[i].Positive)
	}

	obj := &objective{X: X, y: y, p: p}
	init := make([]float64, p+1)
	rate := float64(pos) / float64(n)
	init[p] = math.Log(rate / (1 - rate))
	res, err := optimize.Minimize(optimize.Problem{Func: obj.f, Grad: obj.grad}, init,
		&optimize.Settings{GradientThreshold: 1e-7, MajorIterations: 2000}, &optimize.LBFGS{})
	if err != nil && (res == nil || res.Status == optimize.Failure) {
		return nil, err
	}
	m.Weights = slices.Clone(res.X[:p])
	for j := range m.Weights {
		if m.Scale[j] == 0 {
			m.Weights[j] = 0
		}
	}
	m.Intercept = res.X[p]
	return m, nil
}

// objective is the penalised mean log-loss over the standardised design X
// (n rows of p columns) and the outcomes y; the parameters are the p
// weights and then the intercept. It keeps the value and the gradient at
// the last point asked, since L-BFGS asks both at the same points.
type objective struct {
	X []float32
	y []float64
	p int

	at       []float64
	val      float64
	gradient []float64
}

func (o *objective) eval(beta []float64) {
	if o.at != nil && floats.Equal(o.at, beta) {
		return
	}
	p := o.p
	w, b := beta[:p], beta[p]
	g := make([]float64, p+1)
	loss := 0.0
	for i, yi := range o.y {
		row := o.X[i*p : (i+1)*p]
		eta := b
		for j, v := range row {
			eta += w[j] * float64(v)
		}
		// log(1 + e^η) − yη, written to stay finite for large |η|.
		if eta > 0 {
			loss += eta + math.Log1p(math.Exp(-eta)) - yi*eta
		} else {
			loss += math.Log1p(math.Exp(eta)) - yi*eta
		}
		r := sigmoid(eta) - yi
		for j, v := range row {
			g[j] += r * float64(v)
		}
		g[p] += r
	}
	n := float64(len(o.y))
	floats.Scale(1/n, g)
	loss /= n
	loss += Penalty / 2 * floats.Dot(w, w)
	floats.AddScaled(g[:p], Penalty, w)
	o.at, o.val, o.gradient = slices.Clone(beta), loss, g
}

func (o *objective) f(beta []float64) float64 {
	o.eval(beta)
	return o.val
}

func (o *objective) grad(dst, beta []float64) {
	o.eval(beta)
	copy(dst, o.gradient)
}

func sigmoid(eta float64) float64 {
	if eta >= 0 {
		return 1 / (1 + math.Exp(-eta))
	}
	e := math.Exp(eta)
	return e / (1 + e)
}

// Contribution is one feature's part of an estimate's log-odds.
type Contribution struct {
	Feature      int // index into Model.Features()
	Contribution float64
}

// Estimate returns the estimate for f and the contribution of each feature
// (in the order of FeatureNames): the intercept plus the contributions is
// exactly the estimate's log-odds.
func (m *Model) Estimate(f *Features) (risk float64, contributions [numFeatures]float64) {
	row := make([]float64, len(m.Columns))
	m.raw(f, row)
	m.standardise(row)
	eta := m.Intercept
	for j, c := range m.Columns {
		v := m.Weights[j] * row[j]
		contributions[c.feature()] += v
	}
	for _, v := range contributions {
		eta += v
	}
	return sigmoid(eta), contributions
}

// numFeatures is the number of features of the spec's list: the numeric
// ones, then the attributes.
const numFeatures = numNumeric + numCategorical

// FeatureNames are the JSON names of every feature, numeric then attribute.
var FeatureNames = func() [numFeatures]string {
	var out [numFeatures]string
	copy(out[:], NumericNames[:])
	copy(out[numNumeric:], CategoricalNames[:])
	return out
}()

// feature returns the column's feature as an index into FeatureNames.
func (c Column) feature() int {
	if c.cat >= 0 {
		return numNumeric + c.cat
	}
	return c.num
}
