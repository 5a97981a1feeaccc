// Package interchange reads and writes Traject's interchange format
// (spec/interchange.md): a folder of CSV files or one XLSX workbook with one
// table per entity, and the row-level error report of an import.
package interchange

import (
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// Entity describes one interchange table: its file, its columns and its natural key.
type Entity struct {
	Name     string          // "learners"; also the sheet name in a workbook
	File     string          // "learners.csv"
	Columns  []string        // in the order of spec/interchange.md's table, which is also the export order
	Key      []string        // the natural key of spec/domain.md
	Optional map[string]bool // columns that may be blank, and so may be left out of a file

	decode func(r *row, ds *domain.DataSet)
}

// Column reports the position of a column in Columns, or -1.
func (e *Entity) Column(name string) int {
	for i, c := range e.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

func (e *Entity) col(name string) int {
	if i := e.Column(name); i >= 0 {
		return i
	}
	panic("interchange: entity " + e.Name + " has no column " + name)
}

func optional(cols ...string) map[string]bool {
	m := make(map[string]bool, len(cols))
	for _, c := range cols {
		m[c] = true
	}
	return m
}

// Entities lists the interchange tables in import order (spec/interchange.md,
// "Containers"): an entity only refers to entities before it. Optional columns
// are the fields spec/domain.md allows to be blank (spec/interchange.md: "A
// column may be left out when every value of it would be blank and it is
// optional").
var Entities = []Entity{
	{Name: "providers", File: "providers.csv",
		Columns: []string{"code", "name", "type"},
		Key:     []string{"code"}, Optional: optional(), decode: decodeProvider},
	{Name: "modules", File: "modules.csv",
		Columns:  []string{"code", "provider", "name", "programme", "entry_level", "target_level", "skills", "nominal_hours"},
		Key:      []string{"code"},
		Optional: optional("skills"), decode: decodeModule},
	{Name: "goals", File: "goals.csv",
		Columns:  []string{"code", "module", "skill", "level", "description", "source"},
		Key:      []string{"code"},
		Optional: optional("module"), decode: decodeGoal},
	{Name: "learners", File: "learners.csv",
		Columns: []string{"id", "first_name", "last_name", "birth_date", "gender", "home_language", "country_of_birth",
			"schooling_level", "schooling_years", "literacy", "learning_route", "civic_status", "perspective", "counsellor"},
		Key:      []string{"id"},
		Optional: optional("home_language", "country_of_birth", "schooling_years", "counsellor"), decode: decodeLearner},
	{Name: "learner_goals", File: "learner_goals.csv",
		Columns:  []string{"learner", "skill", "target_level", "set_date", "target_date"},
		Key:      []string{"learner", "skill"},
		Optional: optional("target_date"), decode: decodeLearnerGoal},
	{Name: "referrals", File: "referrals.csv",
		Columns:  []string{"learner", "date", "source", "provider"},
		Key:      []string{"learner", "date"},
		Optional: optional("provider"), decode: decodeReferral},
	{Name: "groups", File: "groups.csv",
		Columns:  []string{"code", "module", "start_date", "end_date", "planned_hours", "teacher", "intensity"},
		Key:      []string{"code"},
		Optional: optional("teacher"), decode: decodeGroup},
	{Name: "lessons", File: "lessons.csv",
		Columns:  []string{"group", "date", "hours"},
		Key:      []string{"group", "date"},
		Optional: optional(), decode: decodeLesson},
	{Name: "placements", File: "placements.csv",
		Columns:  []string{"learner", "date", "module", "method", "listening", "reading", "spoken_interaction", "spoken_production", "writing"},
		Key:      []string{"learner", "date", "module"},
		Optional: optional("listening", "reading", "spoken_interaction", "spoken_production", "writing"), decode: decodePlacement},
	// end_date may be blank while an enrollment is active, so the column may be
	// left out; Enrollment.Validate still requires it on rows that are not active.
	// hours_attended may be blank for an enrollment with attendance records,
	// which takes its hours from them (spec/domain.md, "Hours from the
	// register"); Validate requires it of the others.
	{Name: "enrollments", File: "enrollments.csv",
		Columns:  []string{"learner", "group", "start_date", "end_date", "status", "hours_attended"},
		Key:      []string{"learner", "group"},
		Optional: optional("end_date", "hours_attended"), decode: decodeEnrollment},
	{Name: "attendance", File: "attendance.csv",
		Columns:  []string{"learner", "group", "date", "status", "hours"},
		Key:      []string{"learner", "group", "date"},
		Optional: optional("hours"), decode: decodeAttendance},
	{Name: "evaluations", File: "evaluations.csv",
		Columns: []string{"learner", "group", "date", "kind", "listening", "reading", "spoken_interaction", "spoken_production", "writing",
			"decision", "evaluator", "feedback"},
		Key:      []string{"learner", "group", "date", "kind"},
		Optional: optional("group", "listening", "reading", "spoken_interaction", "spoken_production", "writing", "evaluator", "feedback"),
		decode:   decodeEvaluation},
	{Name: "certificates", File: "certificates.csv",
		Columns:  []string{"learner", "kind", "module", "date", "number", "level"},
		Key:      []string{"learner", "kind", "module", "date"},
		Optional: optional("module", "number", "level"), decode: decodeCertificate},
	{Name: "outflows", File: "outflows.csv",
		Columns:  []string{"learner", "date", "type", "reason", "destination", "provider"},
		Key:      []string{"learner", "date"},
		Optional: optional("reason", "destination", "provider"), decode: decodeOutflow},
	{Name: "followups", File: "followups.csv",
		Columns:  []string{"learner", "date", "status"},
		Key:      []string{"learner", "date"},
		Optional: optional(), decode: decodeFollowUp},
	{Name: "observations", File: "observations.csv",
		Columns:  []string{"learner", "group", "date", "wellbeing", "involvement", "observer", "note"},
		Key:      []string{"learner", "group", "date"},
		Optional: optional("wellbeing", "involvement", "observer", "note"), decode: decodeObservation},
	{Name: "survey_responses", File: "survey_responses.csv",
		Columns: []string{"id", "provider", "date", "respondent", "learner", "group", "partner_type", "wellbeing", "involvement",
			"satisfaction", "comment"},
		Key:      []string{"id"},
		Optional: optional("learner", "group", "partner_type", "wellbeing", "involvement", "satisfaction", "comment"),
		decode:   decodeSurveyResponse},
}

// The entities by name, for the code that handles each one explicitly.
var (
	entProviders    = &Entities[0]
	entModules      = &Entities[1]
	entGoals        = &Entities[2]
	entLearners     = &Entities[3]
	entLearnerGoals = &Entities[4]
	entReferrals    = &Entities[5]
	entGroups       = &Entities[6]
	entLessons      = &Entities[7]
	entPlacements   = &Entities[8]
	entEnrollments  = &Entities[9]
	entAttendance   = &Entities[10]
	entEvaluations  = &Entities[11]
	entCertificates = &Entities[12]
	entOutflows     = &Entities[13]
	entFollowUps    = &Entities[14]
	entObservations = &Entities[15]
	entSurveys      = &Entities[16]
)

// EntityNamed returns the entity with the given name ("learners"), file name
// ("learners.csv") or sheet name, matched case-insensitively, or nil.
func EntityNamed(name string) *Entity {
	name = strings.ToLower(strings.TrimSpace(name))
	name = strings.TrimSuffix(name, ".csv")
	for i := range Entities {
		if Entities[i].Name == name {
			return &Entities[i]
		}
	}
	return nil
}

func entityOrder(e *Entity) int {
	for i := range Entities {
		if &Entities[i] == e {
			return i
		}
	}
	return len(Entities)
}

// The decoders turn one row into one record. Fields are read in column order,
// so that a row's errors come out in column order.

func decodeProvider(r *row, ds *domain.DataSet) {
	ds.Providers = append(ds.Providers, domain.Provider{
		Code: r.id("code"),
		Name: r.id("name"),
		Type: r.code("type", domain.ProviderTypes),
	})
}

func decodeModule(r *row, ds *domain.DataSet) {
	ds.Modules = append(ds.Modules, domain.Module{
		Code:         r.id("code"),
		Provider:     r.id("provider"),
		Name:         r.id("name"),
		Programme:    r.id("programme"),
		EntryLevel:   r.level("entry_level"),
		TargetLevel:  r.level("target_level"),
		Skills:       r.skills("skills"),
		NominalHours: r.integer("nominal_hours"),
	})
}

func decodeGoal(r *row, ds *domain.DataSet) {
	ds.Goals = append(ds.Goals, domain.Goal{
		Code:        r.id("code"),
		Module:      r.id("module"),
		Skill:       r.skill("skill"),
		Level:       r.level("level"),
		Description: r.text("description"),
		Source:      r.code("source", domain.GoalSources),
	})
}

func decodeLearner(r *row, ds *domain.DataSet) {
	ds.Learners = append(ds.Learners, domain.Learner{
		ID:             r.id("id"),
		FirstName:      r.id("first_name"),
		LastName:       r.id("last_name"),
		BirthDate:      r.date("birth_date"),
		Gender:         r.code("gender", domain.Genders),
		HomeLanguage:   r.id("home_language"),
		CountryOfBirth: r.country("country_of_birth"),
		SchoolingLevel: r.code("schooling_level", domain.SchoolingLevels),
		SchoolingYears: r.optInteger("schooling_years"),
		Literacy:       r.code("literacy", domain.Literacies),
		LearningRoute:  r.code("learning_route", domain.LearningRoutes),
		CivicStatus:    r.code("civic_status", domain.CivicStatuses),
		Perspective:    r.code("perspective", domain.Perspectives),
		Counsellor:     r.id("counsellor"),
	})
}

func decodeLearnerGoal(r *row, ds *domain.DataSet) {
	ds.LearnerGoals = append(ds.LearnerGoals, domain.LearnerGoal{
		Learner:     r.id("learner"),
		Skill:       r.skill("skill"),
		TargetLevel: r.level("target_level"),
		SetDate:     r.date("set_date"),
		TargetDate:  r.date("target_date"),
	})
}

func decodeReferral(r *row, ds *domain.DataSet) {
	ds.Referrals = append(ds.Referrals, domain.Referral{
		Learner:  r.id("learner"),
		Date:     r.date("date"),
		Source:   r.code("source", domain.ReferralSources),
		Provider: r.id("provider"),
	})
}

func decodeGroup(r *row, ds *domain.DataSet) {
	ds.Groups = append(ds.Groups, domain.Group{
		Code:         r.id("code"),
		Module:       r.id("module"),
		StartDate:    r.date("start_date"),
		EndDate:      r.date("end_date"),
		PlannedHours: r.integer("planned_hours"),
		Teacher:      r.id("teacher"),
		Intensity:    r.code("intensity", domain.Intensities),
	})
}

func decodePlacement(r *row, ds *domain.DataSet) {
	ds.Placements = append(ds.Placements, domain.Placement{
		Learner: r.id("learner"),
		Date:    r.date("date"),
		Module:  r.id("module"),
		Method:  r.code("method", domain.PlacementMethods),
		Levels:  r.levels(),
	})
}

func decodeLesson(r *row, ds *domain.DataSet) {
	ds.Lessons = append(ds.Lessons, domain.Lesson{
		Group: r.id("group"),
		Date:  r.date("date"),
		Hours: r.number("hours"),
	})
}

func decodeEnrollment(r *row, ds *domain.DataSet) {
	e := domain.Enrollment{
		Learner:   r.id("learner"),
		Group:     r.id("group"),
		StartDate: r.date("start_date"),
		EndDate:   r.date("end_date"),
		Status:    r.code("status", domain.EnrollmentStatuses),
	}
	if h := r.optNumber("hours_attended"); h != nil {
		e.HoursAttended = *h
	} else {
		r.d.b.blankHours[len(ds.Enrollments)] = true
	}
	ds.Enrollments = append(ds.Enrollments, e)
}

func decodeAttendance(r *row, ds *domain.DataSet) {
	ds.Attendance = append(ds.Attendance, domain.Attendance{
		Learner: r.id("learner"),
		Group:   r.id("group"),
		Date:    r.date("date"),
		Status:  r.code("status", domain.AttendanceStatuses),
		Hours:   r.optNumber("hours"),
	})
}

func decodeEvaluation(r *row, ds *domain.DataSet) {
	ds.Evaluations = append(ds.Evaluations, domain.Evaluation{
		Learner:   r.id("learner"),
		Group:     r.id("group"),
		Date:      r.date("date"),
		Kind:      r.code("kind", domain.EvaluationKinds),
		Levels:    r.levels(),
		Decision:  r.code("decision", domain.Decisions),
		Evaluator: r.id("evaluator"),
		Feedback:  r.text("feedback"),
	})
}

func decodeCertificate(r *row, ds *domain.DataSet) {
	ds.Certificates = append(ds.Certificates, domain.Certificate{
		Learner: r.id("learner"),
		Kind:    r.code("kind", domain.CertificateKinds),
		Module:  r.id("module"),
		Date:    r.date("date"),
		Number:  r.text("number"),
		Level:   r.level("level"),
	})
}

func decodeOutflow(r *row, ds *domain.DataSet) {
	ds.Outflows = append(ds.Outflows, domain.Outflow{
		Learner:     r.id("learner"),
		Date:        r.date("date"),
		Type:        r.code("type", domain.OutflowTypes),
		Reason:      r.code("reason", domain.OutflowReasons),
		Destination: r.code("destination", domain.Destinations),
		Provider:    r.id("provider"),
	})
}

func decodeObservation(r *row, ds *domain.DataSet) {
	ds.Observations = append(ds.Observations, domain.Observation{
		Learner:     r.id("learner"),
		Group:       r.id("group"),
		Date:        r.date("date"),
		Wellbeing:   r.score("wellbeing"),
		Involvement: r.score("involvement"),
		Observer:    r.id("observer"),
		Note:        r.text("note"),
	})
}

func decodeSurveyResponse(r *row, ds *domain.DataSet) {
	ds.SurveyResponses = append(ds.SurveyResponses, domain.SurveyResponse{
		ID:           r.text("id"),
		Provider:     r.id("provider"),
		Date:         r.date("date"),
		Respondent:   r.code("respondent", domain.RespondentKinds),
		Learner:      r.id("learner"),
		Group:        r.id("group"),
		PartnerType:  r.code("partner_type", domain.PartnerTypes),
		Wellbeing:    r.score("wellbeing"),
		Involvement:  r.score("involvement"),
		Satisfaction: r.score("satisfaction"),
		Comment:      r.text("comment"),
	})
}

func decodeFollowUp(r *row, ds *domain.DataSet) {
	ds.FollowUps = append(ds.FollowUps, domain.FollowUp{
		Learner: r.id("learner"),
		Date:    r.date("date"),
		Status:  r.code("status", domain.FollowUpStatuses),
	})
}
