package ui

import (
	"bytes"
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/signal"
	"github.com/traject-nt2/traject/internal/store"
)

// The counsellor's worklist (issue 20) on the learner list (Mijn lerenden):
// every learner the user may see, the most urgent first, with counts per
// flag that filter the list, a status, the current groups and providers,
// the notice of goals past their target date, an Excel export of exactly
// the rows the page lists, and per flag "afgehandeld" or "uitstellen tot".
// A handled or snoozed flag is left out of the counts, the filters and the
// order until "toon afgehandelde" asks for it; the flags themselves stay
// those of spec/early-warning.md (internal/signal).

// worklistKinds are what the worklist counts and filters on: the flags, and
// the goal notice (not a flag of the spec, and never in the early warning's
// baseline).
var worklistKinds = append(slices.Clone(signal.Kinds), signal.GoalOverdue)

// urgencyOrder ranks the kinds for the urgency sort, most urgent first: a
// legal deadline already missed, one about to be, a learner not doing well
// now, an enrollment running blind (no evaluation, no placement), then the
// paperwork of those who left, then the goal notice.
var urgencyOrder = []string{signal.Overdue, signal.DeadlineSoon, signal.LowWellbeing, signal.NoEvaluation,
	signal.NoPlacement, signal.NoReason, signal.NoFollowUp, signal.GoalOverdue}

// rowMark is one flag or the goal notice of a learner on the worklist.
type rowMark struct {
	signal.Flag
	Since    domain.Date
	Text     string               // in the page's language
	Handling *domain.FlagHandling // of this situation; nil when none
	Hidden   bool                 // the handling hides it today
	State    string               // the handling in the page's language ("afgehandeld", "uitgesteld tot …"); "" for none
	rank     int                  // in urgencyOrder
}

// Snoozed reports whether the mark is put off (rather than handled).
func (m rowMark) Snoozed() bool { return m.Handling != nil && m.Handling.Until != 0 }

// worklistRow is one learner on the worklist.
type worklistRow struct {
	store.WorkItem
	Marks       []rowMark // shown: by urgency; handled ones only with "toon afgehandelde"
	StatusLabel string
	hidden      int // marks left out because they are handled
	last, first []byte
	riskRank    int // the rank of the learner's highest estimate today, 0 without one (risk.go)
}

// listSort is one order of the list, chosen with ?sort=. A column of its
// own (such as the early warning's risk) adds its sort here.
type listSort struct {
	Key     string
	Label   string // catalogue key
	Compare func(a, b *worklistRow) int
}

// listSorts are the orders of the list; the first is the default.
var listSorts = []listSort{
	{"urgency", "worklist.sort.urgency", byUrgency},
	{"name", "worklist.sort.name", byName},
	{"risk", "warning.sort.risk", byRisk},
}

// byName orders rows in Dutch order of last and first name, then number.
func byName(a, b *worklistRow) int {
	if r := bytes.Compare(a.last, b.last); r != 0 {
		return r
	}
	if r := bytes.Compare(a.first, b.first); r != 0 {
		return r
	}
	return cmp.Compare(a.ID, b.ID)
}

// byUrgency orders rows by their most urgent shown mark (urgencyOrder),
// then within one kind the longest overdue (or the nearest deadline) first,
// then the most marks, then by name; rows without a mark come last.
func byUrgency(a, b *worklistRow) int {
	ra, rb := len(urgencyOrder), len(urgencyOrder)
	if len(a.Marks) > 0 {
		ra = a.Marks[0].rank
	}
	if len(b.Marks) > 0 {
		rb = b.Marks[0].rank
	}
	if r := cmp.Compare(ra, rb); r != 0 {
		return r
	}
	if ra < len(urgencyOrder) {
		switch da, db := a.Marks[0].Days, b.Marks[0].Days; urgencyOrder[ra] {
		case signal.Overdue:
			if r := cmp.Compare(db, da); r != 0 {
				return r
			}
		case signal.DeadlineSoon:
			if r := cmp.Compare(da, db); r != 0 {
				return r
			}
		}
	}
	if r := cmp.Compare(len(b.Marks), len(a.Marks)); r != 0 {
		return r
	}
	return byName(a, b)
}

// flagCount is one of the counts at the top of the list, a filter.
type flagCount struct {
	Kind, Label, Link string
	N                 int
	Active            bool
}

// learnersView is the learner list with its worklist.
type learnersView struct {
	Rows           []*worklistRow // this page's
	Risk           *riskColumn    // the early warning's column (risk.go)
	Counts         []flagCount    // per kind, in urgencyOrder
	Search         string
	Flag           string
	Status         string
	Sort           string
	ShowHandled    bool
	Hidden         int // handled or snoozed flags left out
	Statuses       []choice
	Sorts          []choice
	Pager          pager
	ShowCounsellor bool
	CanHandle      bool // the user may handle flags (who may write a follow-up)
	AsOf           string
	Tomorrow       string // the first day a snooze may end
	Back           string // this list's address, for the forms to come back to
	ExportURL      string
	Erased         string // the pseudonym of a learner just erased
	ScrubFailed    bool   // that erasure could not overwrite the freed space
	Saved          string // catalogue key of a handling just saved
	Error          string // a handling refused, in the page's language
}

// worklistQuery is what the list's address asks for.
type worklistQuery struct {
	search, flag, status, sort string
	showHandled                bool
}

// readWorklistQuery reads and checks the list's parameters.
func readWorklistQuery(q url.Values) (worklistQuery, error) {
	w := worklistQuery{search: strings.TrimSpace(q.Get("q")), flag: q.Get("flag"), status: q.Get("status"),
		sort: q.Get("sort"), showHandled: q.Get("handled") == "1"}
	switch {
	case w.flag != "" && !slices.Contains(worklistKinds, w.flag):
		return w, core.BadRequest("unknown flag")
	case w.status != "" && !slices.Contains(signal.Statuses, w.status):
		return w, core.BadRequest("unknown status")
	case w.sort != "" && !slices.ContainsFunc(listSorts, func(s listSort) bool { return s.Key == w.sort }):
		return w, core.BadRequest("unknown sort")
	}
	if w.sort == "" {
		w.sort = listSorts[0].Key
	}
	return w, nil
}

// values is the query as an address's parameters, without the defaults.
func (w worklistQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": w.search, "flag": w.flag, "status": w.status} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if w.sort != listSorts[0].Key {
		v.Set("sort", w.sort)
	}
	if w.showHandled {
		v.Set("handled", "1")
	}
	return v
}

// worklistRows returns the rows the list shows for w, filtered and sorted
// (all pages), and the counts per kind over the rows before the flag filter.
func (s *Handler) worklistRows(c *gin.Context, w worklistQuery, now riskNow) ([]*worklistRow, map[string]int, int, error) {
	lang := core.Lang(c)
	today := domain.DateOf(s.Now())
	items, err := s.DB.Worklist(c.Request.Context(), core.CurrentUser(c), store.WorklistQuery{Search: w.search, AsOf: today})
	if err != nil {
		return nil, nil, 0, err
	}
	coll := core.NewCollator()
	counts := map[string]int{}
	hidden := 0
	var rows []*worklistRow
	for _, it := range items {
		r := &worklistRow{WorkItem: it, StatusLabel: locale.T(lang, "worklist.status."+it.Status),
			last: coll.Key(it.LastName), first: coll.Key(it.FirstName)}
		for i, f := range it.Flags {
			r.add(lang, rowMark{Flag: f, Since: it.Since[i], Text: flagText(lang, f)}, today, w.showHandled)
		}
		if len(it.Goals) > 0 {
			r.add(lang, rowMark{Flag: signal.Flag{Kind: signal.GoalOverdue}, Since: signal.GoalNoticeSince(it.Goals),
				Text: goalsText(lang, it.Goals)}, today, w.showHandled)
		}
		slices.SortStableFunc(r.Marks, func(a, b rowMark) int { return cmp.Compare(a.rank, b.rank) })
		r.riskRank = now.rankOf(it.ID)
		hidden += r.hidden
		if w.status != "" && it.Status != w.status {
			continue
		}
		for _, m := range r.Marks {
			counts[m.Kind]++
		}
		if w.flag != "" && !slices.ContainsFunc(r.Marks, func(m rowMark) bool { return m.Kind == w.flag }) {
			continue
		}
		rows = append(rows, r)
	}
	for _, ls := range listSorts {
		if ls.Key == w.sort {
			slices.SortFunc(rows, ls.Compare)
		}
	}
	return rows, counts, hidden, nil
}

// add puts m on the row, with the handling of its situation, unless that
// handling hides it today and handled marks are not asked for.
func (r *worklistRow) add(lang string, m rowMark, today domain.Date, showHandled bool) {
	m.rank = slices.Index(urgencyOrder, m.Kind)
	for i := range r.Handlings {
		if h := &r.Handlings[i]; h.Kind == m.Kind && h.Since == m.Since {
			m.Handling, m.Hidden = h, h.Handled(today)
			if m.Hidden {
				m.State = handlingText(lang, m)
			}
		}
	}
	if m.Hidden && !showHandled {
		r.hidden++
		return
	}
	r.Marks = append(r.Marks, m)
}

// flagText describes a flag in lang, as the pages' Flag does.
func flagText(lang string, f signal.Flag) string {
	switch f.Kind {
	case signal.Overdue, signal.DeadlineSoon:
		return locale.T(lang, "flag."+f.Kind+".days", f.Days)
	}
	return locale.T(lang, "flag."+f.Kind)
}

// goalsText describes the goals past their target date, the skills of one
// target level and date together: "Doel over datum: luisteren, lezen B1
// (streefdatum 2026-01-31)".
func goalsText(lang string, ns []signal.GoalNotice) string {
	var parts []string
	for i := 0; i < len(ns); {
		j, skills := i, []string{}
		for ; j < len(ns) && ns[j].TargetDate == ns[i].TargetDate && ns[j].Target == ns[i].Target; j++ {
			skills = append(skills, locale.Skill(lang, ns[j].Skill))
		}
		parts = append(parts, locale.T(lang, "worklist.goal", strings.Join(skills, ", "), ns[i].Target.String(), ns[i].TargetDate.String()))
		i = j
	}
	return locale.T(lang, "flag."+signal.GoalOverdue) + ": " + strings.Join(parts, "; ")
}

// learners shows the learner list as a worklist, 50 a page.
func (s *Handler) learners(c *gin.Context) {
	s.renderLearners(c, c.Request.URL.Query(), http.StatusOK, "")
}

// renderLearners renders the list that the parameters q ask for, with a
// message of a handling refused (errText, "" for none).
func (s *Handler) renderLearners(c *gin.Context, q url.Values, status int, errText string) {
	page, err := strconv.Atoi(cmp.Or(q.Get("page"), "1"))
	if err != nil || page < 1 || page > 1_000_000 {
		s.Fail(c, core.BadRequest("bad page"))
		return
	}
	w, err := readWorklistQuery(q)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := core.CurrentUser(c)
	lang := core.Lang(c)
	today := domain.DateOf(s.Now())
	now, err := s.riskOn(c.Request.Context(), today)
	if err != nil {
		s.Fail(c, err)
		return
	}
	rows, counts, hidden, err := s.worklistRows(c, w, now)
	if err != nil {
		s.Fail(c, err)
		return
	}
	base := w.values()
	v := &learnersView{Search: w.search, Flag: w.flag, Status: w.status, Sort: w.sort, ShowHandled: w.showHandled,
		Hidden: hidden, ShowCounsellor: u.Role != domain.RoleCounsellor, CanHandle: auth.Can(u, auth.WriteFollowUp),
		AsOf: today.String(), Tomorrow: today.AddDays(1).String(), Back: listURL("/learners", base, page),
		ExportURL: listURL("/learners/export.xlsx", base, 1), Erased: erasedNotice(q.Get("erased")),
		ScrubFailed: q.Get("scrub") == "failed", Error: errText}
	switch saved := q.Get("saved"); saved {
	case "handled", "snoozed", "reopened":
		v.Saved = "worklist.saved." + saved
	}
	for _, kind := range urgencyOrder {
		link := url.Values{}
		for k, vs := range base {
			link[k] = vs
		}
		if kind == w.flag {
			link.Del("flag")
		} else {
			link.Set("flag", kind)
		}
		v.Counts = append(v.Counts, flagCount{Kind: kind, Label: locale.T(lang, "flag."+kind), N: counts[kind],
			Link: listURL("/learners", link, 1), Active: kind == w.flag})
	}
	v.Statuses = []choice{{Value: "", Label: locale.T(lang, "worklist.status.all"), Selected: w.status == ""}}
	for _, st := range signal.Statuses {
		v.Statuses = append(v.Statuses, choice{Value: st, Label: locale.T(lang, "worklist.status."+st), Selected: st == w.status})
	}
	for _, ls := range listSorts {
		v.Sorts = append(v.Sorts, choice{Value: ls.Key, Label: locale.T(lang, ls.Label), Selected: ls.Key == w.sort})
	}
	v.Pager = newPager(c, page, len(rows))
	from := min((page-1)*store.DefaultPageSize, len(rows))
	v.Rows = rows[from:min(from+store.DefaultPageSize, len(rows))]
	v.Risk = newRiskColumn(lang, now, v.Rows)
	s.Render(c, status, "learners", "", v)
}

// listURL is the address path with q and page (page 1 left out).
func listURL(path string, q url.Values, page int) string {
	if page > 1 {
		q = maps2(q)
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// maps2 copies q.
func maps2(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = slices.Clone(vs)
	}
	return out
}

// exportLearners writes the list as the page shows it — the same rows in
// the same order with the same filters, all pages — as an Excel workbook
// with Dutch headers (the reader's language).
func (s *Handler) exportLearners(c *gin.Context) {
	w, err := readWorklistQuery(c.Request.URL.Query())
	if err != nil {
		s.Fail(c, err)
		return
	}
	now, err := s.riskOn(c.Request.Context(), domain.DateOf(s.Now()))
	if err != nil {
		s.Fail(c, err)
		return
	}
	rows, _, _, err := s.worklistRows(c, w, now)
	if err != nil {
		s.Fail(c, err)
		return
	}
	lang := core.Lang(c)
	f := excelize.NewFile()
	defer f.Close()
	sheet := locale.T(lang, "worklist.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		s.Fail(c, err)
		return
	}
	header := []any{locale.T(lang, "f.name"), locale.T(lang, "f.learner_id"), locale.T(lang, "f.counsellor"),
		locale.T(lang, "worklist.col.status"), locale.T(lang, "worklist.col.groups"), locale.T(lang, "worklist.col.providers"),
		locale.T(lang, "learners.flags")}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		s.Fail(c, err)
		return
	}
	for i, r := range rows {
		var marks []string
		for _, m := range r.Marks {
			text := m.Text
			if m.State != "" {
				text += " (" + m.State + ")"
			}
			marks = append(marks, text)
		}
		// Every cell is a string cell: a name such as "=HYPERLINK(…)" stays text.
		row := []any{r.LastName + ", " + r.FirstName, r.ID, r.Counsellor, r.StatusLabel, strings.Join(r.Groups, ", "),
			strings.Join(r.Providers, ", "), strings.Join(marks, "; ")}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			s.Fail(c, err)
			return
		}
	}
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	_ = f.SetColWidth(sheet, "A", "A", 28)
	_ = f.SetColWidth(sheet, "E", "G", 30)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		s.Fail(c, err)
		return
	}
	name := "lerenden-" + domain.DateOf(s.Now()).String() + ".xlsx"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// handlingText says how a mark was handled: "afgehandeld" or "uitgesteld
// tot 2026-04-01".
func handlingText(lang string, m rowMark) string {
	if m.Snoozed() {
		return locale.T(lang, "worklist.snoozed", m.Handling.Until.String())
	}
	return locale.T(lang, "worklist.handled")
}

// handleFlag marks a learner's flag handled, snoozes it until a day, or
// undoes either (action handle, snooze or reopen), and goes back to the
// list it came from. Who may write the learner's follow-up may do so.
func (s *Handler) handleFlag(c *gin.Context) {
	f, err := s.loadLearner(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	u := core.CurrentUser(c)
	if !auth.CanWriteFollowUp(u, f.Facts()) {
		s.Fail(c, auth.Forbidden(auth.WriteFollowUp))
		return
	}
	back, err := url.Parse(c.PostForm("back"))
	if err != nil || back.Path != "/learners" || back.Host != "" || back.Scheme != "" {
		back = &url.URL{Path: "/learners"}
	}
	lang := core.Lang(c)
	now := s.Now()
	today := domain.DateOf(now)
	h := domain.FlagHandling{Learner: f.Learner.ID, Kind: c.PostForm("kind")}
	var ok bool
	if h.Since, ok = domain.ParseISO(c.PostForm("since")); !ok {
		s.Fail(c, core.BadRequest("bad since"))
		return
	}
	action, saved := c.PostForm("action"), ""
	switch action {
	case "reopen":
		err, saved = s.DB.DeleteFlagHandling(c.Request.Context(), u.Username, h.Learner, h.Kind, h.Since, now), "reopened"
	case "handle", "snooze":
		saved = "handled"
		if action == "snooze" {
			saved = "snoozed"
			var msg string
			if h.Until, msg = readDate(lang, strings.TrimSpace(c.PostForm("until"))); msg == "" && h.Until == 0 {
				msg = locale.T(lang, "rule.required")
			}
			if msg != "" {
				s.renderLearners(c, back.Query(), http.StatusUnprocessableEntity, locale.T(lang, "worklist.snooze")+": "+msg)
				return
			}
		}
		if fes := domain.CheckFlagHandling(&h, today); len(fes) > 0 {
			errs := map[string]string{}
			placeErrors(lang, errs, fes, nil)
			field := "worklist.snooze"
			if errs["until"] == "" {
				field = "learners.flags"
			}
			s.renderLearners(c, back.Query(), http.StatusUnprocessableEntity, locale.T(lang, field)+": "+fes[0].Text.In(lang))
			return
		}
		err = s.DB.SaveFlagHandling(c.Request.Context(), u.Username, h, now)
	default:
		s.Fail(c, core.BadRequest("unknown action"))
		return
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	q := back.Query()
	q.Set("saved", saved)
	c.Redirect(http.StatusSeeOther, listURL("/learners", q, 1)+"#l-"+url.PathEscape(f.Learner.ID))
}
