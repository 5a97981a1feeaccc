package domain

import (
	"strings"

	"github.com/traject-nt2/traject/internal/locale"
)

// The integrity rules of spec/domain.md ("Integrity rules"). Validate methods
// check what a record can check on its own; the Check functions take the
// records it refers to. Each broken rule is a FieldError naming the field.

// MinAge is the youngest age at which a learner may be referred, placed or enrolled.
const MinAge = 15

// MaxEarlyStartDays is how many days before its group's start an enrollment may start.
const MaxEarlyStartDays = 60

type rules []FieldError

// add records the broken rule key (internal/msg) with args on field.
func (r *rules) add(field, key string, args ...any) {
	*r = append(*r, fieldError(field, key, args...))
}

func (r *rules) required(field, v string) {
	if strings.TrimSpace(v) == "" {
		r.add(field, "rule.required")
	}
}

func (r *rules) code(field string, list *CodeList, v string, optional bool) {
	if v == "" {
		if !optional {
			r.add(field, "rule.requiredof", strings.Join(list.Codes, ", "))
		}
		return
	}
	if !list.Has(v) {
		r.add(field, "rule.notcode", v, locale.New("list."+list.Name), strings.Join(list.Codes, ", "))
	}
}

// date checks an event date (see CheckDate).
func (r *rules) date(field string, d Date, optional bool) {
	if fe := CheckDate(field, d, optional); fe != nil {
		*r = append(*r, *fe)
	}
}

// CheckDate reports an event date of field that is missing (0, unless
// optional) or outside the domain's range, MinDate to MaxDate: the rule
// every Validate asks of its dates, for a form with a date of its own.
func CheckDate(field string, d Date, optional bool) *FieldError {
	switch {
	case d == 0 && !optional:
		fe := fieldError(field, "rule.required")
		return &fe
	case d != 0 && (d < MinDate || d > MaxDate):
		fe := fieldError(field, "rule.dateoutside", d, MinDate, MaxDate)
		return &fe
	}
	return nil
}

func (r *rules) level(field string, l Level, optional bool) {
	if l == NoLevel {
		if !optional {
			r.add(field, "rule.requiredof", ladderList)
		}
		return
	}
	if !l.Valid() {
		r.add(field, "rule.notlevel", ladderList)
	}
}

func (r *rules) levels(ls Levels) {
	for k, l := range ls {
		r.level(SkillCodes[k], l, true)
	}
}

func (r rules) result() []FieldError { return r }

// Validate checks a provider on its own.
func (p *Provider) Validate() []FieldError {
	var r rules
	r.required("code", p.Code)
	r.required("name", p.Name)
	r.code("type", ProviderTypes, p.Type, false)
	r.length("code", p.Code, "name", p.Name)
	return r.result()
}

// Validate checks a module on its own: the target lies above the entry level.
func (m *Module) Validate() []FieldError {
	var r rules
	r.required("code", m.Code)
	r.required("provider", m.Provider)
	r.required("name", m.Name)
	r.required("programme", m.Programme)
	r.level("entry_level", m.EntryLevel, false)
	r.level("target_level", m.TargetLevel, false)
	if m.EntryLevel.Valid() && m.TargetLevel.Valid() && m.TargetLevel <= m.EntryLevel {
		r.add("target_level", "rule.targetabove", m.TargetLevel, m.EntryLevel)
	}
	if m.Skills == 0 || m.Skills&^AllSkills != 0 {
		r.add("skills", "rule.oneskill")
	}
	if m.NominalHours <= 0 {
		r.add("nominal_hours", "rule.positive")
	}
	r.length("code", m.Code, "provider", m.Provider, "name", m.Name, "programme", m.Programme)
	return r.result()
}

// Validate checks a goal on its own.
func (g *Goal) Validate() []FieldError {
	var r rules
	r.required("code", g.Code)
	if g.Skill < 0 || g.Skill >= NumSkills {
		r.add("skill", "rule.notskill")
	}
	r.level("level", g.Level, false)
	r.required("description", g.Description)
	r.code("source", GoalSources, g.Source, false)
	r.length("code", g.Code, "module", g.Module, "description", g.Description)
	return r.result()
}

// Validate checks a learner on its own. The birth date is not held to the
// 1990–2100 range of event dates (most learners are born before 1990); it must
// lie after 1900-01-01 and before 2100-12-31.
func (l *Learner) Validate() []FieldError {
	var r rules
	r.required("id", l.ID)
	r.required("first_name", l.FirstName)
	r.required("last_name", l.LastName)
	switch {
	case l.BirthDate == 0:
		r.add("birth_date", "rule.required")
	case l.BirthDate < NewDate(1900, 1, 1) || l.BirthDate > MaxDate:
		r.add("birth_date", "rule.dateoutside", l.BirthDate, NewDate(1900, 1, 1), MaxDate)
	}
	r.code("gender", Genders, l.Gender, false)
	if c := l.CountryOfBirth; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
		r.add("country_of_birth", "rule.country", c)
	}
	r.code("schooling_level", SchoolingLevels, l.SchoolingLevel, false)
	if l.SchoolingYears != nil && (*l.SchoolingYears < 0 || *l.SchoolingYears > 40) {
		r.add("schooling_years", "rule.schoolingyears", *l.SchoolingYears)
	}
	r.code("literacy", Literacies, l.Literacy, false)
	r.code("learning_route", LearningRoutes, l.LearningRoute, false)
	r.code("civic_status", CivicStatuses, l.CivicStatus, false)
	r.code("perspective", Perspectives, l.Perspective, false)
	r.length("id", l.ID, "first_name", l.FirstName, "last_name", l.LastName, "home_language", l.HomeLanguage,
		"country_of_birth", l.CountryOfBirth, "counsellor", l.Counsellor)
	return r.result()
}

// Validate checks a learner goal on its own.
func (g *LearnerGoal) Validate() []FieldError {
	var r rules
	r.required("learner", g.Learner)
	r.level("target_level", g.TargetLevel, false)
	r.date("set_date", g.SetDate, false)
	r.date("target_date", g.TargetDate, true)
	if g.TargetDate != 0 && g.SetDate != 0 && g.TargetDate < g.SetDate {
		r.add("target_date", "rule.before", g.TargetDate, FieldLabel("set_date"), g.SetDate)
	}
	r.length("learner", g.Learner)
	return r.result()
}

// Validate checks a referral on its own.
func (x *Referral) Validate() []FieldError {
	var r rules
	r.required("learner", x.Learner)
	r.date("date", x.Date, false)
	r.code("source", ReferralSources, x.Source, false)
	r.length("learner", x.Learner, "provider", x.Provider)
	return r.result()
}

// Validate checks a placement on its own.
func (p *Placement) Validate() []FieldError {
	var r rules
	r.required("learner", p.Learner)
	r.date("date", p.Date, false)
	r.required("module", p.Module)
	r.code("method", PlacementMethods, p.Method, false)
	r.levels(p.Levels)
	r.length("learner", p.Learner, "module", p.Module)
	return r.result()
}

// Validate checks a group on its own: it does not end before it starts.
func (g *Group) Validate() []FieldError {
	var r rules
	r.required("code", g.Code)
	r.required("module", g.Module)
	r.date("start_date", g.StartDate, false)
	r.date("end_date", g.EndDate, false)
	if g.StartDate != 0 && g.EndDate != 0 && g.EndDate < g.StartDate {
		r.add("end_date", "rule.before", g.EndDate, FieldLabel("start_date"), g.StartDate)
	}
	if g.PlannedHours <= 0 {
		r.add("planned_hours", "rule.positive")
	}
	r.code("intensity", Intensities, g.Intensity, false)
	r.length("code", g.Code, "module", g.Module, "teacher", g.Teacher)
	return r.result()
}

// Validate checks an enrollment on its own: an end date unless active, not
// before the start, and hours that are not negative.
func (e *Enrollment) Validate() []FieldError {
	var r rules
	r.required("learner", e.Learner)
	r.required("group", e.Group)
	r.date("start_date", e.StartDate, false)
	r.code("status", EnrollmentStatuses, e.Status, false)
	r.date("end_date", e.EndDate, e.Status == "active" || e.Status == "")
	if e.StartDate != 0 && e.EndDate != 0 && e.EndDate < e.StartDate {
		r.add("end_date", "rule.before", e.EndDate, FieldLabel("start_date"), e.StartDate)
	}
	if e.HoursAttended < 0 {
		r.add("hours_attended", "rule.negative")
	}
	r.length("learner", e.Learner, "group", e.Group)
	return r.result()
}

// Validate checks an evaluation on its own: a module-end pass needs at least
// one assessed skill.
func (ev *Evaluation) Validate() []FieldError {
	var r rules
	r.required("learner", ev.Learner)
	r.date("date", ev.Date, false)
	r.code("kind", EvaluationKinds, ev.Kind, false)
	r.levels(ev.Levels)
	r.code("decision", Decisions, ev.Decision, false)
	if ev.Kind == "module_end" && ev.Decision == "pass" && !ev.Levels.Assessed() {
		r.add("decision", "rule.passneedsskill")
	}
	r.length("learner", ev.Learner, "group", ev.Group, "evaluator", ev.Evaluator, "feedback", ev.Feedback)
	return r.result()
}

// Validate checks a certificate on its own: kind module needs a module.
func (c *Certificate) Validate() []FieldError {
	var r rules
	r.required("learner", c.Learner)
	r.code("kind", CertificateKinds, c.Kind, false)
	if c.Kind == "module" && c.Module == "" {
		r.add("module", "rule.modulerequired")
	}
	r.date("date", c.Date, false)
	r.level("level", c.Level, true)
	r.length("learner", c.Learner, "module", c.Module, "number", c.Number)
	return r.result()
}

// Validate checks an outflow on its own: a reason for early leavers only.
func (o *Outflow) Validate() []FieldError {
	var r rules
	r.required("learner", o.Learner)
	r.date("date", o.Date, false)
	r.code("type", OutflowTypes, o.Type, false)
	switch {
	case o.Type == "early_leaver" && o.Reason == "":
		r.add("reason", "rule.reasonrequired", strings.Join(OutflowReasons.Codes, ", "))
	case o.Type != "early_leaver" && o.Reason != "":
		r.add("reason", "rule.reasonblank")
	default:
		r.code("reason", OutflowReasons, o.Reason, true)
	}
	r.code("destination", Destinations, o.Destination, true)
	r.length("learner", o.Learner, "provider", o.Provider)
	return r.result()
}

// Validate checks a follow-up on its own.
func (f *FollowUp) Validate() []FieldError {
	var r rules
	r.required("learner", f.Learner)
	r.date("date", f.Date, false)
	r.code("status", FollowUpStatuses, f.Status, false)
	r.length("learner", f.Learner)
	return r.result()
}

// CheckAge reports a learner who is younger than MinAge on an event date
// (referral, placement or enrollment start).
func CheckAge(field string, birth, on Date) *FieldError {
	if birth == 0 || on == 0 || birth.AgeOn(on) >= MinAge {
		return nil
	}
	fe := fieldError(field, "rule.tooyoung", birth, MinAge, on)
	return &fe
}

// CheckEnrollmentStart reports an enrollment that starts more than
// MaxEarlyStartDays before its group's start.
func CheckEnrollmentStart(e *Enrollment, g *Group) *FieldError {
	if e.StartDate == 0 || g.StartDate == 0 || e.StartDate >= g.StartDate.AddDays(-MaxEarlyStartDays) {
		return nil
	}
	fe := fieldError("start_date", "rule.earlystart", e.StartDate, MaxEarlyStartDays, g.Code, g.StartDate)
	return &fe
}

// CheckEvaluationSkills reports levels for skills that the evaluated module
// does not evaluate.
func CheckEvaluationSkills(ev *Evaluation, m *Module) []FieldError {
	var r rules
	for k, l := range ev.Levels {
		if l != NoLevel && !m.Skills.Has(Skill(k)) {
			var has []locale.Text
			for j := range NumSkills {
				if m.Skills.Has(Skill(j)) {
					has = append(has, locale.New(Skill(j).Key()))
				}
			}
			r.add(SkillCodes[k], "rule.moduleskill", m.Code, locale.New(Skill(k).Key()), locale.List(has))
		}
	}
	return r.result()
}

// FieldLabel is the name of a field (an interchange column, e.g.
// "start_date") inside a message, in the reader's language: "startdatum".
func FieldLabel(column string) locale.Text { return locale.New(FieldKey(column)) }

// FieldKey is the catalogue key of a field's name ("field.start_date").
func FieldKey(column string) string { return "field." + column }
