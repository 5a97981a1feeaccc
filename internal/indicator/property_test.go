package indicator

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// numberFields are the JSON fields that are rates, means or medians; every
// other number in an indicators object is a count.
var numberFields = map[string]bool{"rate": true, "attendance_rate": true, "mean_gain": true,
	"median_days_to_start": true, "qualified_rate": true, "early_leaver_rate": true, "mean": true}

// countFields flattens the counts of an indicators object to paths such as
// "access.cohort", "learning_gain.by_skill.reading.gained" or
// "outflow.reasons.moved", read back from its JSON form.
func countFields(t testing.TB, v any) map[string]int {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, y)
			}
		case json.Number:
			name := prefix[strings.LastIndex(prefix, ".")+1:]
			if numberFields[name] {
				return
			}
			n, err := x.Int64()
			if err != nil {
				t.Fatalf("%s: count %v is not an integer", prefix, x)
			}
			out[prefix] = int(n)
		}
	}
	walk("", m)
	return out
}

// splitPath splits "learning_gain.by_skill.reading.gained" into the indicator
// and the field that Case.Is understands.
func splitPath(path string) (indicator, field string) {
	indicator, field, _ = strings.Cut(path, ".")
	return indicator, field
}

// additive are the breakdowns whose keys partition the cases of every
// indicator when every learner has every attribute.
var additive = []string{BreakdownGender, BreakdownLearningRoute, BreakdownSchoolingLevel,
	BreakdownLiteracy, BreakdownCivicStatus, BreakdownAgeBand}

func TestPropertiesRandom(t *testing.T) {
	iterations := 150
	if testing.Short() {
		iterations = 30
	}
	for it := range iterations {
		seed := uint64(1000 + it)
		rng := rand.New(rand.NewPCG(seed, 7))
		ds := genDataSet(seed, 20+rng.IntN(150))
		p := genParams(rng)
		if err := p.Validate(); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		r := Compute(ds, p)
		checkAccessPartition(t, seed, "total", &r.Indicators)
		total := countFields(t, &r.Indicators)
		for _, name := range additive {
			b := r.Breakdowns.ByName(name)
			sum := map[string]int{}
			var hours, planned float64
			gainSum, pairs := 0, 0
			for i := range b.Rows {
				in := &b.Rows[i].Indicators
				checkAccessPartition(t, seed, name+"="+b.Rows[i].Key, in)
				if !hasCase(in) {
					t.Errorf("seed %d: %s=%s is listed without a case", seed, name, b.Rows[i].Key)
				}
				for k, v := range countFields(t, in) {
					sum[k] += v
				}
				hours += in.Progress.HoursAttended
				planned += in.Progress.PlannedHours
				gainSum += in.LearningGain.GainSum
				pairs += in.LearningGain.Pairs
			}
			for k, v := range total {
				if strings.HasPrefix(k, IndicatorSurvey+".") {
					continue // surveys are broken down by provider only
				}
				if sum[k] != v {
					t.Errorf("seed %d: %s: Σ %s = %d, total %d", seed, name, k, sum[k], v)
				}
			}
			for k, v := range sum {
				if _, ok := total[k]; !ok && v != 0 {
					t.Errorf("seed %d: %s: %s only in the breakdown (%d)", seed, name, k, v)
				}
			}
			if math.Abs(hours-r.Indicators.Progress.HoursAttended) > 1e-6 || math.Abs(planned-r.Indicators.Progress.PlannedHours) > 1e-6 {
				t.Errorf("seed %d: %s: Σ hours %v/%v, total %v/%v", seed, name, hours, planned,
					r.Indicators.Progress.HoursAttended, r.Indicators.Progress.PlannedHours)
			}
			if gainSum != r.Indicators.LearningGain.GainSum || pairs != r.Indicators.LearningGain.Pairs {
				t.Errorf("seed %d: %s: Σ gain %d/%d, total %d/%d", seed, name, gainSum, pairs,
					r.Indicators.LearningGain.GainSum, r.Indicators.LearningGain.Pairs)
			}
		}
		// Every generated module has a target level: target_level partitions
		// the progress cohort.
		n := 0
		for _, row := range r.Breakdowns.TargetLevel.Rows {
			n += row.Indicators.Progress.Cohort.N
			if row.Indicators.Progress.Cohort.N == 0 {
				t.Errorf("seed %d: target_level %s listed without a case", seed, row.Key)
			}
		}
		if n != r.Indicators.Progress.Cohort.N {
			t.Errorf("seed %d: Σ target_level cohort %d, total %d", seed, n, r.Indicators.Progress.Cohort.N)
		}
		// The provider breakdown is, per key, the result with that provider
		// filter (spec/indicators.md: "as the provider filter defines it").
		if it%3 == 0 {
			for i := range r.Breakdowns.Provider.Rows {
				row := &r.Breakdowns.Provider.Rows[i]
				q := p
				q.Provider = row.Key
				f := Compute(ds, q)
				if got, want := mustJSON(t, &row.Indicators), mustJSON(t, &f.Indicators); got != want {
					t.Errorf("seed %d: provider %s breakdown differs from the filtered result:\n%s\n%s", seed, row.Key, got, want)
				}
			}
		}
		checkExplain(t, ds, p, r)
		checkSuppressed(t, r)
	}
}

func hasCase(in *Indicators) bool {
	return in.Access.Cohort.N+in.Progress.Cohort.N+in.LearningGain.Participants.N+in.Outflow.Total.N+
		in.Wellbeing.Observed.N+in.Involvement.Observed.N > 0
}

func checkAccessPartition(t *testing.T, seed uint64, where string, in *Indicators) {
	t.Helper()
	a := &in.Access
	if a.OnTime.N+a.Late.N+a.WaitingOverdue.N+a.WaitingInTerm.N != a.Cohort.N {
		t.Errorf("seed %d: %s: access classes %d+%d+%d+%d != cohort %d", seed, where,
			a.OnTime.N, a.Late.N, a.WaitingOverdue.N, a.WaitingInTerm.N, a.Cohort.N)
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkExplain asserts that the cases of Explain reproduce r: every count of
// the total and of every breakdown row, the medians, attendance rates and
// mean gains; and that each case has exactly one class of its indicator.
func checkExplain(t *testing.T, ds *domain.DataSet, p Params, r *Result) {
	t.Helper()
	e := Explain(ds, p)
	if got, want := mustJSON(t, e.Result), mustJSON(t, r); got != want {
		t.Fatalf("Explain's result differs from Compute's")
	}
	for i := range e.Cases {
		c := &e.Cases[i]
		n := 0
		for _, cl := range Classes(c.Indicator) {
			if c.Class == cl {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("case %+v has class %q, not one of %v", c, c.Class, Classes(c.Indicator))
		}
	}
	check := func(where string, f Filter, in *Indicators, progressOnly bool) {
		sub := &Explanation{Cases: e.Filter(f)}
		for path, want := range countFields(t, in) {
			ind, field := splitPath(path)
			if progressOnly && ind != IndicatorProgress && ind != IndicatorCertification {
				continue
			}
			if got := sub.Count(Filter{Indicator: ind, Class: field}); got != want {
				t.Errorf("%s: %d cases for %s, result %d", where, got, path, want)
			}
		}
		cases := func(ind string) []Case { return sub.Filter(Filter{Indicator: ind}) }
		// median_days_to_start from the cases' DaysToStart.
		var days []int
		for _, c := range cases(IndicatorAccess) {
			if c.DaysToStart != nil {
				days = append(days, *c.DaysToStart)
			}
		}
		if !progressOnly {
			if m := in.Access.MedianDaysToStart; m.Valid != (len(days) > 0) || (m.Valid && m.Value != median(days)) {
				t.Errorf("%s: median %v from cases, result %+v", where, median(days), m)
			}
		}
		// attendance_rate from the cases' hours.
		var h, pl float64
		for _, c := range cases(IndicatorProgress) {
			h += c.Hours
			pl += c.Planned
		}
		if ar := in.Progress.AttendanceRate; ar.Valid != (pl > 0) || (ar.Valid && math.Abs(ar.Value-h/pl) > 1e-12) {
			t.Errorf("%s: attendance %v/%v from cases, result %+v", where, h, pl, ar)
		}
		if progressOnly {
			return
		}
		// mean_gain and by_skill mean_gain from the cases' skills.
		var sum, pairs int
		var skSum, skN [domain.NumSkills]int
		for _, c := range cases(IndicatorLearningGain) {
			for k, s := range c.Skills {
				if s.Gain != nil {
					sum += *s.Gain
					pairs++
					skSum[k] += *s.Gain
					skN[k]++
					if *s.Gain != int(s.End)-int(s.Baseline) || s.EndDate <= s.BaselineDate {
						t.Errorf("%s: inconsistent skill %+v", where, s)
					}
				}
			}
		}
		if mg := in.LearningGain.MeanGain; mg.Valid != (pairs > 0) || (mg.Valid && mg.Value != float64(sum)/float64(pairs)) {
			t.Errorf("%s: mean gain %d/%d from cases, result %+v", where, sum, pairs, mg)
		}
		for k := range skN {
			if mg := in.LearningGain.BySkill[k].MeanGain; mg.Valid != (skN[k] > 0) || (mg.Valid && mg.Value != float64(skSum[k])/float64(skN[k])) {
				t.Errorf("%s: %s mean gain %d/%d from cases, result %+v", where, domain.SkillCodes[k], skSum[k], skN[k], mg)
			}
		}
	}
	check("total", Filter{}, &r.Indicators, false)
	for _, b := range r.Breakdowns.All() {
		for i := range b.Rows {
			row := &b.Rows[i]
			check(b.Name+"="+row.Key, Filter{Breakdown: b.Name, Key: row.Key}, &row.Indicators, b.ProgressOnly())
		}
		// A key with cases is listed: no case counts under an unlisted key.
		for i := range e.Cases {
			c := &e.Cases[i]
			if b.ProgressOnly() && c.Indicator != IndicatorProgress && c.Indicator != IndicatorCertification {
				continue
			}
			for _, key := range caseKeys(c, b.Name) {
				if b.Get(key) == nil {
					t.Errorf("case of %s under %s=%s, which is not listed", c.Learner, b.Name, key)
				}
			}
		}
	}
	// ExplainFilter builds the same cases as Explain then filters them.
	f := Filter{Indicator: IndicatorAccess, Class: "late"}
	if got, want := len(ExplainFilter(ds, p, f)), e.Count(f); got != want {
		t.Errorf("ExplainFilter: %d cases, Explain %d", got, want)
	}
}

func caseKeys(c *Case, breakdown string) []string {
	if breakdown == BreakdownProvider {
		if c.Indicator == IndicatorLearningGain || observedIndicator(c.Indicator) {
			return c.Providers
		}
		if c.Provider == "" {
			return nil
		}
		return []string{c.Provider}
	}
	if k := c.Attributes.Key(breakdown); k != "" {
		return []string{k}
	}
	return nil
}

func median(v []int) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]int(nil), v...)
	sort.Ints(s)
	n := len(s)
	return float64(s[(n-1)/2]+s[n/2]) / 2
}

// checkSuppressed asserts the small-cell rule on r.Suppressed(): no count
// from 1 to 4 is shown, rates over a denominator below 5 are null, and the
// exact numbers stay in the Go values.
func checkSuppressed(t *testing.T, r *Result) {
	t.Helper()
	s := r.Suppressed()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				walk(path+"."+k, y)
			}
		case json.Number:
			if strings.HasPrefix(path, ".parameters") || path == ".definitions_version" {
				return
			}
			name := path[strings.LastIndex(path, ".")+1:]
			if !numberFields[name] {
				if n, _ := x.Int64(); n >= 1 && n <= 4 {
					t.Errorf("%s: count %v shown", path, x)
				}
			}
		case string:
			if !strings.HasPrefix(path, ".period") && path != ".provider" && x != SuppressedText {
				t.Errorf("%s: string %q", path, x)
			}
		}
	}
	walk("", m)
	check := func(in, exact *Indicators) {
		if exact.Access.Judged() < 5 && in.Access.Rate.Shown() || exact.Access.Started() < 5 && in.Access.MedianDaysToStart.Shown() ||
			exact.Progress.Cohort.N < 5 && (in.Progress.Rate.Shown() || in.Progress.AttendanceRate.Shown()) ||
			exact.Certification.Cohort.N < 5 && in.Certification.Rate.Shown() ||
			exact.LearningGain.Assessed.N < 5 && in.LearningGain.Rate.Shown() ||
			exact.LearningGain.Pairs < 5 && in.LearningGain.MeanGain.Shown() ||
			exact.Outflow.Total.N < 5 && (in.Outflow.QualifiedRate.Shown() || in.Outflow.EarlyLeaverRate.Shown()) ||
			exact.Effects.FollowedUp.N < 5 && in.Effects.Rate.Shown() {
			t.Errorf("a rate over a small denominator is shown: %s", mustJSON(t, in))
		}
		if exact.Access.Judged() >= 5 && in.Access.Rate != exact.Access.Rate ||
			exact.Progress.Cohort.N >= 5 && in.Progress.AttendanceRate != exact.Progress.AttendanceRate ||
			exact.LearningGain.Pairs >= 5 && in.LearningGain.MeanGain != exact.LearningGain.MeanGain {
			t.Errorf("a rate over a large denominator is hidden: %s", mustJSON(t, in))
		}
		if in.Access.Cohort.N != exact.Access.Cohort.N || in.Outflow.Total.N != exact.Outflow.Total.N {
			t.Errorf("suppression changed an exact count")
		}
	}
	check(&s.Indicators, &r.Indicators)
	for i, b := range s.Breakdowns.All() {
		for j := range b.Rows {
			check(&b.Rows[j].Indicators, &r.Breakdowns.All()[i].Rows[j].Indicators)
		}
	}
	// The original is left exact.
	if mustJSON(t, r) == buf.String() && strings.Contains(buf.String(), SuppressedText) {
		t.Errorf("Suppressed changed its receiver")
	}
}

func TestExplainConformance(t *testing.T) {
	ds := loadDir(t, conformanceDir)
	for _, tc := range conformanceCases {
		t.Run(tc.file, func(t *testing.T) {
			p := conformanceParams(tc.from, tc.to, tc.asOf, tc.provider)
			r := Compute(ds, p)
			checkExplain(t, ds, p, r)
			checkSuppressed(t, r)
		})
	}
}
