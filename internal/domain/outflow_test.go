package domain

import "testing"

func TestOutflowEndsEnrollments(t *testing.T) {
	o := &Outflow{Learner: "L1", Date: MustDate("2026-03-01"), Type: "early_leaver", Provider: "P1"}
	for _, tt := range []struct {
		name     string
		e        Enrollment
		provider string
		want     bool
	}{
		{"open, at the outflow's provider", Enrollment{Learner: "L1", Group: "G1", StartDate: MustDate("2026-01-05"), Status: "active"}, "P1", true},
		{"started on the outflow's day", Enrollment{Learner: "L1", Group: "G1", StartDate: MustDate("2026-03-01"), Status: "active"}, "P1", true},
		{"starts after the outflow", Enrollment{Learner: "L1", Group: "G1", StartDate: MustDate("2026-03-02"), Status: "active"}, "P1", false},
		{"another provider's group", Enrollment{Learner: "L1", Group: "G2", StartDate: MustDate("2026-01-05"), Status: "active"}, "P2", false},
		{"already ended", Enrollment{Learner: "L1", Group: "G1", StartDate: MustDate("2026-01-05"), EndDate: MustDate("2026-02-01"), Status: "completed"}, "P1", false},
		{"another learner", Enrollment{Learner: "L2", Group: "G1", StartDate: MustDate("2026-01-05"), Status: "active"}, "P1", false},
	} {
		if got := EndsEnrollment(o, &tt.e, tt.provider); got != tt.want {
			t.Errorf("%s: ends %v, want %v", tt.name, got, tt.want)
		}
	}
	any := &Outflow{Learner: "L1", Date: MustDate("2026-03-01"), Type: "qualified"}
	if !EndsEnrollment(any, &Enrollment{Learner: "L1", StartDate: MustDate("2026-01-05"), Status: "active"}, "P2") {
		t.Error("an outflow naming no provider does not end an open enrollment")
	}
	for typ, want := range map[string]string{"early_leaver": "dropped", "qualified": "completed", "transfer": "transferred", "x": ""} {
		if got := EnrollmentStatusAfter(typ); got != want {
			t.Errorf("%s: enrollment %q, want %q", typ, got, want)
		}
	}
	e := EndEnrollment(o, Enrollment{Learner: "L1", Group: "G1", StartDate: MustDate("2026-01-05"), Status: "active", HoursAttended: 12})
	if e.EndDate != o.Date || e.Status != "dropped" || e.HoursAttended != 12 || len(e.Validate()) != 0 {
		t.Errorf("ended enrollment %+v", e)
	}
}

func TestFollowUpPrecedes(t *testing.T) {
	outs := []Outflow{{Learner: "L1", Date: MustDate("2025-06-30")}, {Learner: "L1", Date: MustDate("2026-03-01")}, {Learner: "L2", Date: MustDate("2026-09-01")}}
	for _, tt := range []struct {
		date string
		want bool
	}{{"2026-02-28", true}, {"2026-03-01", true}, {"2026-03-02", false}} {
		latest, ok := FollowUpPrecedes(&FollowUp{Learner: "L1", Date: MustDate(tt.date)}, outs)
		if ok != tt.want || latest != MustDate("2026-03-01") {
			t.Errorf("%s: %s %v, want 2026-03-01 %v", tt.date, latest, ok, tt.want)
		}
	}
	if _, ok := FollowUpPrecedes(&FollowUp{Learner: "L3", Date: MustDate("2020-01-01")}, outs); ok {
		t.Error("a learner without outflow: asked to confirm")
	}
}
