package ui

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/risk"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/server/htmlrow"
	"github.com/traject-nt2/traject/internal/store"
)

// The early warning on the web (issue 21, point 3; spec/early-warning.md):
// the risk column and sort of the learner list, the learner page's risk
// over the last eight Mondays with the counsellor's actions on a warning,
// and the coordinators' validation page. Estimates come from the latest
// stored model trained on or before the day (the scheduler re-learns it
// every Monday; a request never learns); they are kept per (model, day,
// data version) by internal/cache. A refused model, or none, shows no
// estimate and says why; the flags stay.

// The installation's model is the one the pages show: the scheduler trains
// it (schedule.TrainJob, provider "").
const riskScope = ""

// riskWeeks is how many Mondays the learner page and the validation page
// look back.
const riskWeeks = 8

// actDays is how many working days (Monday to Friday) a counsellor has to
// act on a warning.
const actDays = 5

// riskModels keeps the stored models read by id: a stored model never
// changes, so only the id of the latest is asked per request.
type riskModels struct {
	mu sync.Mutex
	m  map[int64]*store.RiskModel
}

// riskNow is the early warning on one day: the model (nil when none was
// trained on or before it) and its estimates (nil when there is none, or
// the model is refused).
type riskNow struct {
	Model *store.RiskModel
	Day   *cache.RiskDay
}

// riskOn returns the early warning on day: the latest stored model trained
// on or before it and, unless it is refused, its estimates of every open
// enrollment (cached per model, day and data version).
func (s *Handler) riskOn(ctx context.Context, day domain.Date) (riskNow, error) {
	id, err := s.DB.LatestRiskModelID(ctx, riskScope, day)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return riskNow{}, nil
	}
	if err != nil {
		return riskNow{}, err
	}
	m, err := s.riskModel(ctx, id)
	if err != nil {
		return riskNow{}, err
	}
	if m.Refused != nil || m.Model == nil {
		return riskNow{Model: m}, nil
	}
	snap, err := s.cache.Snapshot(ctx, &cache.Timing{})
	if err != nil {
		return riskNow{}, err
	}
	d, err := snap.RiskDay(ctx, m, day, nil)
	if err != nil {
		return riskNow{}, err
	}
	return riskNow{Model: m, Day: d}, nil
}

// riskModel returns the stored model id, read once.
func (s *Handler) riskModel(ctx context.Context, id int64) (*store.RiskModel, error) {
	s.risk.mu.Lock()
	m := s.risk.m[id]
	s.risk.mu.Unlock()
	if m != nil {
		return m, nil
	}
	got, err := s.DB.FindRiskModel(ctx, id)
	if err != nil {
		return nil, err
	}
	s.risk.mu.Lock()
	defer s.risk.mu.Unlock()
	if s.risk.m == nil {
		s.risk.m = map[int64]*store.RiskModel{}
	}
	s.risk.m[id] = &got
	return &got, nil
}

// Why says in lang why there is no estimate: no model trained yet, or the
// stored model's refusal (kept as it was stored); "" when there are
// estimates.
func (r riskNow) Why(lang string) string {
	switch {
	case r.Day != nil:
		return ""
	case r.Model == nil:
		return locale.T(lang, "warning.nomodel")
	case r.Model.Refused != nil:
		return r.Model.Refused.Why.In(lang)
	}
	return locale.T(lang, "warning.nomodel")
}

// Validation is the validation of the model in words ("in 2024-25 vond
// deze inschatting 37 % van de vroegtijdige uitstromers bij de 10 %
// hoogste inschattingen, de signalen vonden er 12 %"), "" without a model.
func (r riskNow) Validation(lang string) string {
	if r.Model == nil || r.Model.Validation == nil {
		return ""
	}
	v := r.Model.Validation
	w := r.Model.Windows
	year := fmt.Sprintf("%d-%02d", w.TestFrom.Time().Year(), w.TestTo.Time().Year()%100)
	return locale.T(lang, "warning.validation", year, percentOf(lang, v.Test.RecallAt10), percentOf(lang, v.Baseline.Recall))
}

// percentOf writes a share as a whole percentage, "–" when not defined.
func percentOf(lang string, v *float64) string {
	if v == nil {
		return "–"
	}
	return locale.Decimal(math.Round(*v*100)).In(lang) + " %"
}

// riskLevel is the word of an estimate: "high" for a warning (the 10 %
// highest of the day), "medium" for the next 20 %, "low" for the rest.
func riskLevel(d *cache.RiskDay, e risk.Estimated) string {
	switch {
	case d.IsWarning(e):
		return "high"
	case e.Rank <= (3*len(d.Enrollments)+9)/10:
		return "medium"
	}
	return "low"
}

// riskLine is one estimate as the pages show it.
type riskLine struct {
	Group   string
	Level   string // high, medium, low (warning.level.*)
	Text    string // "hoog · 47 %"
	Percent int
	Warning bool
	Reasons []string
}

func newRiskLine(lang string, d *cache.RiskDay, e risk.Estimated, reasons int) riskLine {
	level := riskLevel(d, e)
	pct := int(math.Round(e.Risk * 100))
	l := riskLine{Group: e.Group, Level: level, Percent: pct, Warning: d.IsWarning(e),
		Text: locale.T(lang, "warning.level."+level) + " · " + fmt.Sprintf("%d %%", pct)}
	for i, r := range e.Reasons {
		if i == reasons {
			break
		}
		l.Reasons = append(l.Reasons, r.Why.In(lang))
	}
	return l
}

// The learner list: a column with the estimate and its top two reasons,
// and the sort "risico".

// riskColumn is the list's risk column: the estimate of each learner on
// the page (their highest over their open enrollments).
type riskColumn struct {
	Why        string // why there is no estimate; "" when there are
	Validation string
	Lines      map[string]riskLine // learner → their highest estimate
}

// Cell writes the column's cell of learner id.
func (r *riskColumn) Cell(id string) template.HTML {
	var w htmlrow.Writer
	l, ok := r.Lines[id]
	if !ok {
		w.Markup(`<span class="risk-none">–</span>`)
		return w.HTML()
	}
	w.Markup(`<span class="risk risk-`)
	w.Text(l.Level)
	w.Markup(`">`)
	w.Text(l.Text)
	w.Markup(`</span>`)
	if len(l.Reasons) > 0 {
		w.Markup(`<ul class="risk-reasons">`)
		for _, t := range l.Reasons {
			w.Markup(`<li>`)
			w.Text(t)
			w.Markup(`</li>`)
		}
		w.Markup(`</ul>`)
	}
	return w.HTML()
}

// rankOf is the rank of learner's highest estimate on the day (1 the
// highest of the installation), 0 without one.
func (r riskNow) rankOf(learner string) int {
	if r.Day == nil {
		return 0
	}
	if es := r.Day.Of(learner); len(es) > 0 {
		return es[0].Rank
	}
	return 0
}

// byRisk orders the worklist by the learners' highest estimate, the
// highest first; those without one come after, by name.
func byRisk(a, b *worklistRow) int {
	switch {
	case a.riskRank > 0 && b.riskRank > 0:
		if r := cmp.Compare(a.riskRank, b.riskRank); r != 0 {
			return r
		}
	case a.riskRank > 0:
		return -1
	case b.riskRank > 0:
		return 1
	}
	return byName(a, b)
}

// newRiskColumn is the risk column of the page's rows.
func newRiskColumn(lang string, now riskNow, rows []*worklistRow) *riskColumn {
	col := &riskColumn{Why: now.Why(lang), Validation: now.Validation(lang), Lines: map[string]riskLine{}}
	if now.Day == nil {
		return col
	}
	for _, r := range rows {
		if es := now.Day.Of(r.ID); len(es) > 0 {
			col.Lines[r.ID] = newRiskLine(lang, now.Day, es[0], 2)
		}
	}
	return col
}

// The learner page: the estimates of today, the last eight Mondays, and
// the counsellor's actions on a warning.

// riskPanel is the learner page's section on the early warning.
type riskPanel struct {
	Why        string
	Validation string
	Model      string // which model, trained when, on which windows
	Current    []riskLine
	Weeks      []riskWeek // the last riskWeeks Mondays, latest first
	Actions    []actionLine
	Form       *warningForm // nil: nothing to act on, or the user may not
	Error      string       // an action sent when there is no warning to act on

	estimateDay domain.Date
	modelID     int64
}

// riskWeek is one Monday's estimates of the learner.
type riskWeek struct {
	Day   string
	Why   string // no estimate that day
	Lines []riskLine
}

// actionLine is one warning action as the page lists it.
type actionLine struct {
	Date, Group, Action, Note, By, EstimateDay string
}

// warningForm is the form "what did you do about this warning", as typed.
type warningForm struct {
	Groups                    []choice
	Group, Action, Date, Note string
	Errors                    map[string]string
	lang                      string
}

// ActionChoices are the actions the form offers, the typed one selected.
func (f *warningForm) ActionChoices() []choice {
	return codeChoices(f.lang, domain.WarningActions, f.Action)
}

// MaxNote is the longest note the form takes.
func (f *warningForm) MaxNote() int { return domain.MaxShortNoteLength }

// mondays returns the n latest Mondays on or before day, latest first.
func mondays(day domain.Date, n int) []domain.Date {
	d := day
	for !risk.IsMonday(d) {
		d = d.AddDays(-1)
	}
	out := make([]domain.Date, n)
	for i := range out {
		out[i] = d.AddDays(-7 * i)
	}
	return out
}

// newRiskPanel builds the learner page's early warning for learner f on
// today: canAct says whether the user may record an action.
func (s *Handler) newRiskPanel(ctx context.Context, lang string, f *store.LearnerFile, today domain.Date, canAct bool) (*riskPanel, []event, error) {
	now, err := s.riskOn(ctx, today)
	if err != nil {
		return nil, nil, err
	}
	p := &riskPanel{Why: now.Why(lang), Validation: now.Validation(lang)}
	if m := now.Model; m != nil {
		p.Model = locale.T(lang, "warning.model", m.ID, m.AsOf.String(), m.Windows.TrainFrom.String(), m.Windows.TrainTo.String(),
			m.Windows.TestFrom.String(), m.Windows.TestTo.String())
	}
	id := f.Learner.ID
	if now.Day != nil {
		p.estimateDay, p.modelID = today, now.Model.ID
		form := &warningForm{Date: today.String(), Errors: map[string]string{}, lang: lang}
		for _, e := range now.Day.Of(id) {
			l := newRiskLine(lang, now.Day, e, risk.MaxReasons)
			p.Current = append(p.Current, l)
			if l.Warning {
				form.Groups = append(form.Groups, choice{Value: e.Group, Label: e.Group})
			}
		}
		if canAct && len(form.Groups) > 0 {
			form.Group = form.Groups[0].Value
			form.Groups[0].Selected = true
			p.Form = form
		}
	}
	for _, d := range mondays(today, riskWeeks) {
		w := riskWeek{Day: d.String()}
		on, err := s.riskOn(ctx, d)
		if err != nil {
			return nil, nil, err
		}
		if on.Day == nil {
			w.Why = locale.T(lang, "warning.week.none")
		} else {
			for _, e := range on.Day.Of(id) {
				w.Lines = append(w.Lines, newRiskLine(lang, on.Day, e, 2))
			}
		}
		p.Weeks = append(p.Weeks, w)
	}
	actions, err := s.DB.ListWarningActions(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var tl []event
	for _, a := range actions {
		label := locale.Code(lang, domain.WarningActions.Name, a.Action)
		p.Actions = append(p.Actions, actionLine{Date: a.Date.String(), Group: a.Group, Action: label, Note: a.Note,
			By: a.RecordedBy, EstimateDay: a.EstimateDay.String()})
		text := locale.T(lang, "warning.tl.text", label, a.Group, a.EstimateDay.String())
		if a.Note != "" {
			text += ": " + a.Note
		}
		tl = append(tl, event{Date: a.Date.String(), Kind: "tl.warning", Label: locale.T(lang, "tl.warning"), Text: text})
	}
	return p, tl, nil
}

// addRiskPanel adds the early warning to the learner page v, and the
// warning actions to its timeline.
func (s *Handler) addRiskPanel(c *gin.Context, v *learnerView) error {
	canAct := v.CanFollowUp
	p, tl, err := s.newRiskPanel(c.Request.Context(), core.Lang(c), v.File, domain.DateOf(s.Now()), canAct)
	if err != nil {
		return err
	}
	v.Risk = p
	if len(tl) > 0 {
		v.Timeline = append(v.Timeline, tl...)
		slices.SortStableFunc(v.Timeline, func(a, b event) int { return cmp.Compare(a.Date, b.Date) })
	}
	return nil
}

// saveWarningAction stores what the counsellor did about a warning of
// today: the group must hold one of the learner's warnings, and
// domain.CheckWarningActionEntry (which the store asks again) says what is
// wrong, beside each field. Who may record one is who may record a
// follow-up: the learner's counsellor, their coordinators, admins.
func (s *Handler) saveWarningAction(c *gin.Context) {
	s.learnerWrite(c, auth.WriteFollowUp, "warning", func(lang string, today domain.Date, v *learnerView) (func() error, bool) {
		p := v.Risk
		form := p.Form
		if form == nil {
			// No warning today (any more), or none the user may act on.
			v.status = http.StatusBadRequest
			p.Error = locale.T(lang, "warning.rule.nowarning")
			return nil, false
		}
		form.Group, form.Action = c.PostForm("group"), c.PostForm("action")
		form.Date, form.Note = strings.TrimSpace(c.PostForm("date")), strings.TrimSpace(c.PostForm("note"))
		for i := range form.Groups {
			form.Groups[i].Selected = form.Groups[i].Value == form.Group
		}
		a := domain.WarningAction{Learner: v.ID, Group: form.Group, EstimateDay: p.estimateDay, ModelID: p.modelID,
			Action: form.Action, Note: form.Note}
		if !slices.ContainsFunc(form.Groups, func(ch choice) bool { return ch.Value == form.Group }) {
			form.Errors["group"] = locale.T(lang, "warning.rule.nowarning")
			v.status = http.StatusBadRequest
		}
		var msg string
		if a.Date, msg = readDate(lang, form.Date); msg != "" {
			form.Errors["date"] = msg
		}
		placeErrors(lang, form.Errors, domain.CheckWarningActionEntry(&a, today), nil)
		return func() error {
			_, err := s.DB.SaveWarningAction(c.Request.Context(), core.CurrentUser(c).Username, a, s.Now())
			return err
		}, len(form.Errors) == 0
	})
}

// The coordinators' validation page.

// riskPage is the page "Vroegtijdig vertrek: inschatting".
type riskPage struct {
	AsOf        string
	Why         string
	Validation  string
	Model       *store.RiskModel
	Trained     string
	Headline    []figureLine
	Calibration template.HTML // the chart, an SVG
	Deciles     []decileLine
	Routes      []partLine
	Genders     []partLine
	Weights     []weightLine
	Acts        actFigures
}

type figureLine struct{ Label, Value string }

type decileLine struct {
	Decile             int
	Examples           int
	MeanRisk, Observed string
}

type partLine struct {
	Label               string
	Examples, Positives int
	AUC                 string
}

type weightLine struct {
	Text   string
	Up     bool
	Weight string
}

// actFigures are the counts of the warnings of the last riskWeeks Mondays
// among the learners the reader may see, and what was done about them.
type actFigures struct {
	From, To     string // the first and the last Monday counted
	Warnings     int    // new warnings whose five working days are over
	ActedInTime  int    // of those, with an action within five working days
	Pending      int    // new warnings still inside their five working days
	Unjustified  int    // warnings marked "onterecht"
	NoEstimate   int    // Mondays without estimates (no model, or refused)
	ActionCounts []figureLine
}

// riskValidation shows the stored model's validation, with the counts of
// warnings acted on.
func (s *Handler) riskValidation(c *gin.Context) {
	ctx := c.Request.Context()
	lang := core.Lang(c)
	today := domain.DateOf(s.Now())
	now, err := s.riskOn(ctx, today)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := &riskPage{AsOf: today.String(), Why: now.Why(lang), Validation: now.Validation(lang), Model: now.Model}
	if m := now.Model; m != nil && m.Validation != nil {
		fillValidation(lang, v, m)
	}
	if v.Acts, err = s.actFigures(ctx, core.CurrentUser(c), lang, today); err != nil {
		s.Fail(c, err)
		return
	}
	s.Render(c, http.StatusOK, "risk", "", v)
}

// fillValidation writes the model's figures for the page.
func fillValidation(lang string, v *riskPage, m *store.RiskModel) {
	r := m.Validation
	v.Trained = formatTime(m.TrainedAt)
	dec := func(p *float64) string {
		if p == nil {
			return "–"
		}
		return locale.Decimal(*p).In(lang) // at most two decimals
	}
	v.Headline = []figureLine{
		{locale.T(lang, "warning.fig.test"), fmt.Sprintf("%d / %d", r.Test.Positives, r.Test.Examples)},
		{locale.T(lang, "warning.fig.auc"), dec(r.Test.AUC)},
		{locale.T(lang, "warning.fig.brier"), dec(r.Test.Brier)},
		{locale.T(lang, "warning.fig.precision"), percentOf(lang, r.Test.PrecisionAt10)},
		{locale.T(lang, "warning.fig.recall"), percentOf(lang, r.Test.RecallAt10)},
		{locale.T(lang, "warning.fig.flags.precision"), percentOf(lang, r.Baseline.Precision)},
		{locale.T(lang, "warning.fig.flags.recall"), percentOf(lang, r.Baseline.Recall)},
		{locale.T(lang, "warning.fig.early"), fmt.Sprint(m.EarlyLeavers)},
	}
	for _, d := range r.Test.Calibration {
		v.Deciles = append(v.Deciles, decileLine{Decile: d.Decile, Examples: d.Examples,
			MeanRisk: percentOf(lang, d.MeanRisk), Observed: percentOf(lang, d.Observed)})
	}
	v.Calibration = calibrationSVG(lang, r.Test.Calibration)
	part := func(list *domain.CodeList, parts map[string]risk.Part) []partLine {
		var out []partLine
		for _, k := range slices.Sorted(maps.Keys(parts)) {
			label := locale.T(lang, "warning.unknown")
			if k != "" {
				label = locale.Code(lang, list.Name, k)
			}
			p := parts[k]
			out = append(out, partLine{Label: label, Examples: p.Examples, Positives: p.Positives, AUC: dec(p.AUC)})
		}
		return out
	}
	v.Routes = part(domain.LearningRoutes, r.ByLearningRoute)
	v.Genders = part(domain.Genders, r.ByGender)
	ws := slices.Clone(r.Features)
	slices.SortStableFunc(ws, func(a, b risk.Weight) int { return cmp.Compare(math.Abs(b.Weight), math.Abs(a.Weight)) })
	for _, w := range ws {
		if math.Abs(w.Weight) < 0.005 {
			continue
		}
		v.Weights = append(v.Weights, weightLine{Text: weightText(lang, w), Up: w.Weight > 0, Weight: locale.Decimal(w.Weight).In(lang)})
	}
}

// weightText says what a column's weight does, in words: "lessen na elkaar
// afwezig: hoe meer, hoe groter de kans", "leerroute alfa: grotere kans".
func weightText(lang string, w risk.Weight) string {
	feature, part, _ := strings.Cut(w.Feature, ":")
	name := locale.T(lang, "warning.feature."+feature)
	dir := "down"
	if w.Weight > 0 {
		dir = "up"
	}
	switch {
	case part == "":
		return locale.T(lang, "warning.weight.more."+dir, name)
	case part == "missing":
		return locale.T(lang, "warning.weight.missing."+dir, name)
	}
	label := part
	switch feature {
	case "learning_route":
		label = locale.Code(lang, domain.LearningRoutes.Name, part)
	case "literacy":
		label = locale.Code(lang, domain.Literacies.Name, part)
	case "schooling_level":
		label = locale.Code(lang, domain.SchoolingLevels.Name, part)
	case "civic_status":
		label = locale.Code(lang, domain.CivicStatuses.Name, part)
	}
	return locale.T(lang, "warning.weight.is."+dir, name, label)
}

// calibrationSVG draws the calibration: per decile the mean estimate and
// the observed share as two bars, on one scale.
func calibrationSVG(lang string, ds []risk.Decile) template.HTML {
	top := 0.0
	for _, d := range ds {
		for _, p := range []*float64{d.MeanRisk, d.Observed} {
			if p != nil {
				top = max(top, *p)
			}
		}
	}
	if top == 0 {
		return ""
	}
	top = math.Ceil(top*10) / 10
	const width, height, left, bottom = 560, 220, 40, 30
	plotH := float64(height - bottom - 10)
	step := float64(width-left) / float64(max(len(ds), 1))
	var w htmlrow.Writer
	w.Markup(fmt.Sprintf(`<svg class="calibration" viewBox="0 0 %d %d" role="img" aria-labelledby="cal-title"><title id="cal-title">`, width, height))
	w.Text(locale.T(lang, "warning.cal.aria"))
	w.Markup(`</title>`)
	tick := 0.1 // a grid line every 10 %, every 20 % above one half
	if top > 0.5 {
		tick = 0.2
	}
	for v := 0.0; v <= top+1e-9; v += tick {
		y := 10 + plotH*(1-v/top)
		w.Markup(fmt.Sprintf(`<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/><text class="axis" x="%d" y="%.1f" text-anchor="end">`,
			left, width, y, y, left-4, y+4))
		w.Text(locale.Decimal(math.Round(v*100)).In(lang) + " %")
		w.Markup(`</text>`)
	}
	bar := func(x float64, p *float64, class string) {
		if p == nil {
			return
		}
		h := plotH * *p / top
		w.Markup(fmt.Sprintf(`<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, class, x, 10+plotH-h, step*0.38, h))
	}
	for i, d := range ds {
		x := float64(left) + step*float64(i) + step*0.1
		bar(x, d.MeanRisk, "mean")
		bar(x+step*0.4, d.Observed, "observed")
		w.Markup(fmt.Sprintf(`<text class="axis" x="%.1f" y="%d" text-anchor="middle">%d</text>`, x+step*0.4, height-12, d.Decile))
	}
	w.Markup(`</svg>`)
	return w.HTML()
}

// workingDaysAfter returns the day n working days (Monday to Friday) after d.
func workingDaysAfter(d domain.Date, n int) domain.Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// warningKey is one enrollment.
type warningKey struct{ learner, group string }

// actFigures counts, over the last riskWeeks Mondays, the new warnings of
// the learners the reader may see (an enrollment among the 10 % highest
// of a Monday that was not among them the Monday before), those acted on
// within actDays working days (an action for the enrollment dated after
// the Monday before and at most actDays working days after the Monday),
// and those marked "onterecht".
func (s *Handler) actFigures(ctx context.Context, u *domain.User, lang string, today domain.Date) (actFigures, error) {
	days := mondays(today, riskWeeks+1) // the oldest is only the comparison for the next
	var f actFigures
	f.From, f.To = days[riskWeeks-1].String(), days[0].String()
	visible, err := s.DB.VisibleLearners(ctx, u)
	if err != nil {
		return f, err
	}
	actions, err := s.DB.WarningActionsBetween(ctx, days[riskWeeks], today)
	if err != nil {
		return f, err
	}
	byKey := map[warningKey][]domain.WarningAction{}
	counts := map[string]int{}
	for _, a := range actions {
		if !visible[a.Learner] {
			continue
		}
		k := warningKey{a.Learner, a.Group}
		byKey[k] = append(byKey[k], a)
		if a.Date > days[riskWeeks] {
			counts[a.Action]++
		}
	}
	// A warning marked "onterecht" is counted once, by the warning it
	// answers (enrollment and the day of the estimate), however often that
	// enrollment is warned again in the weeks after.
	wrong := map[struct {
		k   warningKey
		day domain.Date
	}]bool{}
	for _, a := range actions {
		if visible[a.Learner] && a.Action == domain.Unjustified && a.Date > days[riskWeeks] {
			wrong[struct {
				k   warningKey
				day domain.Date
			}{warningKey{a.Learner, a.Group}, a.EstimateDay}] = true
		}
	}
	f.Unjustified = len(wrong)
	warned := func(d domain.Date) (map[warningKey]bool, error) {
		on, err := s.riskOn(ctx, d)
		if err != nil || on.Day == nil {
			return nil, err
		}
		out := map[warningKey]bool{}
		for _, e := range on.Day.Enrollments[:on.Day.Warned] {
			if visible[e.Learner] {
				out[warningKey{e.Learner, e.Group}] = true
			}
		}
		return out, nil
	}
	before, err := warned(days[riskWeeks])
	if err != nil {
		return f, err
	}
	for i := riskWeeks - 1; i >= 0; i-- {
		d := days[i]
		cur, err := warned(d)
		if err != nil {
			return f, err
		}
		if cur == nil {
			f.NoEstimate++
		}
		due := workingDaysAfter(d, actDays)
		for k := range cur {
			if before[k] {
				continue
			}
			in := false
			for _, a := range byKey[k] {
				if a.Date > d.AddDays(-7) && a.Date <= due {
					in = true
				}
			}
			switch {
			case due > today && !in:
				f.Pending++
			case in:
				f.Warnings++
				f.ActedInTime++
			default:
				f.Warnings++
			}
		}
		before = cur
	}
	for _, code := range domain.WarningActions.Codes {
		f.ActionCounts = append(f.ActionCounts, figureLine{locale.Code(lang, domain.WarningActions.Name, code), fmt.Sprint(counts[code])})
	}
	return f, nil
}
