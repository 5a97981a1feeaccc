package domain

// The entities of spec/domain.md. Codes are stored canonical (lower case);
// optional strings are "" when blank, optional dates are 0 and levels NoLevel.

// Provider is an organisation that offers NT2 courses (aanbieder).
type Provider struct {
	Code string `db:"code"`
	Name string `db:"name"`
	Type string `db:"type"`
}

// Module is a course unit with an entry and a target level.
type Module struct {
	Code         string   `db:"code"`
	Provider     string   `db:"provider"`
	Name         string   `db:"name"`
	Programme    string   `db:"programme"`
	EntryLevel   Level    `db:"entry_level"`
	TargetLevel  Level    `db:"target_level"`
	Skills       SkillSet `db:"skills"`
	NominalHours int      `db:"nominal_hours"`
}

// Goal is a CEFR-linked goal (doel, basiscompetentie).
type Goal struct {
	Code        string `db:"code"`
	Module      string `db:"module"` // optional
	Skill       Skill  `db:"skill"`
	Level       Level  `db:"level"`
	Description string `db:"description"`
	Source      string `db:"source"`
}

// Learner is a person following an NT2 trajectory (lerende, cursist).
type Learner struct {
	ID             string `db:"id"`
	FirstName      string `db:"first_name"`
	LastName       string `db:"last_name"`
	BirthDate      Date   `db:"birth_date"`
	Gender         string `db:"gender"`
	HomeLanguage   string `db:"home_language"`
	CountryOfBirth string `db:"country_of_birth"`
	SchoolingLevel string `db:"schooling_level"`
	SchoolingYears *int   `db:"schooling_years"`
	Literacy       string `db:"literacy"`
	LearningRoute  string `db:"learning_route"`
	CivicStatus    string `db:"civic_status"`
	Perspective    string `db:"perspective"`
	Counsellor     string `db:"counsellor"`
}

// LearnerGoal is an individual target agreed with a learner for one skill.
type LearnerGoal struct {
	Learner     string `db:"learner"`
	Skill       Skill  `db:"skill"`
	TargetLevel Level  `db:"target_level"`
	SetDate     Date   `db:"set_date"`
	TargetDate  Date   `db:"target_date"` // optional
}

// Referral starts the statutory clock for a learner (aanmelding).
type Referral struct {
	Learner  string `db:"learner"`
	Date     Date   `db:"date"`
	Source   string `db:"source"`
	Provider string `db:"provider"` // optional
}

// LearnerLink links a learner to a provider from a date without any record
// of the course yet: made by a coordinator's import that creates the
// learner (importer/scope.go), one of the records of the linking rule
// (link.go). Not an interchange entity; it counts for no indicator.
type LearnerLink struct {
	Learner  string `db:"learner"`
	Provider string `db:"provider"`
	Date     Date   `db:"date"`
}

// Placement places a learner into a module with entry levels per skill.
type Placement struct {
	Learner string `db:"learner"`
	Date    Date   `db:"date"`
	Module  string `db:"module"`
	Method  string `db:"method"`
	Levels  Levels
}

// Group is a scheduled instance of a module (lesgroep).
type Group struct {
	Code         string `db:"code"`
	Module       string `db:"module"`
	StartDate    Date   `db:"start_date"`
	EndDate      Date   `db:"end_date"`
	PlannedHours int    `db:"planned_hours"`
	Teacher      string `db:"teacher"` // optional
	Intensity    string `db:"intensity"`
}

// Enrollment places a learner in a group (inschrijving).
type Enrollment struct {
	Learner       string  `db:"learner"`
	Group         string  `db:"group_code"`
	StartDate     Date    `db:"start_date"`
	EndDate       Date    `db:"end_date"` // 0 while active
	Status        string  `db:"status"`
	HoursAttended float64 `db:"hours_attended"`
}

// Evaluation records achieved levels per skill (evaluatie).
type Evaluation struct {
	Learner   string `db:"learner"`
	Group     string `db:"group_code"` // "" for an external test
	Date      Date   `db:"date"`
	Kind      string `db:"kind"`
	Levels    Levels
	Decision  string `db:"decision"`
	Evaluator string `db:"evaluator"` // optional
	Feedback  string `db:"feedback"`  // optional
}

// Certificate is a module certificate, programme certificate or external one.
type Certificate struct {
	Learner string `db:"learner"`
	Kind    string `db:"kind"`
	Module  string `db:"module"` // required for kind module
	Date    Date   `db:"date"`
	Number  string `db:"number"` // optional
	Level   Level  `db:"level"`  // optional
}

// Outflow is a learner leaving a trajectory (uitstroom).
type Outflow struct {
	Learner     string `db:"learner"`
	Date        Date   `db:"date"`
	Type        string `db:"type"`
	Reason      string `db:"reason"`      // required for early_leaver, else ""
	Destination string `db:"destination"` // optional
	Provider    string `db:"provider"`    // optional
}

// FollowUp records a learner's situation some time after outflow (opvolging).
type FollowUp struct {
	Learner string `db:"learner"`
	Date    Date   `db:"date"`
	Status  string `db:"status"`
}

// DataSet holds records of every entity, as read from an interchange data set
// or loaded from the store.
type DataSet struct {
	Providers       []Provider
	Modules         []Module
	Goals           []Goal
	Learners        []Learner
	LearnerGoals    []LearnerGoal
	LearnerLinks    []LearnerLink
	Referrals       []Referral
	Groups          []Group
	Lessons         []Lesson
	Placements      []Placement
	Enrollments     []Enrollment
	Attendance      []Attendance
	Evaluations     []Evaluation
	Certificates    []Certificate
	Outflows        []Outflow
	FollowUps       []FollowUp
	Observations    []Observation
	SurveyResponses []SurveyResponse
}
