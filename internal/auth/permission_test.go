package auth

import (
	"testing"

	"github.com/traject-nt2/traject/internal/domain"
)

// The permission fixtures: record "own" belongs to each user below (the
// teacher teaches G1, the counsellor counsels L1, the coordinator has P1),
// record "other" to nobody here.
var (
	groupOwn     = GroupFacts{Code: "G1", Teacher: "t1", Provider: "P1"}
	groupOther   = GroupFacts{Code: "G2", Teacher: "t2", Provider: "P2"}
	learnerOwn   = LearnerFacts{ID: "L1", Counsellor: "c1", Groups: []GroupFacts{groupOwn}, Providers: []string{"P1"}}
	learnerOther = LearnerFacts{ID: "L2", Counsellor: "c2", Groups: []GroupFacts{groupOther}, Providers: []string{"P2"}}

	teacher     = &domain.User{Username: "t1", Role: domain.RoleTeacher}
	counsellor  = &domain.User{Username: "c1", Role: domain.RoleCounsellor}
	coordinator = &domain.User{Username: "k1", Role: domain.RoleCoordinator, Providers: []string{"P1"}}
	admin       = &domain.User{Username: "a1", Role: domain.RoleAdmin}
)

// check asks u's permission for action a on the own or the other record,
// through the method the server would call.
func check(u *domain.User, a Action, own bool) bool {
	l, g := learnerOther, groupOther
	if own {
		l, g = learnerOwn, groupOwn
	}
	switch a {
	case ViewLearner:
		return CanSeeLearner(u, l)
	case WriteGoal, WriteOutflow, WriteFollowUp:
		return CanWriteLearner(u, a, l)
	case ViewGroup:
		return CanSeeGroup(u, g)
	case WriteAttendance, WriteEvaluation, WriteObservation:
		return CanWriteGroup(u, a, g, l)
	case ManageSurveys:
		return CanManageSurveys(u, g.Provider)
	case ManagePersonalData:
		return CanManagePersonalData(u, l)
	}
	return Can(u, a) // actions without a record
}

func TestPermissionMatrix(t *testing.T) {
	// want[role] lists "action/own" and "action/other" that are allowed.
	own := func(as ...Action) map[string]bool {
		m := map[string]bool{}
		for _, a := range as {
			m[a.String()+"/own"] = true
		}
		return m
	}
	both := func(m map[string]bool, as ...Action) map[string]bool {
		for _, a := range as {
			m[a.String()+"/own"], m[a.String()+"/other"] = true, true
		}
		return m
	}
	tests := []struct {
		user *domain.User
		want map[string]bool
	}{
		{teacher, own(ViewLearner, ViewGroup, WriteAttendance, WriteEvaluation, WriteObservation)},
		{counsellor, own(ViewLearner, WriteGoal, WriteOutflow, WriteFollowUp)},
		{coordinator, both(own(ViewLearner, WriteGoal, WriteOutflow, WriteFollowUp, ViewGroup, WriteAttendance, WriteEvaluation,
			WriteObservation, ManageSurveys, ManagePersonalData),
			ViewIndicators, Import, ManageSchedules)},
		{admin, both(map[string]bool{}, Actions()...)},
		{&domain.User{Username: "a2", Role: domain.RoleAdmin, Disabled: true}, map[string]bool{}},
		{&domain.User{Username: "x", Role: "root"}, map[string]bool{}},
		{&domain.User{Role: domain.RoleAdmin}, map[string]bool{}}, // no user name
		{nil, map[string]bool{}},
	}
	for _, tt := range tests {
		for _, a := range Actions() {
			for _, rec := range []string{"own", "other"} {
				key := a.String() + "/" + rec
				if got := check(tt.user, a, rec == "own"); got != tt.want[key] {
					t.Errorf("%v may %s = %v, want %v", tt.user, key, got, tt.want[key])
				}
			}
		}
	}
}

func TestPermissionEdges(t *testing.T) {
	external := GroupFacts{} // an external test: no group
	// L3 is in the teacher's group G1 as a record, but not enrolled in it.
	stranger := LearnerFacts{ID: "L3", Groups: []GroupFacts{groupOther}, Providers: []string{"P2"}}
	k12 := &domain.User{Username: "k12", Role: domain.RoleCoordinator, Providers: []string{"P2", "P1"}}
	k0 := &domain.User{Username: "k0", Role: domain.RoleCoordinator}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"teacher evaluates a learner not enrolled in their group", CanWriteEvaluation(teacher, groupOwn, stranger), false},
		{"teacher records attendance of a learner not enrolled in their group", CanWriteAttendance(teacher, groupOwn, stranger), false},
		{"teacher observes a learner not enrolled in their group", CanWriteObservation(teacher, groupOwn, stranger), false},
		{"nobody observes without a group", CanWriteObservation(admin, external, learnerOwn), false},
		{"teacher evaluates their learner in another's group", CanWriteEvaluation(teacher, groupOther, learnerOwn), false},
		{"teacher writes an external test", CanWriteEvaluation(teacher, external, learnerOwn), false},
		{"coordinator writes an external test of their learner", CanWriteEvaluation(coordinator, external, learnerOwn), true},
		{"coordinator writes an external test of another learner", CanWriteEvaluation(coordinator, external, learnerOther), false},
		{"coordinator records attendance without a group", CanWriteAttendance(coordinator, external, learnerOwn), false},
		{"admin writes an external test", CanWriteEvaluation(admin, external, learnerOther), true},
		{"coordinator of their group, learner not theirs", CanWriteEvaluation(coordinator, groupOwn, stranger), false},
		{"coordinator sees a learner linked by a referral only", CanSeeLearner(coordinator, LearnerFacts{ID: "L4", Providers: []string{"P1"}}), true},
		{"coordinator sees a learner enrolled in their group (facts without Providers)", CanSeeLearner(coordinator, LearnerFacts{ID: "L5", Groups: []GroupFacts{groupOwn}}), true},
		{"coordinator of two providers sees either", CanSeeLearner(k12, learnerOther) && CanSeeLearner(k12, learnerOwn), true},
		{"coordinator without providers sees nothing", CanSeeLearner(k0, learnerOwn) || CanSeeGroup(k0, groupOwn), false},
		{"counsellor never matches a learner without counsellor", CanSeeLearner(&domain.User{Username: "c9", Role: domain.RoleCounsellor}, LearnerFacts{ID: "L6"}), false},
		{"teacher never matches a group without teacher", CanSeeGroup(&domain.User{Username: "t9", Role: domain.RoleTeacher}, GroupFacts{Code: "G9", Provider: "P1"}), false},
		{"counsellor may not see groups, even of their learners", CanSeeGroup(counsellor, groupOwn), false},
		{"CanWriteLearner refuses a group action", CanWriteLearner(admin, WriteEvaluation, learnerOwn), false},
		{"CanWriteGroup refuses a learner action", CanWriteGroup(admin, WriteGoal, groupOwn, learnerOwn), false},
		{"wrappers agree: goal", CanWriteGoal(counsellor, learnerOwn) && CanWriteOutflow(counsellor, learnerOwn) && CanWriteFollowUp(counsellor, learnerOwn), true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestCanWriteOutflowFrom holds the providers an outflow may name to those
// the learner is linked to that the user acts for (issue 18, finding 3).
func TestCanWriteOutflowFrom(t *testing.T) {
	shared := LearnerFacts{ID: "L7", Counsellor: "c1", Providers: []string{"P1", "P2"}}
	k12 := &domain.User{Username: "k12", Role: domain.RoleCoordinator, Providers: []string{"P1", "P3"}}
	tests := []struct {
		name     string
		u        *domain.User
		l        LearnerFacts
		provider string
		want     bool
	}{
		{"coordinator, own provider of their learner", coordinator, learnerOwn, "P1", true},
		{"coordinator, no provider", coordinator, learnerOwn, "", true},
		{"coordinator, a provider the learner is not linked to", coordinator, learnerOwn, "P2", false},
		{"coordinator, another provider the learner is linked to", coordinator, shared, "P2", false},
		{"coordinator, own provider the learner is not linked to", k12, learnerOwn, "P3", false},
		{"coordinator, learner not theirs", coordinator, learnerOther, "P2", false},
		{"counsellor, any provider of their learner", counsellor, shared, "P2", true},
		{"counsellor, a provider their learner is not linked to", counsellor, learnerOwn, "P2", false},
		{"counsellor, learner not theirs", counsellor, learnerOther, "", false},
		{"teacher, never", teacher, learnerOwn, "P1", false},
		{"admin, any provider", admin, learnerOwn, "P9", true},
	}
	for _, tt := range tests {
		if got := CanWriteOutflowFrom(tt.u, tt.l, tt.provider); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAuthorize(t *testing.T) {
	for _, u := range []*domain.User{teacher, counsellor} {
		err := Authorize(u, ViewIndicators)
		if domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s Authorize(ViewIndicators) = %v, want EFORBIDDEN", u.Role, err)
		}
	}
	if err := Authorize(coordinator, ViewIndicators); err != nil {
		t.Errorf("coordinator Authorize(ViewIndicators) = %v", err)
	}
	if err := Authorize(coordinator, Admin); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("coordinator Authorize(Admin) = %v, want EFORBIDDEN", err)
	}
	for _, a := range Actions() {
		if a.String() == "unknown action" {
			t.Errorf("action %d has no name", a)
		}
	}
}
