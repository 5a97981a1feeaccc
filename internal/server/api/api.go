// Package api is the read-only JSON API, /api/v1, for scripts: signed in
// with an API token (`traject token create`) as "Authorization: Bearer
// trj_…", never with the browser's session cookie. The indicators are the
// JSON form of spec/indicators.md, byte for byte what `traject indicators
// --format json` writes; the learners are those the token's owner may see.
// Errors are {"error": {"code": …, "message": …}} with the status of
// core.StatusOf, all written by core's one JSON error writer
// (App.FailJSON). The routes are described by openapi.go, served at
// /api/v1/openapi.json.
package api

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/signal"
	"github.com/traject-nt2/traject/internal/store"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// apiMaxPerPage is the largest page of learners the API returns.
const apiMaxPerPage = 1000

// Handler serves the API.
type Handler struct {
	*core.App
	cache *cache.Cache // the dashboard's, shared with the pages
}

// New returns the API over app, reading indicators from c.
func New(app *core.App, c *cache.Cache) *Handler { return &Handler{App: app, cache: c} }

// Routes registers the API on r, with its own authentication (bearer) and
// its own error answers (JSON).
func (h *Handler) Routes(r *gin.Engine) {
	r.GET(Prefix+"/openapi.json", h.openAPI)
	api := r.Group(Prefix, h.bearer)
	api.GET("/indicators", h.requireAPI(auth.ViewIndicators), h.apiIndicators)
	api.GET("/indicators/explain", h.requireAPI(auth.ViewIndicators), h.apiExplain)
	api.GET("/learners", h.requireAPI(auth.ViewLearner), h.apiLearners)
	api.GET("/learners/:id", h.requireAPI(auth.ViewLearner), h.apiLearner)
}

// bearer signs the request in with its API token. A missing, malformed,
// unknown, expired or revoked token, or one of a disabled account, is 401.
func (h *Handler) bearer(c *gin.Context) {
	header := strings.TrimSpace(c.GetHeader("Authorization"))
	if header == "" {
		h.FailJSON(c, domain.Errorf(auth.EUNAUTHORIZED, "an API token is required: send Authorization: Bearer trj_… (traject token create)"))
		return
	}
	scheme, token, _ := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	invalid := func(msg string) {
		c.Header("WWW-Authenticate", `Bearer realm="traject", error="invalid_token", error_description="`+msg+`"`)
		h.FailJSON(c, domain.Errorf(auth.EUNAUTHORIZED, "%s", msg))
	}
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		invalid("use Authorization: Bearer with an API token")
		return
	}
	u, _, err := h.DB.FindToken(c.Request.Context(), token, h.Now())
	switch domain.ErrorCode(err) {
	case "":
	case domain.ENOTFOUND:
		invalid("unknown API token")
		return
	case auth.EUNAUTHORIZED:
		invalid(err.Error())
		return
	default:
		h.FailJSON(c, err)
		return
	}
	core.SetUser(c, u)
	c.Next()
}

// requireAPI refuses tokens whose owner's role never allows a (403).
func (h *Handler) requireAPI(a auth.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := auth.Authorize(core.CurrentUser(c), a); err != nil {
			h.FailJSON(c, err)
			return
		}
		c.Next()
	}
}

// checkParams refuses query parameters outside allowed, and parameters
// given twice, so that a typo (asof for as_of) is an error rather than a
// silently different answer.
func checkParams(q url.Values, allowed ...[]string) error {
	for k, vs := range q {
		if len(vs) > 1 {
			return domain.Errorf(domain.EINVALID, "parameter %q is given %d times", k, len(vs))
		}
		ok := false
		for _, list := range allowed {
			if slices.Contains(list, k) {
				ok = true
			}
		}
		if !ok {
			var all []string
			for _, list := range allowed {
				all = append(all, list...)
			}
			return domain.Errorf(domain.EINVALID, "unknown parameter %q (use %s)", k, strings.Join(all, ", "))
		}
	}
	return nil
}

// queryBool reads an optional true/false parameter.
func queryBool(q url.Values, name string) (bool, error) {
	switch v := strings.ToLower(strings.TrimSpace(q.Get(name))); v {
	case "", "false", "0", "no":
		return false, nil
	case "true", "1", "yes":
		return true, nil
	default:
		return false, domain.Errorf(domain.EINVALID, "%s: %q is not true or false", name, v)
	}
}

// apiScope reads the indicator parameters of an API request and checks the
// provider against the token's owner (scopeProvider: a coordinator names
// one of their own).
func (h *Handler) apiScope(c *gin.Context, tm *cache.Timing, extra ...string) (core.IndicatorQuery, *cache.Snapshot, error) {
	qv := c.Request.URL.Query()
	if err := checkParams(qv, core.ParamNames, extra); err != nil {
		return core.IndicatorQuery{}, nil, err
	}
	q, err := core.ParseIndicatorQuery(qv, domain.DateOf(h.Now()), false)
	if err != nil {
		return q, nil, err
	}
	e, err := h.cache.Snapshot(c.Request.Context(), tm)
	if err != nil {
		return q, nil, err
	}
	q.Params.Provider, err = auth.IndicatorProvider(core.CurrentUser(c), q.Params.Provider, e.HasProvider, false)
	return q, e, err
}

// apiIndicators answers GET /api/v1/indicators: the JSON form of
// spec/indicators.md, as `traject indicators --format json` writes it.
func (h *Handler) apiIndicators(c *gin.Context) {
	tm := &cache.Timing{}
	q, e, err := h.apiScope(c, tm, "suppress")
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	suppress, err := queryBool(c.Request.URL.Query(), "suppress")
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	x, err := e.Result(c.Request.Context(), q.Params, tm)
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	res := x.Result
	if suppress {
		res = x.Suppressed
	}
	var buf bytes.Buffer
	if err := indicator.WriteJSON(&buf, res); err != nil {
		h.FailJSON(c, err)
		return
	}
	c.Header("Server-Timing", tm.Header())
	c.Data(http.StatusOK, "application/json; charset=utf-8", buf.Bytes())
}

// apiCaseList is the answer of GET /api/v1/indicators/explain.
type apiCaseList struct {
	Period     indicator.Period     `json:"period"`
	Provider   *string              `json:"provider"`
	Parameters indicator.Parameters `json:"parameters"`
	Indicator  string               `json:"indicator"`
	Class      *string              `json:"class"`
	Breakdown  *string              `json:"breakdown"`
	Count      int                  `json:"count"`
	Cases      []Case               `json:"cases"`
}

// Case is one case (indicator.Case) in JSON; fields that do not belong
// to the case's indicator are left out.
type Case struct {
	Indicator   string            `json:"indicator"`
	Class       string            `json:"class"`
	Learner     *string           `json:"learner"` // null: a learner the token's owner may not see
	Provider    *string           `json:"provider"`
	Providers   []string          `json:"providers,omitempty"`
	Date        *string           `json:"date"`
	Ref         string            `json:"ref,omitempty"`
	Evidence    *string           `json:"evidence,omitempty"`
	Deadline    *string           `json:"deadline,omitempty"`
	Days        *int              `json:"days,omitempty"`
	DaysToStart *int              `json:"days_to_start,omitempty"`
	WaitingList *bool             `json:"waiting_list,omitempty"`
	Hours       *float64          `json:"hours,omitempty"`
	Planned     *float64          `json:"planned_hours,omitempty"`
	Skills      []apiSkillCase    `json:"skills,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	Destination string            `json:"destination,omitempty"`
	Status      string            `json:"status,omitempty"`
	Score       *int              `json:"score,omitempty"`
	FirstScore  *int              `json:"first_score,omitempty"`
	FirstDate   *string           `json:"first_date,omitempty"`
	Dates       *int              `json:"dates,omitempty"`
	Attributes  map[string]string `json:"attributes"`
	Detail      string            `json:"detail,omitempty"`
}

// apiSkillCase is one skill of a learning-gain case.
type apiSkillCase struct {
	Skill        string  `json:"skill"`
	BaselineDate *string `json:"baseline_date"`
	Baseline     *string `json:"baseline"`
	EndDate      *string `json:"end_date"`
	End          *string `json:"end"`
	Gain         *int    `json:"gain"`
}

// apiExplain answers GET /api/v1/indicators/explain: the cases behind one
// number (indicator, class or count field, breakdown=name=key), as
// `traject indicators explain` lists them.
func (h *Handler) apiExplain(c *gin.Context) {
	tm := &cache.Timing{}
	q, e, err := h.apiScope(c, tm, []string{"indicator", "class", "breakdown"}...)
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	qv := c.Request.URL.Query()
	if qv.Get("indicator") == "" {
		h.FailJSON(c, domain.Errorf(domain.EINVALID, "indicator is required (%s)", strings.Join(indicator.IndicatorNames[:], ", ")))
		return
	}
	f, err := indicator.ParseFilter(qv.Get("indicator"), qv.Get("class"), qv.Get("breakdown"))
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	cases, err := e.Cases(c.Request.Context(), q.Params, f, tm)
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	u := core.CurrentUser(c)
	visible := auth.CaseVisibility(u, indicator.CaseLearners(cases), e.ProviderLinks)
	lang := detailLang(c.GetHeader("Accept-Language"))
	p := q.Params
	out := apiCaseList{Period: indicator.Period{From: p.From, To: p.To, AsOf: p.AsOf}, Provider: optString(p.Provider),
		Parameters: indicator.Parameters{StatutoryMonths: p.StatutoryMonths, WaitingListMonths: p.WaitingListMonths,
			GraceDays: p.GraceDays, MinHours: p.MinHours, FollowupMonths: p.FollowupMonths},
		Indicator: f.Indicator, Class: optString(f.Class), Count: len(cases), Cases: make([]Case, len(cases))}
	if f.Breakdown != "" {
		out.Breakdown = optString(f.Breakdown + "=" + f.Key)
	}
	for i := range cases {
		cs := &cases[i]
		ok := visible[cs.Learner]
		if cs.Indicator == indicator.IndicatorSurvey {
			ok = auth.CanSeeResponse(u, cs.Provider) && (cs.Learner == "" || ok)
		}
		out.Cases[i] = newAPICase(cs, ok, lang)
	}
	c.Header("Content-Language", lang)
	c.Header("Server-Timing", tm.Header())
	c.PureJSON(http.StatusOK, out)
}

// newAPICase converts one case, its explanation written in lang; without
// visible, the learner and the explanation (which names dates of their
// record) are left out.
func newAPICase(cs *indicator.Case, visible bool, lang string) Case {
	a := Case{Indicator: cs.Indicator, Class: cs.Class, Provider: optString(cs.Provider), Providers: cs.Providers,
		Date: optDate(cs.Date), Ref: cs.Ref, Evidence: optDate(cs.Evidence), Reason: cs.Reason,
		Destination: cs.Destination, Status: cs.Status, Attributes: map[string]string{}}
	if visible {
		a.Detail = cs.Detail.In(lang)
		if cs.Learner != "" { // "": an anonymous survey answer
			a.Learner = &cs.Learner
		}
	}
	for _, name := range indicator.BreakdownNames[1:] {
		if k := cs.Attributes.Key(name); k != "" {
			a.Attributes[name] = k
		}
	}
	switch cs.Indicator {
	case indicator.IndicatorAccess:
		a.Deadline, a.Days, a.DaysToStart = optDate(cs.Deadline), cs.Days, cs.DaysToStart
		a.WaitingList = &cs.WaitingList
	case indicator.IndicatorProgress, indicator.IndicatorCertification:
		a.Hours, a.Planned = &cs.Hours, &cs.Planned
	case indicator.IndicatorWellbeing, indicator.IndicatorInvolvement:
		score, first, dates := int(cs.Score), int(cs.First), cs.Dates
		a.Score, a.FirstScore, a.FirstDate, a.Dates = &score, &first, optDate(cs.FirstDate), &dates
	case indicator.IndicatorSurvey:
		score := int(cs.Score)
		a.Score = &score
	case indicator.IndicatorLearningGain:
		a.Hours = &cs.Hours
		for _, s := range cs.Skills {
			a.Skills = append(a.Skills, apiSkillCase{Skill: s.Skill, BaselineDate: optDate(s.BaselineDate),
				Baseline: optLevel(s.Baseline), EndDate: optDate(s.EndDate), End: optLevel(s.End), Gain: s.Gain})
		}
	}
	return a
}

// LearnerPage is the answer of GET /api/v1/learners.
type LearnerPage struct {
	Total    int                 `json:"total"`
	Page     int                 `json:"page"`
	PerPage  int                 `json:"per_page"`
	Pages    int                 `json:"pages"`
	AsOf     string              `json:"as_of"`
	Learners []apiLearnerSummary `json:"learners"`
}

// apiLearnerSummary is one learner of a list.
type apiLearnerSummary struct {
	ID         string    `json:"id"`
	FirstName  string    `json:"first_name"`
	LastName   string    `json:"last_name"`
	Counsellor string    `json:"counsellor"`
	Flags      []apiFlag `json:"flags"`
}

// apiFlag is a flag raised on a learner (signal.Flag).
type apiFlag struct {
	Kind string `json:"kind"`
	Days *int   `json:"days,omitempty"`
}

// apiLearners answers GET /api/v1/learners: the learners the token's owner
// may see (auth.LearnerFilter), searched by name or number (q), filtered on
// a flag, by name, a page at a time.
func (h *Handler) apiLearners(c *gin.Context) {
	qv := c.Request.URL.Query()
	if err := checkParams(qv, []string{"q", "flag", "page", "per_page"}); err != nil {
		h.FailJSON(c, err)
		return
	}
	page, perPage := 1, store.DefaultPageSize
	if err := core.QueryInt(qv, "page", &page); err != nil {
		h.FailJSON(c, err)
		return
	}
	if err := core.QueryInt(qv, "per_page", &perPage); err != nil {
		h.FailJSON(c, err)
		return
	}
	if page < 1 || page > 1_000_000 || perPage < 1 || perPage > apiMaxPerPage {
		h.FailJSON(c, domain.Errorf(domain.EINVALID, "page must be 1 or more and per_page from 1 to %d", apiMaxPerPage))
		return
	}
	asOf := domain.DateOf(h.Now())
	res, err := h.DB.FindLearners(c.Request.Context(), core.CurrentUser(c), store.LearnerQuery{Search: strings.TrimSpace(qv.Get("q")),
		Flag: qv.Get("flag"), AsOf: asOf, Offset: (page - 1) * perPage, Limit: perPage})
	if err != nil {
		h.FailJSON(c, err)
		return
	}
	out := LearnerPage{Total: res.Total, Page: page, PerPage: perPage, Pages: max(1, (res.Total+perPage-1)/perPage),
		AsOf: asOf.String(), Learners: make([]apiLearnerSummary, len(res.Learners))}
	for i, l := range res.Learners {
		out.Learners[i] = apiLearnerSummary{ID: l.ID, FirstName: l.FirstName, LastName: l.LastName, Counsellor: l.Counsellor,
			Flags: apiFlags(l.Flags)}
	}
	c.PureJSON(http.StatusOK, out)
}

// apiFlags converts flags; days only where they mean something.
func apiFlags(fs []signal.Flag) []apiFlag {
	out := make([]apiFlag, len(fs))
	for i, f := range fs {
		out[i] = apiFlag{Kind: f.Kind}
		if f.Kind == signal.Overdue || f.Kind == signal.DeadlineSoon {
			d := f.Days
			out[i].Days = &d
		}
	}
	return out
}

// apiLearnerFile is the answer of GET /api/v1/learners/{id}: the learner
// and their whole trajectory, with the columns of spec/interchange.md.
type apiLearnerFile struct {
	Learner      apiLearner       `json:"learner"`
	Flags        []apiFlag        `json:"flags"`
	Goals        []apiGoal        `json:"goals"`
	Referrals    []apiReferral    `json:"referrals"`
	Placements   []apiPlacement   `json:"placements"`
	Enrollments  []apiEnrollment  `json:"enrollments"`
	Evaluations  []apiEvaluation  `json:"evaluations"`
	Certificates []apiCertificate `json:"certificates"`
	Outflows     []apiOutflow     `json:"outflows"`
	FollowUps    []apiFollowUp    `json:"followups"`
}

// apiLearner is the learner's own record.
type apiLearner struct {
	ID             string  `json:"id"`
	FirstName      string  `json:"first_name"`
	LastName       string  `json:"last_name"`
	BirthDate      *string `json:"birth_date"`
	Gender         string  `json:"gender"`
	HomeLanguage   string  `json:"home_language"`
	CountryOfBirth string  `json:"country_of_birth"`
	SchoolingLevel string  `json:"schooling_level"`
	SchoolingYears *int    `json:"schooling_years"`
	Literacy       string  `json:"literacy"`
	LearningRoute  string  `json:"learning_route"`
	CivicStatus    string  `json:"civic_status"`
	Perspective    string  `json:"perspective"`
	Counsellor     string  `json:"counsellor"`
}

// apiGoal is an individual goal for one skill.
type apiGoal struct {
	Skill       string  `json:"skill"`
	TargetLevel *string `json:"target_level"`
	SetDate     *string `json:"set_date"`
	TargetDate  *string `json:"target_date"`
}

// apiReferral is a referral.
type apiReferral struct {
	Date     *string `json:"date"`
	Source   string  `json:"source"`
	Provider *string `json:"provider"`
}

// apiLevels are levels per skill, null where a skill was not assessed.
type apiLevels struct {
	Listening         *string `json:"listening"`
	Reading           *string `json:"reading"`
	SpokenInteraction *string `json:"spoken_interaction"`
	SpokenProduction  *string `json:"spoken_production"`
	Writing           *string `json:"writing"`
}

// apiPlacement is a placement with its entry levels.
type apiPlacement struct {
	Date   *string   `json:"date"`
	Module string    `json:"module"`
	Method string    `json:"method"`
	Levels apiLevels `json:"levels"`
}

// apiEnrollment is an enrollment with what the learner page shows of its group.
type apiEnrollment struct {
	Group         string  `json:"group"`
	Module        string  `json:"module"`
	Provider      string  `json:"provider"`
	Teacher       *string `json:"teacher"`
	StartDate     *string `json:"start_date"`
	EndDate       *string `json:"end_date"`
	Status        string  `json:"status"`
	HoursAttended float64 `json:"hours_attended"`
	GroupStart    *string `json:"group_start_date"`
	GroupEnd      *string `json:"group_end_date"`
	PlannedHours  int     `json:"planned_hours"`
}

// apiEvaluation is an evaluation (group null for an external test).
type apiEvaluation struct {
	Group     *string   `json:"group"`
	Date      *string   `json:"date"`
	Kind      string    `json:"kind"`
	Levels    apiLevels `json:"levels"`
	Decision  string    `json:"decision"`
	Evaluator *string   `json:"evaluator"`
	Feedback  *string   `json:"feedback"`
}

// apiCertificate is a certificate.
type apiCertificate struct {
	Kind   string  `json:"kind"`
	Module *string `json:"module"`
	Date   *string `json:"date"`
	Number *string `json:"number"`
	Level  *string `json:"level"`
}

// apiOutflow is an outflow.
type apiOutflow struct {
	Date        *string `json:"date"`
	Type        string  `json:"type"`
	Reason      *string `json:"reason"`
	Destination *string `json:"destination"`
	Provider    *string `json:"provider"`
}

// apiFollowUp is a follow-up.
type apiFollowUp struct {
	Date   *string `json:"date"`
	Status string  `json:"status"`
}

// apiLearner answers GET /api/v1/learners/{id}: 403 for a learner the
// token's owner may not see (and, except for an admin, for one that does
// not exist, which looks the same).
func (h *Handler) apiLearner(c *gin.Context) {
	if err := checkParams(c.Request.URL.Query(), nil); err != nil {
		h.FailJSON(c, err)
		return
	}
	f, err := h.DB.FindLearner(c.Request.Context(), c.Param("id"), domain.DateOf(h.Now()))
	if err != nil {
		h.FailJSON(c, core.ForbiddenOrNotFound(c, err))
		return
	}
	u := core.CurrentUser(c)
	if !auth.CanSeeLearner(u, f.Facts()) {
		h.FailJSON(c, auth.Forbidden(auth.ViewLearner))
		return
	}
	// A read of a learner is recorded, as on the learner page (issue 18).
	if err := h.DB.RecordLearnerView(c.Request.Context(), u.Username, f.Learner.ID, h.Now()); err != nil {
		h.FailJSON(c, err)
		return
	}
	c.PureJSON(http.StatusOK, newAPILearnerFile(f))
}

// newAPILearnerFile converts a learner page's data.
func newAPILearnerFile(f *store.LearnerFile) apiLearnerFile {
	l := &f.Learner
	out := apiLearnerFile{Learner: apiLearner{ID: l.ID, FirstName: l.FirstName, LastName: l.LastName, BirthDate: optDate(l.BirthDate),
		Gender: l.Gender, HomeLanguage: l.HomeLanguage, CountryOfBirth: l.CountryOfBirth, SchoolingLevel: l.SchoolingLevel,
		SchoolingYears: l.SchoolingYears, Literacy: l.Literacy, LearningRoute: l.LearningRoute, CivicStatus: l.CivicStatus,
		Perspective: l.Perspective, Counsellor: l.Counsellor},
		Flags: apiFlags(f.Flags), Goals: []apiGoal{}, Referrals: []apiReferral{}, Placements: []apiPlacement{},
		Enrollments: []apiEnrollment{}, Evaluations: []apiEvaluation{}, Certificates: []apiCertificate{},
		Outflows: []apiOutflow{}, FollowUps: []apiFollowUp{}}
	for _, g := range f.Goals {
		out.Goals = append(out.Goals, apiGoal{Skill: g.Skill.String(), TargetLevel: optLevel(g.TargetLevel),
			SetDate: optDate(g.SetDate), TargetDate: optDate(g.TargetDate)})
	}
	for _, r := range f.Referrals {
		out.Referrals = append(out.Referrals, apiReferral{Date: optDate(r.Date), Source: r.Source, Provider: optString(r.Provider)})
	}
	for _, p := range f.Placements {
		out.Placements = append(out.Placements, apiPlacement{Date: optDate(p.Date), Module: p.Module, Method: p.Method, Levels: levelsJSON(p.Levels)})
	}
	for _, e := range f.Enrollments {
		out.Enrollments = append(out.Enrollments, apiEnrollment{Group: e.Group, Module: e.Module, Provider: e.Provider,
			Teacher: optString(e.Teacher), StartDate: optDate(e.StartDate), EndDate: optDate(e.EndDate), Status: e.Status,
			HoursAttended: e.HoursAttended, GroupStart: optDate(e.GroupStart), GroupEnd: optDate(e.GroupEnd), PlannedHours: e.PlannedHours})
	}
	for _, ev := range f.Evaluations {
		out.Evaluations = append(out.Evaluations, apiEvaluation{Group: optString(ev.Group), Date: optDate(ev.Date), Kind: ev.Kind,
			Levels: levelsJSON(ev.Levels), Decision: ev.Decision, Evaluator: optString(ev.Evaluator), Feedback: optString(ev.Feedback)})
	}
	for _, ct := range f.Certificates {
		out.Certificates = append(out.Certificates, apiCertificate{Kind: ct.Kind, Module: optString(ct.Module), Date: optDate(ct.Date),
			Number: optString(ct.Number), Level: optLevel(ct.Level)})
	}
	for _, o := range f.Outflows {
		out.Outflows = append(out.Outflows, apiOutflow{Date: optDate(o.Date), Type: o.Type, Reason: optString(o.Reason),
			Destination: optString(o.Destination), Provider: optString(o.Provider)})
	}
	for _, fu := range f.FollowUps {
		out.FollowUps = append(out.FollowUps, apiFollowUp{Date: optDate(fu.Date), Status: fu.Status})
	}
	return out
}

// levelsJSON converts levels per skill.
func levelsJSON(ls domain.Levels) apiLevels {
	return apiLevels{Listening: optLevel(ls[domain.Listening]), Reading: optLevel(ls[domain.Reading]),
		SpokenInteraction: optLevel(ls[domain.SpokenInteraction]), SpokenProduction: optLevel(ls[domain.SpokenProduction]),
		Writing: optLevel(ls[domain.Writing])}
}

// optString is s, or nil (null) when blank.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optDate is d as YYYY-MM-DD, or nil (null) when blank.
func optDate(d domain.Date) *string {
	if d == 0 {
		return nil
	}
	s := d.String()
	return &s
}

// optLevel is the ladder code of l, or nil (null) for NoLevel.
func optLevel(l domain.Level) *string {
	if !l.Valid() {
		return nil
	}
	s := l.String()
	return &s
}
