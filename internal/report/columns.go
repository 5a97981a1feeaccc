package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/quality"
)

// This file is the small table that maps the column keys of reports/ to
// values. Everything else about a column (label, format, width, order) comes
// from the layout.

// aggRow is one row of a table of indicators: the total or one breakdown key
// (and for the skills sheet, one skill).
type aggRow struct {
	breakdown string // breakdown name; "" for the total
	key       string
	in        *indicator.Indicators
	skill     int
	measure   int                // the wellbeing sheet: an index in Measures()
	figs      []indicator.Figure // filled on first use
}

func (r *aggRow) figure(code string) *indicator.Figure {
	if r.figs == nil {
		r.figs = r.in.Figures()
	}
	for i := range r.figs {
		if r.figs[i].Code == code {
			return &r.figs[i]
		}
	}
	return nil
}

type aggGetter func(b *book, r *aggRow) cell

type aggField struct {
	typ valueType
	get aggGetter
}

// aggCommon are the keys every table of indicators knows.
var aggCommon = map[string]aggField{
	"breakdown": {typeText, func(b *book, r *aggRow) cell {
		if r.breakdown == "" {
			return textCell(b.layout.Texts["total"])
		}
		return textCell(b.layout.Breakdowns[r.breakdown])
	}},
	"key":       {typeText, func(b *book, r *aggRow) cell { return textCell(r.key) }},
	"key_label": {typeText, func(b *book, r *aggRow) cell { return textCell(b.keyLabel(r.breakdown, r.key)) }},
}

// hidden is a sum (hours, gains) hidden where the rate it makes is.
func hidden(v float64, hide bool) cell {
	if hide {
		return cell{}
	}
	return numCell(v)
}

// indicatorFields are the counts and rates of the JSON form per indicator,
// plus the denominators and sums the JSON form leaves out.
var indicatorFields = map[string]aggField{
	"access.cohort":               {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Access.Cohort) }},
	"access.on_time":              {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Access.OnTime) }},
	"access.late":                 {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Access.Late) }},
	"access.waiting_overdue":      {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Access.WaitingOverdue) }},
	"access.waiting_in_term":      {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Access.WaitingInTerm) }},
	"access.judged":               {typeNumber, func(b *book, r *aggRow) cell { return derivedCount(r.in.Access.Judged(), b.suppress) }},
	"access.started":              {typeNumber, func(b *book, r *aggRow) cell { return derivedCount(r.in.Access.Started(), b.suppress) }},
	"access.rate":                 {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.Access.Rate) }},
	"access.median_days_to_start": {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.Access.MedianDaysToStart) }},
	"access.waiting_list":         {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Access.WaitingList) }},

	"progress.cohort":   {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Progress.Cohort) }},
	"progress.on_track": {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Progress.OnTrack) }},
	"progress.rate":     {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.Progress.Rate) }},
	"progress.attendance_rate": {typeNumber, func(_ *book, r *aggRow) cell {
		return numberCell(r.in.Progress.AttendanceRate)
	}},
	"progress.hours_attended": {typeNumber, func(_ *book, r *aggRow) cell {
		return hidden(r.in.Progress.HoursAttended, r.in.Progress.AttendanceRate.Suppressed)
	}},
	"progress.planned_hours": {typeNumber, func(_ *book, r *aggRow) cell {
		return hidden(r.in.Progress.PlannedHours, r.in.Progress.AttendanceRate.Suppressed)
	}},

	"certification.cohort":    {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Certification.Cohort) }},
	"certification.certified": {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Certification.Certified) }},
	"certification.rate":      {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.Certification.Rate) }},

	"learning_gain.participants": {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.LearningGain.Participants) }},
	"learning_gain.assessed":     {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.LearningGain.Assessed) }},
	"learning_gain.gained":       {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.LearningGain.Gained) }},
	"learning_gain.rate":         {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.LearningGain.Rate) }},
	"learning_gain.mean_gain":    {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.LearningGain.MeanGain) }},
	"learning_gain.pairs": {typeNumber, func(b *book, r *aggRow) cell {
		return derivedCount(r.in.LearningGain.Pairs, b.suppress)
	}},
	"learning_gain.gain_sum": {typeNumber, func(_ *book, r *aggRow) cell {
		return hidden(float64(r.in.LearningGain.GainSum), r.in.LearningGain.MeanGain.Suppressed)
	}},

	"outflow.total":             {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Outflow.Total) }},
	"outflow.qualified":         {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Outflow.Qualified) }},
	"outflow.transfer":          {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Outflow.Transfer) }},
	"outflow.early_leaver":      {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Outflow.EarlyLeaver) }},
	"outflow.qualified_rate":    {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.Outflow.QualifiedRate) }},
	"outflow.early_leaver_rate": {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.Outflow.EarlyLeaverRate) }},

	"effects.followed_up": {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Effects.FollowedUp) }},
	"effects.positive":    {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.in.Effects.Positive) }},
	"effects.rate":        {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.in.Effects.Rate) }},
}

// skillFields are the keys of the skills sheet.
var skillFields = map[string]aggField{
	"skill":      {typeText, func(b *book, r *aggRow) cell { return textCell(b.layout.Skills[domain.SkillCodes[r.skill]]) }},
	"skill_code": {typeText, func(_ *book, r *aggRow) cell { return textCell(domain.SkillCodes[r.skill]) }},
	"skill.assessed": {typeNumber, func(_ *book, r *aggRow) cell {
		return countCell(r.in.LearningGain.BySkill[r.skill].Assessed)
	}},
	"skill.gained": {typeNumber, func(_ *book, r *aggRow) cell {
		return countCell(r.in.LearningGain.BySkill[r.skill].Gained)
	}},
	"skill.mean_gain": {typeNumber, func(_ *book, r *aggRow) cell {
		return numberCell(r.in.LearningGain.BySkill[r.skill].MeanGain)
	}},
}

// Measures are the rows of the wellbeing sheet per key, in order: the
// teachers' observations of wellbeing and involvement (§7, §8), then every
// score of the surveys (§9) as "survey.respondent.score".
func Measures() []string {
	out := []string{indicator.IndicatorWellbeing, indicator.IndicatorInvolvement}
	var sv indicator.Survey
	for _, s := range sv.Scores() {
		out = append(out, indicator.IndicatorSurvey+"."+s.Code())
	}
	return out
}

// measureIndicator returns the indicator measure m belongs to.
func measureIndicator(m int) string {
	if m < 2 {
		return Measures()[m]
	}
	return indicator.IndicatorSurvey
}

// scoreView is one measure of a row: the figures of an observed score or
// of a survey score; followed, improved and declined only for the first.
type scoreView struct {
	count, high, low             indicator.Count
	rate, mean                   indicator.Number
	dist                         indicator.Distribution
	observed                     bool
	followed, improved, declined indicator.Count
}

func (r *aggRow) score() scoreView {
	if r.measure < 2 {
		o := &r.in.Wellbeing
		if r.measure == 1 {
			o = &r.in.Involvement
		}
		return scoreView{count: o.Observed, high: o.High, low: o.Low, rate: o.Rate, mean: o.Mean, dist: o.Distribution,
			observed: true, followed: o.Followed, improved: o.Improved, declined: o.Declined}
	}
	f := r.in.Survey.Scores()[r.measure-2].Figures
	return scoreView{count: f.Responses, high: f.High, low: f.Low, rate: f.Rate, mean: f.Mean, dist: f.Distribution}
}

// scoreFields are the keys of the wellbeing sheet.
var scoreFields = map[string]aggField{
	"measure":      {typeText, func(b *book, r *aggRow) cell { return textCell(b.layout.Measures[Measures()[r.measure]]) }},
	"measure_code": {typeText, func(_ *book, r *aggRow) cell { return textCell(Measures()[r.measure]) }},
	"score.count":  {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.score().count) }},
	"score.high":   {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.score().high) }},
	"score.low":    {typeNumber, func(_ *book, r *aggRow) cell { return countCell(r.score().low) }},
	"score.rate":   {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.score().rate) }},
	"score.mean":   {typeNumber, func(_ *book, r *aggRow) cell { return numberCell(r.score().mean) }},
	"score.followed": {typeNumber, func(_ *book, r *aggRow) cell {
		if v := r.score(); v.observed {
			return countCell(v.followed)
		}
		return cell{}
	}},
	"score.improved": {typeNumber, func(_ *book, r *aggRow) cell {
		if v := r.score(); v.observed {
			return countCell(v.improved)
		}
		return cell{}
	}},
	"score.declined": {typeNumber, func(_ *book, r *aggRow) cell {
		if v := r.score(); v.observed {
			return countCell(v.declined)
		}
		return cell{}
	}},
}

func init() {
	for n := range 5 {
		scoreFields["score.distribution."+strconv.Itoa(n+1)] = aggField{typeNumber, func(_ *book, r *aggRow) cell {
			return countCell(r.score().dist[n])
		}}
	}
}

// codeLists are the code lists behind the ".*" keys.
var codeLists = map[string]*domain.CodeList{
	"outflow.reasons.":      domain.OutflowReasons,
	"outflow.destinations.": domain.Destinations,
}

// aggKey resolves a key of a table of indicators on sheet s.
func aggKey(s *Sheet, key string) (aggField, bool) {
	if f, ok := aggCommon[key]; ok {
		return f, true
	}
	switch s.Kind {
	case KindIndicator:
		if !strings.HasPrefix(key, s.Indicator+".") {
			return aggField{}, false
		}
		if f, ok := indicatorFields[key]; ok {
			return f, true
		}
		for prefix := range codeLists {
			if code, ok := strings.CutPrefix(key, prefix); ok && code != "" {
				return aggField{typeNumber, mapCount(prefix, code)}, true
			}
		}
	case KindSkills:
		f, ok := skillFields[key]
		return f, ok
	case KindWellbeing:
		f, ok := scoreFields[key]
		return f, ok
	case KindFigures:
		if code, ok := strings.CutPrefix(key, "figure."); ok && indicator.FigureDefByCode(code) != nil {
			return aggField{typeNumber, func(_ *book, r *aggRow) cell {
				f := r.figure(code)
				if f == nil { // not held by this breakdown (target_level)
					return cell{}
				}
				return amountCell(f.Value)
			}}, true
		}
	}
	return aggField{}, false
}

// mapCount reads one code of the reasons or destinations of outflow; a code
// that does not occur counts 0.
func mapCount(prefix, code string) aggGetter {
	if prefix == "outflow.reasons." {
		return func(_ *book, r *aggRow) cell { return countCell(r.in.Outflow.Reasons[code]) }
	}
	return func(_ *book, r *aggRow) cell { return countCell(r.in.Outflow.Destinations[code]) }
}

// caseGetter reads one column of a case; learner is the id as shown.
type caseGetter func(b *book, c *indicator.Case, learner string) cell

type caseField struct {
	typ valueType
	get caseGetter
}

func attr(list *domain.CodeList, v func(*indicator.Attributes) string) caseField {
	return caseField{typeText, func(b *book, c *indicator.Case, _ string) cell {
		if list == nil {
			return textCell(v(&c.Attributes))
		}
		return textCell(locale.Code(b.lang, list.Name, v(&c.Attributes)))
	}}
}

func intPtrCell(p *int) cell {
	if p == nil {
		return cell{}
	}
	return numCell(float64(*p))
}

// hasHours reports whether Case.Hours means something for the indicator.
func hasHours(ind string, planned bool) bool {
	if ind == indicator.IndicatorProgress || ind == indicator.IndicatorCertification {
		return true
	}
	return !planned && ind == indicator.IndicatorLearningGain
}

// caseFields are the keys of the cases sheet.
var caseFields = map[string]caseField{
	"indicator": {typeText, func(b *book, c *indicator.Case, _ string) cell {
		return textCell(b.layout.Indicators[c.Indicator])
	}},
	"indicator_code": {typeText, func(_ *book, c *indicator.Case, _ string) cell { return textCell(c.Indicator) }},
	"class": {typeText, func(b *book, c *indicator.Case, _ string) cell {
		return textCell(b.layout.Classes[c.Indicator+"."+c.Class])
	}},
	"class_code": {typeText, func(_ *book, c *indicator.Case, _ string) cell { return textCell(c.Class) }},
	"learner":    {typeText, func(_ *book, _ *indicator.Case, learner string) cell { return textCell(learner) }},
	"provider": {typeText, func(_ *book, c *indicator.Case, _ string) cell {
		if c.Provider == "" && len(c.Providers) > 1 {
			return textCell(strings.Join(c.Providers, ", "))
		}
		return textCell(c.Provider)
	}},
	"date":          {typeDate, func(_ *book, c *indicator.Case, _ string) cell { return dateCell(c.Date) }},
	"ref":           {typeText, func(_ *book, c *indicator.Case, _ string) cell { return textCell(c.Ref) }},
	"evidence":      {typeDate, func(_ *book, c *indicator.Case, _ string) cell { return dateCell(c.Evidence) }},
	"deadline":      {typeDate, func(_ *book, c *indicator.Case, _ string) cell { return dateCell(c.Deadline) }},
	"days":          {typeNumber, func(_ *book, c *indicator.Case, _ string) cell { return intPtrCell(c.Days) }},
	"days_to_start": {typeNumber, func(_ *book, c *indicator.Case, _ string) cell { return intPtrCell(c.DaysToStart) }},
	"waiting_list": {typeText, func(b *book, c *indicator.Case, _ string) cell {
		if c.WaitingList {
			return textCell(b.layout.Texts["yes"])
		}
		return cell{}
	}},
	"hours": {typeNumber, func(_ *book, c *indicator.Case, _ string) cell {
		if !hasHours(c.Indicator, false) {
			return cell{}
		}
		return numCell(c.Hours)
	}},
	"planned": {typeNumber, func(_ *book, c *indicator.Case, _ string) cell {
		if !hasHours(c.Indicator, true) {
			return cell{}
		}
		return numCell(c.Planned)
	}},
	"reason": {typeText, func(b *book, c *indicator.Case, _ string) cell {
		return textCell(locale.Code(b.lang, domain.OutflowReasons.Name, c.Reason))
	}},
	"destination": {typeText, func(b *book, c *indicator.Case, _ string) cell {
		return textCell(locale.Code(b.lang, domain.Destinations.Name, c.Destination))
	}},
	"status": {typeText, func(b *book, c *indicator.Case, _ string) cell {
		return textCell(locale.Code(b.lang, domain.FollowUpStatuses.Name, c.Status))
	}},
	"gender":          attr(domain.Genders, func(a *indicator.Attributes) string { return a.Gender }),
	"learning_route":  attr(domain.LearningRoutes, func(a *indicator.Attributes) string { return a.LearningRoute }),
	"schooling_level": attr(domain.SchoolingLevels, func(a *indicator.Attributes) string { return a.SchoolingLevel }),
	"literacy":        attr(domain.Literacies, func(a *indicator.Attributes) string { return a.Literacy }),
	"civic_status":    attr(domain.CivicStatuses, func(a *indicator.Attributes) string { return a.CivicStatus }),
	"age_band":        attr(nil, func(a *indicator.Attributes) string { return a.AgeBand }),
	"target_level":    attr(nil, func(a *indicator.Attributes) string { return a.TargetLevel }),
	"score": {typeNumber, func(_ *book, c *indicator.Case, _ string) cell {
		if !c.Score.Valid() {
			return cell{}
		}
		return numCell(float64(c.Score))
	}},
	"detail": {typeText, func(b *book, c *indicator.Case, _ string) cell {
		detail := c.Detail.In(b.lang)
		if strings.Contains(detail, "  ") { // a blank left out of a slim load (a certificate number)
			return textCell(strings.Join(strings.Fields(detail), " "))
		}
		return textCell(detail)
	}},
}

// caseKey resolves a key of the cases sheet; "gain.SKILL" is a
// participant's gain in one skill.
func caseKey(key string) (caseField, bool) {
	if f, ok := caseFields[key]; ok {
		return f, true
	}
	if skill, ok := strings.CutPrefix(key, "gain."); ok {
		k := slices.Index(domain.SkillCodes[:], skill)
		if k < 0 {
			return caseField{}, false
		}
		return caseField{typeNumber, func(_ *book, c *indicator.Case, _ string) cell {
			if k >= len(c.Skills) {
				return cell{}
			}
			return intPtrCell(c.Skills[k].Gain)
		}}, true
	}
	return caseField{}, false
}

// findingGetter reads one column of a data-quality finding.
type findingGetter func(b *book, f *quality.Finding, learner string) cell

type findingField struct {
	typ valueType
	get findingGetter
}

var findingFields = map[string]findingField{
	"kind": {typeText, func(b *book, f *quality.Finding, _ string) cell {
		if k := quality.KindByCode(f.Kind); k != nil {
			return textCell(locale.T(b.lang, k.TitleKey()))
		}
		return textCell(f.Kind)
	}},
	"kind_code": {typeText, func(_ *book, f *quality.Finding, _ string) cell { return textCell(f.Kind) }},
	"learner":   {typeText, func(_ *book, _ *quality.Finding, learner string) cell { return textCell(learner) }},
	"ref":       {typeText, func(_ *book, f *quality.Finding, _ string) cell { return textCell(f.Ref) }},
	"date":      {typeDate, func(_ *book, f *quality.Finding, _ string) cell { return dateCell(f.Date) }},
	"message":   {typeText, func(b *book, f *quality.Finding, _ string) cell { return textCell(f.Message.In(b.lang)) }},
}

// overviewFields are the keys of the overview's table, one row per figure.
var overviewFields = map[string]valueType{
	"code": typeText, "label": typeText, "numerator": typeFigure, "denominator": typeFigure,
	"value": typeFigure, "note": typeText,
}

// headerKeys are the lines the overview's header block can show.
var headerKeys = map[string]valueType{
	"from": typeDate, "to": typeDate, "as_of": typeDate, "provider": typeText,
	"statutory_months": typeNumber, "waiting_list_months": typeNumber, "grace_days": typeNumber,
	"min_hours": typeNumber, "followup_months": typeNumber,
	"suppression": typeText, "generated_at": typeDate, "version": typeText, "definitions_version": typeNumber,
}

// definitionFields are the keys of the definitions sheet.
var definitionFields = map[string]valueType{
	"code": typeText, "label": typeText, "definition": typeText, "numerator": typeText, "denominator": typeText,
}

// keyType returns what column key holds on sheet s, or typeNone for a key
// the sheet's kind does not know. A ".*" key (outflow reasons and
// destinations on an indicator sheet, gains on the cases sheet) is checked
// through one code of its list.
func (l *Layout) keyType(s *Sheet, key string) valueType {
	if prefix, ok := strings.CutSuffix(key, "*"); ok {
		switch {
		case s.Kind == KindIndicator && codeLists[prefix] != nil:
			key = prefix + codeLists[prefix].Codes[0]
		case s.Kind == KindCases && prefix == "gain.":
			key = prefix + domain.SkillCodes[0]
		default:
			return typeNone
		}
	}
	switch s.Kind {
	case KindOverview:
		return overviewFields[key]
	case KindDefinitions:
		return definitionFields[key]
	case KindFigures, KindIndicator, KindSkills, KindWellbeing:
		f, _ := aggKey(s, key)
		return f.typ
	case KindCases:
		f, _ := caseKey(key)
		return f.typ
	case KindFindings:
		return findingFields[key].typ
	}
	return typeNone
}
