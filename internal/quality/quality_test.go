package quality

import (
	"slices"
	"strings"
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

func d(s string) domain.Date { return domain.MustDate(s) }

// fixture has two providers with a module and a group each (G1 at P1, G2 at
// P2) and learner L1 with a placement; tests add the records they check.
func fixture() *domain.DataSet {
	return &domain.DataSet{
		Providers: []domain.Provider{{Code: "P1", Name: "CVO", Type: "cvo"}, {Code: "P2", Name: "CBE", Type: "cbe"}},
		Modules: []domain.Module{
			{Code: "M1", Provider: "P1", Name: "1", Programme: "NT2", EntryLevel: 2, TargetLevel: 4, Skills: domain.AllSkills, NominalHours: 120},
			{Code: "M2", Provider: "P2", Name: "2", Programme: "NT2", EntryLevel: 2, TargetLevel: 4, Skills: domain.AllSkills, NominalHours: 120},
		},
		Groups: []domain.Group{
			{Code: "G1", Module: "M1", StartDate: d("2025-01-01"), EndDate: d("2025-06-30"), PlannedHours: 100, Intensity: "standard"},
			{Code: "G2", Module: "M2", StartDate: d("2025-01-01"), EndDate: d("2025-06-30"), PlannedHours: 100, Intensity: "standard"},
		},
		Learners:   []domain.Learner{{ID: "L1", FirstName: "A", LastName: "B", BirthDate: d("1990-01-01"), Gender: "f"}},
		Placements: []domain.Placement{{Learner: "L1", Date: d("2024-12-01"), Module: "M1", Method: "test", Levels: domain.NoLevels}},
	}
}

func params(asOf string) Params { return DefaultParams(d(asOf)) }

func levels(l domain.Level) domain.Levels {
	ls := domain.NoLevels
	ls[0] = l
	return ls
}

// kinds returns the kinds of the findings, in order.
func kinds(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

func TestReferralWithoutStart(t *testing.T) {
	tests := []struct {
		name  string
		asOf  string
		edit  func(*domain.DataSet)
		prov  string
		finds bool
	}{
		{"exactly a year: not yet", "2025-02-10", nil, "", false},
		{"a year and a day", "2025-02-11", nil, "", true},
		{"started after the referral", "2025-06-01", func(ds *domain.DataSet) {
			ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: "L1", Group: "G1", StartDate: d("2024-03-01"), EndDate: d("2024-06-01"), Status: "completed"})
		}, "", false},
		{"an enrollment before the referral is no start", "2025-06-01", func(ds *domain.DataSet) {
			ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: "L1", Group: "G1", StartDate: d("2024-02-09"), EndDate: d("2024-06-01"), Status: "completed"})
		}, "", true},
		{"a start after as_of is no start", "2025-06-01", func(ds *domain.DataSet) {
			ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: "L1", Group: "G1", StartDate: d("2025-07-01"), Status: "active"})
		}, "", true},
		{"an outflow since the referral", "2025-06-01", func(ds *domain.DataSet) {
			ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: "L1", Date: d("2024-05-01"), Type: "early_leaver", Reason: "moved"})
		}, "", false},
		{"an outflow on the referral's own day does not end the waiting", "2025-06-01", func(ds *domain.DataSet) {
			ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: "L1", Date: d("2024-02-10"), Type: "transfer"})
		}, "", true},
		{"an outflow after as_of is not known", "2025-06-01", func(ds *domain.DataSet) {
			ds.Outflows = append(ds.Outflows, domain.Outflow{Learner: "L1", Date: d("2025-06-02"), Type: "transfer"})
		}, "", true},
		{"provider filter: the referral's provider", "2025-06-01", nil, "P1", true},
		{"provider filter: another provider", "2025-06-01", nil, "P2", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			ds.Referrals = []domain.Referral{{Learner: "L1", Date: d("2024-02-10"), Source: "vdab", Provider: "P1"}}
			if tc.edit != nil {
				tc.edit(ds)
			}
			p := params(tc.asOf)
			p.Provider = tc.prov
			fs := Check(ds, p)
			got := slices.Contains(kinds(fs), ReferralWithoutStart)
			if got != tc.finds {
				t.Fatalf("finding=%v, want %v: %+v", got, tc.finds, fs)
			}
			if got && (fs[0].Learner != "L1" || fs[0].Date != d("2024-02-10") || fs[0].Message.Key == "") {
				t.Errorf("finding %+v", fs[0])
			}
		})
	}
}

func TestEnrollmentWithoutModuleEnd(t *testing.T) {
	tests := []struct {
		name   string
		status string
		end    string
		kind   string // evaluation kind in G1, "" = none
		asOf   string
		prov   string
		finds  bool
	}{
		{"completed without module_end", "completed", "2025-06-30", "", "2025-09-01", "", true},
		{"completed with module_end", "completed", "2025-06-30", "module_end", "2025-09-01", "", false},
		{"completed with a formative evaluation only", "completed", "2025-06-30", "formative", "2025-09-01", "", true},
		{"within the grace days of the end", "completed", "2025-06-30", "", "2025-07-30", "", false},
		{"the day after the grace days", "completed", "2025-06-30", "", "2025-07-31", "", true},
		{"dropped", "dropped", "2025-03-01", "", "2025-09-01", "", false},
		{"transferred", "transferred", "2025-03-01", "", "2025-09-01", "", false},
		{"active", "active", "", "", "2025-09-01", "", false},
		{"provider filter: the group's provider", "completed", "2025-06-30", "", "2025-09-01", "P1", true},
		{"provider filter: another provider", "completed", "2025-06-30", "", "2025-09-01", "P2", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			e := domain.Enrollment{Learner: "L1", Group: "G1", StartDate: d("2025-01-01"), Status: tc.status, HoursAttended: 50}
			if tc.end != "" {
				e.EndDate = d(tc.end)
			}
			ds.Enrollments = []domain.Enrollment{e}
			if tc.kind != "" {
				ds.Evaluations = []domain.Evaluation{{Learner: "L1", Group: "G1", Date: d("2025-06-20"), Kind: tc.kind, Decision: "none", Levels: levels(3)}}
			}
			p := params(tc.asOf)
			p.Provider = tc.prov
			fs := Check(ds, p)
			if got := slices.Contains(kinds(fs), EnrollmentWithoutModuleEnd); got != tc.finds {
				t.Fatalf("finding=%v, want %v: %+v", got, tc.finds, fs)
			}
		})
	}
}

func TestEarlyLeaverWithoutReason(t *testing.T) {
	ds := fixture()
	ds.Outflows = []domain.Outflow{
		{Learner: "L1", Date: d("2025-03-01"), Type: "early_leaver", Provider: "P1"},
		{Learner: "L1", Date: d("2025-04-01"), Type: "early_leaver", Reason: "health", Provider: "P1"},
		{Learner: "L1", Date: d("2025-05-01"), Type: "qualified", Provider: "P1"},
	}
	ds.FollowUps = []domain.FollowUp{{Learner: "L1", Date: d("2025-06-01"), Status: "work"}}
	fs := Check(ds, params("2025-06-30"))
	if len(fs) != 1 || fs[0].Kind != EarlyLeaverWithoutReason || fs[0].Date != d("2025-03-01") {
		t.Fatalf("findings %+v", fs)
	}
	p := params("2025-06-30")
	p.Provider = "P2"
	if fs := Check(ds, p); len(fs) != 0 {
		t.Errorf("P2: %+v", fs)
	}
}

func TestOutflowWithoutFollowUp(t *testing.T) {
	tests := []struct {
		name     string
		asOf     string
		followUp string // "" = none
		finds    bool
	}{
		{"window not over: as_of on outflow + 12 months", "2025-03-01", "", false},
		{"window over the day after", "2025-03-02", "", true},
		{"follow-up on the last day of the window", "2026-01-01", "2025-03-01", false},
		{"follow-up one day past the window", "2026-01-01", "2025-03-02", true},
		{"follow-up on the outflow day does not count", "2026-01-01", "2024-03-01", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			ds.Outflows = []domain.Outflow{{Learner: "L1", Date: d("2024-03-01"), Type: "qualified", Provider: "P1"}}
			if tc.followUp != "" {
				ds.FollowUps = []domain.FollowUp{{Learner: "L1", Date: d(tc.followUp), Status: "none"}}
			}
			fs := Check(ds, params(tc.asOf))
			if got := slices.Contains(kinds(fs), OutflowWithoutFollowUp); got != tc.finds {
				t.Fatalf("finding=%v, want %v: %+v", got, tc.finds, fs)
			}
		})
	}
	// Month-end clamping: 2024-02-29 + 12 months = 2025-02-28.
	ds := fixture()
	ds.Outflows = []domain.Outflow{{Learner: "L1", Date: d("2024-02-29"), Type: "qualified"}}
	ds.FollowUps = []domain.FollowUp{{Learner: "L1", Date: d("2025-02-28"), Status: "work"}}
	if fs := Check(ds, params("2025-06-01")); len(fs) != 0 {
		t.Errorf("follow-up on the clamped window end: %+v", fs)
	}
	// Provider filter: an outflow without provider is nobody's.
	p := params("2026-01-01")
	p.Provider = "P1"
	if fs := Check(ds, p); len(fs) != 0 {
		t.Errorf("P1: %+v", fs)
	}
}

func TestEnrollmentWithoutPlacement(t *testing.T) {
	ds := fixture()
	ds.Learners = append(ds.Learners, domain.Learner{ID: "L2", FirstName: "C", LastName: "D", BirthDate: d("1990-01-01"), Gender: "m"})
	ds.Enrollments = []domain.Enrollment{
		{Learner: "L1", Group: "G1", StartDate: d("2025-01-01"), Status: "active"},
		{Learner: "L2", Group: "G2", StartDate: d("2025-02-01"), Status: "active"},
		{Learner: "L2", Group: "G1", StartDate: d("2025-01-15"), Status: "active"},
	}
	fs := Check(ds, params("2025-03-01"))
	if len(fs) != 1 || fs[0].Kind != EnrollmentWithoutPlacement || fs[0].Learner != "L2" || fs[0].Ref != "G1" || fs[0].Date != d("2025-01-15") {
		t.Fatalf("findings %+v, want one for L2 at its first enrollment", fs)
	}
	p := params("2025-03-01")
	p.Provider = "P2"
	fs = Check(ds, p)
	if len(fs) != 1 || fs[0].Ref != "G2" {
		t.Errorf("P2: %+v, want L2's enrollment at P2", fs)
	}
	// Judged as of as_of: an enrollment that starts later is not yet one, and
	// a placement dated later does not count yet.
	if fs := Check(ds, params("2025-01-14")); len(fs) != 0 {
		t.Errorf("as of 2025-01-14: %+v", fs)
	}
	ds.Placements = append(ds.Placements, domain.Placement{Learner: "L2", Date: d("2025-02-15"), Module: "M2", Method: "test", Levels: domain.NoLevels})
	if fs := Check(ds, params("2025-02-14")); len(fs) != 1 {
		t.Errorf("as of 2025-02-14: %+v, want L2 (placed only on 2025-02-15)", fs)
	}
	if fs := Check(ds, params("2025-02-15")); len(fs) != 0 {
		t.Errorf("as of 2025-02-15: %+v", fs)
	}
}

func TestModuleEndWithoutSkill(t *testing.T) {
	ds := fixture()
	ds.Enrollments = []domain.Enrollment{{Learner: "L1", Group: "G1", StartDate: d("2025-01-01"), Status: "active"}}
	ds.Evaluations = []domain.Evaluation{
		{Learner: "L1", Group: "G1", Date: d("2025-02-01"), Kind: "module_end", Decision: "fail", Levels: domain.NoLevels},
		{Learner: "L1", Group: "G1", Date: d("2025-02-02"), Kind: "module_end", Decision: "pass", Levels: levels(2)},
		{Learner: "L1", Group: "G1", Date: d("2025-02-03"), Kind: "formative", Decision: "none", Levels: domain.NoLevels},
	}
	fs := Check(ds, params("2025-03-01"))
	if len(fs) != 1 || fs[0].Kind != ModuleEndWithoutSkill || fs[0].Date != d("2025-02-01") || fs[0].Ref != "G1" {
		t.Fatalf("findings %+v", fs)
	}
	p := params("2025-03-01")
	p.Provider = "P2"
	if fs := Check(ds, p); len(fs) != 0 {
		t.Errorf("P2: %+v", fs)
	}
}

func TestEvaluationOutsideEnrollment(t *testing.T) {
	tests := []struct {
		name  string
		group string
		date  string
		end   string // enrollment end, "" = active
		finds bool
	}{
		{"on the start", "G1", "2025-01-10", "2025-06-30", false},
		{"the day before the start", "G1", "2025-01-09", "2025-06-30", true},
		{"30 days after the end (grace_days)", "G1", "2025-07-30", "2025-06-30", false},
		{"31 days after the end", "G1", "2025-07-31", "2025-06-30", true},
		{"active, on as_of", "G1", "2025-09-01", "", false},
		{"active, after as_of", "G1", "2025-09-02", "", true},
		{"no enrollment in the group", "G2", "2025-02-01", "2025-06-30", true},
		{"an external test has no group", "", "2020-01-01", "2025-06-30", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			e := domain.Enrollment{Learner: "L1", Group: "G1", StartDate: d("2025-01-10"), Status: "active"}
			if tc.end != "" {
				e.EndDate, e.Status = d(tc.end), "dropped"
			}
			ds.Enrollments = []domain.Enrollment{e}
			kind := "formative"
			if tc.group == "" {
				kind = "external_test"
			}
			ds.Evaluations = []domain.Evaluation{{Learner: "L1", Group: tc.group, Date: d(tc.date), Kind: kind, Decision: "none", Levels: levels(2)}}
			fs := Check(ds, params("2025-09-01"))
			if got := slices.Contains(kinds(fs), EvaluationOutsideEnrollment); got != tc.finds {
				t.Fatalf("finding=%v, want %v: %+v", got, tc.finds, fs)
			}
		})
	}
}

func TestCheckOrderAndKinds(t *testing.T) {
	ds := fixture()
	ds.Learners = append(ds.Learners, domain.Learner{ID: "L0", FirstName: "C", LastName: "D", BirthDate: d("1990-01-01"), Gender: "m"})
	ds.Referrals = []domain.Referral{{Learner: "L1", Date: d("2023-01-01"), Source: "self"}, {Learner: "L0", Date: d("2023-02-01"), Source: "self"}}
	ds.Outflows = []domain.Outflow{{Learner: "L1", Date: d("2022-06-01"), Type: "early_leaver"}}
	ds.Enrollments = []domain.Enrollment{{Learner: "L0", Group: "G2", StartDate: d("2022-01-01"), EndDate: d("2022-06-01"), Status: "completed"}}
	ds.Evaluations = []domain.Evaluation{{Learner: "L0", Group: "G1", Date: d("2022-05-01"), Kind: "module_end", Decision: "fail", Levels: domain.NoLevels}}
	// A group that ended, in which someone else was observed but L1 never.
	ds.Groups = append(ds.Groups, domain.Group{Code: "G9", Module: "M1", StartDate: d("2021-09-01"), EndDate: d("2022-01-31")})
	ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: "L1", Group: "G9", StartDate: d("2021-09-01"), EndDate: d("2022-01-31"), Status: "dropped"})
	ds.Observations = []domain.Observation{{Learner: "L9", Group: "G9", Date: d("2021-10-01"), Wellbeing: 3}}
	// An enrollment in G9 that nobody closed.
	ds.Enrollments = append(ds.Enrollments, domain.Enrollment{Learner: "L0", Group: "G9", StartDate: d("2021-09-01"), Status: "active"})
	// A lesson of G9 registered for L1 only.
	ds.Lessons = []domain.Lesson{{Group: "G9", Date: d("2021-10-01"), Hours: 3}}
	ds.Attendance = []domain.Attendance{{Learner: "L1", Group: "G9", Date: d("2021-10-01"), Status: "absent"}}
	fs := Check(ds, params("2025-01-01"))
	want := []string{ReferralWithoutStart, ReferralWithoutStart, EnrollmentWithoutModuleEnd, EarlyLeaverWithoutReason,
		OutflowWithoutFollowUp, EnrollmentWithoutPlacement, ModuleEndWithoutSkill, EvaluationOutsideEnrollment,
		EnrollmentNotObserved, EnrollmentNotObserved, EnrollmentNotClosed, LessonNotRegistered}
	if got := kinds(fs); !slices.Equal(got, want) {
		t.Fatalf("kinds %v, want %v", got, want)
	}
	if fs[0].Learner != "L0" || fs[1].Learner != "L1" {
		t.Errorf("findings of one kind are not ordered by learner: %+v", fs[:2])
	}
	for i, k := range Kinds {
		if i > 0 && slices.IndexFunc(want, func(s string) bool { return s == k.Code }) < slices.IndexFunc(want, func(s string) bool { return s == Kinds[i-1].Code }) {
			t.Errorf("Kinds out of order at %s", k.Code)
		}
		if !locale.Has(k.TitleKey()) || !locale.Has(k.TextKey()) || KindByCode(k.Code) == nil {
			t.Errorf("kind %+v incomplete", k)
		}
	}
	if len(Kinds) != 10 {
		t.Errorf("%d kinds", len(Kinds))
	}
	for _, f := range fs {
		if m := f.Message.In("en"); !locale.Has(f.Message.Key) || strings.Contains(m, "%!") {
			t.Errorf("message %q", m)
		}
	}
}

func TestParamsValidate(t *testing.T) {
	if err := params("2025-01-01").Validate(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []Params{{}, {AsOf: d("2025-01-01"), FollowupMonths: -1}, {AsOf: d("2025-01-01"), GraceDays: -1}} {
		if err := p.Validate(); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", p, err)
		}
	}
}

// TestEnrollmentNotObserved: an enrollment in an ended group without an
// observation is a finding at a provider that records observations; one in
// a group still running, or an observed one, is not; and a provider that
// records none is left alone.
func TestEnrollmentNotObserved(t *testing.T) {
	ds := &domain.DataSet{
		Modules: []domain.Module{{Code: "M1", Provider: "P1"}, {Code: "M2", Provider: "P2"}},
		Groups: []domain.Group{
			{Code: "G1", Module: "M1", StartDate: d("2024-09-01"), EndDate: d("2025-01-31")},
			{Code: "G2", Module: "M1", StartDate: d("2024-09-01"), EndDate: d("2025-06-30")},
			{Code: "G3", Module: "M2", StartDate: d("2024-09-01"), EndDate: d("2025-01-31")},
		},
		Enrollments: []domain.Enrollment{
			{Learner: "L1", Group: "G1", StartDate: d("2024-09-01"), Status: "completed"}, // ended, observed
			{Learner: "L2", Group: "G1", StartDate: d("2024-09-01"), Status: "completed"}, // ended, never observed: a finding
			{Learner: "L3", Group: "G2", StartDate: d("2024-09-01"), Status: "active"},    // still running
			{Learner: "L4", Group: "G3", StartDate: d("2024-09-01"), Status: "completed"}, // P2 records no observations
		},
		Observations: []domain.Observation{{Learner: "L1", Group: "G1", Date: d("2024-10-01"), Wellbeing: 4}},
	}
	var got []string
	for _, f := range Check(ds, params("2025-03-01")) {
		if f.Kind == EnrollmentNotObserved {
			got = append(got, f.Learner+"/"+f.Ref)
		}
	}
	if !slices.Equal(got, []string{"L2/G1"}) {
		t.Errorf("never observed: %v, want [L2/G1]", got)
	}
	p := params("2025-03-01")
	p.Provider = "P2"
	for _, f := range Check(ds, p) {
		if f.Kind == EnrollmentNotObserved {
			t.Errorf("a finding at P2, which records no observations: %+v", f)
		}
	}
}

// TestEnrollmentNotClosed: an enrollment open by its own dates in a group
// that ended more than grace_days before as_of is not an open enrollment
// (spec/early-warning.md, "Terms") but a finding, whatever its status; one
// within the grace days, or one with an end date by as_of, is not.
func TestEnrollmentNotClosed(t *testing.T) {
	const kind = "enrollment_not_closed"
	tests := []struct {
		name   string
		status string
		end    string // "" = blank
		asOf   string
		prov   string
		finds  bool
	}{
		{"active, group end + grace_days on as_of", "active", "", "2025-07-30", "", false},
		{"active, the day after", "active", "", "2025-07-31", "", true},
		{"an end date after as_of is no closing yet", "completed", "2025-09-01", "2025-08-15", "", true},
		{"ended on as_of", "dropped", "2025-08-15", "2025-08-15", "", false},
		{"ended long ago", "completed", "2025-06-30", "2025-12-01", "", false},
		{"not yet started", "active", "", "2024-12-31", "", false},
		{"provider filter: the group's provider", "active", "", "2025-12-01", "P1", true},
		{"provider filter: another provider", "active", "", "2025-12-01", "P2", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds := fixture()
			e := domain.Enrollment{Learner: "L1", Group: "G1", StartDate: d("2025-01-01"), Status: tc.status, HoursAttended: 10}
			if tc.end != "" {
				e.EndDate = d(tc.end)
			}
			ds.Enrollments = []domain.Enrollment{e}
			p := params(tc.asOf)
			p.Provider = tc.prov
			var got []Finding
			for _, f := range Check(ds, p) {
				if f.Kind == kind {
					got = append(got, f)
				}
			}
			if (len(got) == 1) != tc.finds || len(got) > 1 {
				t.Fatalf("findings %+v, want one: %v", got, tc.finds)
			}
			if tc.finds && (got[0].Learner != "L1" || got[0].Ref != "G1" || got[0].Date != d("2025-06-30") || got[0].Message.Key == "") {
				t.Errorf("finding %+v, want L1 in G1 at the group's end 2025-06-30", got[0])
			}
			if KindByCode(kind) == nil {
				t.Errorf("no kind %s", kind)
			}
		})
	}
}

// TestLessonNotRegistered: a lesson before as_of without a record of a
// learner enrolled that day is a finding per learner, naming the group and
// its teacher; a record of any status registers it, and learners not
// enrolled that day, lessons from as_of on and other providers' groups
// are left alone.
func TestLessonNotRegistered(t *testing.T) {
	d := domain.MustDate
	ds := &domain.DataSet{
		Modules: []domain.Module{{Code: "M1", Provider: "P1"}, {Code: "M2", Provider: "P2"}},
		Groups: []domain.Group{{Code: "G1", Module: "M1", StartDate: d("2025-09-01"), EndDate: d("2026-01-31"), Teacher: "an"},
			{Code: "G2", Module: "M2", StartDate: d("2025-09-01"), EndDate: d("2026-01-31")}},
		Enrollments: []domain.Enrollment{
			{Learner: "A", Group: "G1", StartDate: d("2025-09-01"), Status: "active"},
			{Learner: "B", Group: "G1", StartDate: d("2025-09-01"), Status: "active"},
			{Learner: "C", Group: "G1", StartDate: d("2025-10-01"), Status: "active"},                            // not yet enrolled on 09-15
			{Learner: "D", Group: "G1", StartDate: d("2025-09-01"), EndDate: d("2025-09-10"), Status: "dropped"}, // left before
			{Learner: "E", Group: "G2", StartDate: d("2025-09-01"), Status: "active"},
		},
		Lessons: []domain.Lesson{{Group: "G1", Date: d("2025-09-15"), Hours: 3}, {Group: "G1", Date: d("2025-10-20"), Hours: 3},
			{Group: "G2", Date: d("2025-09-15"), Hours: 3}},
		Attendance: []domain.Attendance{{Learner: "A", Group: "G1", Date: d("2025-09-15"), Status: "excused"}},
	}
	p := params("2025-10-20")
	p.Provider = "P1"
	var got []string
	for _, f := range Check(ds, p) {
		if f.Kind == LessonNotRegistered {
			got = append(got, f.Learner+" "+f.Ref+" "+f.Date.String()+": "+f.Message.In("nl"))
		}
	}
	want := []string{"B G1 2025-09-15: les van groep G1 (an) op 2025-09-15: geen aanwezigheid geregistreerd voor deze lerende"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}
