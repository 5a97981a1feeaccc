package risk

import (
	"fmt"
	"math"
	"testing"
)

func near(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) < 1e-12 }

func show(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func TestAUC(t *testing.T) {
	s := func(risk float64, pos bool) Scored { return Scored{Risk: risk, Positive: pos} }
	for _, c := range []struct {
		name string
		s    []Scored
		want float64 // NaN: null
	}{
		// 3 wins of 0.8, 2 wins and a tie of 0.5: 5.5 of 6 pairs.
		{"ties count one half", []Scored{s(0.8, true), s(0.5, true), s(0.5, false), s(0.2, false), s(0.1, false)}, 5.5 / 6},
		{"all tied", []Scored{s(0.3, true), s(0.3, false), s(0.3, false)}, 0.5},
		{"perfect", []Scored{s(0.9, true), s(0.1, false)}, 1},
		{"reversed", []Scored{s(0.1, true), s(0.9, false)}, 0},
		{"no positives", []Scored{s(0.1, false), s(0.9, false)}, math.NaN()},
		{"no negatives", []Scored{s(0.1, true)}, math.NaN()},
		{"no examples", nil, math.NaN()},
	} {
		got := AUC(c.s)
		if math.IsNaN(c.want) && got != nil || !math.IsNaN(c.want) && !near(got, c.want) {
			t.Errorf("%s: auc %s, want %v", c.name, show(got), c.want)
		}
	}
}

func TestBrier(t *testing.T) {
	if got := Brier([]Scored{{Risk: 0.8, Positive: true}, {Risk: 0.3}}); !near(got, (0.04+0.09)/2) {
		t.Errorf("brier %s, want 0.065", show(got))
	}
	if got := Brier(nil); got != nil {
		t.Errorf("no examples: brier %s, want null", show(got))
	}
}

func TestAtTenPercent(t *testing.T) {
	mon1, mon2 := d("2025-03-03"), d("2025-03-10")
	s := []Scored{
		// A Monday with fewer than ten examples selects one (10 % of 3,
		// rounded up); the tie at 0.9 goes to learner A, who stays.
		{Learner: "B", Group: "G1", Day: mon1, Risk: 0.9, Positive: true},
		{Learner: "A", Group: "G1", Day: mon1, Risk: 0.9},
		{Learner: "C", Group: "G1", Day: mon1, Risk: 0.1, Positive: true},
		// Eleven examples select two: L01 and, of the tie at 0.45, group G1.
		{Learner: "L01", Group: "G1", Day: mon2, Risk: 0.5, Positive: true},
		{Learner: "L02", Group: "G2", Day: mon2, Risk: 0.45, Positive: true},
		{Learner: "L02", Group: "G1", Day: mon2, Risk: 0.45},
	}
	for i := 3; i <= 10; i++ {
		s = append(s, Scored{Learner: fmt.Sprintf("L%02d", i), Group: "G1", Day: mon2, Risk: 0.04 * float64(10-i), Positive: i == 5})
	}
	// Selected: A (stays), L01 (leaves), L02/G1 (stays); positives: B, C,
	// L01, L02/G2, L05.
	p, r := AtTenPercent(s)
	if !near(p, 1.0/3) || !near(r, 1.0/5) {
		t.Errorf("precision %s recall %s, want 1/3 and 1/5", show(p), show(r))
	}
	p, r = AtTenPercent(nil)
	if p != nil || r != nil {
		t.Errorf("no examples: %s %s, want null null", show(p), show(r))
	}
	p, r = AtTenPercent([]Scored{{Learner: "A", Day: mon1, Risk: 0.2}})
	if !near(p, 0) || r != nil {
		t.Errorf("no positives: precision %s recall %s, want 0 and null", show(p), show(r))
	}
}

func TestCalibration(t *testing.T) {
	// Twelve examples in tied pairs: the learner breaks each tie, and the
	// first two deciles hold two examples, the others one.
	var s []Scored
	for i := range 12 {
		s = append(s, Scored{Learner: fmt.Sprintf("L%02d", 12-i), Group: "G", Day: d("2025-03-03"),
			Risk: 0.1 * float64(i/2), Positive: i%2 == 1})
	}
	want := []struct {
		n         int
		mean, obs float64
	}{{2, 0, 0.5}, {2, 0.1, 0.5}, {1, 0.2, 1}, {1, 0.2, 0}, {1, 0.3, 1}, {1, 0.3, 0}, {1, 0.4, 1}, {1, 0.4, 0}, {1, 0.5, 1}, {1, 0.5, 0}}
	got := Calibration(s)
	if len(got) != 10 {
		t.Fatalf("%d deciles, want 10", len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Decile != i+1 || g.Examples != w.n || !near(g.MeanRisk, w.mean) || !near(g.Observed, w.obs) {
			t.Errorf("decile %d: %d %d %s %s, want %d %v %v", i+1, g.Decile, g.Examples, show(g.MeanRisk), show(g.Observed), w.n, w.mean, w.obs)
		}
	}
	got = Calibration(s[:3])
	for i, g := range got {
		if i < 3 && (g.Examples != 1 || g.MeanRisk == nil) || i >= 3 && (g.Examples != 0 || g.MeanRisk != nil || g.Observed != nil) {
			t.Errorf("3 examples, decile %d: %d %s %s", g.Decile, g.Examples, show(g.MeanRisk), show(g.Observed))
		}
	}
	for _, g := range Calibration(nil) {
		if g.Examples != 0 || g.MeanRisk != nil || g.Observed != nil {
			t.Errorf("no examples, decile %d: %d %s %s, want 0 null null", g.Decile, g.Examples, show(g.MeanRisk), show(g.Observed))
		}
	}
}

func TestBaseline(t *testing.T) {
	s := []Scored{{Flagged: true, Positive: true}, {Flagged: true}, {Flagged: true}, {Positive: true}, {}}
	p, r := Baseline(s)
	if !near(p, 1.0/3) || !near(r, 0.5) {
		t.Errorf("precision %s recall %s, want 1/3 and 1/2", show(p), show(r))
	}
	p, r = Baseline([]Scored{{Positive: true}})
	if p != nil || !near(r, 0) {
		t.Errorf("nothing flagged: precision %s recall %s, want null and 0", show(p), show(r))
	}
	p, r = Baseline([]Scored{{Flagged: true}})
	if !near(p, 0) || r != nil {
		t.Errorf("no positives: precision %s recall %s, want 0 and null", show(p), show(r))
	}
}
