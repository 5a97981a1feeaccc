package store

import (
	"context"
	"slices"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/signal"
)

// flagCase is one learner of the flag fixture: their records, and the flags
// spec/early-warning.md ("The counsellor's flags on a day") gives them on
// flagDay.
type flagCase struct {
	id   string
	why  string
	add  func(ds *domain.DataSet, id string)
	want []signal.Flag
}

// flagDay is the day every case of flagCases is judged on.
var flagDay = domain.MustDate("2026-03-15")

// flagCases are the situations in which the flags of the spec differ from
// the earlier SQL (a learner who left long ago, a blank reason, a record
// dated after the day, the last day of a window, an enrollment that is open
// whatever its status today, one nobody closed), each with a learner of its
// own and placed and evaluated where that flag is not the point.
var flagCases = []flagCase{
	{"S01", "low wellbeing, but left long ago: no open enrollment on D", func(ds *domain.DataSet, id string) {
		enroll(ds, id, "G0", "2025-01-10", "2025-05-20", "dropped")
		ds.Observations = append(ds.Observations, domain.Observation{Learner: id, Group: "G0", Date: d("2025-05-01"), Wellbeing: 1})
	}, nil},
	{"S02", "low wellbeing with an open enrollment", func(ds *domain.DataSet, id string) {
		enrollPlaced(ds, id, "G1", "2026-01-05", "", "active")
		ds.Observations = append(ds.Observations, domain.Observation{Learner: id, Group: "G1", Date: d("2026-03-01"), Involvement: 2})
	}, []signal.Flag{{Kind: signal.LowWellbeing}}},
	{"S03", "early leaver with a blank reason: not the reason unknown", func(ds *domain.DataSet, id string) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2026-02-01"), Type: "early_leaver", Reason: ""})
	}, nil},
	{"S04", "early leaver, reason unknown, dated after D", func(ds *domain.DataSet, id string) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2026-03-16"), Type: "early_leaver", Reason: "unknown"})
	}, nil},
	{"S05", "early leaver, reason unknown, on D", func(ds *domain.DataSet, id string) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: flagDay, Type: "early_leaver", Reason: "unknown"})
	}, []signal.Flag{{Kind: signal.NoReason}}},
	{"S06", "an outflow on the referral's own day does not end the waiting", func(ds *domain.DataSet, id string) {
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: id, Date: d("2025-11-01"), Source: "self"})
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2025-11-01"), Type: "qualified"})
	}, []signal.Flag{{Kind: signal.Overdue, Days: 42}}},
	{"S07", "an outflow after D is not known on D", func(ds *domain.DataSet, id string) {
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: id, Date: d("2025-12-20"), Source: "self"})
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2026-03-20"), Type: "qualified"})
	}, []signal.Flag{{Kind: signal.DeadlineSoon, Days: 5}}},
	{"S08", "a referral followed by an outflow is not waiting", func(ds *domain.DataSet, id string) {
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: id, Date: d("2025-11-01"), Source: "self"})
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2025-11-02"), Type: "transfer"})
	}, nil},
	{"S09", "no follow-up on the last day of the window, outflow + 12 months", func(ds *domain.DataSet, id string) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2025-03-15"), Type: "qualified"})
	}, []signal.Flag{{Kind: signal.NoFollowUp}}},
	{"S10", "a follow-up dated after D is not known on D", func(ds *domain.DataSet, id string) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2025-08-01"), Type: "qualified"})
		ds.FollowUps = append(ds.FollowUps, domain.FollowUp{Learner: id, Date: d("2026-04-01"), Status: "work"})
	}, []signal.Flag{{Kind: signal.NoFollowUp}}},
	{"S11", "an enrollment starting after D is not known on D", func(ds *domain.DataSet, id string) {
		ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: id, Date: d("2025-08-01"), Type: "transfer"})
		enrollPlaced(ds, id, "G1", "2026-03-16", "", "active")
	}, []signal.Flag{{Kind: signal.NoFollowUp}}},
	{"S12", "a placement dated after D is not known on D", func(ds *domain.DataSet, id string) {
		enroll(ds, id, "G1", "2026-01-05", "", "active")
		ds.Placements = append(ds.Placements, domain.Placement{Learner: id, Date: d("2026-03-20"), Module: "M1", Method: "test", Levels: domain.NoLevels})
	}, []signal.Flag{{Kind: signal.NoPlacement}}},
	{"S13", "open on D whatever its status today: completed later", func(ds *domain.DataSet, id string) {
		enroll(ds, id, "G1", "2025-11-10", "2026-04-30", "completed")
	}, []signal.Flag{{Kind: signal.NoPlacement}, {Kind: signal.NoEvaluation}}},
	{"S14", "an active enrollment nobody closed, its group over for more than grace_days", func(ds *domain.DataSet, id string) {
		enroll(ds, id, "G0", "2025-01-10", "", "active")
		ds.Observations = append(ds.Observations, domain.Observation{Learner: id, Group: "G0", Date: d("2025-05-01"), Wellbeing: 1})
	}, nil},
	{"S15", "no evaluation: started exactly D − 90, none in (D − 90, D]", func(ds *domain.DataSet, id string) {
		enroll(ds, id, "G1", flagDay.AddDays(-90).String(), "", "active")
		ds.Placements = append(ds.Placements, domain.Placement{Learner: id, Date: d("2025-12-01"), Module: "M1", Method: "test", Levels: domain.NoLevels})
		ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: id, Group: "G1", Date: flagDay.AddDays(-90),
			Kind: "intake", Levels: domain.NoLevels, Decision: "none"})
	}, []signal.Flag{{Kind: signal.NoEvaluation}}},
}

func d(s string) domain.Date { return domain.MustDate(s) }

// enroll adds an enrollment of id in group.
func enroll(ds *domain.DataSet, id, group, start, end, status string) {
	e := domain.Enrollment{Learner: id, Group: group, StartDate: d(start), Status: status, HoursAttended: 10}
	if end != "" {
		e.EndDate = d(end)
	}
	ds.Enrollments = append(ds.Enrollments, e)
}

// enrollPlaced adds an enrollment of id in group, with a placement before it
// and an evaluation in the last 90 days, so that only the case's flag is raised.
func enrollPlaced(ds *domain.DataSet, id, group, start, end, status string) {
	enroll(ds, id, group, start, end, status)
	ds.Placements = append(ds.Placements, domain.Placement{Learner: id, Date: d(start).AddDays(-20), Module: "M1", Method: "test", Levels: domain.NoLevels})
	ds.Evaluations = append(ds.Evaluations, domain.Evaluation{Learner: id, Group: group, Date: flagDay.AddDays(-10),
		Kind: "formative", Levels: domain.NoLevels, Decision: "none"})
}

// flagFixture is webFixture with a group G0 of M1 that ended on 2025-06-30
// and the learners of flagCases, all of counsellor s.
func flagFixture() *domain.DataSet {
	ds := webFixture()
	ds.Groups = append(ds.Groups, domain.Group{Code: "G0", Module: "M1", StartDate: d("2025-01-06"), EndDate: d("2025-06-30"),
		PlannedHours: 120, Teacher: "t1", Intensity: "standard"})
	for _, c := range flagCases {
		ds.Learners = append(ds.Learners, domain.Learner{ID: c.id, FirstName: c.id, LastName: c.id, BirthDate: d("1985-05-05"),
			Gender: "f", SchoolingLevel: "unknown", Literacy: "unknown", LearningRoute: "standard", CivicStatus: "none",
			Perspective: "work", Counsellor: "s"})
		c.add(ds, c.id)
	}
	return ds
}

// TestFlagsFollowTheSpec judges each case of flagCases on flagDay as the
// learner list and the learner page show it, and as the list's filter by
// flag selects it.
func TestFlagsFollowTheSpec(t *testing.T) {
	db := openTest(t)
	upsert(t, db, flagFixture())
	ctx := context.Background()
	s := &domain.User{Username: "s", Role: domain.RoleCounsellor}
	page, err := db.FindLearners(ctx, s, LearnerQuery{AsOf: flagDay, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string][]signal.Flag{}
	for _, l := range page.Learners {
		listed[l.ID] = l.Flags
	}
	for _, c := range flagCases {
		if got := listed[c.id]; !slices.Equal(got, c.want) {
			t.Errorf("%s (%s): list shows %v, want %v", c.id, c.why, got, c.want)
		}
		f, err := db.FindLearner(ctx, c.id, flagDay)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(f.Flags, c.want) {
			t.Errorf("%s (%s): learner page shows %v, want %v", c.id, c.why, f.Flags, c.want)
		}
	}
	for _, kind := range signal.Kinds {
		page, err := db.FindLearners(ctx, s, LearnerQuery{AsOf: flagDay, Flag: kind, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, l := range page.Learners {
			got = append(got, l.ID)
		}
		for _, c := range flagCases {
			if slices.ContainsFunc(c.want, func(f signal.Flag) bool { return f.Kind == kind }) {
				want = append(want, c.id)
			}
		}
		if !slices.Equal(got, want) || page.Total != len(want) {
			t.Errorf("filter %s lists %v (total %d), want %v", kind, got, page.Total, want)
		}
	}
}
