package auth

import (
	"slices"

	"github.com/traject-nt2/traject/internal/domain"
)

// Action is something a user asks to do; Allows says which roles may ever
// do it, and the Can… methods of User add whose records (spec/README.md,
// "Who uses it").
type Action int

// The actions the server checks; every route names one.
const (
	ViewLearner        Action = iota + 1 // a learner and their trajectory
	WriteGoal                            // a learner's individual goals
	WriteOutflow                         // a learner's outflow
	WriteFollowUp                        // a learner's follow-up
	ViewGroup                            // a group and its learners
	WriteAttendance                      // hours attended on an enrollment
	WriteEvaluation                      // an evaluation
	ViewIndicators                       // indicators, dashboards and workbooks
	Import                               // importing data sets
	ManageSchedules                      // scheduled exports
	Admin                                // users, providers, modules and settings
	WriteObservation                     // a teacher's observation of wellbeing and involvement
	ManageSurveys                        // survey rounds of a provider: open, show, close
	ManagePersonalData                   // a learner's personal data: download, print, erase
)

// lastAction is the last of the actions above.
const lastAction = ManagePersonalData

var actionNames = map[Action]string{
	ViewLearner:     "view learners",
	WriteGoal:       "write goals",
	WriteOutflow:    "write outflow",
	WriteFollowUp:   "write follow-ups",
	ViewGroup:       "view groups",
	WriteAttendance: "write attendance",
	WriteEvaluation: "write evaluations",
	ViewIndicators:  "view indicators",
	Import:          "import data",
	ManageSchedules: "manage scheduled exports",
	Admin:           "administer Traject",
	// New actions come after Admin, so that the numbers of the others stay.
	WriteObservation:   "write observations",
	ManageSurveys:      "manage survey rounds",
	ManagePersonalData: "export and erase a learner's personal data",
}

// String names the action in English, for messages and logs.
func (a Action) String() string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	return "unknown action"
}

// Actions returns every action in declaration order.
func Actions() []Action {
	out := make([]Action, 0, len(actionNames))
	for a := ViewLearner; a <= lastAction; a++ {
		out = append(out, a)
	}
	return out
}

// allowed is the role → action table. A counsellor has no ViewGroup: a group
// page lists learners who are not theirs; their learners' enrollments show on
// the learner page instead.
var allowed = map[domain.Role]map[Action]bool{
	domain.RoleTeacher:    set(ViewLearner, ViewGroup, WriteAttendance, WriteEvaluation, WriteObservation),
	domain.RoleCounsellor: set(ViewLearner, WriteGoal, WriteOutflow, WriteFollowUp),
	domain.RoleCoordinator: set(ViewLearner, WriteGoal, WriteOutflow, WriteFollowUp, ViewGroup, WriteAttendance, WriteEvaluation, ViewIndicators, Import, ManageSchedules,
		WriteObservation, ManageSurveys, ManagePersonalData),
	domain.RoleAdmin: set(Actions()...),
}

func set(as ...Action) map[Action]bool {
	m := make(map[Action]bool, len(as))
	for _, a := range as {
		m[a] = true
	}
	return m
}

// Allows reports whether users of role r may ever do a, on some record.
func Allows(r domain.Role, a Action) bool { return allowed[r][a] }

// Can reports whether u, an active account, has a role that allows a. It is
// the whole check for actions without a record (ViewIndicators, Import,
// ManageSchedules, Admin); for records use the other Can… methods or the
// SQL filters of store.
func Can(u *domain.User, a Action) bool { return active(u) && Allows(u.Role, a) }

// Authorize returns nil when Can(u, a), else an EFORBIDDEN error naming the action.
func Authorize(u *domain.User, a Action) error {
	if Can(u, a) {
		return nil
	}
	return Forbidden(a)
}

// Forbidden returns the EFORBIDDEN error for an action refused on a record;
// its message names no record, so that a refusal leaks nothing.
func Forbidden(a Action) error {
	return domain.Errorf(domain.EFORBIDDEN, "you may not %s here", a)
}

// GroupFacts are what the rules need to know about a group.
type GroupFacts struct {
	Code     string
	Teacher  string // course_groups.teacher, "" when none
	Provider string // the provider of the group's module
}

// LearnerFacts are what the rules need to know about a learner: the same
// links that store.LearnerFilter follows in SQL.
type LearnerFacts struct {
	ID         string
	Counsellor string       // learners.counsellor, "" when none
	Groups     []GroupFacts // the groups the learner is (or was) enrolled in
	// Providers holds every provider the learner is linked to, by the one
	// rule of domain.ProviderLinks: referred to, placed into a module of,
	// enrolled in a group of, or flowed out from.
	Providers []string
}

// enrolledIn reports whether the learner has an enrollment in group code.
func (l LearnerFacts) enrolledIn(code string) bool {
	for _, g := range l.Groups {
		if g.Code == code {
			return true
		}
	}
	return false
}

// CanSeeLearner reports whether u may see the learner l: an admin any; a
// coordinator those linked to one of their providers; a teacher those enrolled
// in a group they teach; a counsellor those they counsel.
func CanSeeLearner(u *domain.User, l LearnerFacts) bool {
	if !Can(u, ViewLearner) {
		return false
	}
	switch u.Role {
	case domain.RoleAdmin:
		return true
	case domain.RoleCoordinator:
		for _, p := range l.Providers {
			if u.HasProvider(p) {
				return true
			}
		}
		for _, g := range l.Groups {
			if u.HasProvider(g.Provider) {
				return true
			}
		}
	case domain.RoleTeacher:
		for _, g := range l.Groups {
			if g.Teacher == u.Username {
				return true
			}
		}
	case domain.RoleCounsellor:
		return l.Counsellor == u.Username
	}
	return false
}

// CanSeeGroup reports whether u may see group g: an admin any; a coordinator
// those of their providers; a teacher those they teach.
func CanSeeGroup(u *domain.User, g GroupFacts) bool {
	if !Can(u, ViewGroup) {
		return false
	}
	switch u.Role {
	case domain.RoleAdmin:
		return true
	case domain.RoleCoordinator:
		return u.HasProvider(g.Provider)
	case domain.RoleTeacher:
		return g.Teacher == u.Username
	}
	return false
}

// CanWriteLearner reports whether u may do a (WriteGoal, WriteOutflow or
// WriteFollowUp) for learner l: their role allows it and they see l. Any other
// action is refused.
func CanWriteLearner(u *domain.User, a Action, l LearnerFacts) bool {
	switch a {
	case WriteGoal, WriteOutflow, WriteFollowUp:
		return Can(u, a) && CanSeeLearner(u, l)
	}
	return false
}

// CanWriteGroup reports whether u may do a (WriteAttendance, WriteEvaluation
// or WriteObservation) for learner l in group g. A teacher needs to teach g and l
// to be enrolled in it; a coordinator needs g to be of their provider and to
// see l; an admin may always. g.Code "" (an external test, evaluation only)
// is open to coordinators who see l and to admins. Any other action is refused.
func CanWriteGroup(u *domain.User, a Action, g GroupFacts, l LearnerFacts) bool {
	if a != WriteAttendance && a != WriteEvaluation && a != WriteObservation || !Can(u, a) {
		return false
	}
	if g.Code == "" {
		return a == WriteEvaluation && u.Role != domain.RoleTeacher && CanSeeLearner(u, l)
	}
	switch u.Role {
	case domain.RoleAdmin:
		return true
	case domain.RoleCoordinator:
		return u.HasProvider(g.Provider) && CanSeeLearner(u, l)
	case domain.RoleTeacher:
		return g.Teacher == u.Username && l.enrolledIn(g.Code)
	}
	return false
}

// CanWriteGoal reports whether u may write learner l's individual goals.
func CanWriteGoal(u *domain.User, l LearnerFacts) bool { return CanWriteLearner(u, WriteGoal, l) }

// CanWriteOutflow reports whether u may write learner l's outflow.
func CanWriteOutflow(u *domain.User, l LearnerFacts) bool { return CanWriteLearner(u, WriteOutflow, l) }

// CanWriteOutflowFrom reports whether u may record an outflow of learner l
// from provider, or change the outflow stored from it. An outflow counts in
// its provider's figures (spec/indicators.md, "Outflow") and links the
// learner to it (domain.ProviderLinks), so, beside CanWriteOutflow, the
// provider must be one the learner is already linked to that u acts for: a
// coordinator's own (as an import's outflow must name one of the
// coordinator's providers, importer/scope.go), any of a counsellor's own
// learner's; an admin may name any provider. No provider ("") is open to
// everyone who may write the learner's outflow.
func CanWriteOutflowFrom(u *domain.User, l LearnerFacts, provider string) bool {
	if !CanWriteOutflow(u, l) {
		return false
	}
	if provider == "" || u.Role == domain.RoleAdmin {
		return true
	}
	if !slices.Contains(l.Providers, provider) {
		return false
	}
	switch u.Role {
	case domain.RoleCoordinator:
		return u.HasProvider(provider)
	case domain.RoleCounsellor:
		return l.Counsellor == u.Username
	}
	return false
}

// CanWriteFollowUp reports whether u may write learner l's follow-ups.
func CanWriteFollowUp(u *domain.User, l LearnerFacts) bool {
	return CanWriteLearner(u, WriteFollowUp, l)
}

// CanWriteAttendance reports whether u may write l's hours attended in group g.
func CanWriteAttendance(u *domain.User, g GroupFacts, l LearnerFacts) bool {
	return CanWriteGroup(u, WriteAttendance, g, l)
}

// CanWriteEvaluation reports whether u may write an evaluation of l in group g
// (g.Code "" for an external test).
func CanWriteEvaluation(u *domain.User, g GroupFacts, l LearnerFacts) bool {
	return CanWriteGroup(u, WriteEvaluation, g, l)
}

// CanWriteObservation reports whether u may record an observation of
// wellbeing and involvement of l in group g: as for evaluations, the group's
// teacher, a coordinator of its provider, or an admin.
func CanWriteObservation(u *domain.User, g GroupFacts, l LearnerFacts) bool {
	return CanWriteGroup(u, WriteObservation, g, l)
}

// CanManageSurveys reports whether u may open, show and close survey rounds
// of provider: a coordinator of that provider, or an admin.
func CanManageSurveys(u *domain.User, provider string) bool {
	if !Can(u, ManageSurveys) {
		return false
	}
	return u.Role == domain.RoleAdmin || u.HasProvider(provider)
}

// CanManagePersonalData reports whether u may download, print or erase
// everything stored about learner l (spec/domain.md, "Personal data"): an
// admin, or a coordinator of one of the learner's providers.
func CanManagePersonalData(u *domain.User, l LearnerFacts) bool {
	if !Can(u, ManagePersonalData) {
		return false
	}
	return u.Role == domain.RoleAdmin || (u.Role == domain.RoleCoordinator && CanSeeLearner(u, l))
}
