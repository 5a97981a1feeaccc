package risk

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

var years = Windows{TrainFrom: d("2022-09-01"), TrainTo: d("2024-08-31"), TestFrom: d("2024-09-01"), TestTo: d("2025-08-31")}

// TestValidateIsDeterministic: the same data and windows give
// byte-identical JSON, also from the records in another order (a database
// returns them in the order it likes).
func TestValidateIsDeterministic(t *testing.T) {
	in := synth(3, 900, true)
	first := validateJSON(t, in, "")
	if again := validateJSON(t, in, ""); !bytes.Equal(first, again) {
		t.Fatalf("two runs differ:\n%s\n%s", first, again)
	}
	shuffled := copyInput(in)
	slices.Reverse(shuffled.Data.Enrollments)
	slices.Reverse(shuffled.Data.Evaluations)
	slices.Reverse(shuffled.Data.Observations)
	slices.Reverse(shuffled.Data.Learners)
	slices.Reverse(shuffled.Lessons)
	slices.Reverse(shuffled.Attendance)
	if other := validateJSON(t, shuffled, ""); !bytes.Equal(first, other) {
		t.Fatalf("records in another order give other figures:\n%s\n%s", first, other)
	}
	a, err := Estimate(in, d("2025-03-03"), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Estimate(shuffled, d("2025-03-03"), "")
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("estimates differ:\n%s\n%s", ja, jb)
	}
}

func validateJSON(t *testing.T, in *Input, provider string) []byte {
	t.Helper()
	r, _, err := Validate(in, years, provider)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestValidateForm: the JSON form of spec/early-warning.md, with a planted
// signal found and per-provider examples.
func TestValidateForm(t *testing.T) {
	in := synth(3, 900, true)
	var got map[string]any
	if err := json.Unmarshal(validateJSON(t, in, ""), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"train", "test", "baseline", "by_learning_route", "by_gender", "features"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in %v", k, got)
		}
	}
	test := got["test"].(map[string]any)
	for _, k := range []string{"from", "to", "examples", "positives", "auc", "brier", "precision_at_10", "recall_at_10", "calibration"} {
		if _, ok := test[k]; !ok {
			t.Errorf("test has no %q", k)
		}
	}
	if auc, _ := test["auc"].(float64); auc < 0.7 {
		t.Errorf("auc %v on a planted signal, want at least 0.7", test["auc"])
	}
	if n := len(test["calibration"].([]any)); n != 10 {
		t.Errorf("%d deciles", n)
	}
	routes := got["by_learning_route"].(map[string]any)
	if len(routes) != 4 {
		t.Errorf("learning routes %v, want the four", routes)
	}

	r, _, _ := Validate(in, years, "P2")
	all, _, _ := Validate(in, years, "")
	if r.Test.Examples == 0 || r.Test.Examples >= all.Test.Examples {
		t.Errorf("provider P2: %d test examples of %d", r.Test.Examples, all.Test.Examples)
	}
	if _, ok := r.ByLearningRoute["fast"]; ok {
		t.Errorf("P2 (alfa groups only) reports the fast route: %v", r.ByLearningRoute)
	}
}

// TestValidateWindows: the learning examples end their horizon before the
// test window, and neither side counts a Monday whose outcome is not known.
func TestValidateWindows(t *testing.T) {
	x := newIndex(synth(3, 300, true))
	train := x.examples(window{from: years.TrainFrom, to: years.TrainTo, known: x.lastDay, before: years.TestFrom}, "")
	test := x.examples(window{from: years.TestFrom, to: years.TestTo, known: x.lastDay}, "")
	for _, e := range train {
		if !IsMonday(e.Day) || e.Day.AddDays(Horizon) >= years.TestFrom || e.Day < years.TrainFrom {
			t.Fatalf("learning example on %s", e.Day)
		}
	}
	for _, e := range test {
		if !IsMonday(e.Day) || e.Day.AddDays(Horizon) > x.lastDay || e.Day < years.TestFrom || e.Day > years.TestTo {
			t.Fatalf("test example on %s (last day %s)", e.Day, x.lastDay)
		}
	}
	if len(train) == 0 || len(test) == 0 {
		t.Fatalf("%d learning and %d test examples", len(train), len(test))
	}
}

func TestValidateWithoutPositives(t *testing.T) {
	in := synth(3, 200, true)
	for i := range in.Data.Enrollments {
		if e := &in.Data.Enrollments[i]; e.Status == "dropped" {
			e.Status = "completed"
		}
	}
	r, m, err := Validate(in, years, "")
	if err != nil || m != nil {
		t.Fatalf("model %v, error %v; want none and no error", m, err)
	}
	if r.Test.AUC != nil || r.Test.Brier != nil || r.Test.PrecisionAt10 != nil || r.Baseline.Recall != nil || len(r.Features) != 0 {
		t.Errorf("figures without positives: %+v", r.Test)
	}
	b, _ := json.Marshal(r)
	if !strings.Contains(string(b), `"auc":null`) || !strings.Contains(string(b), `"features":[]`) {
		t.Errorf("JSON %s", b)
	}
}

func TestWindowsCheck(t *testing.T) {
	bad := []Windows{
		{TrainFrom: d("2024-09-01"), TrainTo: d("2023-08-31"), TestFrom: d("2024-09-01"), TestTo: d("2025-08-31")},
		{TrainFrom: d("2022-09-01"), TrainTo: d("2024-08-31"), TestFrom: d("2025-09-01"), TestTo: d("2025-08-31")},
		{TrainFrom: d("2022-09-01"), TrainTo: d("2024-08-31"), TestFrom: d("2022-09-01"), TestTo: d("2025-08-31")},
		{TrainTo: d("2024-08-31"), TestFrom: d("2024-09-01"), TestTo: d("2025-08-31")},
	}
	for _, w := range bad {
		if err := w.Check(); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", w, err)
		}
	}
	if err := years.Check(); err != nil {
		t.Error(err)
	}
}

func TestDefaultWindows(t *testing.T) {
	for _, c := range []struct{ asOf, trainFrom, testFrom, testTo string }{
		{"2026-03-02", "2023-09-01", "2024-09-01", "2025-08-31"},
		{"2025-09-01", "2023-09-01", "2024-09-01", "2025-08-31"},
		{"2025-08-31", "2022-09-01", "2023-09-01", "2024-08-31"},
	} {
		w := DefaultWindows(d(c.asOf))
		if w.TrainFrom != d(c.trainFrom) || w.TestFrom != d(c.testFrom) || w.TestTo != d(c.testTo) || w.TrainTo != w.TestTo {
			t.Errorf("%s: %+v", c.asOf, w)
		}
	}
}

func TestEstimate(t *testing.T) {
	in := synth(3, 900, true)
	l, err := Estimate(in, d("2025-09-08"), "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Refused != nil {
		t.Fatalf("refused: %+v", l.Refused)
	}
	if len(l.Enrollments) == 0 {
		t.Fatal("no estimates")
	}
	for i, e := range l.Enrollments {
		if e.Rank != i+1 || i > 0 && e.Risk > l.Enrollments[i-1].Risk {
			t.Fatalf("rank %d: %+v after %+v", i+1, e, l.Enrollments[i-1])
		}
		if len(e.Reasons) > MaxReasons {
			t.Errorf("%d reasons", len(e.Reasons))
		}
		for j, r := range e.Reasons {
			if r.Contribution <= 0 || j > 0 && r.Contribution > e.Reasons[j-1].Contribution || r.Text == "" || strings.Contains(r.Text, "risk.") {
				t.Errorf("%s reason %+v", e.Learner, r)
			}
		}
	}
	// The highest estimate on a planted signal names an absence streak or
	// falling wellbeing among its reasons.
	found := false
	for _, r := range l.Enrollments[0].Reasons {
		found = found || r.Feature == "absence_streak" || r.Feature == "wellbeing_change" || r.Feature == "wellbeing_last"
	}
	if !found {
		t.Errorf("top reasons %+v", l.Enrollments[0].Reasons)
	}
	if l.Model.Validation.AUC == nil || l.Model.TrainFrom != "2023-09-01" || l.Model.Validation.TestTo != "2025-08-31" {
		t.Errorf("model %+v", l.Model)
	}
	// Only what is known on the day: records after it change nothing.
	later, err := Estimate(perturbAfter(in, d("2025-09-08"), randFor(1)), d("2025-09-08"), "")
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(l)
	jb, _ := json.Marshal(later)
	if !bytes.Equal(ja, jb) {
		t.Error("records after the day changed the estimates")
	}
}

func TestRefusal(t *testing.T) {
	l, err := Estimate(synth(3, 60, true), d("2025-09-08"), "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Refused == nil || l.Refused.Reason != TooLittleHistory || len(l.Enrollments) != 0 {
		t.Fatalf("60 learners: %+v", l)
	}
	if !strings.Contains(l.Refused.Text, "te weinig geschiedenis") {
		t.Errorf("text %q", l.Refused.Text)
	}
	low, good := 0.64, 0.65
	for _, c := range []struct {
		leavers int
		auc     *float64
		want    string
	}{
		{49, &good, TooLittleHistory}, {50, &low, PoorValidation}, {50, nil, PoorValidation}, {50, &good, ""},
	} {
		r := refuse(c.leavers, c.auc, years)
		if (r == nil) != (c.want == "") || r != nil && r.Reason != c.want {
			t.Errorf("%d leavers, auc %s: %+v, want %q", c.leavers, show(c.auc), r, c.want)
		}
	}
	if r := refuse(50, &low, years); !strings.Contains(r.Text, "0,64") {
		t.Errorf("poor validation text %q", r.Text)
	}
}

// TestReasonTextsAreInTheCatalogue: every sentence a reason can take has
// an English and a Dutch text.
func TestReasonTextsAreInTheCatalogue(t *testing.T) {
	var fs []Features
	for _, v := range []float64{0, 1, -2, 2, 3} {
		var f Features
		for k := range numNumeric {
			f.Value[k], f.Defined[k] = v, true
		}
		f.WellbeingFirst = 4
		f.Attr = [numCategorical]string{"alfa", "low_literate", "none", "obliged", "50+"}
		var none Features // every feature that can be undefined, undefined
		for k := range numNumeric {
			none.Defined[k] = !missingable[k]
		}
		fs = append(fs, f, none)
	}
	for _, f := range fs {
		for k := range numFeatures {
			txt := ReasonText(&f, k)
			if !locale.Has(txt.Key) {
				t.Errorf("%s: key %q not in the catalogue", FeatureNames[k], txt.Key)
			}
		}
	}
	f := Features{WellbeingFirst: 4}
	f.Value[WellbeingChange], f.Defined[WellbeingChange] = -2, true
	f.Value[AbsenceStreak], f.Defined[AbsenceStreak] = 3, true
	if got := ReasonText(&f, WellbeingChange).In("nl"); got != "welbevinden gedaald van 4 naar 2" {
		t.Errorf("wellbeing_change: %q", got)
	}
	if got := ReasonText(&f, AbsenceStreak).In("nl"); got != "3 lessen na elkaar afwezig" {
		t.Errorf("absence_streak: %q", got)
	}
}
