package ui

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/signal"
	"github.com/traject-nt2/traject/internal/store"
)

// The counsellor's pages (Mijn lerenden): the list of learners with search,
// filters and flags, and a learner page with the timeline, the chart of
// levels per skill, the current enrollment, the forms for goals, outflow and
// follow-up, and the history of changes.

// learnerView is the learner page.
type learnerView struct {
	File         *store.LearnerFile
	ID           string
	Name         string
	AsOf         string
	Timeline     []event
	Marks        []rowMark // the flags and the goal notice, with their handling on the worklist
	Chart        chartData
	ChartJSON    string // Chart for the page's script
	Observations []domain.Observation
	WBChartJSON  string // the wellbeing chart (wbChart) for the page's script
	Current      []store.EnrollmentInfo
	Evaluations  []evaluationLine
	History      []historyEntry // changes the user may see, newest first
	Reads        []historyEntry // the latest reads of the learner's data, for CanPersonal
	CanGoal      bool
	CanOutflow   bool
	CanFollowUp  bool
	CanPersonal  bool // download, print and erase the learner's personal data
	GoalForm     goalForm
	OutflowForm  outflowForm
	FollowUpForm followUpForm
	Saved        string     // catalogue key of what was just saved
	Risk         *riskPanel // the early warning (risk.go)
	// Providers are those the outflow form offers: the ones the user may
	// name on this learner's outflow (auth.CanWriteOutflowFrom).
	Providers []option

	// status is the answer of a form sent back with errors: 422, or 400
	// for a value that no form of ours offers.
	status int

	// Worked out in Go rather than in the template, which costs a page far
	// more per call (the learner page is the one counsellors open most).
	SkillNames []string   // the skills' names, in domain order
	LevelRows  []levelRow // the table beside the level chart

	lang string
}

// option is one choice of a select.
type option struct{ Value, Label string }

// levelRow is one placement or evaluation in the table of the level chart.
type levelRow struct {
	Date   domain.Date
	What   string
	Levels [domain.NumSkills]string
}

// The choices of the page's forms, with what the form holds selected.

func (v *learnerView) SkillChoices() []choice {
	out := make([]choice, len(domain.SkillCodes))
	for k, code := range domain.SkillCodes {
		out[k] = choice{Value: code, Label: v.SkillNames[k], Selected: code == v.GoalForm.Skill}
	}
	return out
}

func (v *learnerView) OutflowTypeChoices() []choice {
	return codeChoices(v.lang, domain.OutflowTypes, v.OutflowForm.Type)
}

func (v *learnerView) OutflowReasonChoices() []choice {
	return codeChoices(v.lang, domain.OutflowReasons, v.OutflowForm.Reason)
}

func (v *learnerView) DestinationChoices() []choice {
	return codeChoices(v.lang, domain.Destinations, v.OutflowForm.Destination)
}

func (v *learnerView) FollowUpStatusChoices() []choice {
	return codeChoices(v.lang, domain.FollowUpStatuses, v.FollowUpForm.Status)
}

func (v *learnerView) ProviderChoices() []choice {
	out := make([]choice, len(v.Providers))
	for i, p := range v.Providers {
		out[i] = choice{Value: p.Value, Label: p.Label, Selected: p.Value == v.OutflowForm.Provider}
	}
	return out
}

// event is one line of the timeline.
type event struct {
	Date  string
	Kind  string // catalogue key
	Label string // the kind in the page's language
	Text  string
}

// evaluationLine is one evaluation in the table of evaluations.
type evaluationLine struct {
	domain.Evaluation
	Levels        [domain.NumSkills]string
	KindLabel     string
	DecisionLabel string
}

// historyEntry is one write from the audit trail, with what it changed.
type historyEntry struct {
	At      string
	User    string
	Action  string
	Entity  string
	Key     string
	Changes []change
}

// change is one field of a write: its value before and after.
type change struct{ Field, Before, After string }

// goalForm is the form for a learner goal, as typed.
type goalForm struct {
	Skill, Target, SetDate, TargetDate string
	Errors                             map[string]string
}

// outflowForm is the form for an outflow, as typed.
type outflowForm struct {
	Date, Type, Reason, Destination, Provider string
	// EndEnrollments: end the learner's open enrollments that the outflow
	// ends (domain.EndsEnrollment) in the same write; ticked on a new form.
	EndEnrollments bool
	Errors         map[string]string
}

// followUpForm is the form for a follow-up, as typed.
type followUpForm struct {
	Date, Status string
	// Confirm: save a follow-up dated on or before the latest outflow
	// anyway (domain.FollowUpPrecedes); Ask: the form asks for it.
	Confirm, Ask bool
	Errors       map[string]string
}

// chartData is what app.js draws: per skill the levels over time (x: days
// since 1970-01-01, y: rank on the ladder) and the learner's goal.
type chartData struct {
	Ladder []string     `json:"ladder"`
	Skills []chartSkill `json:"skills"`
	Labels chartLabels  `json:"labels"`
}

type chartSkill struct {
	Code   string       `json:"code"`
	Index  int          `json:"index"` // in domain order: the skill's colour and marker`
	Label  string       `json:"label"`
	Points []chartPoint `json:"points"`
	Goal   *chartGoal   `json:"goal,omitempty"`
}

type chartPoint struct {
	X int `json:"x"`
	Y int `json:"y"`
}

type chartGoal struct {
	From  int `json:"from"`
	To    int `json:"to"`
	Level int `json:"level"`
}

type chartLabels struct {
	Goal  string `json:"goal"`
	Level string `json:"level"`
	Date  string `json:"date"`
}

// loadLearner reads the learner of the route as of today and checks that the
// user may see them.
func (s *Handler) loadLearner(c *gin.Context) (*store.LearnerFile, error) {
	f, err := s.DB.FindLearner(c.Request.Context(), c.Param("id"), domain.DateOf(s.Now()))
	if err != nil {
		return nil, core.ForbiddenOrNotFound(c, err)
	}
	if !auth.CanSeeLearner(core.CurrentUser(c), f.Facts()) {
		return nil, auth.Forbidden(auth.ViewLearner)
	}
	return f, nil
}

// learner shows a learner page.
func (s *Handler) learner(c *gin.Context) {
	f, err := s.loadLearner(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	// Who opened a learner's page is recorded, as a download of their data
	// is (issue 18): one insert, and the page is not shown without it.
	if err := s.DB.RecordLearnerView(c.Request.Context(), core.CurrentUser(c).Username, f.Learner.ID, s.Now()); err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newLearnerView(c, f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	switch saved := c.Query("saved"); saved {
	case "goal", "outflow", "followup", "warning":
		v.Saved = "saved." + saved
	}
	s.Render(c, http.StatusOK, "learner", "", v)
}

// newLearnerView builds the learner page with empty forms.
func (s *Handler) newLearnerView(c *gin.Context, f *store.LearnerFile) (*learnerView, error) {
	u := core.CurrentUser(c)
	lang := core.Lang(c)
	today := domain.DateOf(s.Now())
	facts := f.Facts()
	v := &learnerView{File: f, ID: f.Learner.ID, Name: f.Learner.FirstName + " " + f.Learner.LastName, AsOf: today.String(),
		CanGoal: auth.CanWriteGoal(u, facts), CanOutflow: auth.CanWriteOutflow(u, facts), CanFollowUp: auth.CanWriteFollowUp(u, facts),
		CanPersonal: auth.CanManagePersonalData(u, facts),
		GoalForm:    goalForm{SetDate: today.String()}, OutflowForm: outflowForm{Date: today.String(), EndEnrollments: true},
		FollowUpForm: followUpForm{Date: today.String()}, lang: lang}
	for k := range domain.Skill(domain.NumSkills) {
		v.SkillNames = append(v.SkillNames, locale.Skill(lang, k))
	}
	for _, e := range f.Enrollments {
		if e.Status == "active" {
			v.Current = append(v.Current, e)
		}
	}
	placement := locale.T(lang, "tl.placement")
	for _, p := range f.Placements {
		row := levelRow{Date: p.Date, What: placement}
		for k, l := range p.Levels {
			row.Levels[k] = l.String()
		}
		v.LevelRows = append(v.LevelRows, row)
	}
	for _, ev := range f.Evaluations {
		line := evaluationLine{Evaluation: ev, KindLabel: locale.Code(lang, domain.EvaluationKinds.Name, ev.Kind),
			DecisionLabel: locale.Code(lang, domain.Decisions.Name, ev.Decision)}
		for k, l := range ev.Levels {
			line.Levels[k] = l.String()
		}
		v.Evaluations = append(v.Evaluations, line)
		v.LevelRows = append(v.LevelRows, levelRow{Date: ev.Date, What: line.KindLabel, Levels: line.Levels})
	}
	marks := &worklistRow{WorkItem: store.WorkItem{Handlings: f.Handlings}}
	for i, fl := range f.Flags {
		marks.add(lang, rowMark{Flag: fl, Since: f.FlagSince[i], Text: flagText(lang, fl)}, today, true)
	}
	if len(f.GoalNotices) > 0 {
		marks.add(lang, rowMark{Flag: signal.Flag{Kind: signal.GoalOverdue}, Since: signal.GoalNoticeSince(f.GoalNotices),
			Text: goalsText(lang, f.GoalNotices)}, today, true)
	}
	v.Marks = marks.Marks
	v.Timeline = timeline(lang, f)
	v.Chart = chart(lang, f)
	b, err := json.Marshal(v.Chart)
	if err != nil {
		return nil, err
	}
	v.ChartJSON = string(b)
	v.Observations = f.Observations // read with the file, in the same snapshot
	if b, err = json.Marshal(wellbeingChart(lang, v.Observations)); err != nil {
		return nil, err
	}
	v.WBChartJSON = string(b)
	for _, code := range slices.Sorted(maps.Keys(f.Providers)) {
		if auth.CanWriteOutflowFrom(u, facts, code) {
			v.Providers = append(v.Providers, option{code, f.Providers[code]})
		}
	}
	if err := s.addRiskPanel(c, v); err != nil {
		return nil, err
	}
	trail, err := s.DB.ListAudit(c.Request.Context(), f.Learner.ID, 50)
	if err != nil {
		return nil, err
	}
	for _, r := range visibleHistory(u, trail) {
		v.History = append(v.History, newHistoryEntry(lang, r))
	}
	if v.CanPersonal {
		reads, err := s.DB.ListReads(c.Request.Context(), f.Learner.ID, readsShown)
		if err != nil {
			return nil, err
		}
		for _, r := range reads {
			v.Reads = append(v.Reads, newHistoryEntry(lang, r))
		}
	}
	return v, nil
}

// readsShown is how many of the latest reads of the learner's data the
// personal-data box lists.
const readsShown = 10

// newHistoryEntry is an audit record as the page shows it.
func newHistoryEntry(lang string, r store.AuditRecord) historyEntry {
	return historyEntry{At: formatTime(r.At), User: r.Username,
		Action: locale.T(lang, "audit."+r.Action), Entity: locale.T(lang, "entity."+r.Entity), Key: r.Key,
		Changes: changes(lang, r.Entity, r.Before, r.After)}
}

// visibleHistory leaves out of a learner's trail what u may not see: a
// survey response, named or not, only for the coordinators of its provider
// and admins (auth.CanSeeResponse), as everywhere else; its comment the
// trail does not hold (store.Audit).
func visibleHistory(u *domain.User, trail []store.AuditRecord) []store.AuditRecord {
	out := trail[:0:0]
	for _, r := range trail {
		if p, ok := r.ResponseProvider(); ok && !auth.CanSeeResponse(u, p) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// changes lists the fields whose values differ between two audit records
// of entity, as a reader of lang reads them (issue 20): the fields by their
// names in the learner's export ("Soort", "Reden"), codes by their labels
// ("vroegtijdige uitstroom", not early_leaver), as the export page writes
// them (exportColumn, exportCell). A field the catalogue does not name
// keeps its stored name.
func changes(lang, entity string, before, after json.RawMessage) []change {
	var b, a map[string]any
	_ = json.Unmarshal(before, &b)
	_ = json.Unmarshal(after, &a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	section := entity
	if entity == "learners" {
		section = "learner"
	}
	var out []change
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		bv, av := valueText(b[k]), valueText(a[k])
		if bv == av {
			continue
		}
		name := strings.TrimSuffix(k, "_code") // group_code: the export's "group"
		field := k
		if slices.Contains(domain.SkillCodes[:], name) || locale.Has("export.col."+name) {
			field = exportColumn(lang, name)
		}
		out = append(out, change{Field: field, Before: exportCell(lang, section, store.Field{Name: k, Value: b[k]}),
			After: exportCell(lang, section, store.Field{Name: k, Value: a[k]})})
	}
	return out
}

// valueText writes a stored value for reading: a value of an audit record
// (as JSON decodes it) or of a learner's export (as the store reads it).
// Lists are joined with commas, numbers written as short as they are.
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []string:
		return strings.Join(x, ", ")
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = valueText(p)
		}
		return strings.Join(parts, ", ")
	case json.RawMessage:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// levelsText writes the assessed levels as "luisteren A2, lezen A1".
func levelsText(lang string, ls domain.Levels) string {
	var parts []string
	for k, l := range ls {
		if l != domain.NoLevel {
			parts = append(parts, locale.Skill(lang, domain.Skill(k))+" "+l.String())
		}
	}
	return strings.Join(parts, ", ")
}

// timeline lists the learner's trajectory from referral to follow-up, by date.
func timeline(lang string, f *store.LearnerFile) []event {
	var out []event
	add := func(d domain.Date, kind, text string) {
		out = append(out, event{Date: d.String(), Kind: kind, Label: locale.T(lang, kind), Text: text})
	}
	provider := func(code string) string {
		if code == "" {
			return ""
		}
		if n, ok := f.Providers[code]; ok {
			return n
		}
		return code
	}
	module := func(code string) string {
		if n, ok := f.Modules[code]; ok {
			return n + " (" + code + ")"
		}
		return code
	}
	for _, r := range f.Referrals {
		add(r.Date, "tl.referral", strings.TrimSpace(locale.T(lang, "tl.referral.text", locale.Code(lang, "referral source", r.Source), provider(r.Provider))))
	}
	for _, p := range f.Placements {
		add(p.Date, "tl.placement", locale.T(lang, "tl.placement.text", module(p.Module), locale.Code(lang, "placement method", p.Method), levelsText(lang, p.Levels)))
	}
	for _, e := range f.Enrollments {
		add(e.StartDate, "tl.enrollment", locale.T(lang, "tl.enrollment.text", e.Group, module(e.Module), locale.Code(lang, "enrollment status", e.Status)))
		if e.EndDate != 0 {
			add(e.EndDate, "tl.enrollment.end", locale.T(lang, "tl.enrollment.end.text", e.Group, locale.Code(lang, "enrollment status", e.Status), e.HoursAttended))
		}
	}
	for _, ev := range f.Evaluations {
		where := ev.Group
		if where == "" {
			where = locale.T(lang, "tl.external")
		}
		add(ev.Date, "tl.evaluation", locale.T(lang, "tl.evaluation.text", locale.Code(lang, "evaluation kind", ev.Kind), where,
			levelsText(lang, ev.Levels), locale.Code(lang, "decision", ev.Decision)))
	}
	for _, ce := range f.Certificates {
		text := locale.Code(lang, "certificate kind", ce.Kind)
		if ce.Module != "" {
			text += " " + module(ce.Module)
		}
		if ce.Level != domain.NoLevel {
			text += " (" + ce.Level.String() + ")"
		}
		add(ce.Date, "tl.certificate", text)
	}
	for _, g := range f.Goals {
		add(g.SetDate, "tl.goal", locale.T(lang, "tl.goal.text", locale.Skill(lang, g.Skill), g.TargetLevel.String(), g.TargetDate.String()))
	}
	for _, o := range f.Outflows {
		text := locale.Code(lang, "outflow type", o.Type)
		if o.Reason != "" {
			text += ", " + locale.T(lang, "f.reason") + ": " + locale.Code(lang, "outflow reason", o.Reason)
		}
		if o.Destination != "" {
			text += ", " + locale.T(lang, "f.destination") + ": " + locale.Code(lang, "destination", o.Destination)
		}
		add(o.Date, "tl.outflow", text)
	}
	for _, fu := range f.FollowUps {
		add(fu.Date, "tl.followup", locale.Code(lang, "follow-up status", fu.Status))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// epochDay is d as days since 1970-01-01, the chart's x axis.
func epochDay(d domain.Date) int { return int(d.Time().Unix() / 86400) }

// chart builds the level per skill over time from placements and
// evaluations; where several fall on one day the highest counts (as in
// spec/indicators.md, learning gain).
func chart(lang string, f *store.LearnerFile) chartData {
	cd := chartData{Ladder: domain.Ladder[:], Labels: chartLabels{Goal: locale.T(lang, "chart.goal"),
		Level: locale.T(lang, "chart.level"), Date: locale.T(lang, "chart.date")}}
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		best := map[domain.Date]domain.Level{}
		note := func(d domain.Date, l domain.Level) {
			if l == domain.NoLevel {
				return
			}
			if old, ok := best[d]; !ok || l > old {
				best[d] = l
			}
		}
		for _, p := range f.Placements {
			note(p.Date, p.Levels[k])
		}
		for _, ev := range f.Evaluations {
			note(ev.Date, ev.Levels[k])
		}
		cs := chartSkill{Code: domain.SkillCodes[k], Index: int(k), Label: locale.Skill(lang, k), Points: []chartPoint{}}
		for _, d := range slices.Sorted(maps.Keys(best)) {
			cs.Points = append(cs.Points, chartPoint{X: epochDay(d), Y: int(best[d])})
		}
		for _, g := range f.Goals {
			if g.Skill == k {
				to := g.TargetDate
				if to == 0 {
					to = g.SetDate.AddMonths(12)
				}
				cs.Goal = &chartGoal{From: epochDay(g.SetDate), To: epochDay(to), Level: int(g.TargetLevel)}
			}
		}
		if len(cs.Points) > 0 || cs.Goal != nil {
			cd.Skills = append(cd.Skills, cs)
		}
	}
	return cd
}

// learnerURL is the address of learner id's page with a query.
func learnerURL(id string, q url.Values) string {
	u := "/learners/" + url.PathEscape(id)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// learnerWrite is what the three forms of the learner page share: read the
// learner, check the permission, parse the form, store it and answer.
func (s *Handler) learnerWrite(c *gin.Context, a auth.Action, what string,
	parse func(lang string, today domain.Date, v *learnerView) (store func() error, ok bool)) {
	f, err := s.loadLearner(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !auth.CanWriteLearner(core.CurrentUser(c), a, f.Facts()) {
		s.Fail(c, auth.Forbidden(a))
		return
	}
	v, err := s.newLearnerView(c, f)
	if err != nil {
		s.Fail(c, err)
		return
	}
	save, ok := parse(core.Lang(c), domain.DateOf(s.Now()), v)
	if !ok {
		status := v.status
		if status == 0 {
			status = http.StatusUnprocessableEntity
		} else if core.IsHTMX(c) {
			// The page's htmx sends other errors to the alerts; this
			// answer is the form with its message, like a 422.
			c.Header("HX-Retarget", "#learner-main")
			c.Header("HX-Reswap", "outerHTML")
		}
		s.Render(c, status, "learner", "learner-main", v)
		return
	}
	if err := save(); err != nil {
		s.Fail(c, err)
		return
	}
	if !core.IsHTMX(c) {
		c.Redirect(http.StatusSeeOther, learnerURL(f.Learner.ID, url.Values{"saved": {what}})+"#"+what)
		return
	}
	if f, err = s.DB.FindLearner(c.Request.Context(), f.Learner.ID, domain.DateOf(s.Now())); err != nil {
		s.Fail(c, err)
		return
	}
	if v, err = s.newLearnerView(c, f); err != nil {
		s.Fail(c, err)
		return
	}
	v.Saved = "saved." + what
	s.Render(c, http.StatusOK, "learner", "learner-main", v)
}

// saveGoal stores a learner's individual goal for one skill: the form is
// parsed, and domain.CheckLearnerGoalEntry (which the store asks again)
// says what is wrong, beside each field.
func (s *Handler) saveGoal(c *gin.Context) {
	s.learnerWrite(c, auth.WriteGoal, "goal", func(lang string, today domain.Date, v *learnerView) (func() error, bool) {
		form := goalForm{Skill: strings.TrimSpace(c.PostForm("skill")), Target: strings.TrimSpace(c.PostForm("target_level")),
			SetDate: strings.TrimSpace(c.PostForm("set_date")), TargetDate: strings.TrimSpace(c.PostForm("target_date")),
			Errors: map[string]string{}}
		g := domain.LearnerGoal{Learner: v.ID, TargetLevel: domain.NoLevel}
		if form.Skill == "" {
			form.Errors["skill"] = locale.T(lang, "v.choose")
		} else if k, err := domain.ParseSkill(form.Skill); err != nil {
			form.Errors["skill"] = parseText(lang, err)
		} else {
			g.Skill = k
		}
		if l, err := domain.ParseLevel(form.Target); err != nil {
			form.Errors["target_level"] = parseText(lang, err)
		} else if g.TargetLevel = l; l != domain.NoLevel {
			form.Target = l.String()
		}
		var msg string
		if g.SetDate, msg = readDate(lang, form.SetDate); msg != "" {
			form.Errors["set_date"] = msg
		}
		if g.TargetDate, msg = readDate(lang, form.TargetDate); msg != "" {
			form.Errors["target_date"] = msg
		}
		placeErrors(lang, form.Errors, domain.CheckLearnerGoalEntry(&g, today), nil)
		v.GoalForm = form
		return func() error {
			return s.DB.SaveLearnerGoal(c.Request.Context(), core.CurrentUser(c).Username, g, s.Now())
		}, len(form.Errors) == 0
	})
}

// saveOutflow stores a learner's outflow: the form is parsed, and
// domain.CheckOutflowEntry (which the store asks again) says what is
// wrong, beside each field; which provider it may name is
// auth.CanWriteOutflowFrom's, as for an import (importer/scope.go).
func (s *Handler) saveOutflow(c *gin.Context) {
	s.learnerWrite(c, auth.WriteOutflow, "outflow", func(lang string, today domain.Date, v *learnerView) (func() error, bool) {
		form := outflowForm{Date: strings.TrimSpace(c.PostForm("date")), Type: c.PostForm("type"), Reason: c.PostForm("reason"),
			Destination: c.PostForm("destination"), Provider: c.PostForm("provider"), EndEnrollments: c.PostForm("end_enrollments") == "1",
			Errors: map[string]string{}}
		o := domain.Outflow{Learner: v.ID, Type: form.Type, Reason: form.Reason, Destination: form.Destination, Provider: form.Provider}
		var msg string
		if o.Date, msg = readDate(lang, form.Date); msg != "" {
			form.Errors["date"] = msg
		}
		placeErrors(lang, form.Errors, domain.CheckOutflowEntry(&o, today), nil)
		u := core.CurrentUser(c)
		if !auth.CanWriteOutflowFrom(u, v.File.Facts(), o.Provider) {
			// Only a tampered form names a provider the form does not offer.
			form.Errors["provider"] = locale.T(lang, "v.outflow.provider")
			v.status = http.StatusBadRequest
		} else if form.Errors["date"] == "" && replacesOthers(u, v.File, o) {
			form.Errors["date"] = locale.T(lang, "v.outflow.other")
		}
		v.OutflowForm = form
		return func() error {
			if form.EndEnrollments {
				_, err := s.DB.SaveOutflowEnding(c.Request.Context(), core.CurrentUser(c).Username, o, s.Now())
				return err
			}
			return s.DB.SaveOutflow(c.Request.Context(), core.CurrentUser(c).Username, o, s.Now())
		}, len(form.Errors) == 0
	})
}

// replacesOthers reports whether outflow o would replace one that u may
// not change: the learner's outflow stored on the same date (the outflow's
// key) from a provider u may not name (auth.CanWriteOutflowFrom), so that
// no one rewrites another provider's figures.
func replacesOthers(u *domain.User, f *store.LearnerFile, o domain.Outflow) bool {
	facts := f.Facts()
	for _, old := range f.Outflows {
		if old.Date == o.Date && !auth.CanWriteOutflowFrom(u, facts, old.Provider) {
			return true
		}
	}
	return false
}

// saveFollowUp stores a learner's follow-up: the form is parsed, and
// domain.CheckFollowUpEntry (which the store asks again) says what is
// wrong, beside each field.
func (s *Handler) saveFollowUp(c *gin.Context) {
	s.learnerWrite(c, auth.WriteFollowUp, "followup", func(lang string, today domain.Date, v *learnerView) (func() error, bool) {
		form := followUpForm{Date: strings.TrimSpace(c.PostForm("date")), Status: c.PostForm("status"),
			Confirm: c.PostForm("confirm_before") == "1", Errors: map[string]string{}}
		fu := domain.FollowUp{Learner: v.ID, Status: form.Status}
		var msg string
		if fu.Date, msg = readDate(lang, form.Date); msg != "" {
			form.Errors["date"] = msg
		}
		placeErrors(lang, form.Errors, domain.CheckFollowUpEntry(&fu, today), nil)
		if latest, before := domain.FollowUpPrecedes(&fu, v.File.Outflows); before && form.Errors["date"] == "" && !form.Confirm {
			form.Errors["date"] = locale.T(lang, "v.followup.beforeoutflow", latest.String())
			form.Ask = true
		}
		v.FollowUpForm = form
		return func() error {
			return s.DB.SaveFollowUp(c.Request.Context(), core.CurrentUser(c).Username, fu, s.Now())
		}, len(form.Errors) == 0
	})
}

// wbChart is what app.js draws beside the level chart: the observed
// wellbeing and involvement over time (x: days since 1970-01-01, y: score).
type wbChart struct {
	Series []wbSeries `json:"series"`
	Scores []string   `json:"scores"` // the names of the points 1 … 5, index 0 unused
	Labels struct {
		Date  string `json:"date"`
		Score string `json:"score"`
	} `json:"labels"`
}

type wbSeries struct {
	Label  string       `json:"label"`
	Points []chartPoint `json:"points"`
}

// wellbeingChart builds the two series from a learner's observations (by
// date); an observation without one of the scores has no point in it.
func wellbeingChart(lang string, obs []domain.Observation) wbChart {
	ch := wbChart{Scores: []string{""}, Series: []wbSeries{{Label: locale.T(lang, "obs.wellbeing"), Points: []chartPoint{}},
		{Label: locale.T(lang, "obs.involvement"), Points: []chartPoint{}}}}
	for k := 1; k <= int(domain.MaxScore); k++ {
		ch.Scores = append(ch.Scores, strconv.Itoa(k)+" "+locale.T(lang, "score."+strconv.Itoa(k)))
	}
	ch.Labels.Date, ch.Labels.Score = locale.T(lang, "chart.date"), locale.T(lang, "obs.score")
	for _, o := range obs {
		if o.Wellbeing != 0 {
			ch.Series[0].Points = append(ch.Series[0].Points, chartPoint{X: epochDay(o.Date), Y: int(o.Wellbeing)})
		}
		if o.Involvement != 0 {
			ch.Series[1].Points = append(ch.Series[1].Points, chartPoint{X: epochDay(o.Date), Y: int(o.Involvement)})
		}
	}
	return ch
}
