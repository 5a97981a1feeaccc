package indicator

import (
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// obs is an observation of learner in group on date with the two scores
// (0 = not given).
func obs(learner, group, date string, wellbeing, involvement int) domain.Observation {
	return domain.Observation{Learner: learner, Group: group, Date: d(date), Wellbeing: domain.Score(wellbeing),
		Involvement: domain.Score(involvement)}
}

// TestWellbeingRules holds §7 and §8 against their boundary cases; the
// period is 2024-09-01 – 2025-08-31 and G1 is P1's group, G2 P2's.
func TestWellbeingRules(t *testing.T) {
	type want struct{ observed, high, low, followed, improved, declined int }
	tests := []struct {
		name     string
		obs      []domain.Observation
		provider string
		wb, inv  want
		dist     [5]int // of wellbeing
	}{
		{"one score only: observed, not followed", []domain.Observation{obs("L1", "G1", "2024-10-01", 4, 0)}, "",
			want{observed: 1, high: 1}, want{}, [5]int{0, 0, 0, 1, 0}},
		{"the first and the last day of the period count", []domain.Observation{
			obs("L1", "G1", "2024-09-01", 2, 3), obs("L1", "G1", "2025-08-31", 5, 3)}, "",
			want{observed: 1, high: 1, followed: 1, improved: 1}, want{observed: 1, followed: 1}, [5]int{0, 0, 0, 0, 1}},
		{"a day before and after the period do not", []domain.Observation{
			obs("L1", "G1", "2024-08-31", 1, 1), obs("L1", "G1", "2025-09-01", 1, 1)}, "",
			want{}, want{}, [5]int{}},
		{"same day in two groups: the lowest counts", []domain.Observation{
			obs("L1", "G1", "2025-01-10", 4, 5), obs("L1", "G2", "2025-01-10", 2, 4)}, "",
			want{observed: 1, low: 1}, want{observed: 1, high: 1}, [5]int{0, 1, 0, 0, 0}},
		{"equal first and last: followed, neither improved nor declined", []domain.Observation{
			obs("L1", "G1", "2024-10-01", 3, 3), obs("L1", "G1", "2025-03-01", 1, 3), obs("L1", "G1", "2025-05-01", 3, 3)}, "",
			want{observed: 1, followed: 1}, want{observed: 1, followed: 1}, [5]int{0, 0, 1, 0, 0}},
		{"declined", []domain.Observation{obs("L1", "G1", "2024-10-01", 5, 4), obs("L1", "G1", "2025-03-01", 2, 4)}, "",
			want{observed: 1, low: 1, followed: 1, declined: 1}, want{observed: 1, high: 1, followed: 1}, [5]int{0, 1, 0, 0, 0}},
		{"the provider filter keeps its own groups' scores", []domain.Observation{
			obs("L1", "G1", "2024-10-01", 5, 0), obs("L1", "G2", "2025-03-01", 1, 0)}, "P1",
			want{observed: 1, high: 1}, want{}, [5]int{0, 0, 0, 0, 1}},
	}
	for _, tt := range tests {
		ds := fixture()
		ds.Observations = tt.obs
		p := period()
		p.Provider = tt.provider
		r := Compute(ds, p)
		for _, c := range []struct {
			what string
			got  Observed
			want want
		}{{"wellbeing", r.Indicators.Wellbeing, tt.wb}, {"involvement", r.Indicators.Involvement, tt.inv}} {
			g := want{c.got.Observed.N, c.got.High.N, c.got.Low.N, c.got.Followed.N, c.got.Improved.N, c.got.Declined.N}
			if g != c.want {
				t.Errorf("%s: %s = %+v, want %+v", tt.name, c.what, g, c.want)
			}
		}
		for i, n := range tt.dist {
			if got := r.Indicators.Wellbeing.Distribution[i].N; got != n {
				t.Errorf("%s: wellbeing distribution[%d] = %d, want %d", tt.name, i+1, got, n)
			}
		}
	}
}

// TestWellbeingProviderRowsEqualFilter checks that each provider's row is the
// result with the provider filter set to it (spec/indicators.md, "Breakdowns").
func TestWellbeingProviderRowsEqualFilter(t *testing.T) {
	ds := fixture()
	ds.Observations = []domain.Observation{obs("L1", "G1", "2024-10-01", 5, 2), obs("L1", "G2", "2025-03-01", 1, 4),
		obs("L1", "G1", "2025-04-01", 3, 0)}
	all := Compute(ds, period())
	for _, prov := range []string{"P1", "P2"} {
		p := period()
		p.Provider = prov
		want := Compute(ds, p).Indicators
		row := all.Breakdowns.Provider.Get(prov)
		if row == nil {
			t.Fatalf("no provider row %s", prov)
		}
		if row.Wellbeing != want.Wellbeing || row.Involvement != want.Involvement {
			t.Errorf("%s: row %+v / %+v, filter %+v / %+v", prov, row.Wellbeing, row.Involvement, want.Wellbeing, want.Involvement)
		}
	}
	if w := all.Indicators.Wellbeing; w.Observed.N != 1 || w.Followed.N != 1 || w.Declined.N != 1 || w.Distribution[2].N != 1 { // 5, then 3: declined
		t.Errorf("total over both providers: %+v", w)
	}
}

// TestSurveyRules holds §9: responses dated in the period, per kind of
// respondent and score, the provider filter, and the suppression of small
// counts.
func TestSurveyRules(t *testing.T) {
	ds := fixture()
	resp := func(id, prov, date, who string, wb, inv, sat int) domain.SurveyResponse {
		return domain.SurveyResponse{ID: id, Provider: prov, Date: d(date), Respondent: who, Wellbeing: domain.Score(wb),
			Involvement: domain.Score(inv), Satisfaction: domain.Score(sat)}
	}
	ds.SurveyResponses = []domain.SurveyResponse{
		resp("S1", "P1", "2025-08-31", "learner", 5, 0, 2), // on "to": counts
		resp("S2", "P1", "2025-09-01", "learner", 1, 1, 1), // "to" + 1: does not
		resp("S3", "P2", "2024-09-01", "staff", 4, 1, 0),
		resp("S4", "P2", "2025-01-01", "partner", 0, 0, 4),
		resp("S5", "P1", "2025-01-01", "partner", 3, 0, 5), // a partner's wellbeing is not a score partners carry: ignored
	}
	r := Compute(ds, period())
	s := r.Indicators.Survey
	check := func(what string, f ScoreFigures, responses, high, low int) {
		t.Helper()
		if f.Responses.N != responses || f.High.N != high || f.Low.N != low {
			t.Errorf("%s: %d responses, %d high, %d low; want %d, %d, %d", what, f.Responses.N, f.High.N, f.Low.N, responses, high, low)
		}
	}
	check("learner wellbeing", s.Learner.Wellbeing, 1, 1, 0)
	check("learner involvement", s.Learner.Involvement, 0, 0, 0)
	check("learner satisfaction", s.Learner.Satisfaction, 1, 0, 1)
	check("staff wellbeing", s.Staff.Wellbeing, 1, 1, 0)
	check("staff involvement", s.Staff.Involvement, 1, 0, 1)
	check("partner satisfaction", s.Partner.Satisfaction, 2, 2, 0)
	if m := s.Partner.Satisfaction.Mean; !m.Valid || m.Value != 4.5 {
		t.Errorf("partner satisfaction mean %+v, want 4.5", m)
	}
	if rate := s.Learner.Involvement.Rate; rate.Valid {
		t.Errorf("a rate over no responses is %+v, want null", rate)
	}
	p := period()
	p.Provider = "P2"
	if f := Compute(ds, p).Indicators.Survey.Partner.Satisfaction; f.Responses.N != 1 {
		t.Errorf("partner satisfaction of P2: %d responses, want 1", f.Responses.N)
	}
	if row := r.Breakdowns.Provider.Get("P1"); row == nil || row.Survey.Partner.Satisfaction.Responses.N != 1 {
		t.Errorf("provider row P1: %+v", row)
	}
	sup := r.Suppressed().Indicators.Survey.Partner.Satisfaction
	if !sup.Responses.Suppressed || sup.Mean.Shown() || !sup.Distribution[4].Suppressed || sup.Distribution[0].Suppressed {
		t.Errorf("suppressed partner satisfaction: %+v", sup)
	}
}
