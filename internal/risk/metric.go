package risk

import (
	"cmp"
	"math"
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// The validation figures of spec/early-warning.md ("Validation"), on
// scored examples. A figure that is not defined (no examples, no
// positives) is nil, which the JSON form writes as null.

// Scored is a test example with its estimate.
type Scored struct {
	Learner  string
	Group    string
	Day      domain.Date
	Risk     float64
	Positive bool
	Flagged  bool // its learner has a counsellor's flag on Day
}

// AUC returns the area under the ROC curve of s: the share of (positive,
// negative) pairs in which the positive has the higher estimate, a tie
// counting one half; nil without a positive or without a negative.
func AUC(s []Scored) *float64 {
	rs := slices.Clone(s)
	slices.SortFunc(rs, func(a, b Scored) int { return cmp.Compare(a.Risk, b.Risk) })
	// Mann–Whitney: the sum of the positives' mid-ranks.
	var pos, neg, rankSum float64
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j].Risk == rs[i].Risk {
			j++
		}
		mid := float64(i+j+1) / 2 // ranks i+1 … j
		for k := i; k < j; k++ {
			if rs[k].Positive {
				pos++
				rankSum += mid
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return nil
	}
	return ptr((rankSum - pos*(pos+1)/2) / (pos * neg))
}

// Brier returns the mean squared error of the estimates; nil without examples.
func Brier(s []Scored) *float64 {
	if len(s) == 0 {
		return nil
	}
	sum := 0.0
	for _, x := range s {
		d := x.Risk - b2f(x.Positive)
		sum += d * d
	}
	return ptr(sum / float64(len(s)))
}

// AtTenPercent returns precision_at_10 and recall_at_10: on each day, the
// 10 % of its examples with the highest estimate (rounded up; ties broken
// by learner and then group) are selected; pooled over the days, the share
// of the selected that leave early (nil without examples) and the share of
// all positives that are selected (nil without positives).
func AtTenPercent(s []Scored) (precision, recall *float64) {
	byDay := map[domain.Date][]Scored{}
	for _, x := range s {
		byDay[x.Day] = append(byDay[x.Day], x)
	}
	var selected, hits, positives int
	for _, x := range s {
		if x.Positive {
			positives++
		}
	}
	for _, day := range sortedDays(byDay) {
		es := byDay[day]
		slices.SortFunc(es, func(a, b Scored) int {
			return cmp.Or(cmp.Compare(b.Risk, a.Risk), cmp.Compare(a.Learner, b.Learner), cmp.Compare(a.Group, b.Group))
		})
		k := (len(es) + 9) / 10
		for _, x := range es[:k] {
			selected++
			if x.Positive {
				hits++
			}
		}
	}
	return ratio(hits, selected), ratio(hits, positives)
}

// Decile is one tenth of the examples by estimate.
type Decile struct {
	Decile   int      `json:"decile"`
	Examples int      `json:"examples"`
	MeanRisk *float64 `json:"mean_risk"`
	Observed *float64 `json:"observed"`
}

// Calibration returns the ten deciles of s: the examples sorted by
// estimate (ties by learner, group and day) and cut by rank into ten groups
// of equal size (the first ones one larger when the count does not divide
// by ten), decile 1 the lowest; an empty decile has nil figures.
func Calibration(s []Scored) []Decile {
	rs := slices.Clone(s)
	slices.SortFunc(rs, func(a, b Scored) int {
		return cmp.Or(cmp.Compare(a.Risk, b.Risk), cmp.Compare(a.Learner, b.Learner),
			cmp.Compare(a.Group, b.Group), cmp.Compare(a.Day, b.Day))
	})
	out := make([]Decile, 10)
	n := len(rs)
	start := 0
	for d := range 10 {
		size := n / 10
		if d < n%10 {
			size++
		}
		part := rs[start : start+size]
		start += size
		out[d] = Decile{Decile: d + 1, Examples: size}
		if size == 0 {
			continue
		}
		var risk float64
		pos := 0
		for _, x := range part {
			risk += x.Risk
			if x.Positive {
				pos++
			}
		}
		out[d].MeanRisk = ptr(risk / float64(size))
		out[d].Observed = ratio(pos, size)
	}
	return out
}

// Baseline returns the counsellor's flags' precision (flagged examples that
// leave early ÷ flagged examples; nil when none is flagged) and recall
// (flagged positives ÷ positives; nil without positives).
func Baseline(s []Scored) (precision, recall *float64) {
	var flagged, hits, positives int
	for _, x := range s {
		if x.Flagged {
			flagged++
		}
		if x.Positive {
			positives++
			if x.Flagged {
				hits++
			}
		}
	}
	return ratio(hits, flagged), ratio(hits, positives)
}

func sortedDays(m map[domain.Date][]Scored) []domain.Date {
	ds := make([]domain.Date, 0, len(m))
	for d := range m {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds
}

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	return ptr(float64(a) / float64(b))
}

func ptr(v float64) *float64 { return &v }

// round4 rounds v to four decimals for the JSON form, nil staying nil.
func round4(v *float64) *float64 {
	if v == nil {
		return nil
	}
	return ptr(math.Round(*v*1e4) / 1e4)
}
