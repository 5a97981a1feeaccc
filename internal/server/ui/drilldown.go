package ui

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/cache"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
)

// The drill-down: the cases behind one number of the dashboard, each with
// the class the engine gave it and why (indicator.ExplainFilter), a page of
// DrilldownPageSize at a time. A learner links to their page when the user
// may see them. Behind a number the dashboard suppresses, the list is
// refused as well: it would tell the count.

// DrilldownPageSize is how many cases one page lists.
const DrilldownPageSize = 1000

// drilldownView is the drill-down page.
type drilldownView struct {
	Title      string
	Breakdown  string // "aanbieder CVO-A", or ""
	Scope      string
	Total      int
	TotalText  string
	Showing    string
	Rows       []caseRow
	Pager      pager
	Back       string
	Exact      bool
	Suppressed bool   // the list was refused: a small cell (indicator.SmallCount)
	ExactLink  string // the same list with exact numbers, when the user may
	Workbook   string // the whole list as an .xlsx workbook
}

// caseRow is one case as the list shows it.
type caseRow struct {
	ID, Name, Href string // Href "" when the user may not open the learner
	Hidden         bool   // the user may not see this learner: no name, no number
	Anonymous      bool   // an anonymous survey response
	Class          string
	ClassLabel     string
	Pending        bool // nog lopend: the outcome cannot be known yet (indicator.Case.Pending)
	Provider       string
	Date           string
	Ref            string
	Detail         string
}

// drilldown lists the cases of one indicator (and class or count field,
// and breakdown key) for the dashboard's query.
func (s *Handler) drilldown(c *gin.Context) {
	x, ok := s.drilldownCases(c)
	if !ok {
		return
	}
	key := bodyKey{Page: "drilldown", Params: x.d.p, Filter: x.d.f, PageNo: x.d.page, Exact: x.d.exact, Lang: x.d.lang, Scope: userScope(x.d.u)}
	body, err := s.pages.Body(c.Request.Context(), x.e, key, x.tm, func(e *cache.Snapshot, tm *cache.Timing) ([]byte, error) {
		return s.drilldownBody(e, x.d, tm)
	})
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Header("Server-Timing", x.tm.Header())
	s.renderCached(c, http.StatusOK, "drilldown", body)
}

// drilldownList is a drill-down's cases as the user may have them.
type drilldownList struct {
	d     drilldownQuery
	e     *cache.Snapshot
	cases []indicator.Case
	tm    *cache.Timing
}

// drilldownCases reads the query of a drill-down (the page or its
// workbook) and its cases; on false it has answered: a bad query, or the
// refusal of a list behind a number the dashboard suppresses (it would
// tell the count), with the link to exact numbers when the user may.
func (s *Handler) drilldownCases(c *gin.Context) (*drilldownList, bool) {
	tm := &cache.Timing{}
	u := core.CurrentUser(c)
	ctx := c.Request.Context()
	lang := core.Lang(c)
	qv := c.Request.URL.Query()
	q, err := core.ParseIndicatorQuery(qv, domain.DateOf(s.Now()), true)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	if qv.Get("indicator") == "" {
		s.Fail(c, domain.Errorf(domain.EINVALID, "indicator is required"))
		return nil, false
	}
	f, err := indicator.ParseFilter(qv.Get("indicator"), qv.Get("class"), qv.Get("breakdown"))
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	page, err := pageParam(c)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	e, exact, allow, err := s.scopedData(c, &q, tm)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	cases, err := e.Cases(ctx, q.Params, f, tm)
	if err != nil {
		s.Fail(c, err)
		return nil, false
	}
	d := drilldownQuery{p: q.Params, f: f, page: page, exact: exact, lang: lang, u: u, url: c.Request.URL}
	if !exact && indicator.SmallCount(len(cases)) {
		v := d.view(e, len(cases))
		v.Suppressed, v.Total = true, 0
		if allow {
			x := c.Request.URL.Query()
			x.Set("exact", "1")
			v.ExactLink = strings.TrimSuffix(c.Request.URL.Path, ".xlsx") + "?" + x.Encode()
		}
		body, err := s.renderBody("drilldown", lang, v)
		if err != nil {
			s.Fail(c, err)
			return nil, false
		}
		c.Header("Server-Timing", tm.Header())
		s.Render(c, http.StatusForbidden, "drilldown", "", pageBody{Body: template.HTML(body)})
		return nil, false
	}
	if page > max(1, (len(cases)+DrilldownPageSize-1)/DrilldownPageSize) {
		s.Fail(c, core.ErrNotFound)
		return nil, false
	}
	return &drilldownList{d: d, e: e, cases: cases, tm: tm}, true
}

// drilldownQuery is what one drill-down page shows, for whom.
type drilldownQuery struct {
	p     indicator.Params
	f     indicator.Filter
	page  int
	exact bool
	lang  string
	u     *domain.User
	url   *url.URL // the page's address, for the pager's links
}

// view returns the parts of the page that do not list cases, for a list
// of total cases.
func (d drilldownQuery) view(e *cache.Snapshot, total int) *drilldownView {
	lang, f, p := d.lang, d.f, d.p
	scope := core.ScopeValues(p)
	if d.exact {
		scope.Set("exact", "1")
	}
	v := &drilldownView{Total: total, Exact: d.exact, Back: "/dashboard?" + scope.Encode(),
		Title: locale.T(lang, "drill.title", indicatorLabel(lang, f.Indicator), fieldLabel(lang, f.Indicator, f.Class))}
	if f.Breakdown != "" {
		v.Breakdown = locale.T(lang, "drill.breakdown", breakdownLabel(lang, f.Breakdown), breakdownKeyLabel(lang, f.Breakdown, f.Key))
	}
	prov := locale.T(lang, "dash.allproviders")
	if p.Provider != "" {
		prov = p.Provider + " – " + e.ProviderName(p.Provider)
	}
	v.Scope = locale.T(lang, "dash.scope", p.From, p.To, p.AsOf, prov)
	return v
}

// drilldownBody renders one page of the list from the data of e.
func (s *Handler) drilldownBody(e *cache.Snapshot, d drilldownQuery, tm *cache.Timing) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cache.LoadTimeout)
	defer cancel()
	cases, err := e.Cases(ctx, d.p, d.f, tm)
	if err != nil {
		return nil, err
	}
	v := d.view(e, len(cases))
	v.TotalText = locale.T(d.lang, "drill.count", locale.Number(len(cases)))
	wb := d.url.Query()
	wb.Del("page")
	v.Workbook = d.url.Path + ".xlsx?" + wb.Encode()
	v.Pager = pager{Page: d.page, Total: len(cases), Pages: max(1, (len(cases)+DrilldownPageSize-1)/DrilldownPageSize)}
	if d.page > v.Pager.Pages {
		return nil, core.ErrNotFound
	}
	link := func(n int) string {
		x := d.url.Query()
		x.Set("page", strconv.Itoa(n))
		return d.url.Path + "?" + x.Encode()
	}
	if d.page > 1 {
		v.Pager.Prev = link(d.page - 1)
	}
	if d.page < v.Pager.Pages {
		v.Pager.Next = link(d.page + 1)
	}
	lo, hi := (d.page-1)*DrilldownPageSize, min(d.page*DrilldownPageSize, len(cases))
	if len(cases) > 0 {
		v.Showing = locale.T(d.lang, "drill.showing", locale.Number(lo+1), locale.Number(hi), locale.Number(len(cases)))
	}
	if v.Rows, err = s.caseRows(d.lang, d.u, e, cases[lo:hi], tm); err != nil {
		return nil, err
	}
	return s.renderBody("drilldown", d.lang, v)
}

// caseRows turns cases into rows, with the learner's name and a link for
// the learners u may see (auth.CanSeeLearner, from the loaded data).
func (s *Handler) caseRows(lang string, u *domain.User, e *cache.Snapshot, cases []indicator.Case, tm *cache.Timing) ([]caseRow, error) {
	start := time.Now()
	names, err := e.LearnerNames()
	if err != nil {
		return nil, err
	}
	tm.Add("names", "wait", time.Since(start))
	visible := auth.CaseVisibility(u, indicator.CaseLearners(cases), e.ProviderLinks)
	rows := make([]caseRow, len(cases))
	for i := range cases {
		cs := &cases[i]
		ok := visible[cs.Learner]
		r := caseRow{Class: cs.Class, ClassLabel: fieldLabel(lang, cs.Indicator, cs.Class), Ref: cs.Ref}
		if cs.Pending { // its outcome cannot be known yet: no failure
			r.Pending, r.ClassLabel = true, fieldLabel(lang, cs.Indicator, "pending")
		}
		switch {
		case cs.Indicator == indicator.IndicatorSurvey:
			// A response is shown to whom may see its provider's answers;
			// one that names a learner links to them only for whom may see
			// that learner. Its comment is never part of it.
			r.Ref = fieldLabel(lang, cs.Indicator, cs.Ref+".responses")
			switch {
			case !auth.CanSeeResponse(u, cs.Provider):
				r.Hidden = true
			case cs.Learner == "":
				r.Anonymous, r.Detail = true, cs.Detail.In(lang)
			case ok:
				r.ID, r.Name, r.Href, r.Detail = cs.Learner, names[cs.Learner], "/learners/"+url.PathEscape(cs.Learner), cs.Detail.In(lang)
			default:
				r.Hidden = true
			}
		case ok:
			r.ID, r.Name, r.Href, r.Detail = cs.Learner, names[cs.Learner], "/learners/"+url.PathEscape(cs.Learner), cs.Detail.In(lang)
		default:
			r.Hidden = true
		}
		r.Provider = cs.Provider
		if len(cs.Providers) > 1 {
			r.Provider = strings.Join(cs.Providers, ", ")
		}
		if cs.Date != 0 {
			r.Date = cs.Date.String()
		}
		rows[i] = r
	}
	return rows, nil
}
