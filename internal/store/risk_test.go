package store

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
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
	// A register for L1 in G001: blank hours resolve to the lesson's for
	// present, 0 for absent; given hours stay.
	late := 1.5
	ds.Lessons = []domain.Lesson{{Group: "G001", Date: domain.MustDate("2025-02-03"), Hours: 3},
		{Group: "G001", Date: domain.MustDate("2025-02-10"), Hours: 3}, {Group: "G001", Date: domain.MustDate("2025-02-17"), Hours: 2.5}}
	ds.Attendance = []domain.Attendance{{Learner: "L1", Group: "G001", Date: domain.MustDate("2025-02-03"), Status: "present"},
		{Learner: "L1", Group: "G001", Date: domain.MustDate("2025-02-10"), Status: "absent"},
		{Learner: "L1", Group: "G001", Date: domain.MustDate("2025-02-17"), Status: "late", Hours: &late}}
	ds.Enrollments[0].HoursAttended = 4.5
	upsert(t, db, ds)
	wantRegister := []risk.Attendance{{Learner: "L1", Group: "G001", Date: domain.MustDate("2025-02-03"), Status: "present", Hours: 3},
		{Learner: "L1", Group: "G001", Date: domain.MustDate("2025-02-10"), Status: "absent", Hours: 0},
		{Learner: "L1", Group: "G001", Date: domain.MustDate("2025-02-17"), Status: "late", Hours: 1.5}}
	wantLessons := []risk.Lesson{{Group: "G001", Date: domain.MustDate("2025-02-03"), Hours: 3},
		{Group: "G001", Date: domain.MustDate("2025-02-10"), Hours: 3}, {Group: "G001", Date: domain.MustDate("2025-02-17"), Hours: 2.5}}
	plain := &domain.DataSet{}
	*plain = *ds
	plain.Lessons, plain.Attendance = nil, nil
	in, err := db.LoadRiskInput(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Data.Enrollments) != 2 || len(in.Data.Observations) != 1 || len(in.Data.Referrals) != 2 {
		t.Fatalf("loaded %d enrollments, %d observations, %d referrals", len(in.Data.Enrollments), len(in.Data.Observations), len(in.Data.Referrals))
	}
	if !reflect.DeepEqual(in.Lessons, wantLessons) || !reflect.DeepEqual(in.Attendance, wantRegister) {
		t.Errorf("the register: %+v %+v\nwant %+v %+v", in.Lessons, in.Attendance, wantLessons, wantRegister)
	}
	if in.Data.Lessons != nil || in.Data.Attendance != nil {
		t.Error("the data set keeps a copy of the register")
	}
	want := &risk.Input{Data: plain, Lessons: wantLessons, Attendance: wantRegister}
	w := risk.Windows{TrainFrom: domain.MustDate("2024-09-01"), TrainTo: domain.MustDate("2025-08-31"),
		TestFrom: domain.MustDate("2025-03-01"), TestTo: domain.MustDate("2025-08-31")}
	for _, day := range []string{"2025-03-03", "2025-04-07"} {
		a, err := risk.Estimate(want, domain.MustDate(day), "")
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
	ra, _, err := risk.Validate(want, w, "")
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
