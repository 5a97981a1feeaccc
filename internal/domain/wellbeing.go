package domain

import (
	"strings"
)

// Wellbeing, involvement and satisfaction (spec/domain.md, "observation" and
// "survey response"): the framework's welbevinden and betrokkenheid of
// learners and staff and the tevredenheid of partners, on five-point scales.

// Score is a point on the five-point scale (1 very low … 5 very high); 0 is
// no score.
type Score int

// MinScore and MaxScore bound a score.
const (
	MinScore Score = 1
	MaxScore Score = 5
)

// Valid reports whether s is a point of the scale (not 0, no score).
func (s Score) Valid() bool { return s >= MinScore && s <= MaxScore }

// LowScore and HighScore bound the low and the high end of the scale, the
// framework's "laag" and "hoog": the indicators count a score of at most
// LowScore as low and one of at least HighScore as high (spec/indicators.md,
// sections 7–9), and the counsellor's flag low_wellbeing is raised on a
// last score of at most LowScore (spec/early-warning.md, "The counsellor's
// flags on a day", g). Defined once here so that both read the same scale.
const (
	LowScore  Score = 2
	HighScore Score = 4
)

// Low reports whether s is a score at the low end of the scale (1 or 2).
func (s Score) Low() bool { return s.Valid() && s <= LowScore }

// High reports whether s is a score at the high end of the scale (4 or 5).
func (s Score) High() bool { return s.Valid() && s >= HighScore }

// Observation is a teacher's observation of one learner in one group on one
// day (observatie welbevinden en betrokkenheid). Key: (learner, group, date).
type Observation struct {
	Learner     string `db:"learner"`
	Group       string `db:"group_code"`
	Date        Date   `db:"date"`
	Wellbeing   Score  `db:"wellbeing"`   // 0: not scored
	Involvement Score  `db:"involvement"` // 0: not scored
	Observer    string `db:"observer"`    // a user name, optional
	Note        string `db:"note"`        // free text, optional; never leaves the provider
}

// SurveyResponse is one answer to a questionnaire of learners, staff or
// partners (bevraging). Key: id.
type SurveyResponse struct {
	ID           string `db:"id"`
	Provider     string `db:"provider"`
	Date         Date   `db:"date"`
	Respondent   string `db:"respondent"`   // RespondentKinds
	Learner      string `db:"learner"`      // learners only, optional: blank is anonymous
	Group        string `db:"group_code"`   // learners only, optional: a group of the provider
	PartnerType  string `db:"partner_type"` // PartnerTypes, partners only (required for them)
	Wellbeing    Score  `db:"wellbeing"`    // learners and staff
	Involvement  Score  `db:"involvement"`  // learners and staff
	Satisfaction Score  `db:"satisfaction"` // learners and partners
	Comment      string `db:"comment"`      // free text, optional; never leaves the provider
}

// The kinds of respondent and of partner.
var (
	RespondentKinds = &CodeList{"respondent",
		[]string{"learner", "staff", "partner"}}
	PartnerTypes = &CodeList{"partner type",
		[]string{"agentschap", "hvn", "vdab", "ocmw", "employer", "school", "other"}}
)

// SurveyScores lists, per respondent kind, the scores that kind may carry,
// in the order of the JSON form (spec/indicators.md, section 9).
var SurveyScores = map[string][]string{
	"learner": {"wellbeing", "involvement", "satisfaction"},
	"staff":   {"wellbeing", "involvement"},
	"partner": {"satisfaction"},
}

// Score returns the response's score of the named kind ("wellbeing",
// "involvement" or "satisfaction").
func (s *SurveyResponse) Score(name string) Score {
	switch name {
	case "wellbeing":
		return s.Wellbeing
	case "involvement":
		return s.Involvement
	case "satisfaction":
		return s.Satisfaction
	}
	return 0
}

// score checks an optional score.
func (r *rules) score(field string, s Score) {
	if s != 0 && !s.Valid() {
		r.add(field, "rule.score", int(s), int(MinScore), int(MaxScore))
	}
}

// Validate checks an observation on its own: at least one score, each from
// 1 to 5.
func (o *Observation) Validate() []FieldError {
	var r rules
	r.required("learner", o.Learner)
	r.required("group", o.Group)
	r.date("date", o.Date, false)
	r.score("wellbeing", o.Wellbeing)
	r.score("involvement", o.Involvement)
	if o.Wellbeing == 0 && o.Involvement == 0 {
		r.add("wellbeing", "rule.givescore")
	}
	r.length("learner", o.Learner, "group", o.Group, "observer", o.Observer, "note", o.Note)
	return r.result()
}

// CheckObservation reports an observation outside its learner's enrollment
// in its group: before the start, or after the end when there is one. e is
// nil when the learner is not enrolled in the group at all.
func CheckObservation(o *Observation, e *Enrollment) *FieldError {
	switch {
	case e == nil:
		fe := fieldError("group", "rule.notenrolled", o.Learner, o.Group)
		return &fe
	case o.Date < e.StartDate:
		fe := fieldError("date", "rule.beforeenrollment", o.Date, o.Group, e.StartDate)
		return &fe
	case e.EndDate != 0 && o.Date > e.EndDate:
		fe := fieldError("date", "rule.afterenrollment", o.Date, o.Group, e.EndDate)
		return &fe
	}
	return nil
}

// Validate checks a survey response on its own: who may carry which score,
// a learner or group only for learners, partner_type exactly for partners,
// and at least one score.
func (s *SurveyResponse) Validate() []FieldError {
	var r rules
	r.required("id", s.ID)
	r.required("provider", s.Provider)
	r.date("date", s.Date, false)
	r.code("respondent", RespondentKinds, s.Respondent, false)
	r.score("wellbeing", s.Wellbeing)
	r.score("involvement", s.Involvement)
	r.score("satisfaction", s.Satisfaction)
	if s.Respondent != "learner" {
		if s.Learner != "" {
			r.add("learner", "rule.learneronly")
		}
		if s.Group != "" {
			r.add("group", "rule.learneronly")
		}
	}
	if s.Respondent == "partner" {
		r.code("partner_type", PartnerTypes, s.PartnerType, false)
	} else if s.PartnerType != "" {
		r.add("partner_type", "rule.partneronly")
	}
	if allowed, ok := SurveyScores[s.Respondent]; ok {
		for _, name := range []string{"wellbeing", "involvement", "satisfaction"} {
			if s.Score(name) != 0 && !contains(allowed, name) {
				r.add(name, "rule.notgiven", s.Respondent, name, strings.Join(allowed, ", "))
			}
		}
	}
	if s.Wellbeing == 0 && s.Involvement == 0 && s.Satisfaction == 0 {
		r.add("wellbeing", "rule.onescore")
	}
	r.length("id", s.ID, "provider", s.Provider, "learner", s.Learner, "group", s.Group, "comment", s.Comment)
	return r.result()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
