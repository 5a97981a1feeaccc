package indicator

import (
	"slices"
	"strconv"
	"strings"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
)

// Sections 7 (wellbeing), 8 (involvement) and 9 (surveys) of
// spec/indicators.md.

// DefinitionsVersion is the version of spec/indicators.md these indicators
// implement ("Definitions version"); every output states it.
const DefinitionsVersion = 2

// Distribution counts cases per point of the five-point scale; its JSON
// lists all five keys "1" … "5".
type Distribution [5]Count

// MarshalJSON writes {"1": n, …, "5": n}.
func (d Distribution) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i := range d {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, '"', ':')
		v, err := d[i].MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// suppressed applies the small-cell rule to every count.
func (d Distribution) suppressed() Distribution {
	for i := range d {
		d[i] = sc(d[i])
	}
	return d
}

// Observed is indicator 7 (wellbeing) or 8 (involvement): the teachers'
// observations of learners, judged by each observed learner's last score.
type Observed struct {
	Observed     Count        `json:"observed"`
	High         Count        `json:"high"`
	Low          Count        `json:"low"`
	Followed     Count        `json:"followed"`
	Improved     Count        `json:"improved"`
	Declined     Count        `json:"declined"`
	Rate         Number       `json:"rate"`
	Mean         Number       `json:"mean"`
	Distribution Distribution `json:"distribution"`
}

// ScoreFigures are the figures of one score of one kind of respondent in
// the surveys (§9).
type ScoreFigures struct {
	Responses    Count        `json:"responses"`
	High         Count        `json:"high"`
	Low          Count        `json:"low"`
	Rate         Number       `json:"rate"`
	Mean         Number       `json:"mean"`
	Distribution Distribution `json:"distribution"`
}

// Survey is indicator 9: every score each kind of respondent can carry.
type Survey struct {
	Learner struct {
		Wellbeing    ScoreFigures `json:"wellbeing"`
		Involvement  ScoreFigures `json:"involvement"`
		Satisfaction ScoreFigures `json:"satisfaction"`
	} `json:"learner"`
	Staff struct {
		Wellbeing   ScoreFigures `json:"wellbeing"`
		Involvement ScoreFigures `json:"involvement"`
	} `json:"staff"`
	Partner struct {
		Satisfaction ScoreFigures `json:"satisfaction"`
	} `json:"partner"`
}

// surveySlots are the (respondent, score) pairs of §9 in JSON order; an
// accumulator keeps one scoreAcc per slot.
var surveySlots = [...]struct{ respondent, score string }{
	{"learner", "wellbeing"}, {"learner", "involvement"}, {"learner", "satisfaction"},
	{"staff", "wellbeing"}, {"staff", "involvement"},
	{"partner", "satisfaction"},
}

// slots returns the figures of each slot of s, in surveySlots order.
func (s *Survey) slots() [len(surveySlots)]*ScoreFigures {
	return [...]*ScoreFigures{&s.Learner.Wellbeing, &s.Learner.Involvement, &s.Learner.Satisfaction,
		&s.Staff.Wellbeing, &s.Staff.Involvement, &s.Partner.Satisfaction}
}

// SurveyScore is one score of one kind of respondent with its figures.
type SurveyScore struct {
	Respondent, Score string // "learner", "satisfaction"
	Figures           *ScoreFigures
}

// Code returns "respondent.score", the score's path under survey in the
// JSON form and its field prefix in Case.Is.
func (s SurveyScore) Code() string { return s.Respondent + "." + s.Score }

// Scores returns the six scores of s in the order of the JSON form.
func (s *Survey) Scores() []SurveyScore {
	out := make([]SurveyScore, len(surveySlots))
	for i, f := range s.slots() {
		out[i] = SurveyScore{Respondent: surveySlots[i].respondent, Score: surveySlots[i].score, Figures: f}
	}
	return out
}

// scoreAcc sums one score over cases: the count, the high and low ones, the
// sum for the mean and the distribution.
type scoreAcc struct {
	n, high, low, sum int
	dist              [5]int
}

func (s *scoreAcc) add(score domain.Score) {
	s.n++
	s.sum += int(score)
	s.dist[score-1]++
	if score.High() {
		s.high++
	}
	if score.Low() {
		s.low++
	}
}

func (s *scoreAcc) distribution() Distribution {
	var d Distribution
	for i, n := range s.dist {
		d[i] = Count{N: n}
	}
	return d
}

// observedAcc sums the observed learners of §7 or §8.
type observedAcc struct {
	last                         scoreAcc
	followed, improved, declined int
}

func (o *observedAcc) figures() Observed {
	return Observed{
		Observed: Count{N: o.last.n}, High: Count{N: o.last.high}, Low: Count{N: o.last.low},
		Followed: Count{N: o.followed}, Improved: Count{N: o.improved}, Declined: Count{N: o.declined},
		Rate: ratio(float64(o.last.high), float64(o.last.n)), Mean: ratio(float64(o.last.sum), float64(o.last.n)),
		Distribution: o.last.distribution(),
	}
}

func (s *scoreAcc) figures() ScoreFigures {
	return ScoreFigures{Responses: Count{N: s.n}, High: Count{N: s.high}, Low: Count{N: s.low},
		Rate: ratio(float64(s.high), float64(s.n)), Mean: ratio(float64(s.sum), float64(s.n)), Distribution: s.distribution()}
}

// scoreEntry is one score of one observation, with what it counts for.
type scoreEntry struct {
	learner int32
	prov    int32
	date    domain.Date
	score   domain.Score
}

// classifyObservations collects the scores of §7 and §8 and the cohort of
// §9 once, for the aggregates and the cases alike: per kind of score the
// scores of the period (with the provider filter, in that provider's groups
// only), sorted by learner, date and lowest score first; and the survey
// responses of the period (and the provider).
func (cb *casebook) classifyObservations() {
	ix := cb.ix
	ds, p := ix.ds, ix.p
	lastGroup, lastProv := "", int32(-1)
	for i := range ds.Observations {
		o := &ds.Observations[i]
		if o.Date < p.From || o.Date > p.To {
			continue
		}
		if o.Group != lastGroup || i == 0 {
			lastProv = -1
			if g, ok := ix.groupIdx[o.Group]; ok {
				lastProv = ix.groups[g].provider
			}
			lastGroup = o.Group
		}
		if !ix.selected(lastProv) {
			continue
		}
		l := ix.learnerIndex(o.Learner, true)
		for k, s := range [2]domain.Score{o.Wellbeing, o.Involvement} {
			if s.Valid() {
				cb.scores[k] = append(cb.scores[k], scoreEntry{learner: l, prov: lastProv, date: o.Date, score: s})
			}
		}
	}
	for k := range cb.scores {
		slices.SortFunc(cb.scores[k], func(a, b scoreEntry) int {
			if a.learner != b.learner {
				return int(a.learner - b.learner)
			}
			if a.date != b.date {
				return int(a.date - b.date)
			}
			return int(a.score - b.score)
		})
	}
	for i := range ds.SurveyResponses {
		r := &ds.SurveyResponses[i]
		if r.Date < p.From || r.Date > p.To {
			continue
		}
		if prov := ix.provider(r.Provider); ix.selected(prov) {
			cb.responses = append(cb.responses, responseCase{resp: int32(i), provider: prov})
		}
	}
}

// responseCase is one survey response of the cohort of §9.
type responseCase struct {
	resp     int32 // index in ds.SurveyResponses
	provider int32
}

// learnerRuns calls fn with each learner's run of es (sorted by learner).
func learnerRuns(es []scoreEntry, fn func(run []scoreEntry)) {
	for i := 0; i < len(es); {
		j := i
		for j < len(es) && es[j].learner == es[i].learner {
			j++
		}
		fn(es[i:j])
		i = j
	}
}

// runProviders returns the providers of the groups a run's scores were
// given in, in order of first appearance, appended to buf.
func runProviders(run []scoreEntry, buf []int32) []int32 {
	for _, e := range run {
		if e.prov >= 0 && !slices.Contains(buf, e.prov) {
			buf = append(buf, e.prov)
		}
	}
	return buf
}

// aggregateWellbeing adds §7 and §8 to the total and the breakdowns: per
// learner the scores of the period, the lowest where several fall on one
// date; the totals and the learner attributes over all of a learner's
// scores, each provider's row over the scores in its groups alone.
func (ag *aggregator) aggregateWellbeing() {
	for k := range ag.cb.scores {
		ag.observe(ag.cb.scores[k], k)
	}
}

// observe sums the learners of es (sorted by learner, date and score) into
// their accumulators: the total and the learner's attributes over all their
// scores, each provider's row over the scores in its groups alone.
func (ag *aggregator) observe(es []scoreEntry, k int) {
	var provs []int32
	learnerRuns(es, func(run []scoreEntry) {
		if first, last, dates := summarize(run, -2); dates > 0 {
			for _, a := range ag.targets(run[0].learner, -1, -1) {
				a.observed[k].add(first, last, dates)
			}
		}
		provs = runProviders(run, provs[:0])
		for _, prov := range provs {
			first, last, dates := summarize(run, prov)
			ag.dims[dimProvider][prov].observed[k].add(first, last, dates)
		}
	})
}

// summarize returns the first and last score of one learner's run (sorted
// by date, the lowest score of a date first) and the number of dates, over
// the entries of provider prov, or all of them when prov is -2.
func summarize(run []scoreEntry, prov int32) (first, last domain.Score, dates int) {
	var lastDate domain.Date
	for _, e := range run {
		if prov != -2 && e.prov != prov {
			continue
		}
		if dates == 0 || e.date != lastDate {
			if dates == 0 {
				first = e.score
			}
			dates++
			lastDate, last = e.date, e.score // the lowest of its date, as it comes first
		}
	}
	return first, last, dates
}

// add counts one observed learner with their first and last score.
func (o *observedAcc) add(first, last domain.Score, dates int) {
	o.last.add(last)
	if dates >= 2 {
		o.followed++
		if last > first {
			o.improved++
		}
		if last < first {
			o.declined++
		}
	}
}

// aggregateSurveys adds §9 to the total and the provider breakdown (surveys
// are broken down by provider only).
func (ag *aggregator) aggregateSurveys() {
	ds := ag.cb.ix.ds
	for _, rc := range ag.cb.responses {
		r := &ds.SurveyResponses[rc.resp]
		for slot, sl := range surveySlots {
			if sl.respondent != r.Respondent {
				continue
			}
			s := r.Score(sl.score)
			if !s.Valid() {
				continue
			}
			ag.total.survey[slot].add(s)
			if rc.provider >= 0 {
				ag.dims[dimProvider][rc.provider].survey[slot].add(s)
			}
		}
	}
}

// observedCase is one observed learner of §7 or §8 from their run of
// scores: the total's figures, and one ScoreScope per provider whose groups
// they were observed in.
func (cb *casebook) observedCase(ind string, run []scoreEntry, keep func(Case, func(*Case))) {
	ix := cb.ix
	l := run[0].learner
	c := cb.base(ind, "", ix.ids[l], l, -1, -1)
	c.First, c.Score, c.Dates = summarize(run, -2)
	c.FirstDate, c.Date = run[0].date, run[len(run)-1].date
	c.Class = scoreClass(c.Score)
	for _, prov := range runProviders(run, nil) {
		s := ScoreScope{Provider: ix.keys[dimProvider].keys[prov]}
		s.First, s.Last, s.Dates = summarize(run, prov)
		for _, e := range run {
			if e.prov == prov {
				if s.FirstDate == 0 {
					s.FirstDate = e.date
				}
				s.Date = e.date
			}
		}
		c.Scopes = append(c.Scopes, s)
		c.Providers = append(c.Providers, s.Provider)
	}
	slices.SortFunc(c.Scopes, func(a, b ScoreScope) int { return strings.Compare(a.Provider, b.Provider) })
	slices.Sort(c.Providers)
	if len(c.Providers) == 1 {
		c.Provider = c.Providers[0]
	}
	keep(c, func(c *Case) {
		if c.Dates == 1 {
			c.Detail = locale.New("explain.observed.one", int(c.Score), c.Date)
			return
		}
		c.Detail = locale.New("explain.observed.several", int(c.Score), c.Date, int(c.First), c.FirstDate, c.Dates)
	})
}

// responseCases are the cases of one survey response of §9: one per score
// it carries that its kind of respondent can give. A response names a
// learner only when it was not anonymous; its comment is never part of it.
func (cb *casebook) responseCases(rc responseCase, keep func(Case, func(*Case))) {
	r := &cb.ix.ds.SurveyResponses[rc.resp]
	for _, sl := range surveySlots {
		if sl.respondent != r.Respondent {
			continue
		}
		s := r.Score(sl.score)
		if !s.Valid() {
			continue
		}
		c := Case{Indicator: IndicatorSurvey, Class: scoreClass(s), Learner: r.Learner, Provider: r.Provider,
			Date: r.Date, Ref: sl.respondent + "." + sl.score, Score: s}
		keep(c, func(c *Case) {
			who := codeText(domain.RespondentKinds.Name, r.Respondent)
			if r.PartnerType != "" {
				who = locale.New("explain.survey.partner", who, codeText(domain.PartnerTypes.Name, r.PartnerType))
			}
			c.Detail = locale.New("explain.survey", who, locale.New("explain.score."+sl.score), int(s), r.Date)
		})
	}
}
