package risk

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestTrainedRoundTrip: a model written in its stored form and read back
// estimates exactly as the one fitted, and a listing from a stored
// training is the listing Estimate gives.
func TestTrainedRoundTrip(t *testing.T) {
	in := synth(3, 900, true)
	day := d("2025-09-08")
	tr, err := Train(in, day, "")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Refused != nil || tr.Model == nil {
		t.Fatalf("refused: %+v", tr.Refused)
	}
	b, err := json.Marshal(tr.Model)
	if err != nil {
		t.Fatal(err)
	}
	var back Model
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, tr.Model) {
		t.Fatalf("read back\n%+v\nfitted\n%+v", back, *tr.Model)
	}
	vb, _ := json.Marshal(tr.Validation)
	stored := &Trained{AsOf: tr.AsOf, DataTo: tr.DataTo, Windows: tr.Windows, EarlyLeavers: tr.EarlyLeavers, Model: &back}
	if err := json.Unmarshal(vb, &stored.Validation); err != nil {
		t.Fatal(err)
	}
	if err := stored.Restore(""); err != nil || stored.Refused != nil {
		t.Fatalf("restored training refused: %v", err)
	}
	want, err := Estimate(in, day, "")
	if err != nil {
		t.Fatal(err)
	}
	// A week later the stored model still estimates, on that day's features.
	for _, on := range []string{"2025-09-08", "2025-09-15"} {
		got, err := EstimateWith(in, d(on), stored)
		if err != nil {
			t.Fatal(err)
		}
		fresh, _ := EstimateWith(in, d(on), tr)
		jg, _ := json.Marshal(got)
		jf, _ := json.Marshal(fresh)
		if !bytes.Equal(jg, jf) {
			t.Errorf("%s: the stored model estimates otherwise than the fitted one", on)
		}
		if on == "2025-09-08" {
			jw, _ := json.Marshal(want)
			if !bytes.Equal(jg, jw) {
				t.Errorf("stored training's listing differs from Estimate's:\n%s\n%s", jg, jw)
			}
		}
	}
	if _, err := EstimateWith(in, d("2025-09-07"), stored); err == nil {
		t.Error("a model trained after the day estimated it")
	}
}

func TestModelJSONRefusesOtherColumns(t *testing.T) {
	m := &Model{Columns: columns()}
	n := len(m.Columns)
	m.Mean, m.Scale, m.Weights = make([]float64, n), make([]float64, n), make([]float64, n)
	b, _ := json.Marshal(m)
	var back Model
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), `"absence_streak"`, `"absences"`, 1)
	if err := json.Unmarshal([]byte(bad), &back); err == nil || !strings.Contains(err.Error(), "train it again") {
		t.Errorf("renamed column: %v", err)
	}
}

func TestTrainRefusedRestores(t *testing.T) {
	tr, err := Train(synth(3, 60, true), d("2025-09-08"), "")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Refused == nil || tr.Refused.Reason != TooLittleHistory || tr.Model != nil {
		t.Fatalf("%+v", tr)
	}
	back := &Trained{AsOf: tr.AsOf, Windows: tr.Windows, EarlyLeavers: tr.EarlyLeavers, Validation: tr.Validation}
	if err := back.Restore(tr.Refused.Reason); err != nil || back.Refused == nil || back.Refused.Text != tr.Refused.Text {
		t.Errorf("restored refusal %+v, want %+v", back.Refused, tr.Refused)
	}
}

// TestRestoreKeepsStoredDecision: a stored training keeps the refusal it
// was stored with, whatever today's thresholds would say of its figures.
func TestRestoreKeepsStoredDecision(t *testing.T) {
	t.Parallel()
	auc := 0.91
	w := Windows{TrainFrom: d("2023-09-01"), TrainTo: d("2025-08-31"), TestFrom: d("2024-09-01"), TestTo: d("2025-08-31")}
	v := &Report{}
	v.Test.AUC = &auc
	refused := &Trained{Windows: w, EarlyLeavers: 400, Validation: v}
	if err := refused.Restore(PoorValidation); err != nil || refused.Refused == nil || refused.Refused.Reason != PoorValidation {
		t.Fatalf("stored as poor validation: %+v, %v", refused.Refused, err)
	}
	if !strings.Contains(refused.Refused.Text, "0,91") {
		t.Errorf("text %q does not give the stored AUC", refused.Refused.Text)
	}
	shown := &Trained{Windows: w, EarlyLeavers: 3, Validation: &Report{}}
	if err := shown.Restore(""); err != nil || shown.Refused != nil {
		t.Errorf("stored as shown: %+v, %v", shown.Refused, err)
	}
	if err := shown.Restore("no_reason"); err == nil {
		t.Error("an unknown stored reason is taken")
	}
}
