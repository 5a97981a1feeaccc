package indicator

import (
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
)

// CaseCount returns how many cases of indicator ind pass field (see
// Case.Is) in the indicators in, read from the counts; false when
// the field has no count there. It is the size of the drill-down list, which
// decides whether a link to it would reveal a small cell.
func (in *Indicators) CaseCount(ind, field string) (int, bool) {
	a, p, c, g, o, e := &in.Access, &in.Progress, &in.Certification, &in.LearningGain, &in.Outflow, &in.Effects
	switch ind {
	case IndicatorAccess:
		switch field {
		case "cohort":
			return a.Cohort.N, true
		case "on_time":
			return a.OnTime.N, true
		case "late":
			return a.Late.N, true
		case "waiting_overdue":
			return a.WaitingOverdue.N, true
		case "waiting_in_term":
			return a.WaitingInTerm.N, true
		case "waiting_list":
			return a.WaitingList.N, true
		case "started":
			return a.Started(), true
		case "judged":
			return a.Judged(), true
		}
	case IndicatorProgress:
		switch field {
		case "cohort":
			return p.Cohort.N, true
		case "on_track":
			return p.OnTrack.N, true
		case "not_on_track":
			return p.Cohort.N - p.OnTrack.N, true
		case "pending":
			return p.Pending.N, true
		case "missed":
			return p.Cohort.N - p.OnTrack.N - p.Pending.N, true
		}
	case IndicatorCertification:
		switch field {
		case "cohort":
			return c.Cohort.N, true
		case "certified":
			return c.Certified.N, true
		case "not_certified":
			return c.Cohort.N - c.Certified.N, true
		case "pending":
			return c.Pending.N, true
		case "missed":
			return c.Cohort.N - c.Certified.N - c.Pending.N, true
		}
	case IndicatorLearningGain:
		switch field {
		case "cohort", "participants":
			return g.Participants.N, true
		case "assessed":
			return g.Assessed.N, true
		case "gained":
			return g.Gained.N, true
		case "assessed_no_gain":
			return g.Assessed.N - g.Gained.N, true
		case "not_assessed":
			return g.Participants.N - g.Assessed.N, true
		}
		if rest, ok := strings.CutPrefix(field, "by_skill."); ok {
			skill, what, _ := strings.Cut(rest, ".")
			for k, code := range domain.SkillCodes {
				if code == skill {
					switch what {
					case "assessed":
						return g.BySkill[k].Assessed.N, true
					case "gained":
						return g.BySkill[k].Gained.N, true
					}
				}
			}
		}
	case IndicatorOutflow:
		switch field {
		case "cohort", "total":
			return o.Total.N, true
		case "qualified":
			return o.Qualified.N, true
		case "transfer":
			return o.Transfer.N, true
		case "early_leaver":
			return o.EarlyLeaver.N, true
		case "other":
			return o.Total.N - o.Qualified.N - o.Transfer.N - o.EarlyLeaver.N, true
		}
		if r, ok := strings.CutPrefix(field, "reasons."); ok {
			return o.Reasons[r].N, true
		}
		if d, ok := strings.CutPrefix(field, "destinations."); ok {
			return o.Destinations[d].N, true
		}
	case IndicatorEffects:
		switch field {
		case "cohort":
			return o.Total.N, true
		case "positive":
			return e.Positive.N, true
		case "followed_up":
			return e.FollowedUp.N, true
		case "followed_up_not_positive":
			return e.FollowedUp.N - e.Positive.N, true
		case "not_followed_up":
			return o.Total.N - e.FollowedUp.N, true
		}
	case IndicatorWellbeing:
		return in.Wellbeing.caseCount(field)
	case IndicatorInvolvement:
		return in.Involvement.caseCount(field)
	case IndicatorSurvey:
		for i, f := range in.Survey.slots() {
			sl := surveySlots[i]
			if rest, ok := strings.CutPrefix(field, sl.respondent+"."+sl.score+"."); ok {
				return f.caseCount(rest)
			}
		}
		all := 0
		for _, f := range in.Survey.slots() {
			n, ok := f.caseCount(field)
			if !ok {
				return 0, false
			}
			all += n
		}
		return all, true
	}
	return 0, false
}

// caseCount returns the observed learners of wellbeing or involvement that
// pass field.
func (o *Observed) caseCount(field string) (int, bool) {
	switch field {
	case "cohort", "observed":
		return o.Observed.N, true
	case "high":
		return o.High.N, true
	case "middle":
		return o.Observed.N - o.High.N - o.Low.N, true
	case "low":
		return o.Low.N, true
	case "followed":
		return o.Followed.N, true
	case "improved":
		return o.Improved.N, true
	case "declined":
		return o.Declined.N, true
	}
	return o.Distribution.caseCount(field)
}

// caseCount returns the responses behind one score's field: responses,
// high, middle, low or distribution.N, or cohort (all of them).
func (f *ScoreFigures) caseCount(field string) (int, bool) {
	switch field {
	case "cohort", "responses":
		return f.Responses.N, true
	case "high":
		return f.High.N, true
	case "middle":
		return f.Responses.N - f.High.N - f.Low.N, true
	case "low":
		return f.Low.N, true
	}
	return f.Distribution.caseCount(field)
}

// caseCount returns the count of distribution.N.
func (d *Distribution) caseCount(field string) (int, bool) {
	if n, ok := strings.CutPrefix(field, "distribution."); ok && knownScore(field) {
		return d[n[0]-'1'].N, true
	}
	return 0, false
}
