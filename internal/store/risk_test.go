package store

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/risk"
)

// TestLoadRiskInput: the early warning computes the same from the stored
// records as from the records written, on either backend.
func TestLoadRiskInput(t *testing.T) {
	db := openTest(t)
	ds := sample()
	ds.Observations = []domain.Observation{{Learner: "L2", Group: "G001", Date: domain.MustDate("2025-03-01"), Wellbeing: 2, Involvement: 4}}
	upsert(t, db, ds)
	in, err := db.LoadRiskInput(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Data.Enrollments) != 2 || len(in.Data.Observations) != 1 || len(in.Data.Referrals) != 2 {
		t.Fatalf("loaded %d enrollments, %d observations, %d referrals", len(in.Data.Enrollments), len(in.Data.Observations), len(in.Data.Referrals))
	}
	if in.Lessons != nil || in.Attendance != nil {
		t.Errorf("the register before the store keeps it: %v %v", in.Lessons, in.Attendance)
	}
	w := risk.Windows{TrainFrom: domain.MustDate("2024-09-01"), TrainTo: domain.MustDate("2025-08-31"),
		TestFrom: domain.MustDate("2025-03-01"), TestTo: domain.MustDate("2025-08-31")}
	for _, day := range []string{"2025-03-03", "2025-04-07"} {
		a, err := risk.Estimate(&risk.Input{Data: ds}, domain.MustDate(day), "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := risk.Estimate(in, domain.MustDate(day), "")
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s: from the store\n%s\nwant\n%s", day, jb, ja)
		}
	}
	ra, _, err := risk.Validate(&risk.Input{Data: ds}, w, "")
	if err != nil {
		t.Fatal(err)
	}
	rb, _, err := risk.Validate(in, w, "")
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(ra)
	jb, _ := json.Marshal(rb)
	if !bytes.Equal(ja, jb) {
		t.Errorf("validate from the store\n%s\nwant\n%s", jb, ja)
	}
}
