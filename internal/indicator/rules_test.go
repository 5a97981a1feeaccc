package indicator

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// d parses a date for the table tests.
func d(s string) domain.Date { return domain.MustDate(s) }

// lv parses a level for the table tests ("" = not assessed).
func lv(s string) domain.Level {
	l, err := domain.ParseLevel(s)
	if err != nil {
		panic(err)
	}
	return l
}

// levels returns Levels from five codes in column order.
func levels(codes ...string) domain.Levels {
	ls := domain.NoLevels
	for k, c := range codes {
		ls[k] = lv(c)
	}
	return ls
}

// fixture is a data set with two providers, a module at each, a group at
// each ending 2025-06-15, and learner L1; table tests add the records they need.
func fixture() *domain.DataSet {
	return &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "CVO 1", Type: "cvo"}, {Code: "P2", Name: "CBE 2", Type: "cbe"}},
		Modules: []domain.Module{
			{Code: "M1", Provider: "P1", Name: "1.2", Programme: "NT2", EntryLevel: lv("A1"), TargetLevel: lv("A2"), Skills: domain.AllSkills, NominalHours: 120},
			{Code: "M2", Provider: "P2", Name: "2.1", Programme: "NT2", EntryLevel: lv("A2"), TargetLevel: lv("B1"), Skills: domain.AllSkills, NominalHours: 120},
		},
		Groups: []domain.Group{
			{Code: "G1", Module: "M1", StartDate: d("2025-02-01"), EndDate: d("2025-06-15"), PlannedHours: 100, Intensity: "standard"},
			{Code: "G2", Module: "M2", StartDate: d("2025-02-01"), EndDate: d("2025-06-15"), PlannedHours: 100, Intensity: "standard"},
		},
		Learners: []domain.Learner{learner("L1", "1990-05-15")},
	}
}

func learner(id, birth string) domain.Learner {
	return domain.Learner{ID: id, FirstName: "A", LastName: "B", BirthDate: d(birth), Gender: "f",
		SchoolingLevel: "higher", Literacy: "literate_latin", LearningRoute: "standard", CivicStatus: "obliged", Perspective: "work"}
}

// period is the conformance period, judged as of its end.
func period() Params { return DefaultParams(d("2024-09-01"), d("2025-08-31")) }

// onlyCase returns the single case of indicator, failing otherwise.
func onlyCase(t *testing.T, ds *domain.DataSet, p Params, indicator string) *Case {
	t.Helper()
	cs := ExplainFilter(ds, p, Filter{Indicator: indicator})
	if len(cs) != 1 {
		t.Fatalf("%d %s cases, want 1: %+v", len(cs), indicator, cs)
	}
	return &cs[0]
}

func noCase(t *testing.T, ds *domain.DataSet, p Params, indicator string) {
	t.Helper()
	if cs := ExplainFilter(ds, p, Filter{Indicator: indicator}); len(cs) != 0 {
		t.Fatalf("%d %s cases, want none: %+v", len(cs), indicator, cs)
	}
}

func enroll(group, start, end, status string, hours float64) domain.Enrollment {
	var e domain.Date
	if end != "" {
		e = d(end)
	}
	return domain.Enrollment{Learner: "L1", Group: group, StartDate: d(start), EndDate: e, Status: status, HoursAttended: hours}
}

func TestAccessRules(t *testing.T) {
	tests := []struct {
		name     string
		from     string // "" = 2024-09-01
		asOf     string // "" = 2025-08-31
		referral string
		starts   []string
		class    string
		days     int // Days when the class has them
		waiting  bool
	}{
		{"deadline clamps to 2025-04-30, start on it", "", "", "2025-01-31", []string{"2025-04-30"}, "on_time", 89, false},
		{"deadline clamps to 2025-04-30, start the day after", "", "", "2025-01-31", []string{"2025-05-01"}, "late", 1, false},
		{"2024-11-30 + 3 months = 2025-02-28, start on it", "", "", "2024-11-30", []string{"2025-02-28"}, "on_time", 90, false},
		{"2024-11-30 + 3 months = 2025-02-28, start 2025-03-01", "", "", "2024-11-30", []string{"2025-03-01"}, "late", 1, false},
		{"leap year: 2023-11-30 + 3 months = 2024-02-29", "2023-09-01", "", "2023-11-30", []string{"2024-02-29"}, "on_time", 91, false},
		{"leap year: start 2024-03-01 is late", "2023-09-01", "", "2023-11-30", []string{"2024-03-01"}, "late", 1, false},
		{"start exactly on the deadline", "", "", "2025-02-10", []string{"2025-05-10"}, "on_time", 89, false},
		{"start on the referral day", "", "", "2025-02-10", []string{"2025-02-10"}, "on_time", 0, false},
		{"an enrollment before the referral is ignored", "", "", "2025-02-10", []string{"2025-02-09"}, "waiting_overdue", 113, true},
		{"the earliest start counts", "", "", "2025-02-10", []string{"2025-07-01", "2025-03-01"}, "on_time", 19, false},
		{"start after as_of, deadline passed", "", "", "2025-03-01", []string{"2025-09-15"}, "waiting_overdue", 91, false},
		{"start after as_of, still in term", "", "", "2025-08-11", []string{"2025-09-01"}, "waiting_in_term", 72, false},
		{"start on as_of counts", "", "", "2025-05-31", []string{"2025-08-31"}, "on_time", 92, false},
		{"as_of on the deadline: in term", "", "", "2025-05-31", nil, "waiting_in_term", 0, false},
		{"as_of one day after the deadline: overdue", "", "", "2025-05-30", nil, "waiting_overdue", 1, false},
		{"2024-08-31 + 6 months = 2025-02-28: as_of on it, not on the waiting list", "2024-08-01", "2025-02-28", "2024-08-31", nil, "waiting_overdue", 90, false},
		{"as_of one day past six months: on the waiting list", "2024-08-01", "2025-03-01", "2024-08-31", nil, "waiting_overdue", 91, true},
		{"a late start is never on the waiting list", "", "", "2024-09-01", []string{"2025-08-01"}, "late", 243, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			ds.Referrals = []domain.Referral{{Learner: "L1", Date: d(tc.referral), Source: "agentschap", Provider: "P1"}}
			for _, s := range tc.starts {
				ds.Enrollments = append(ds.Enrollments, enroll("G1", s, "", "active", 0))
			}
			p := period()
			if tc.from != "" {
				p.From = d(tc.from)
			}
			if tc.asOf != "" {
				p.AsOf = d(tc.asOf)
			}
			c := onlyCase(t, ds, p, IndicatorAccess)
			if c.Class != tc.class {
				t.Fatalf("class=%s, want %s (%s)", c.Class, tc.class, c.Detail)
			}
			if c.WaitingList != tc.waiting {
				t.Errorf("waiting_list=%v, want %v", c.WaitingList, tc.waiting)
			}
			if c.Days == nil {
				t.Fatalf("no Days")
			}
			if *c.Days != tc.days {
				t.Errorf("days=%d, want %d", *c.Days, tc.days)
			}
			r := Compute(ds, p)
			if r.Indicators.Access.Cohort.N != 1 {
				t.Errorf("cohort=%d, want 1", r.Indicators.Access.Cohort.N)
			}
		})
	}
}

func TestAccessCohortAndMedian(t *testing.T) {
	ds := fixture()
	for i, days := range []int{40, 10, 20} {
		id := string(rune('A' + i))
		ds.Learners = append(ds.Learners, learner(id, "1990-01-01"))
		ds.Referrals = append(ds.Referrals, domain.Referral{Learner: id, Date: d("2025-01-01"), Source: "vdab", Provider: "P1"})
		ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: id, Group: "G1", StartDate: d("2025-01-01").AddDays(days), Status: "active"})
	}
	// Outside the period or without a provider.
	ds.Referrals = append(ds.Referrals,
		domain.Referral{Learner: "L1", Date: d("2024-08-31"), Source: "self", Provider: "P1"},
		domain.Referral{Learner: "L1", Date: d("2025-09-01"), Source: "self", Provider: "P1"},
		domain.Referral{Learner: "L1", Date: d("2024-09-01"), Source: "self"})
	r := Compute(ds, period())
	a := r.Indicators.Access
	if a.Cohort.N != 4 || a.MedianDaysToStart.Value != 20 {
		t.Fatalf("cohort=%d median=%v, want 4, 20", a.Cohort.N, a.MedianDaysToStart.Value)
	}
	if a.Rate.Value != 0.75 {
		t.Errorf("rate=%v, want 0.75 (3 on time of 4 judged)", a.Rate.Value)
	}
	if got := r.Breakdowns.Provider.Get("P1").Access.Cohort.N; got != 3 {
		t.Errorf("P1 cohort=%d, want 3 (the referral without provider is left out)", got)
	}
	// An even count: the mean of the two middle values.
	ds.Learners = append(ds.Learners, learner("D", "1990-01-01"))
	ds.Referrals = append(ds.Referrals, domain.Referral{Learner: "D", Date: d("2025-01-01"), Source: "vdab", Provider: "P2"})
	ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: "D", Group: "G1", StartDate: d("2025-01-01").AddDays(25), Status: "active"})
	r = Compute(ds, period())
	if got := r.Indicators.Access.MedianDaysToStart.Value; got != 22.5 {
		t.Errorf("median=%v, want 22.5", got)
	}
	// The provider filter: only referrals to that provider.
	p := period()
	p.Provider = "P2"
	r = Compute(ds, p)
	if a := r.Indicators.Access; a.Cohort.N != 1 || a.MedianDaysToStart.Value != 25 {
		t.Errorf("P2: cohort=%d median=%v, want 1, 25", a.Cohort.N, a.MedianDaysToStart.Value)
	}
}

func TestProgressRules(t *testing.T) {
	pass := func(group, date, kind, decision string) domain.Evaluation {
		return domain.Evaluation{Learner: "L1", Group: group, Date: d(date), Kind: kind, Decision: decision, Levels: levels("A2")}
	}
	tests := []struct {
		name     string
		enr      domain.Enrollment
		groupEnd string // "" = 2025-06-15
		evals    []domain.Evaluation
		provider string
		inCohort bool
		onTrack  bool
	}{
		{"pass 30 days after the group's end (grace_days exactly)", enroll("G1", "2025-02-01", "2025-06-15", "completed", 80), "",
			[]domain.Evaluation{pass("G1", "2025-07-15", "module_end", "pass")}, "", true, true},
		{"pass 31 days after the group's end", enroll("G1", "2025-02-01", "2025-06-15", "completed", 80), "",
			[]domain.Evaluation{pass("G1", "2025-07-16", "module_end", "pass")}, "", true, false},
		{"pass on the enrollment's start", enroll("G1", "2025-02-10", "2025-06-15", "completed", 80), "",
			[]domain.Evaluation{pass("G1", "2025-02-10", "module_end", "pass")}, "", true, true},
		{"pass before the enrollment's start", enroll("G1", "2025-02-10", "2025-06-15", "completed", 80), "",
			[]domain.Evaluation{pass("G1", "2025-02-09", "module_end", "pass")}, "", true, false},
		{"a fail does not count", enroll("G1", "2025-02-01", "2025-06-15", "completed", 80), "",
			[]domain.Evaluation{pass("G1", "2025-06-15", "module_end", "fail")}, "", true, false},
		{"a formative pass does not count", enroll("G1", "2025-02-01", "2025-06-15", "completed", 80), "",
			[]domain.Evaluation{pass("G1", "2025-06-15", "formative", "pass")}, "", true, false},
		{"a pass in another group does not count", enroll("G1", "2025-02-01", "2025-06-15", "completed", 80), "",
			[]domain.Evaluation{pass("G2", "2025-06-15", "module_end", "pass")}, "", true, false},
		{"a transferred enrollment is not in the cohort", enroll("G1", "2025-02-01", "2025-04-15", "transferred", 30), "",
			[]domain.Evaluation{pass("G1", "2025-06-15", "module_end", "pass")}, "", false, false},
		{"a dropped enrollment is in the cohort", enroll("G1", "2025-02-01", "2025-04-15", "dropped", 30), "", nil, "", true, false},
		{"an active enrollment is in the cohort", enroll("G1", "2025-02-01", "", "active", 30), "",
			[]domain.Evaluation{pass("G1", "2025-06-20", "module_end", "pass")}, "", true, true},
		{"group ends on from", enroll("G1", "2024-06-01", "2024-09-01", "completed", 30), "2024-09-01", nil, "", true, false},
		{"group ends the day before from", enroll("G1", "2024-06-01", "2024-08-31", "completed", 30), "2024-08-31", nil, "", false, false},
		{"group ends on to", enroll("G1", "2025-06-01", "2025-08-31", "completed", 30), "2025-08-31", nil, "", true, false},
		{"group ends the day after to", enroll("G1", "2025-06-01", "2025-09-01", "completed", 30), "2025-09-01", nil, "", false, false},
		{"provider filter: the group's module's provider", enroll("G1", "2025-02-01", "2025-06-15", "completed", 80), "", nil, "P1", true, false},
		{"provider filter: another provider", enroll("G1", "2025-02-01", "2025-06-15", "completed", 80), "", nil, "P2", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			if tc.groupEnd != "" {
				ds.Groups[0].EndDate = d(tc.groupEnd)
			}
			ds.Enrollments = []domain.Enrollment{tc.enr}
			ds.Evaluations = tc.evals
			p := period()
			p.Provider = tc.provider
			if !tc.inCohort {
				noCase(t, ds, p, IndicatorProgress)
				return
			}
			c := onlyCase(t, ds, p, IndicatorProgress)
			if got := c.Class == "on_track"; got != tc.onTrack {
				t.Fatalf("class=%s, want on_track=%v (%s)", c.Class, tc.onTrack, c.Detail)
			}
			if c.Attributes.TargetLevel != "A2" || c.Provider != "P1" || c.Ref != "G1" {
				t.Errorf("case keys %+v", c)
			}
			// Not on track while the window (group end + grace_days) is open
			// on as_of: nog lopend, beside the rate, which is unchanged.
			left := tc.enr.Status == "dropped" && tc.enr.EndDate <= p.AsOf
			pending := !tc.onTrack && ds.Groups[0].EndDate.AddDays(p.GraceDays) > p.AsOf && !left
			if c.Pending != pending {
				t.Errorf("pending=%v, want %v", c.Pending, pending)
			}
			r := Compute(ds, p)
			want := Progress{Cohort: Count{N: 1}, OnTrack: Count{N: btoi(tc.onTrack)},
				Rate:           Number{Value: float64(btoi(tc.onTrack)), Valid: true},
				AttendanceRate: Number{Value: tc.enr.HoursAttended / 100, Valid: true},
				HoursAttended:  tc.enr.HoursAttended, PlannedHours: 100, Pending: Count{N: btoi(pending)}}
			if r.Indicators.Progress != want {
				t.Errorf("progress=%+v, want %+v", r.Indicators.Progress, want)
			}
		})
	}
}

func TestCertificationRules(t *testing.T) {
	cert := func(kind, module, date string) domain.Certificate {
		return domain.Certificate{Learner: "L1", Kind: kind, Module: module, Date: d(date), Level: domain.NoLevel}
	}
	tests := []struct {
		name      string
		cert      domain.Certificate
		certified bool
	}{
		{"30 days after the group's end", cert("module", "M1", "2025-07-15"), true},
		{"31 days after the group's end", cert("module", "M1", "2025-07-16"), false},
		{"on the enrollment's start", cert("module", "M1", "2025-02-01"), true},
		{"before the enrollment's start", cert("module", "M1", "2025-01-31"), false},
		{"another module", cert("module", "M2", "2025-06-15"), false},
		{"a programme certificate", cert("programme", "M1", "2025-06-15"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			ds.Enrollments = []domain.Enrollment{enroll("G1", "2025-02-01", "2025-06-15", "completed", 80)}
			ds.Certificates = []domain.Certificate{tc.cert}
			c := onlyCase(t, ds, period(), IndicatorCertification)
			if got := c.Class == "certified"; got != tc.certified {
				t.Fatalf("class=%s, want certified=%v", c.Class, tc.certified)
			}
			if got := Compute(ds, period()).Indicators.Certification.Certified.N; got != btoi(tc.certified) {
				t.Errorf("certified=%d", got)
			}
		})
	}
}

func TestLearningGainRules(t *testing.T) {
	placement := func(date string, ls domain.Levels) domain.Placement {
		return domain.Placement{Learner: "L1", Date: d(date), Module: "M1", Method: "test", Levels: ls}
	}
	eval := func(date, kind string, ls domain.Levels) domain.Evaluation {
		return domain.Evaluation{Learner: "L1", Group: "G2", Date: d(date), Kind: kind, Decision: "none", Levels: ls}
	}
	undefined := 99
	tests := []struct {
		name  string
		plc   []domain.Placement
		evals []domain.Evaluation
		gains [domain.NumSkills]int // undefined = no gain
		class string
	}{
		{"baseline before the period, same-day highest, negative gain, test after to ignored (E010)",
			[]domain.Placement{placement("2024-06-01", levels("A1", "A0", "A2", "", ""))},
			[]domain.Evaluation{
				eval("2025-05-01", "module_end", levels("A2.1", "A1", "A2.1", "", "")),
				eval("2025-05-01", "external_test", levels("A1.1", "A2", "", "", "")),
				eval("2025-09-01", "external_test", levels("B2", "B2", "B2", "B2", "B2")),
			},
			[5]int{1, 4, -1, undefined, undefined}, "gained"},
		{"baseline in the period (placement), end the latest after it",
			[]domain.Placement{placement("2024-10-01", levels("A0", "A1", "A1", "", ""))},
			[]domain.Evaluation{
				eval("2025-01-10", "formative", levels("A1", "A1", "A1", "", "")),
				eval("2025-06-10", "module_end", levels("A1.1", "A1", "A2", "", "")),
			},
			[5]int{1, 0, 2, undefined, undefined}, "gained"},
		{"the latest assessment before from is the baseline",
			[]domain.Placement{placement("2023-01-01", levels("A0")), placement("2024-05-01", levels("A1"))},
			[]domain.Evaluation{eval("2025-03-01", "formative", levels("A1"))},
			[5]int{0, undefined, undefined, undefined, undefined}, "assessed_no_gain"},
		{"only a negative gain",
			[]domain.Placement{placement("2024-05-01", levels("A2"))},
			[]domain.Evaluation{eval("2025-03-01", "formative", levels("A1"))},
			[5]int{-2, undefined, undefined, undefined, undefined}, "assessed_no_gain"},
		{"one assessment only (E012)",
			[]domain.Placement{placement("2024-10-01", levels("A0", "A0"))}, nil,
			[5]int{undefined, undefined, undefined, undefined, undefined}, "not_assessed"},
		{"two assessments on one in-period day: no end after the baseline",
			[]domain.Placement{placement("2024-10-01", levels("A0"))},
			[]domain.Evaluation{eval("2024-10-01", "intake", levels("A1"))},
			[5]int{undefined, undefined, undefined, undefined, undefined}, "not_assessed"},
		{"an assessment on from is in the period, the day before is a baseline",
			[]domain.Placement{placement("2024-08-31", levels("A0"))},
			[]domain.Evaluation{eval("2024-09-01", "intake", levels("A1"))},
			[5]int{2, undefined, undefined, undefined, undefined}, "gained"},
		{"an assessment on to counts",
			[]domain.Placement{placement("2024-09-01", levels("A0"))},
			[]domain.Evaluation{eval("2025-08-31", "intake", levels("A1.1"))},
			[5]int{1, undefined, undefined, undefined, undefined}, "gained"},
		{"assessments of any provider count (G2 is at P2, hours at P1)",
			[]domain.Placement{placement("2024-09-01", levels("", "", "", "", "A0"))},
			[]domain.Evaluation{eval("2025-01-01", "external_test", levels("", "", "", "", "A2"))},
			[5]int{undefined, undefined, undefined, undefined, 4}, "gained"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			ds.Enrollments = []domain.Enrollment{enroll("G1", "2025-02-01", "2025-06-15", "completed", 12)}
			ds.Placements = tc.plc
			ds.Evaluations = tc.evals
			c := onlyCase(t, ds, period(), IndicatorLearningGain)
			if c.Class != tc.class {
				t.Errorf("class=%s, want %s (%s)", c.Class, tc.class, c.Detail)
			}
			for k, s := range c.Skills {
				got := undefined
				if s.Gain != nil {
					got = *s.Gain
				}
				if got != tc.gains[k] {
					t.Errorf("%s gain=%d, want %d (%s)", s.Skill, got, tc.gains[k], c.Detail)
				}
			}
			r := Compute(ds, period())
			g := r.Indicators.LearningGain
			sum, pairs := 0, 0
			for k, want := range tc.gains {
				if want == undefined {
					if g.BySkill[k].Assessed.N != 0 {
						t.Errorf("%s assessed", domain.SkillCodes[k])
					}
					continue
				}
				sum += want
				pairs++
				if g.BySkill[k].Assessed.N != 1 || g.BySkill[k].Gained.N != btoi(want >= 1) || g.BySkill[k].MeanGain.Value != float64(want) {
					t.Errorf("%s: %+v, want gain %d", domain.SkillCodes[k], g.BySkill[k], want)
				}
			}
			if g.GainSum != sum || g.Pairs != pairs || g.Participants.N != 1 {
				t.Errorf("learning gain %+v, want Σ %d over %d pairs", g, sum, pairs)
			}
		})
	}
}

func TestParticipationRules(t *testing.T) {
	tests := []struct {
		name      string
		enrs      []domain.Enrollment
		provider  string
		minHours  float64 // 0 = default 12
		part      bool
		providers []string // provider keys of the participant
	}{
		{"exactly min_hours", []domain.Enrollment{enroll("G1", "2025-02-01", "2025-06-15", "completed", 12)}, "", 0, true, []string{"P1"}},
		{"11.5 hours (E003)", []domain.Enrollment{enroll("G1", "2025-02-01", "2025-06-15", "completed", 11.5)}, "", 0, false, nil},
		{"6 + 6 hours at one provider", []domain.Enrollment{
			enroll("G1", "2025-02-01", "2025-06-15", "completed", 6), enroll("G3", "2025-02-01", "2025-06-15", "dropped", 6)}, "", 0, true, []string{"P1"}},
		{"6 + 6 hours at two providers: a participant of neither", []domain.Enrollment{
			enroll("G1", "2025-02-01", "2025-06-15", "completed", 6), enroll("G2", "2025-02-01", "2025-06-15", "completed", 6)}, "", 0, true, nil},
		{"12 + 3 hours: a participant of P1 only", []domain.Enrollment{
			enroll("G1", "2025-02-01", "2025-06-15", "completed", 12), enroll("G2", "2025-02-01", "2025-06-15", "completed", 3)}, "", 0, true, []string{"P1"}},
		{"12 + 3 hours, filter P2", []domain.Enrollment{
			enroll("G1", "2025-02-01", "2025-06-15", "completed", 12), enroll("G2", "2025-02-01", "2025-06-15", "completed", 3)}, "P2", 0, false, nil},
		{"12 + 12 hours: a participant of both", []domain.Enrollment{
			enroll("G1", "2025-02-01", "2025-06-15", "completed", 12), enroll("G2", "2025-02-01", "2025-06-15", "completed", 12)}, "", 0, true, []string{"P1", "P2"}},
		{"an enrollment ending on from overlaps", []domain.Enrollment{enroll("G1", "2024-05-01", "2024-09-01", "completed", 20)}, "", 0, true, []string{"P1"}},
		{"an enrollment ending the day before from does not", []domain.Enrollment{enroll("G1", "2024-05-01", "2024-08-31", "completed", 20)}, "", 0, false, nil},
		{"an enrollment starting on to overlaps", []domain.Enrollment{enroll("G1", "2025-08-31", "", "active", 20)}, "", 0, true, []string{"P1"}},
		{"an enrollment starting the day after to does not", []domain.Enrollment{enroll("G1", "2025-09-01", "", "active", 20)}, "", 0, false, nil},
		{"an active enrollment from before the period overlaps", []domain.Enrollment{enroll("G1", "2023-01-01", "", "active", 20)}, "", 0, true, []string{"P1"}},
		{"a transferred enrollment's hours count", []domain.Enrollment{enroll("G1", "2025-02-01", "2025-03-01", "transferred", 20)}, "", 0, true, []string{"P1"}},
		{"min_hours 20", []domain.Enrollment{enroll("G1", "2025-02-01", "2025-06-15", "completed", 19.5)}, "", 20, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			ds.Groups = append(ds.Groups, domain.Group{Code: "G3", Module: "M1", StartDate: d("2025-02-01"), EndDate: d("2025-06-15"), PlannedHours: 50, Intensity: "standard"})
			ds.Enrollments = tc.enrs
			p := period()
			p.Provider = tc.provider
			if tc.minHours != 0 {
				p.MinHours = tc.minHours
			}
			if !tc.part {
				noCase(t, ds, p, IndicatorLearningGain)
				return
			}
			c := onlyCase(t, ds, p, IndicatorLearningGain)
			if strings.Join(c.Providers, ",") != strings.Join(tc.providers, ",") {
				t.Errorf("providers=%v, want %v", c.Providers, tc.providers)
			}
			r := Compute(ds, p)
			for _, row := range r.Breakdowns.Provider.Rows {
				want := btoi(strings.Contains(strings.Join(tc.providers, ","), row.Key))
				if got := row.Indicators.LearningGain.Participants.N; got != want {
					t.Errorf("provider %s: participants=%d, want %d", row.Key, got, want)
				}
			}
		})
	}
}

func TestEffectsRules(t *testing.T) {
	tests := []struct {
		name      string
		from      string // "" = 2024-09-01
		asOf      string // "" = 2026-06-30
		outflow   string
		followUps []domain.FollowUp
		class     string
	}{
		{"follow-up on the outflow day does not count (E014)", "", "", "2025-01-15",
			[]domain.FollowUp{{Date: d("2025-01-15"), Status: "work"}}, "not_followed_up"},
		{"follow-up the day after", "", "", "2025-01-15",
			[]domain.FollowUp{{Date: d("2025-01-16"), Status: "work"}}, "positive"},
		{"follow-up exactly 12 months later", "", "", "2025-01-15",
			[]domain.FollowUp{{Date: d("2026-01-15"), Status: "education"}}, "positive"},
		{"follow-up one day past 12 months (E014)", "", "", "2025-01-15",
			[]domain.FollowUp{{Date: d("2026-01-16"), Status: "work"}}, "not_followed_up"},
		{"follow-up after as_of (E013)", "", "2025-08-31", "2025-01-15",
			[]domain.FollowUp{{Date: d("2025-09-01"), Status: "work"}}, "not_followed_up"},
		{"follow-up on as_of", "", "2025-08-31", "2025-01-15",
			[]domain.FollowUp{{Date: d("2025-08-31"), Status: "work_and_education"}}, "positive"},
		{"the latest follow-up in the window counts", "", "", "2025-01-15",
			[]domain.FollowUp{{Date: d("2025-02-01"), Status: "work"}, {Date: d("2025-12-01"), Status: "none"}}, "followed_up_not_positive"},
		{"the latest follow-up in the window counts, in any order", "", "", "2025-01-15",
			[]domain.FollowUp{{Date: d("2025-12-01"), Status: "work"}, {Date: d("2025-02-01"), Status: "none"}}, "positive"},
		{"a later one outside the window is ignored (E013)", "", "2025-08-31", "2025-01-15",
			[]domain.FollowUp{{Date: d("2025-01-25"), Status: "unknown"}, {Date: d("2026-01-15"), Status: "work"}}, "followed_up_not_positive"},
		{"window clamps: 2024-02-29 + 12 months = 2025-02-28", "2024-01-01", "", "2024-02-29",
			[]domain.FollowUp{{Date: d("2025-02-28"), Status: "work"}}, "positive"},
		{"window clamps: 2025-03-01 is past it", "2024-01-01", "", "2024-02-29",
			[]domain.FollowUp{{Date: d("2025-03-01"), Status: "work"}}, "not_followed_up"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			ds.Outflows = []domain.Outflow{{Learner: "L1", Date: d(tc.outflow), Type: "qualified", Provider: "P1"}}
			for _, f := range tc.followUps {
				f.Learner = "L1"
				ds.FollowUps = append(ds.FollowUps, f)
			}
			p := period()
			if tc.from != "" {
				p.From = d(tc.from)
			}
			p.AsOf = d("2026-06-30")
			if tc.asOf != "" {
				p.AsOf = d(tc.asOf)
			}
			c := onlyCase(t, ds, p, IndicatorEffects)
			if c.Class != tc.class {
				t.Fatalf("class=%s, want %s (%s)", c.Class, tc.class, c.Detail)
			}
		})
	}
}

func TestOutflowCounts(t *testing.T) {
	ds := fixture()
	ds.Outflows = []domain.Outflow{
		{Learner: "L1", Date: d("2024-09-01"), Type: "early_leaver", Reason: "moved", Destination: "work", Provider: "P1"},
		{Learner: "L1", Date: d("2024-10-01"), Type: "early_leaver", Reason: "moved", Provider: "P2"},
		{Learner: "L1", Date: d("2024-11-01"), Type: "transfer", Destination: "nt2_elsewhere"},
		{Learner: "L1", Date: d("2025-08-31"), Type: "qualified", Destination: "work", Provider: "P1"},
		{Learner: "L1", Date: d("2025-09-01"), Type: "qualified", Destination: "work", Provider: "P1"},
	}
	r := Compute(ds, period())
	o := r.Indicators.Outflow
	if o.Total.N != 4 || o.EarlyLeaver.N != 2 || o.Transfer.N != 1 || o.Qualified.N != 1 {
		t.Fatalf("outflow %+v", o)
	}
	if got := mustJSON(t, o.Reasons); got != `{"moved":2}` {
		t.Errorf("reasons=%s", got)
	}
	if got := mustJSON(t, o.Destinations); got != `{"nt2_elsewhere":1,"work":2}` {
		t.Errorf("destinations=%s (a blank destination counts in total only)", got)
	}
	var keys []string
	for _, row := range r.Breakdowns.Provider.Rows {
		keys = append(keys, row.Key)
	}
	if strings.Join(keys, ",") != "P1,P2" {
		t.Errorf("provider keys %v (an outflow without provider is left out)", keys)
	}
	if p1 := r.Breakdowns.Provider.Get("P1"); p1.Outflow.Total.N != 2 || p1.Access.Cohort.N != 0 || p1.Access.Rate.Valid {
		t.Errorf("P1: %+v", p1)
	}
}

func TestAgeBand(t *testing.T) {
	tests := []struct {
		birth, from, band string
	}{
		{"2000-09-01", "2024-09-01", "16-24"}, // 24 on from
		{"1999-09-01", "2024-09-01", "25-34"}, // 25th birthday on from
		{"1999-09-02", "2024-09-01", "16-24"}, // 25 the day after
		{"1989-09-01", "2024-09-01", "35-49"},
		{"1989-09-02", "2024-09-01", "25-34"},
		{"1974-09-01", "2024-09-01", "50+"},
		{"1974-09-02", "2024-09-01", "35-49"},
		{"2010-01-01", "2024-09-01", "16-24"}, // younger counts as 16-24
		{"2000-02-29", "2025-02-28", "16-24"}, // leap-day birth: 24 on 28 February
		{"2000-02-29", "2025-03-01", "25-34"},
	}
	for _, tc := range tests {
		if got := AgeBands[ageBand(d(tc.birth), d(tc.from))]; got != tc.band {
			t.Errorf("born %s on %s: %s, want %s", tc.birth, tc.from, got, tc.band)
		}
	}
	// Through Compute: the band is taken on from.
	ds := fixture()
	ds.Learners[0].BirthDate = d("1999-09-01")
	ds.Referrals = []domain.Referral{{Learner: "L1", Date: d("2025-06-01"), Source: "self"}}
	r := Compute(ds, period())
	if len(r.Breakdowns.AgeBand.Rows) != 1 || r.Breakdowns.AgeBand.Rows[0].Key != "25-34" {
		t.Errorf("age_band rows %+v", r.Breakdowns.AgeBand.Rows)
	}
}

func TestBreakdownListing(t *testing.T) {
	ds := fixture()
	ds.Learners = append(ds.Learners, learner("L2", "1990-01-01"))
	ds.Learners[1].Gender = "m"
	ds.Learners = append(ds.Learners, learner("L3", "1990-01-01"))
	ds.Learners[2].Gender = "x"
	// L1 (f) only an outflow; L2 (m) only a referral; L3 (x) nothing in the period.
	ds.Outflows = []domain.Outflow{{Learner: "L1", Date: d("2025-01-01"), Type: "qualified"}}
	ds.Referrals = []domain.Referral{{Learner: "L2", Date: d("2025-01-01"), Source: "self"}, {Learner: "L3", Date: d("2024-01-01"), Source: "self"}}
	r := Compute(ds, period())
	var keys []string
	for _, row := range r.Breakdowns.Gender.Rows {
		keys = append(keys, row.Key)
	}
	if strings.Join(keys, ",") != "f,m" {
		t.Fatalf("gender keys %v, want f,m", keys)
	}
	f := r.Breakdowns.Gender.Get("f")
	if f.Outflow.Total.N != 1 || f.Access.Cohort.N != 0 || f.Access.Rate.Valid || f.LearningGain.Participants.N != 0 {
		t.Errorf("f: %+v", f)
	}
	if len(r.Breakdowns.Provider.Rows) != 0 || len(r.Breakdowns.TargetLevel.Rows) != 0 {
		t.Errorf("provider or target_level keys without cases")
	}
	// The JSON form lists every breakdown, empty ones as {}.
	var m map[string]any
	if err := json.Unmarshal([]byte(mustJSON(t, r)), &m); err != nil {
		t.Fatal(err)
	}
	b := m["breakdowns"].(map[string]any)
	for _, name := range BreakdownNames {
		if _, ok := b[name]; !ok {
			t.Errorf("breakdown %s missing", name)
		}
	}
	if mustJSON(t, b["provider"]) != "{}" {
		t.Errorf("provider=%s", mustJSON(t, b["provider"]))
	}
}

func TestJSONForm(t *testing.T) {
	r := Compute(&domain.DataSet{}, period())
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m["provider"] != nil {
		t.Errorf("provider=%v, want null", m["provider"])
	}
	in := m["indicators"].(map[string]any)
	if a := in["access"].(map[string]any); a["rate"] != nil || a["median_days_to_start"] != nil || a["cohort"] != 0.0 {
		t.Errorf("access=%v", a)
	}
	bs := in["learning_gain"].(map[string]any)["by_skill"].(map[string]any)
	if len(bs) != 5 {
		t.Errorf("by_skill has %d skills", len(bs))
	}
	if !strings.Contains(buf.String(), `"by_skill": {
    "listening": {`) {
		t.Errorf("by_skill does not start with listening:\n%s", buf.String())
	}
	// Suppressed counts are the string "<5", unescaped.
	ds := fixture()
	ds.Outflows = []domain.Outflow{{Learner: "L1", Date: d("2025-01-01"), Type: "early_leaver", Reason: "moved", Provider: "P1"}}
	p := period()
	p.Provider = "P1"
	buf.Reset()
	if err := WriteJSON(&buf, Compute(ds, p).Suppressed()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"provider": "P1"`, `"total": "<5"`, `"moved": "<5"`, `"qualified": 0`, `"qualified_rate": null`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("suppressed JSON lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestNumberJSON(t *testing.T) {
	tests := []struct {
		n    Number
		want string
	}{
		{Number{Value: 77, Valid: true}, "77.0"},
		{Number{Value: 106.5, Valid: true}, "106.5"},
		{Number{Value: 0, Valid: true}, "0.0"},
		{Number{Value: -1, Valid: true}, "-1.0"},
		{Number{Value: 0.46153846153846156, Valid: true}, "0.46153846153846156"},
		{Number{Value: 1e-7, Valid: true}, "1e-7"},
		{Number{}, "null"},
		{Number{Value: 0.5, Valid: true, Suppressed: true}, "null"},
	}
	for _, tc := range tests {
		b, _ := tc.n.MarshalJSON()
		if string(b) != tc.want {
			t.Errorf("%+v: %s, want %s", tc.n, b, tc.want)
		}
	}
}

func TestParamsValidate(t *testing.T) {
	ok := period()
	if err := ok.Validate(); err != nil {
		t.Fatalf("default params: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Params)
		want string
	}{
		{"from after to", func(p *Params) { p.From = d("2025-09-01") }, "lies after to"},
		{"no from", func(p *Params) { p.From = 0 }, "from is required"},
		{"as_of before from", func(p *Params) { p.AsOf = d("2024-08-31") }, "as_of"},
		{"negative statutory_months", func(p *Params) { p.StatutoryMonths = -1 }, "statutory_months"},
		{"negative waiting_list_months", func(p *Params) { p.WaitingListMonths = -1 }, "waiting_list_months"},
		{"negative grace_days", func(p *Params) { p.GraceDays = -1 }, "grace_days"},
		{"negative min_hours", func(p *Params) { p.MinHours = -0.5 }, "min_hours"},
		{"negative followup_months", func(p *Params) { p.FollowupMonths = -1 }, "followup_months"},
	}
	for _, tc := range tests {
		p := period()
		tc.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) || domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: %v, want an EINVALID error naming %s", tc.name, err, tc.want)
		}
	}
}

func TestFigures(t *testing.T) {
	ds := loadDir(t, conformanceDir)
	r := Compute(ds, conformanceParams("2024-09-01", "2025-08-31", "", ""))
	fs := r.Figures()
	if len(fs) != len(FigureDefs) {
		t.Fatalf("%d figures", len(fs))
	}
	byCode := map[string]Figure{}
	for _, f := range fs {
		byCode[f.Code] = f
	}
	check := func(code string, num, den, val float64) {
		t.Helper()
		f := byCode[code]
		if f.Numerator.Value != num || f.Denominator.Value != den || f.Value.Value != val {
			t.Errorf("%s: %v/%v=%v, want %v/%v=%v", code, f.Numerator.Value, f.Denominator.Value, f.Value.Value, num, den, val)
		}
	}
	check(AccessRate, 10, 20, 0.5)
	check(WaitingList, 2, 24, 2)
	check(MedianDaysToStart, 0, 15, 77)
	check(ProgressRate, 12, 26, 12.0/26)
	check(CertificationRate, 7, 26, 7.0/26)
	check(GainRate, 16, 17, 16.0/17)
	check(MeanGain, 107, 66, 107.0/66)
	check(EffectRate, 3, 5, 0.6)
	if byCode[MedianDaysToStart].Numerator.Valid {
		t.Errorf("the median has a numerator")
	}
	if f := byCode[AttendanceRate]; f.Value.Value != f.Numerator.Value/f.Denominator.Value {
		t.Errorf("attendance %v != %v/%v", f.Value.Value, f.Numerator.Value, f.Denominator.Value)
	}
	// Suppressed: a count 1..4 reads "<5"; the exact value stays.
	s := r.Suppressed().Figures()
	for _, f := range s {
		if f.Code == WaitingList && (f.Numerator.String() != "<5" || f.Numerator.Value != 2 || f.Value.String() != "<5") {
			t.Errorf("suppressed waiting list %+v", f)
		}
	}
	tl := &r.Breakdowns.TargetLevel
	if got := len(tl.Figures(0)); got != 3 {
		t.Errorf("target_level figures: %d, want 3 (progress, attendance, certification)", got)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, r.Suppressed()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Toegang binnen de wettelijke termijn", "50,0%", "77,0 d", "<5", "Per aanbieder", "CVO-A",
		"Welbevinden: geobserveerd 17, hoog 9 (52,9%), laag <5", "verdeling 1–5: 0/<5/5/5/<5",
		"Bevraging partner, tevredenheid: 15 antwoorden"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestParseFilter(t *testing.T) {
	good := []struct{ ind, class, bd string }{
		{"access", "late", ""},
		{"access", "waiting_list", "provider=CVO-A"},
		{"learning_gain", "by_skill.reading.gained", "gender=f"},
		{"outflow", "reasons.moved", ""},
		{"effects", "followed_up", "age_band=50+"},
		{"progress", "", "target_level=A2"},
		{"", "", ""},
	}
	for _, tc := range good {
		if _, err := ParseFilter(tc.ind, tc.class, tc.bd); err != nil {
			t.Errorf("%v: %v", tc, err)
		}
	}
	bad := []struct{ ind, class, bd string }{
		{"acces", "", ""},
		{"access", "gained", ""},
		{"learning_gain", "by_skill.speaking.gained", ""},
		{"access", "", "provider"},
		{"access", "", "sex=f"},
		{"outflow", "", "target_level=A2"},
		{"", "late", ""},
	}
	for _, tc := range bad {
		if _, err := ParseFilter(tc.ind, tc.class, tc.bd); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%v: %v, want EINVALID", tc, err)
		}
	}
	// Every class and field listed for an indicator is accepted.
	for _, ind := range IndicatorNames {
		for _, f := range Fields(ind) {
			f = strings.NewReplacer("SKILL", "writing", "REASON", "moved", "DESTINATION", "work").Replace(f)
			if _, err := ParseFilter(ind, f, ""); err != nil {
				t.Errorf("%s %s: %v", ind, f, err)
			}
		}
	}
}
