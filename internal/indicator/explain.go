package indicator

import (
	"slices"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// Indicator names, as in the JSON form of spec/indicators.md.
const (
	IndicatorAccess        = "access"
	IndicatorProgress      = "progress"
	IndicatorCertification = "certification"
	IndicatorLearningGain  = "learning_gain"
	IndicatorOutflow       = "outflow"
	IndicatorEffects       = "effects"
	IndicatorWellbeing     = "wellbeing"
	IndicatorInvolvement   = "involvement"
	IndicatorSurvey        = "survey"
)

// IndicatorNames lists the nine indicators in the order of the JSON form.
var IndicatorNames = [...]string{IndicatorAccess, IndicatorProgress, IndicatorCertification,
	IndicatorLearningGain, IndicatorOutflow, IndicatorEffects, IndicatorWellbeing, IndicatorInvolvement, IndicatorSurvey}

// IndicatorKey is the catalogue key of an indicator's name, ind.<name>.
func IndicatorKey(name string) string { return "ind." + name }

var classes = map[string][]string{
	IndicatorAccess:        {"on_time", "late", "waiting_overdue", "waiting_in_term"},
	IndicatorProgress:      {"on_track", "not_on_track"},
	IndicatorCertification: {"certified", "not_certified"},
	IndicatorLearningGain:  {"gained", "assessed_no_gain", "not_assessed"},
	IndicatorOutflow:       {"qualified", "transfer", "early_leaver", "other"},
	IndicatorEffects:       {"positive", "followed_up_not_positive", "not_followed_up"},
	IndicatorWellbeing:     scoreClasses,
	IndicatorInvolvement:   scoreClasses,
	IndicatorSurvey:        scoreClasses,
}

// scoreClasses are the classes of a score on the five-point scale: high
// (4–5), middle (3) and low (1–2), as domain.Score.High and Low draw them.
var scoreClasses = []string{"high", "middle", "low"}

// scoreClass returns the class of score s.
func scoreClass(s domain.Score) string {
	switch {
	case s.High():
		return "high"
	case s.Low():
		return "low"
	}
	return "middle"
}

// observedIndicator reports whether ind is wellbeing or involvement, whose
// cases are observed learners.
func observedIndicator(ind string) bool {
	return ind == IndicatorWellbeing || ind == IndicatorInvolvement
}

// Classes returns the classes a case of indicator can have; each case has
// exactly one. Outflow class "other" holds an outflow type outside the code
// list (it counts in total only) and does not occur in valid data.
func Classes(indicator string) []string { return slices.Clone(classes[indicator]) }

// Case is one case behind the numbers of one indicator: a referral (access),
// an enrollment (progress, certification), a participant (learning gain), an
// outflow (outflow, effects), an observed learner (wellbeing, involvement)
// or one score of a survey response (survey), with its classification.
type Case struct {
	Indicator   string       // access, progress, certification, learning_gain, outflow, effects
	Class       string       // one of Classes(Indicator)
	WaitingList bool         // access: the referral counts in waiting_list
	Learner     string       // learner id
	Provider    string       // the case's key in the provider breakdown; "" = none
	Providers   []string     // learning_gain: every provider the participant counts for (see Case.InBreakdown)
	Date        domain.Date  // referral date, group end date, date of the last end assessment, outflow date
	Ref         string       // group code (progress, certification; access: the group of the start)
	Evidence    domain.Date  // the date that decided the class: start, pass, certificate or follow-up
	Days        *int         // access: on_time days to start; late start - deadline; waiting_overdue as_of - deadline; waiting_in_term deadline - as_of
	DaysToStart *int         // access: start - referral date, for referrals with a start (the median's values)
	Deadline    domain.Date  // access: referral date + statutory_months
	Pending     bool         // progress, certification: not on track (certified) yet, the window for it (group end + grace_days) still open on as_of, and the enrollment not dropped by as_of: "nog lopend", not a failure; the class stays as spec/indicators.md defines it
	Hours       float64      // progress: hours attended; learning_gain: participation hours
	Planned     float64      // progress: the group's planned hours
	Skills      []SkillCase  // learning_gain: all five skills in column order
	Reason      string       // outflow: the early leaver's reason
	Destination string       // outflow: the destination, "" when blank
	Status      string       // effects: the follow-up's status
	Score       domain.Score // wellbeing, involvement: the last score; survey: the response's score
	First       domain.Score // wellbeing, involvement: the first score
	FirstDate   domain.Date  // wellbeing, involvement: the date of the first score
	Dates       int          // wellbeing, involvement: the number of dates with a score
	Scopes      []ScoreScope // wellbeing, involvement: the scores in each provider's groups (see Filter.Scope)
	Attributes  Attributes   // the learner's breakdown keys
	Detail      locale.Text  // a short explanation of the class, in the reader's language (Detail.In); never a free-text note or comment
}

// ScoreScope is an observed learner's scores in the groups of one provider:
// what they count with in that provider's row of the provider breakdown.
type ScoreScope struct {
	Provider        string
	First, Last     domain.Score
	FirstDate, Date domain.Date
	Dates           int
}

// SkillCase is the baseline and end assessment of one skill of a participant.
type SkillCase struct {
	Skill        string
	BaselineDate domain.Date  // 0: no assessment up to to
	Baseline     domain.Level // NoLevel without a baseline
	EndDate      domain.Date  // 0: no end assessment, gain undefined
	End          domain.Level
	Gain         *int // nil when undefined
}

// Attributes are the learner-attribute breakdown keys of a case ("" = left out).
type Attributes struct {
	Gender, LearningRoute, SchoolingLevel, Literacy, CivicStatus, AgeBand string
	TargetLevel                                                           string // progress and certification only
}

// Key returns the case's key in breakdown name (not provider).
func (a *Attributes) Key(name string) string {
	switch name {
	case BreakdownGender:
		return a.Gender
	case BreakdownLearningRoute:
		return a.LearningRoute
	case BreakdownSchoolingLevel:
		return a.SchoolingLevel
	case BreakdownLiteracy:
		return a.Literacy
	case BreakdownCivicStatus:
		return a.CivicStatus
	case BreakdownAgeBand:
		return a.AgeBand
	case BreakdownTargetLevel:
		return a.TargetLevel
	}
	return ""
}

// InBreakdown reports whether the case counts in breakdown name under key.
// A learning-gain participant can count for several providers.
func (c *Case) InBreakdown(name, key string) bool {
	if key == "" {
		return false
	}
	if name == BreakdownProvider {
		if c.Indicator == IndicatorLearningGain || observedIndicator(c.Indicator) {
			return slices.Contains(c.Providers, key)
		}
		return c.Provider == key
	}
	return c.Attributes.Key(name) == key
}

// Is reports whether the case counts in field, a class or a count field of
// its indicator's JSON object, so that every count of a Result has a case
// list: "cohort" (any indicator: all cases), a class, and
//   - access: waiting_list, started (on_time or late), judged (the rate's denominator);
//   - learning_gain: participants, assessed, by_skill.SKILL.assessed, by_skill.SKILL.gained;
//   - outflow: total, reasons.REASON, destinations.DESTINATION;
//   - progress, certification: pending (not yet, the outcome not known on
//     as_of: Case.Pending) and missed (not, and known);
//   - effects: followed_up;
//   - wellbeing, involvement: observed, followed, improved, declined, distribution.N;
//   - survey: R.S.responses, R.S.high, R.S.low, R.S.distribution.N for respondent R and score S.
func (c *Case) Is(field string) bool {
	if field == "" || field == "cohort" || field == c.Class {
		return true
	}
	switch c.Indicator {
	case IndicatorAccess:
		switch field {
		case "waiting_list":
			return c.WaitingList
		case "started":
			return c.Class == "on_time" || c.Class == "late"
		case "judged":
			return c.Class != "waiting_in_term"
		}
	case IndicatorLearningGain:
		switch field {
		case "participants":
			return true
		case "assessed":
			return c.Class != "not_assessed"
		}
		if rest, ok := strings.CutPrefix(field, "by_skill."); ok {
			skill, what, _ := strings.Cut(rest, ".")
			for _, s := range c.Skills {
				if s.Skill == skill && s.Gain != nil {
					return what == "assessed" || (what == "gained" && *s.Gain >= 1)
				}
			}
		}
	case IndicatorOutflow:
		if field == "total" {
			return true
		}
		if r, ok := strings.CutPrefix(field, "reasons."); ok {
			return c.Class == "early_leaver" && c.Reason == r
		}
		if d, ok := strings.CutPrefix(field, "destinations."); ok {
			return c.Destination == d
		}
	case IndicatorEffects:
		return field == "followed_up" && c.Class != "not_followed_up"
	case IndicatorProgress, IndicatorCertification:
		// The outcome not known yet (pending), or known and not reached
		// (missed): the two parts of not_on_track and not_certified.
		switch field {
		case "pending":
			return c.Pending
		case "missed":
			return !c.Pending && (c.Class == "not_on_track" || c.Class == "not_certified")
		}
	case IndicatorWellbeing, IndicatorInvolvement:
		switch field {
		case "observed":
			return true
		case "followed":
			return c.Dates >= 2
		case "improved":
			return c.Dates >= 2 && c.Score > c.First
		case "declined":
			return c.Dates >= 2 && c.Score < c.First
		}
		return isScore(field, c.Score)
	case IndicatorSurvey:
		rest, ok := strings.CutPrefix(field, c.Ref+".")
		if !ok {
			return false
		}
		switch rest {
		case "responses":
			return true
		case "high", "low":
			return rest == c.Class
		}
		return isScore(rest, c.Score)
	}
	return false
}

// isScore reports whether field is "distribution.N" for score s.
func isScore(field string, s domain.Score) bool {
	n, ok := strings.CutPrefix(field, "distribution.")
	return ok && len(n) == 1 && n[0] == byte('0'+s)
}

// Filter selects cases: every non-empty field must match.
type Filter struct {
	Indicator string // an indicator name
	Class     string // a class or count field (see Case.Is)
	Breakdown string // a breakdown name; with Key
	Key       string // the breakdown key
}

// Scope returns case c as the filter sees it. Filtered on one provider, an
// observed learner counts with their scores in that provider's groups alone
// (spec/indicators.md, "Breakdowns"), so their class and figures may differ
// from the total's; Scope returns that view, or false when the learner was
// not observed in the provider's groups. Any other case is c itself.
func (f *Filter) Scope(c *Case) (*Case, bool) {
	if f.Breakdown != BreakdownProvider || !observedIndicator(c.Indicator) {
		return c, true
	}
	for _, s := range c.Scopes {
		if s.Provider == f.Key {
			v := *c
			v.Provider, v.Providers, v.Scopes = s.Provider, []string{s.Provider}, []ScoreScope{s}
			v.Score, v.First, v.FirstDate, v.Date, v.Dates = s.Last, s.First, s.FirstDate, s.Date, s.Dates
			v.Class = scoreClass(s.Last)
			return &v, true
		}
	}
	return nil, false
}

// Match reports whether c, as Scope shows it, passes the filter.
func (f *Filter) Match(c *Case) bool {
	c, ok := f.Scope(c)
	if !ok {
		return false
	}
	if f.Indicator != "" && c.Indicator != f.Indicator {
		return false
	}
	if f.Class != "" && !c.Is(f.Class) {
		return false
	}
	if f.Breakdown != "" && !c.InBreakdown(f.Breakdown, f.Key) {
		return false
	}
	return true
}

// Validate reports an unknown indicator or breakdown name, or a breakdown
// without a key, as a domain.EINVALID error.
func (f *Filter) Validate() error {
	if f.Indicator != "" && !slices.Contains(IndicatorNames[:], f.Indicator) {
		return domain.Errorf(domain.EINVALID, "unknown indicator %q (%s)", f.Indicator, strings.Join(IndicatorNames[:], ", "))
	}
	if f.Breakdown != "" && !slices.Contains(BreakdownNames[:], f.Breakdown) {
		return domain.Errorf(domain.EINVALID, "unknown breakdown %q (%s)", f.Breakdown, strings.Join(BreakdownNames[:], ", "))
	}
	if (f.Breakdown == "") != (f.Key == "") {
		return domain.Errorf(domain.EINVALID, "a breakdown filter needs both a name and a key (name=key)")
	}
	if f.Breakdown == BreakdownTargetLevel && f.Indicator != "" &&
		f.Indicator != IndicatorProgress && f.Indicator != IndicatorCertification {
		return domain.Errorf(domain.EINVALID, "target_level breaks down progress and certification only")
	}
	if f.Breakdown != "" && f.Breakdown != BreakdownProvider && f.Indicator == IndicatorSurvey {
		return domain.Errorf(domain.EINVALID, "surveys are broken down by provider only")
	}
	if f.Class != "" && f.Indicator == "" {
		return domain.Errorf(domain.EINVALID, "a class needs an indicator")
	}
	if f.Class != "" && !knownField(f.Indicator, f.Class) {
		return domain.Errorf(domain.EINVALID, "unknown class %q of %s (%s)", f.Class, f.Indicator, strings.Join(Fields(f.Indicator), ", "))
	}
	return nil
}

// Fields returns the classes and count fields that Case.Is accepts for
// indicator, with SKILL, REASON and DESTINATION standing for a code.
func Fields(indicator string) []string {
	out := append([]string{"cohort"}, classes[indicator]...)
	switch indicator {
	case IndicatorAccess:
		out = append(out, "waiting_list", "started", "judged")
	case IndicatorLearningGain:
		out = append(out, "participants", "assessed", "by_skill.SKILL.assessed", "by_skill.SKILL.gained")
	case IndicatorOutflow:
		out = append(out, "total", "reasons.REASON", "destinations.DESTINATION")
	case IndicatorEffects:
		out = append(out, "followed_up")
	case IndicatorProgress, IndicatorCertification:
		out = append(out, "pending", "missed")
	case IndicatorWellbeing, IndicatorInvolvement:
		out = append(out, "observed", "followed", "improved", "declined", "distribution.N")
	case IndicatorSurvey:
		out = append(out, "R.S.responses", "R.S.high", "R.S.low", "R.S.distribution.N")
	}
	return out
}

// knownField reports whether field is one of Fields(indicator), with a code
// in place of SKILL, REASON or DESTINATION.
func knownField(indicator, field string) bool {
	if slices.Contains(Fields(indicator), field) {
		return true
	}
	switch indicator {
	case IndicatorLearningGain:
		if rest, ok := strings.CutPrefix(field, "by_skill."); ok {
			skill, what, _ := strings.Cut(rest, ".")
			return slices.Contains(domain.SkillCodes[:], skill) && (what == "assessed" || what == "gained")
		}
	case IndicatorOutflow:
		if r, ok := strings.CutPrefix(field, "reasons."); ok {
			return r != ""
		}
		if d, ok := strings.CutPrefix(field, "destinations."); ok {
			return d != ""
		}
	case IndicatorWellbeing, IndicatorInvolvement:
		return knownScore(field)
	case IndicatorSurvey:
		for _, sl := range surveySlots {
			if rest, ok := strings.CutPrefix(field, sl.respondent+"."+sl.score+"."); ok {
				return rest == "responses" || rest == "high" || rest == "low" || knownScore(rest)
			}
		}
	}
	return false
}

// knownScore reports whether field is distribution.1 … distribution.5.
func knownScore(field string) bool {
	n, ok := strings.CutPrefix(field, "distribution.")
	return ok && len(n) == 1 && n[0] >= '1' && n[0] <= '5'
}

// ParseFilter builds a validated Filter from command-line style arguments:
// breakdown is "" or "name=key" (e.g. "provider=CVO-A").
func ParseFilter(indicator, class, breakdown string) (Filter, error) {
	f := Filter{Indicator: indicator, Class: class}
	if breakdown != "" {
		name, key, ok := strings.Cut(breakdown, "=")
		if !ok || name == "" || key == "" {
			return Filter{}, domain.Errorf(domain.EINVALID, "breakdown %q is not name=key (e.g. provider=CVO-A)", breakdown)
		}
		f.Breakdown, f.Key = name, key
	}
	return f, f.Validate()
}

// Explanation lists every case behind every number of Result.
type Explanation struct {
	Result *Result // computed from the same cases
	Cases  []Case  // by indicator (in IndicatorNames order), then learner and date
}

// Filter returns the cases that pass f, as f.Scope shows them.
func (e *Explanation) Filter(f Filter) []Case {
	var out []Case
	for i := range e.Cases {
		if c, ok := f.Scope(&e.Cases[i]); ok && f.Match(c) {
			out = append(out, *c)
		}
	}
	return out
}

// Count returns the number of cases that pass f.
func (e *Explanation) Count(f Filter) int {
	n := 0
	for i := range e.Cases {
		if f.Match(&e.Cases[i]) {
			n++
		}
	}
	return n
}

// Explain classifies every case once and returns both the Result and the
// cases behind it; counting the cases per class reproduces the Result.
func Explain(ds *domain.DataSet, p Params) *Explanation {
	cb := classify(ds, p)
	return &Explanation{Result: cb.aggregate(), Cases: cb.cases(nil)}
}

// Casebook holds the classification of every case of one data set and
// parameters, so a caller that needs the Result and several case lists (the
// workbook) classifies once.
type Casebook struct{ cb *casebook }

// Classify classifies every case of ds under p once.
func Classify(ds *domain.DataSet, p Params) *Casebook { return &Casebook{cb: classify(ds, p)} }

// Result aggregates the classified cases into the indicators, as Compute does.
func (c *Casebook) Result() *Result { return c.cb.aggregate() }

// Cases returns the cases that pass f, as ExplainFilter does.
func (c *Casebook) Cases(f Filter) []Case { return c.cb.cases(&f) }

// ExplainFilter returns only the cases that pass f, without building the
// others; for drill-downs on large data sets.
func ExplainFilter(ds *domain.DataSet, p Params, f Filter) []Case {
	return classify(ds, p).cases(&f)
}

// cases turns the classified cases into Case values, keeping those that pass f.
func (cb *casebook) cases(f *Filter) []Case {
	var out []Case
	keep := func(c Case, detail func(*Case)) {
		if f != nil {
			s, ok := f.Scope(&c)
			if !ok || !f.Match(s) {
				return
			}
			c = *s
		}
		detail(&c)
		out = append(out, c)
	}
	want := func(ind string) bool { return f == nil || f.Indicator == "" || f.Indicator == ind }
	start := 0
	sortFrom := func() {
		slices.SortStableFunc(out[start:], func(a, b Case) int {
			if c := strings.Compare(a.Learner, b.Learner); c != 0 {
				return c
			}
			if a.Date != b.Date {
				return int(a.Date - b.Date)
			}
			return strings.Compare(a.Ref, b.Ref)
		})
		start = len(out)
	}
	if want(IndicatorAccess) {
		for i := range cb.access {
			cb.accessCase(&cb.access[i], keep)
		}
	}
	sortFrom()
	for _, ind := range []string{IndicatorProgress, IndicatorCertification} {
		if want(ind) {
			for i := range cb.progress {
				cb.progressCase(ind, &cb.progress[i], keep)
			}
		}
		sortFrom()
	}
	if want(IndicatorLearningGain) {
		for i := range cb.gain {
			cb.gainCase(&cb.gain[i], keep)
		}
	}
	sortFrom()
	for _, ind := range []string{IndicatorOutflow, IndicatorEffects} {
		if want(ind) {
			for i := range cb.outflow {
				cb.outflowCase(ind, &cb.outflow[i], keep)
			}
		}
		sortFrom()
	}
	for k, ind := range []string{IndicatorWellbeing, IndicatorInvolvement} {
		if want(ind) {
			learnerRuns(cb.scores[k], func(run []scoreEntry) { cb.observedCase(ind, run, keep) })
		}
		sortFrom()
	}
	if want(IndicatorSurvey) {
		for _, rc := range cb.responses {
			cb.responseCases(rc, keep)
		}
	}
	sortFrom()
	return out
}

// base returns a Case with the fields every indicator shares.
func (cb *casebook) base(ind, class, learnerID string, l, prov, target int32) Case {
	ix := cb.ix
	c := Case{Indicator: ind, Class: class, Learner: learnerID}
	if prov >= 0 {
		c.Provider = ix.keys[dimProvider].keys[prov]
	}
	a := ix.attrs(l)
	key := func(d int) string {
		if k := a[d-dimGender]; k >= 0 {
			return ix.keys[d].keys[k]
		}
		return ""
	}
	c.Attributes = Attributes{Gender: key(dimGender), LearningRoute: key(dimLearningRoute),
		SchoolingLevel: key(dimSchoolingLevel), Literacy: key(dimLiteracy), CivicStatus: key(dimCivicStatus),
		AgeBand: key(dimAgeBand)}
	if target >= 0 {
		c.Attributes.TargetLevel = ix.keys[dimTargetLevel].keys[target]
	}
	return c
}

func intp(v int) *int { return &v }

// days is a number of days as a text: "1 dag", "3 dagen".
func days(n int) locale.Text { return locale.New("explain.days", n) }

// codeText is the label of code in the code list named list, as an
// argument of a Text: the catalogue's label, or the code itself when the
// catalogue does not know it (as locale.Code shows it).
func codeText(list, code string) any {
	if key := locale.CodeKey(list, code); locale.Has(key) {
		return locale.New(key)
	}
	return code
}

func (cb *casebook) accessCase(ac *accessCase, keep func(Case, func(*Case))) {
	ix, p := cb.ix, cb.ix.p
	r := &ix.ds.Referrals[ac.ref]
	class := classes[IndicatorAccess][ac.class]
	c := cb.base(IndicatorAccess, class, r.Learner, ac.learner, ac.provider, -1)
	c.Date, c.Deadline, c.WaitingList, c.Evidence = r.Date, ac.deadline, ac.waitingList, ac.start
	if ac.startEnr >= 0 {
		c.Ref = ix.ds.Enrollments[ac.startEnr].Group
		c.DaysToStart = intp(int(ac.start - r.Date))
	}
	switch ac.class {
	case accessOnTime:
		c.Days = intp(int(ac.start - r.Date))
	case accessLate:
		c.Days = intp(int(ac.start - ac.deadline))
	case accessWaitingOverdue:
		c.Days = intp(int(p.AsOf - ac.deadline))
	case accessWaitingInTerm:
		c.Days = intp(int(ac.deadline - p.AsOf))
	}
	keep(c, func(c *Case) {
		switch ac.class {
		case accessOnTime:
			c.Detail = locale.New("explain.access.on_time", ac.start, c.Ref, days(*c.Days), ac.deadline)
		case accessLate:
			c.Detail = locale.New("explain.access.late", ac.start, c.Ref, days(*c.Days), ac.deadline)
		case accessWaitingOverdue:
			c.Detail = locale.New("explain.access.waiting_overdue", p.AsOf, ac.deadline, days(*c.Days))
		case accessWaitingInTerm:
			c.Detail = locale.New("explain.access.waiting_in_term", p.AsOf, ac.deadline)
		}
		if ac.waitingList {
			c.Detail = locale.Join([]locale.Text{c.Detail, locale.New("explain.access.waiting_list", p.WaitingListMonths)})
		}
	})
}

func (cb *casebook) progressCase(ind string, pc *progressCase, keep func(Case, func(*Case))) {
	ix, p := cb.ix, cb.ix.p
	e := &ix.ds.Enrollments[pc.enr]
	gi := &ix.groups[pc.group]
	var class string
	if ind == IndicatorProgress {
		class = "not_on_track"
		if pc.pass >= 0 {
			class = "on_track"
		}
	} else {
		class = "not_certified"
		if pc.cert >= 0 {
			class = "certified"
		}
	}
	c := cb.base(ind, class, e.Learner, pc.learner, pc.provider, pc.target)
	c.Date, c.Ref = gi.end, e.Group
	c.Pending = ind == IndicatorProgress && pc.pendingPass() || ind == IndicatorCertification && pc.pendingCert()
	c.Hours, c.Planned = e.HoursAttended, float64(gi.planned)
	if ind == IndicatorProgress && pc.pass >= 0 {
		c.Evidence = ix.ds.Evaluations[pc.pass].Date
	}
	if ind == IndicatorCertification && pc.cert >= 0 {
		c.Evidence = ix.ds.Certificates[pc.cert].Date
	}
	keep(c, func(c *Case) {
		last := gi.end.AddDays(p.GraceDays)
		var what locale.Text
		switch {
		case ind == IndicatorProgress && pc.pass >= 0:
			what = locale.New("explain.progress.on_track", c.Evidence, e.StartDate, last)
		case ind == IndicatorProgress:
			what = locale.New("explain.progress.not_on_track", e.StartDate, last)
		case pc.cert >= 0:
			ct := &ix.ds.Certificates[pc.cert]
			what = locale.New("explain.certification.certified", ct.Number, ct.Module, ct.Date, e.StartDate, last)
		default:
			what = locale.New("explain.certification.not_certified", gi.module, e.StartDate, last)
		}
		c.Detail = locale.New("explain.enrollment", what, codeText(domain.EnrollmentStatuses.Name, e.Status),
			locale.Decimal(e.HoursAttended), gi.planned)
	})
}

func (cb *casebook) gainCase(gc *gainCase, keep func(Case, func(*Case))) {
	ix := cb.ix
	class := "not_assessed"
	switch {
	case gc.gained():
		class = "gained"
	case gc.assessed():
		class = "assessed_no_gain"
	}
	c := cb.base(IndicatorLearningGain, class, ix.ids[gc.learner], gc.learner, -1, -1)
	c.Hours = gc.hours
	provs := cb.gainProv[gc.provOff : gc.provOff+gc.provN]
	if gc.allProviders {
		provs = make([]int32, cb.nGainProv)
		for i := range provs {
			provs[i] = int32(i)
		}
	}
	for _, prov := range provs {
		c.Providers = append(c.Providers, ix.keys[dimProvider].keys[prov])
	}
	if len(c.Providers) == 1 {
		c.Provider = c.Providers[0]
	}
	c.Skills = make([]SkillCase, domain.NumSkills)
	for k := range gc.skills {
		s := &gc.skills[k]
		sc := SkillCase{Skill: domain.SkillCodes[k], BaselineDate: s.baseDate, Baseline: s.base, EndDate: s.endDate, End: s.end}
		if s.defined() {
			sc.Gain = intp(s.gain())
			c.Date = max(c.Date, s.endDate)
		}
		c.Skills[k] = sc
	}
	keep(c, func(c *Case) {
		parts := make([]locale.Text, 0, domain.NumSkills)
		for k, s := range c.Skills {
			label := locale.New(domain.Skill(k).Key())
			switch {
			case s.Gain != nil:
				parts = append(parts, locale.New("explain.gain.skill", label, s.Baseline, s.BaselineDate, s.End, s.EndDate, *s.Gain))
			case s.BaselineDate != 0:
				parts = append(parts, locale.New("explain.gain.baseline_only", label, s.Baseline, s.BaselineDate))
			default:
				parts = append(parts, locale.New("explain.gain.not_assessed", label))
			}
		}
		c.Detail = locale.New("explain.gain", locale.Decimal(c.Hours), locale.Join(parts))
	})
}

func (cb *casebook) outflowCase(ind string, oc *outflowCase, keep func(Case, func(*Case))) {
	ix, p := cb.ix, cb.ix.p
	o := &ix.ds.Outflows[oc.out]
	var class string
	if ind == IndicatorOutflow {
		class = "other"
		if oc.typ >= 0 {
			class = classes[IndicatorOutflow][oc.typ]
		}
	} else {
		switch {
		case oc.followUp < 0:
			class = "not_followed_up"
		case oc.positive:
			class = "positive"
		default:
			class = "followed_up_not_positive"
		}
	}
	c := cb.base(ind, class, o.Learner, oc.learner, oc.provider, -1)
	c.Date = o.Date
	if oc.reason >= 0 {
		c.Reason = cb.reasons.keys[oc.reason]
	}
	c.Destination = o.Destination
	if ind == IndicatorEffects && oc.followUp >= 0 {
		f := &ix.ds.FollowUps[oc.followUp]
		c.Evidence, c.Status = f.Date, f.Status
	}
	keep(c, func(c *Case) {
		if ind == IndicatorOutflow {
			c.Detail = locale.New("explain.outflow", codeText(domain.OutflowTypes.Name, o.Type))
			if o.Reason != "" {
				c.Detail = locale.New("explain.outflow.reason", c.Detail, codeText(domain.OutflowReasons.Name, o.Reason))
			}
			if o.Destination != "" {
				c.Detail = locale.New("explain.outflow.destination", c.Detail, codeText(domain.Destinations.Name, o.Destination))
			}
			return
		}
		last := ix.addMonths(o.Date, p.FollowupMonths)
		if p.AsOf < last {
			last = p.AsOf
		}
		if oc.followUp >= 0 {
			c.Detail = locale.New("explain.effects.followed_up", c.Evidence, codeText(domain.FollowUpStatuses.Name, c.Status), o.Date.AddDays(1), last)
		} else {
			c.Detail = locale.New("explain.effects.not_followed_up", o.Date.AddDays(1), last)
		}
	})
}

// CaseLearners lists the learner of each case, in order (for
// auth.CaseVisibility).
func CaseLearners(cases []Case) []string {
	out := make([]string, len(cases))
	for i := range cases {
		out[i] = cases[i].Learner
	}
	return out
}
