package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The coordinator's dashboard: the six indicators of spec/indicators.md for
// a period and a provider, each against the same period a year earlier,
// with breakdown tables and charts. Every count and rate links to the list
// of cases behind it (drilldown.go). Small cells are suppressed unless the
// user may, and asks to, see exact numbers.

// indicatorRoutes registers the dashboard and its drill-downs on a, the
// signed-in pages.
func (s *Handler) indicatorRoutes(a *gin.RouterGroup) {
	a.GET("/dashboard", s.Require(auth.ViewIndicators), s.dashboard)
	a.GET("/dashboard/cases", s.Require(auth.ViewIndicators), s.drilldown)
	a.GET("/dashboard/cases.xlsx", s.Require(auth.ViewIndicators), s.drilldownWorkbook)
}

// scopedData takes the cached data set, restricts the query's provider to
// what the user may see and checks the switch to exact numbers; the
// dashboard and its drill-down share it. allow says whether exact numbers
// may be shown at all.
func (s *Handler) scopedData(c *gin.Context, q *core.IndicatorQuery, tm *cache.Timing) (e *cache.Snapshot, exact, allow bool, err error) {
	u := core.CurrentUser(c)
	if e, err = s.cache.Snapshot(c.Request.Context(), tm); err != nil {
		return nil, false, false, err
	}
	if q.Params.Provider, err = auth.IndicatorProvider(u, q.Params.Provider, e.HasProvider, true); err != nil {
		return nil, false, false, err
	}
	allow = auth.MaySeeExact(u, q.Params.Provider)
	exact = c.Query("exact") == "1"
	if exact && !allow {
		return nil, false, false, domain.Errorf(domain.EFORBIDDEN, "exact numbers are for the provider's own coordinators")
	}
	return e, exact, allow, nil
}

// dashboardView is the dashboard page.
type dashboardView struct {
	Period       string
	Periods      []choice
	From, To     string
	AsOf         string
	Providers    []choice
	AllProviders bool   // admins may choose all providers together
	Provider     string // the provider chosen, "" for all
	Params       []paramField
	Exact        bool
	AllowExact   bool
	Scope        string // the period, as of and provider in words
	PrevScope    string
	// DefinitionsVersion is the version of spec/indicators.md the figures
	// follow; every output states it.
	DefinitionsVersion int
	Tiles              []dashTile
	Charts             []dashChart
	Skills             []skillRow
	Reasons            []countRow
	Destinations       []countRow
	Breakdowns         []dashBreakdown
}

// paramField is one of the optional parameters in the form.
type paramField struct {
	Name, Label, Value, Step string
}

// dashTile is one indicator: its headline figure and the others.
type dashTile struct {
	Indicator string
	Label     string
	Main      dashFigure
	More      []dashFigure
	Cohort    classCount   // all cases
	Classes   []classCount // the cases per class
}

// classCount is the number of cases of one class (or all of them).
type classCount struct {
	Label string
	Count dashNumber
}

// dashFigure is one figure with its numbers and the change against the year before.
type dashFigure struct {
	Code, Label        string
	NumLabel, DenLabel string
	NumTitle, DenTitle string // "teller: …", "noemer: …"
	Value, Num, Den    dashNumber
	HasNum             bool
	Prev               string // the value a year earlier, as shown
	PrevText           string // "vorig jaar …"
	Delta              string // the change, e.g. "+2,1 pp"; "" when either value is not shown
	Trend              string // up, down or same
	Judgement          string // better, worse or neutral
	DeltaLabel         string // the change in words, for screen readers
}

// dashNumber is one number as the page shows it, with the list behind it.
type dashNumber struct {
	Text  string
	Href  string // the drill-down; "" when the number is no link
	Count string // the size of the list behind a count link (data-count)
	Ind   string // data-ind: the indicator
	Field string // data-field: the field of the indicator's JSON object, or judged, started, pairs…
	Key   string // data-key: "" for the total, else name=key of a breakdown
	Value string // data-value: the exact value; "" when it is not shown
	Small bool   // hidden by the small-cell rule (indicator.SmallCount, SmallDenominator): styled as such
}

// dashBreakdown is the table of one breakdown.
type dashBreakdown struct {
	Name, Label string
	Heads       []string
	Rows        []dashRow
}

// dashRow is one key of a breakdown.
type dashRow struct {
	Key, Label string
	Cells      []dashFigure
}

// skillRow is the learning gain of one skill.
type skillRow struct {
	Label                      string
	Assessed, Gained, MeanGain dashNumber
}

// countRow is one outflow reason or destination.
type countRow struct {
	Label string
	Count dashNumber
}

// dashChart is one chart: app.js draws Spec (JSON) on a canvas.
type dashChart struct {
	ID, Title, Aria, Spec string
}

// chartSpec is what app.js reads from a chart's data-dashboard-chart.
type chartSpec struct {
	Unit   string        `json:"unit"` // percent, steps or count
	Labels []string      `json:"labels"`
	Sets   []chartSeries `json:"datasets"`
}

// chartSeries is one series of bars; a null value is not shown.
type chartSeries struct {
	Label string     `json:"label"`
	Ind   string     `json:"ind"`            // the indicator it shows: its colour on every chart (app.js)
	Prev  bool       `json:"prev,omitempty"` // a year earlier: the indicator's colour, lighter
	Data  []*float64 `json:"data"`
	Links []string   `json:"links"`
}

// dashboard shows the dashboard.
func (s *Handler) dashboard(c *gin.Context) {
	tm := &cache.Timing{}
	u := core.CurrentUser(c)
	ctx := c.Request.Context()
	q, err := core.ParseIndicatorQuery(c.Request.URL.Query(), domain.DateOf(s.Now()), true)
	if err != nil {
		s.Fail(c, err)
		return
	}
	e, exact, allow, err := s.scopedData(c, &q, tm)
	if err != nil {
		s.Fail(c, err)
		return
	}
	lang := core.Lang(c)
	key := bodyKey{Page: "dashboard", Params: q.Params, Period: q.Period, Exact: exact, Lang: lang, Scope: userScope(u)}
	body, err := s.pages.Body(ctx, e, key, tm, func(e *cache.Snapshot, tm *cache.Timing) ([]byte, error) {
		// Computations run to the end even when the asker leaves: others wait for them.
		ctx, cancel := context.WithTimeout(context.Background(), cache.LoadTimeout)
		defer cancel()
		cur, err := e.Result(ctx, q.Params, tm)
		if err != nil {
			return nil, err
		}
		prev, err := e.Result(ctx, core.PreviousYear(q.Params), tm)
		if err != nil {
			return nil, err
		}
		return s.renderBody("dashboard", lang, newDashboardView(lang, u, e, q, cur, prev, exact, allow))
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Server-Timing", tm.Header())
	s.renderCached(c, http.StatusOK, "dashboard", body)
}

// pageBody is a page whose content block was rendered (and cached) before:
// the page's own "content" prints it as it is.
type pageBody struct {
	Body template.HTML
}

// renderBody renders the block page+"-body" of page with data, in lang:
// the page without the layout.
func (s *Handler) renderBody(page, lang string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.Pages.Execute(&buf, page, page+"-body", &core.View{Lang: lang, Data: data}); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}

// userScope is what of a user decides a page body beyond its query: the
// role and the providers (the choices of provider, and whose learners link).
func userScope(u *domain.User) string { return string(u.Role) + ":" + strings.Join(u.Providers, ",") }

// newDashboardView builds the page from the current and previous Results.
func newDashboardView(lang string, u *domain.User, e *cache.Snapshot, q core.IndicatorQuery, cur, prev *cache.Computed, exact, allow bool) *dashboardView {
	p := q.Params
	v := &dashboardView{Period: q.Period, From: p.From.String(), To: p.To.String(), AsOf: p.AsOf.String(),
		Exact: exact, AllowExact: allow, AllProviders: u.Role == domain.RoleAdmin, Provider: p.Provider}
	for _, pc := range core.PeriodChoices {
		v.Periods = append(v.Periods, choice{Value: pc, Label: locale.T(lang, "dash.period."+pc), Selected: pc == q.Period})
	}
	if u.Role == domain.RoleAdmin {
		for _, pr := range e.DataSet().Providers {
			v.Providers = append(v.Providers, choice{Value: pr.Code, Label: pr.Code + " – " + pr.Name, Selected: pr.Code == p.Provider})
		}
		slices.SortFunc(v.Providers, func(a, b choice) int { return compareStrings(a.Value, b.Value) })
	} else {
		for _, code := range u.Providers {
			v.Providers = append(v.Providers, choice{Value: code, Label: code + " – " + e.ProviderName(code), Selected: code == p.Provider})
		}
	}
	v.Params = []paramField{
		{"statutory_months", locale.T(lang, "dash.param.statutory_months"), strconv.Itoa(p.StatutoryMonths), "1"},
		{"waiting_list_months", locale.T(lang, "dash.param.waiting_list_months"), strconv.Itoa(p.WaitingListMonths), "1"},
		{"grace_days", locale.T(lang, "dash.param.grace_days"), strconv.Itoa(p.GraceDays), "1"},
		{"min_hours", locale.T(lang, "dash.param.min_hours"), strconv.FormatFloat(p.MinHours, 'f', -1, 64), "any"},
		{"followup_months", locale.T(lang, "dash.param.followup_months"), strconv.Itoa(p.FollowupMonths), "1"},
	}
	prov := locale.T(lang, "dash.allproviders")
	if p.Provider != "" {
		prov = p.Provider + " – " + e.ProviderName(p.Provider)
	}
	pp := core.PreviousYear(p)
	v.Scope = locale.T(lang, "dash.scope", p.From, p.To, p.AsOf, prov)
	v.PrevScope = locale.T(lang, "dash.prevscope", pp.From, pp.To, pp.AsOf)
	v.DefinitionsVersion = indicator.DefinitionsVersion

	res, before := cur.Suppressed, prev.Suppressed
	if exact {
		res, before = cur.Result, prev.Result
	}
	scope := core.ScopeValues(p)
	if exact {
		scope.Set("exact", "1")
	}
	b := &numBuilder{nf: numberFormat{lang}, lang: lang, scope: scope, exact: exact}

	// Tiles: one per indicator, its headline figure first.
	figs := res.Figures()
	prevFigs := before.Figures()
	b.in, b.key = &cur.Result.Indicators, ""
	for _, name := range indicator.IndicatorNames {
		t := dashTile{Indicator: name, Label: indicatorLabel(lang, name)}
		for j, f := range figs {
			if f.Indicator != name {
				continue
			}
			df := b.figure(f, &prevFigs[j])
			if f.Code == headline[name] {
				t.Main = df
			} else {
				t.More = append(t.More, df)
			}
		}
		t.Cohort = classCount{Label: fieldLabel(lang, name, tileCohort(name)), Count: b.cases(name, tileCohort(name))}
		for _, class := range tileClasses(name) {
			if n, _ := b.in.CaseCount(name, class); n == 0 && class == "other" {
				continue // an outflow type outside the code list: not in valid data
			}
			t.Classes = append(t.Classes, classCount{Label: fieldLabel(lang, name, class), Count: b.cases(name, class)})
		}
		v.Tiles = append(v.Tiles, t)
	}

	// Learning gain per skill, outflow reasons and destinations.
	g := &res.Indicators.LearningGain
	for k := range g.BySkill {
		sg := &g.BySkill[k]
		code := domain.SkillCodes[k]
		v.Skills = append(v.Skills, skillRow{Label: locale.Skill(lang, domain.Skill(k)),
			Assessed: b.count(indicator.IndicatorLearningGain, "by_skill."+code+".assessed", sg.Assessed),
			Gained:   b.count(indicator.IndicatorLearningGain, "by_skill."+code+".gained", sg.Gained),
			MeanGain: b.number(indicator.IndicatorLearningGain, "by_skill."+code+".mean_gain", sg.MeanGain, indicator.KindMean, "by_skill."+code+".assessed")})
	}
	o := &res.Indicators.Outflow
	for _, r := range sortedCodes(o.Reasons, domain.OutflowReasons) {
		v.Reasons = append(v.Reasons, countRow{Label: locale.Code(lang, domain.OutflowReasons.Name, r),
			Count: b.count(indicator.IndicatorOutflow, "reasons."+r, o.Reasons[r])})
	}
	for _, d := range sortedCodes(o.Destinations, domain.Destinations) {
		v.Destinations = append(v.Destinations, countRow{Label: locale.Code(lang, domain.Destinations.Name, d),
			Count: b.count(indicator.IndicatorOutflow, "destinations."+d, o.Destinations[d])})
	}

	// Breakdown tables.
	exactB := cur.Result.Breakdowns.All()
	for i, bd := range res.Breakdowns.All() {
		if len(bd.Rows) == 0 {
			continue
		}
		t := dashBreakdown{Name: bd.Name, Label: breakdownLabel(lang, bd.Name)}
		for j := range bd.Rows {
			key := bd.Rows[j].Key
			b.in, b.key = &exactB[i].Rows[j].Indicators, bd.Name+"="+key
			row := dashRow{Key: key, Label: breakdownKeyLabel(lang, bd.Name, key)}
			for _, f := range bd.Figures(j) {
				row.Cells = append(row.Cells, b.figure(f, nil))
			}
			t.Rows = append(t.Rows, row)
		}
		for _, f := range bd.Figures(0) {
			t.Heads = append(t.Heads, figureText(lang, f.Code, "short"))
		}
		v.Breakdowns = append(v.Breakdowns, t)
	}

	// Charts.
	b.in, b.key = &cur.Result.Indicators, ""
	v.Charts = append(v.Charts, b.rateChart("chart-provider", locale.T(lang, "dash.chart.provider"), res, cur.Result, indicator.BreakdownProvider))
	v.Charts = append(v.Charts, b.rateChart("chart-route", locale.T(lang, "dash.chart.route"), res, cur.Result, indicator.BreakdownLearningRoute))
	v.Charts = append(v.Charts, b.skillChart(g))
	v.Charts = append(v.Charts, b.reasonChart(o))
	in, was := &res.Indicators, &before.Indicators
	v.Charts = append(v.Charts,
		b.distChart("chart-wellbeing", indicator.IndicatorWellbeing, "", in.Wellbeing.Distribution, was.Wellbeing.Distribution),
		b.distChart("chart-involvement", indicator.IndicatorInvolvement, "", in.Involvement.Distribution, was.Involvement.Distribution),
		b.distChart("chart-satisfaction", indicator.IndicatorSurvey, "learner.satisfaction.",
			in.Survey.Learner.Satisfaction.Distribution, was.Survey.Learner.Satisfaction.Distribution))
	v.Charts = slices.DeleteFunc(v.Charts, func(ch dashChart) bool { return ch.Spec == "" })
	return v
}

// numBuilder makes the dashboard's numbers and their links for the total
// (key "") or one breakdown key.
type numBuilder struct {
	nf    numberFormat
	lang  string
	scope url.Values // the query of the page's drill-downs
	exact bool
	in    *indicator.Indicators // the exact counts of the total or key: the sizes of the lists
	key   string                // "" or name=key
}

// link returns the drill-down of the cases of ind that pass field, or ""
// when the list would reveal a small cell the page hides.
func (b *numBuilder) link(ind, field string) string {
	n, ok := b.in.CaseCount(ind, field)
	if !ok || (!b.exact && indicator.SmallCount(n)) {
		return ""
	}
	q := url.Values{}
	for k, vs := range b.scope {
		q[k] = vs
	}
	q.Set("indicator", ind)
	q.Set("class", field)
	if b.key != "" {
		q.Set("breakdown", b.key)
	}
	return "/dashboard/cases?" + q.Encode()
}

// count is a count of cases of ind that pass field, linked to them.
func (b *numBuilder) count(ind, field string, c indicator.Count) dashNumber {
	d := dashNumber{Text: c.String(), Ind: ind, Field: field, Key: b.key, Small: c.Suppressed}
	if c.Suppressed {
		return d
	}
	d.Text, d.Value = b.nf.count(c.N), strconv.Itoa(c.N)
	if d.Href = b.link(ind, field); d.Href != "" {
		d.Count = d.Value
	}
	return d
}

// cases is the number of cases of ind that pass field, read from the
// exact counts and suppressed like a count of the Result.
func (b *numBuilder) cases(ind, field string) dashNumber {
	n, _ := b.in.CaseCount(ind, field)
	return b.count(ind, field, indicator.Count{N: n, Suppressed: !b.exact && indicator.SmallCount(n)})
}

// number is a rate or mean, linked to the cases of list behind it.
func (b *numBuilder) number(ind, field string, n indicator.Number, kind indicator.Kind, list string) dashNumber {
	a := indicator.Amount{Value: n.Value, Valid: n.Valid, Suppressed: n.Suppressed}
	d := dashNumber{Text: b.nf.amount(a, kind), Ind: ind, Field: field, Key: b.key, Small: a.Valid && a.Suppressed}
	if a.Shown() {
		d.Value = exactText(a.Value)
		d.Href = b.link(ind, list)
	}
	return d
}

// amount is one number of figure f as shown, linked to list when there is
// one; plain numbers (numerators, denominators) read as counts or hours,
// not in the figure's unit, and a plain count's link carries its size.
func (b *numBuilder) amount(f *indicator.Figure, a indicator.Amount, field, list string, plain bool) dashNumber {
	d := dashNumber{Text: b.nf.amount(a, f.Kind), Ind: f.Indicator, Field: field, Key: b.key, Small: a.Valid && a.Suppressed}
	if plain {
		d.Text = b.nf.amount(a, indicator.KindCount)
	}
	if !a.Shown() {
		return d
	}
	d.Value = exactText(a.Value)
	if list == "" {
		return d
	}
	if d.Href = b.link(f.Indicator, list); d.Href != "" && plain && a.Count {
		d.Count = strconv.Itoa(int(a.Value))
	}
	return d
}

// figure is figure f with its numerator, denominator and value, and its
// change against prev (nil: no comparison).
func (b *numBuilder) figure(f indicator.Figure, prev *indicator.Figure) dashFigure {
	parts := figureFields[f.Code]
	df := dashFigure{Code: f.Code, Label: figureText(b.lang, f.Code, "label"),
		NumLabel: figureText(b.lang, f.Code, "num"), DenLabel: figureText(b.lang, f.Code, "den"), HasNum: parts.num != ""}
	df.NumTitle = locale.T(b.lang, "dash.num") + ": " + df.NumLabel
	df.DenTitle = locale.T(b.lang, "dash.den") + ": " + df.DenLabel
	numList, denList := "", ""
	if parts.num == parts.numList {
		numList = parts.numList
	}
	if parts.den == parts.denList {
		denList = parts.denList
	}
	df.Num = b.amount(&f, f.Numerator, parts.num, numList, true)
	df.Den = b.amount(&f, f.Denominator, parts.den, denList, true)
	if parts.valIsCount {
		df.Value = b.amount(&f, f.Value, parts.val, parts.numList, true)
	} else {
		df.Value = b.amount(&f, f.Value, parts.val, parts.denList, false)
	}
	if prev == nil {
		return df
	}
	df.Prev = b.nf.amount(prev.Value, f.Kind)
	if df.Prev != "" {
		df.PrevText = locale.T(b.lang, "dash.prev", df.Prev)
	}
	if !f.Value.Shown() || !prev.Value.Shown() {
		return df
	}
	d := f.Value.Value - prev.Value.Value
	df.Delta = b.nf.delta(d, f.Kind)
	tiny := 1e-9
	if f.Kind == indicator.KindRate {
		tiny = 0.0005 // under 0,05 percentage point: shown as +0,0 pp
	}
	switch {
	case math.Abs(d) < tiny:
		df.Trend, df.Judgement = "same", "neutral"
	case (d > 0) != parts.lowerIsBetter:
		df.Trend, df.Judgement = map[bool]string{true: "up", false: "down"}[d > 0], "better"
	default:
		df.Trend, df.Judgement = map[bool]string{true: "up", false: "down"}[d > 0], "worse"
	}
	df.DeltaLabel = locale.T(b.lang, "dash.delta."+df.Trend, df.Delta, df.Prev)
	return df
}

// rateChart is the headline rates of every indicator per key of breakdown
// name: grouped bars, each linked to the cases behind it.
func (b *numBuilder) rateChart(id, title string, res, exactRes *indicator.Result, name string) dashChart {
	bd, xb := res.Breakdowns.ByName(name), exactRes.Breakdowns.ByName(name)
	if bd == nil || len(bd.Rows) == 0 {
		return dashChart{}
	}
	spec := chartSpec{Unit: "percent"}
	for j := range bd.Rows {
		spec.Labels = append(spec.Labels, breakdownKeyLabel(b.lang, name, bd.Rows[j].Key))
	}
	for _, ind := range indicator.IndicatorNames {
		if !bd.Holds(ind) {
			continue // surveys are broken down by provider only
		}
		code := headline[ind]
		s := chartSeries{Label: indicatorLabel(b.lang, ind), Ind: ind}
		for j := range bd.Rows {
			b.in, b.key = &xb.Rows[j].Indicators, name+"="+bd.Rows[j].Key
			var val *float64
			link := ""
			for _, f := range bd.Rows[j].Indicators.Figures() {
				if f.Code == code && f.Value.Shown() {
					x := math.Round(f.Value.Value*1000) / 10
					val = &x
					link = b.link(ind, figureFields[code].denList)
				}
			}
			s.Data = append(s.Data, val)
			s.Links = append(s.Links, link)
		}
		spec.Sets = append(spec.Sets, s)
	}
	b.in, b.key = &exactRes.Indicators, ""
	return dashChart{ID: id, Title: title, Aria: locale.T(b.lang, "dash.chart.aria", title), Spec: chartJSON(spec)}
}

// distChart is the distribution of one score over the five points of the
// scale (wellbeing, involvement: the observed learners by their last score;
// the surveys: the answers), this period beside a year earlier. A bar of
// this period links to the cases behind it; prefix is the survey score's
// field prefix ("learner.satisfaction."), "" for an observed score.
func (b *numBuilder) distChart(id, ind, prefix string, cur, prev indicator.Distribution) dashChart {
	spec := chartSpec{Unit: "count"}
	now := chartSeries{Label: locale.T(b.lang, "dash.chart.dist.now"), Ind: ind}
	then := chartSeries{Label: locale.T(b.lang, "dash.chart.dist.prev"), Ind: ind, Prev: true}
	any := false
	for n := range cur {
		field := prefix + "distribution." + strconv.Itoa(n+1)
		spec.Labels = append(spec.Labels, locale.T(b.lang, "dash.chart.dist.point", n+1, locale.T(b.lang, "dash.chart.dist."+strconv.Itoa(n+1))))
		for _, x := range []struct {
			s     *chartSeries
			c     indicator.Count
			links bool
		}{{&now, cur[n], true}, {&then, prev[n], false}} {
			var val *float64
			link := ""
			if !x.c.Suppressed { // "<5" is no bar
				v := float64(x.c.N)
				val, any = &v, any || x.c.N > 0
				if x.links && x.c.N > 0 {
					link = b.link(ind, field)
				}
			}
			x.s.Data = append(x.s.Data, val)
			x.s.Links = append(x.s.Links, link)
		}
	}
	if !any {
		return dashChart{}
	}
	spec.Sets = []chartSeries{now, then}
	title := locale.T(b.lang, "dash.chart."+strings.TrimPrefix(id, "chart-"))
	return dashChart{ID: id, Title: title, Aria: locale.T(b.lang, "dash.chart.aria", title), Spec: chartJSON(spec)}
}

// skillChart is the mean learning gain per skill.
func (b *numBuilder) skillChart(g *indicator.LearningGain) dashChart {
	spec := chartSpec{Unit: "steps"}
	s := chartSeries{Label: locale.T(b.lang, "dash.meangain"), Ind: indicator.IndicatorLearningGain}
	any := false
	for k := range g.BySkill {
		code := domain.SkillCodes[k]
		spec.Labels = append(spec.Labels, locale.Skill(b.lang, domain.Skill(k)))
		var val *float64
		link := ""
		if m := g.BySkill[k].MeanGain; m.Shown() {
			x := math.Round(m.Value*100) / 100
			val, any = &x, true
			link = b.link(indicator.IndicatorLearningGain, "by_skill."+code+".assessed")
		}
		s.Data = append(s.Data, val)
		s.Links = append(s.Links, link)
	}
	if !any {
		return dashChart{}
	}
	spec.Sets = []chartSeries{s}
	title := locale.T(b.lang, "dash.chart.skill")
	return dashChart{ID: "chart-skill", Title: title, Aria: locale.T(b.lang, "dash.chart.aria", title), Spec: chartJSON(spec)}
}

// reasonChart is the number of early leavers per reason.
func (b *numBuilder) reasonChart(o *indicator.Outflow) dashChart {
	spec := chartSpec{Unit: "count"}
	s := chartSeries{Label: locale.T(b.lang, "dash.earlyleavers"), Ind: indicator.IndicatorOutflow}
	for _, r := range sortedCodes(o.Reasons, domain.OutflowReasons) {
		c := o.Reasons[r]
		if c.Suppressed {
			continue // "<5" is no bar
		}
		x := float64(c.N)
		spec.Labels = append(spec.Labels, locale.Code(b.lang, domain.OutflowReasons.Name, r))
		s.Data = append(s.Data, &x)
		s.Links = append(s.Links, b.link(indicator.IndicatorOutflow, "reasons."+r))
	}
	if len(s.Data) == 0 {
		return dashChart{}
	}
	spec.Sets = []chartSeries{s}
	title := locale.T(b.lang, "dash.chart.reasons")
	return dashChart{ID: "chart-reasons", Title: title, Aria: locale.T(b.lang, "dash.chart.aria", title), Spec: chartJSON(spec)}
}

// chartJSON is spec as JSON for a data attribute.
func chartJSON(spec chartSpec) string {
	out, err := json.Marshal(spec)
	if err != nil {
		return ""
	}
	return string(out)
}

// sortedCodes returns the keys of m in the order of the code list, then
// any others alphabetically.
func sortedCodes(m map[string]indicator.Count, list *domain.CodeList) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	pos := func(k string) int {
		if i := slices.Index(list.Codes, k); i >= 0 {
			return i
		}
		return math.MaxInt32
	}
	slices.SortFunc(keys, func(a, b string) int {
		if pa, pb := pos(a), pos(b); pa != pb {
			return pa - pb
		}
		return compareStrings(a, b)
	})
	return keys
}

// compareStrings orders strings bytewise.
func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
