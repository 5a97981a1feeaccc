package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The teacher's pages (Mijn groepen): the list of groups, and a group page
// with the roster, attendance hours and the evaluation grid.

// maxGridRows bounds the rows one grid form may post.
const maxGridRows = 500

// gridKinds are the kinds of evaluation a grid enters; an external test has
// no group.
var gridKinds = []string{"module_end", "formative", "intake"}

// groupsView is the list of groups.
type groupsView struct {
	Groups []store.GroupSummary // still running today (or all, for staff other than teachers)
	Ended  []store.GroupSummary // a teacher's groups that ended, folded away
	Search string
	Pager  pager
	// Unregistered counts per group its lessons before today that are not
	// registered (domain.Unregistered), for the teacher's reminder.
	Unregistered map[string]int
}

// groups lists the groups the user may see (auth.GroupFilter), 50 a page.
func (s *Handler) groups(c *gin.Context) {
	page, err := pageParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	search := strings.TrimSpace(c.Query("q"))
	today := domain.DateOf(s.Now().In(domain.Zone))
	u := core.CurrentUser(c)
	res, err := s.DB.FindGroups(c.Request.Context(), u, store.GroupQuery{Search: search, Today: today,
		Offset: (page - 1) * store.DefaultPageSize, Limit: store.DefaultPageSize})
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := groupsView{Groups: res.Groups, Search: search, Pager: newPager(c, page, res.Total)}
	codes := make([]string, len(res.Groups))
	for i, g := range res.Groups {
		codes[i] = g.Code
	}
	if v.Unregistered, err = s.DB.UnregisteredLessons(c.Request.Context(), codes, s.brusselsToday()); err != nil {
		s.Fail(c, err)
		return
	}
	if u.Role == domain.RoleTeacher {
		// Running groups first (FindGroups sorts them so), ended ones folded.
		i := len(v.Groups)
		for j, g := range v.Groups {
			if g.EndDate < today {
				i = j
				break
			}
		}
		v.Groups, v.Ended = v.Groups[:i], v.Groups[i:]
	}
	s.Render(c, http.StatusOK, "groups", "", v)
}

// groupView is the group page.
type groupView struct {
	File          *store.GroupFile
	Active        int
	CanAttendance bool
	CanEvaluate   bool
	CanObserve    bool
	Attendance    attendanceView
	Grid          gridView
	Obs           observationView
	// Last is each learner's latest observation in the group, shown beside
	// the learner in the roster and the observation form.
	Last map[string]domain.Observation
	obs  []domain.Observation // the group's observations
}

// attendanceView is the attendance form.
type attendanceView struct {
	Rows    []attendanceRow
	Saved   int
	Done    bool
	Invalid int
	// Over names the learners with more hours than the group plans, with
	// their hours: allowed (extra lessons happen), but said.
	Over []string
}

// attendanceRow is one learner's line of the attendance form.
type attendanceRow struct {
	Index   int
	Learner string
	Name    string
	Status  string
	Start   string
	End     string
	Hours   string
	Error   string

	LearnerURL  string // worked out by prepare
	StatusLabel string
	LastText    string // the latest observation, "" for none
	LastTitle   string
}

// gridView is the evaluation grid: a row per learner, a column per skill the
// module evaluates.
type gridView struct {
	Kind      string
	Kinds     []string
	Decisions []string
	Skills    []int
	Goals     []domain.Goal
	Rows      []gridRow
	Saved     int
	Done      bool
	Invalid   int    // rows with errors
	Error     string // a message for the whole grid (already translated)
	// Date is the grid's one date, which every row without a stored
	// evaluation takes (a stored one keeps its own); DateErr its message.
	Date    string
	DateErr string

	Disabled bool // the user may see but not write the grid
}

// gridRow is one learner's row of the grid, as stored or as typed.
type gridRow struct {
	Index    int
	Learner  string
	Name     string
	Status   string
	Orig     string // date of the stored evaluation the row edits, "" for none
	Date     string // the row's own date: a stored evaluation's; "" takes the grid's
	Levels   [domain.NumSkills]string
	Decision string
	Feedback string
	Goals    []string
	From     string // the dates the evaluation may lie between
	To       string
	Errors   map[string]string // field → message

	// Worked out by prepare, for the template.
	P           string // the prefix of the row's fields, "r3"
	LearnerURL  string
	StatusLabel string
	StoredLabel string // "opgeslagen op …" for a stored evaluation
	Cells       []gridCell
	Decisions   []choice
	Ticks       []goalTick
}

// loadGroup reads the group of the route and checks that the user may see it.
func (s *Handler) loadGroup(c *gin.Context) (*store.GroupFile, error) {
	gf, err := s.DB.FindGroup(c.Request.Context(), c.Param("code"))
	if err != nil {
		return nil, core.ForbiddenOrNotFound(c, err)
	}
	sortRoster(gf)
	if !auth.CanSeeGroup(core.CurrentUser(c), gf.Facts()) {
		return nil, auth.Forbidden(auth.ViewGroup)
	}
	return gf, nil
}

// newGroupView builds the group page from what is stored.
func (s *Handler) newGroupView(c *gin.Context, gf *store.GroupFile, kind string) (*groupView, error) {
	u := core.CurrentUser(c)
	g := gf.Facts()
	// Every learner on the roster is enrolled in the group, which is all that
	// the write rules ask of the learner beyond the group (auth.CanWriteGroup).
	member := auth.LearnerFacts{Groups: []auth.GroupFacts{g}}
	v := &groupView{File: gf, CanAttendance: auth.CanWriteAttendance(u, g, member), CanEvaluate: auth.CanWriteEvaluation(u, g, member),
		CanObserve: auth.CanWriteObservation(u, g, member)}
	obs, err := s.DB.FindGroupObservations(c.Request.Context(), gf.Group.Code)
	if err != nil {
		return nil, err
	}
	v.Last, v.obs = store.LastObservations(obs), obs
	for _, r := range gf.Roster {
		if r.Enrollment.Status == "active" {
			v.Active++
		}
	}
	v.Attendance = storedAttendance(core.Lang(c), gf)
	v.Grid = s.storedGrid(gf, kind)
	v.Obs = s.storedObservations(gf, obs, domain.DateOf(s.Now().In(domain.Zone)))
	return v, nil
}

// storedAttendance is the attendance form filled from the store, the hours
// written as lang writes decimals.
func storedAttendance(lang string, gf *store.GroupFile) attendanceView {
	var a attendanceView
	for i, r := range gf.Roster {
		a.Rows = append(a.Rows, attendanceRow{Index: i, Learner: r.Enrollment.Learner, Name: r.FirstName + " " + r.LastName,
			Status: r.Enrollment.Status, Start: r.Enrollment.StartDate.String(), End: r.Enrollment.EndDate.String(),
			Hours: locale.Plain(lang, r.Enrollment.HoursAttended)})
		if h := r.Enrollment.HoursAttended; h > float64(gf.Group.PlannedHours) {
			a.Over = append(a.Over, locale.T(lang, "attendance.over.one", r.FirstName+" "+r.LastName, core.FormatHours(lang, h)))
		}
	}
	return a
}

// storedGrid is the grid filled from the store: per learner the latest
// evaluation of kind in the group, or an empty row dated today.
func (s *Handler) storedGrid(gf *store.GroupFile, kind string) gridView {
	gv := newGrid(gf, kind)
	today := domain.DateOf(s.Now().In(domain.Zone))
	var first, last domain.Date // the rows' evaluation windows together
	for i, r := range gf.Roster {
		row := gridRow{Index: i, Learner: r.Enrollment.Learner, Name: r.FirstName + " " + r.LastName, Status: r.Enrollment.Status}
		from, to := domain.EvaluationWindow(&r.Enrollment, &gf.Group)
		row.From, row.To = from.String(), to.String()
		var stored *store.GroupEvaluation
		for j := range gf.Evaluations {
			ev := &gf.Evaluations[j]
			if ev.Learner == row.Learner && ev.Kind == kind && (stored == nil || ev.Date > stored.Date) {
				stored = ev
			}
		}
		if stored != nil {
			row.Orig, row.Date = stored.Date.String(), stored.Date.String()
			for k, l := range stored.Levels {
				row.Levels[k] = l.String()
			}
			row.Decision, row.Feedback, row.Goals = stored.Decision, stored.Feedback, stored.Goals
		} else {
			if first == 0 || from < first {
				first = from
			}
			last = max(last, to)
		}
		gv.Rows = append(gv.Rows, row)
	}
	// Today, or the nearest day every new row's window holds some of.
	d := today
	if last != 0 && d > last {
		d = last
	}
	if first != 0 && d < first {
		d = first
	}
	gv.Date = d.String()
	return gv
}

func newGrid(gf *store.GroupFile, kind string) gridView {
	gv := gridView{Kind: kind, Kinds: gridKinds, Decisions: domain.Decisions.Codes, Goals: gf.Goals}
	for k := domain.Skill(0); k < domain.NumSkills; k++ {
		if gf.Module.Skills.Has(k) {
			gv.Skills = append(gv.Skills, int(k))
		}
	}
	return gv
}

// group shows a group page.
func (s *Handler) group(c *gin.Context) {
	gf, err := s.loadGroup(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	kind := c.DefaultQuery("kind", "module_end")
	if !slices.Contains(gridKinds, kind) {
		s.Fail(c, core.BadRequest("unknown kind"))
		return
	}
	v, err := s.newGroupView(c, gf, kind)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if n, err := strconv.Atoi(c.Query("saved")); err == nil && n >= 0 {
		switch c.Query("what") {
		case "attendance":
			v.Attendance.Done, v.Attendance.Saved = true, n
		case "observations":
			if d, ok := domain.ParseISO(c.Query("date")); ok {
				v.Obs = s.storedObservations(gf, v.obs, d)
			}
			v.Obs.Done, v.Obs.Saved = true, n
		default:
			if d, ok := domain.ParseISO(c.Query("date")); ok {
				v.Grid.Date = d.String()
			}
			v.Grid.Done, v.Grid.Saved = true, n
		}
	}
	s.renderGroup(c, http.StatusOK, "", v)
}

// saveAttendance stores the hours attended of the roster in one transaction.
func (s *Handler) saveAttendance(c *gin.Context) {
	gf, err := s.loadGroup(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v, err := s.newGroupView(c, gf, "module_end")
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !v.CanAttendance {
		s.Fail(c, auth.Forbidden(auth.WriteAttendance))
		return
	}
	lang := core.Lang(c)
	form := attendanceView{}
	hours := map[string]float64{}
	for i := 0; i < maxGridRows; i++ {
		p := "a" + strconv.Itoa(i) + "."
		learner, ok := c.GetPostForm(p + "learner")
		if !ok {
			break
		}
		r := gf.Enrollment(learner)
		if r == nil {
			s.Fail(c, auth.Forbidden(auth.WriteAttendance)) // not on this group's roster
			return
		}
		row := attendanceRow{Index: i, Learner: learner, Name: r.FirstName + " " + r.LastName, Status: r.Enrollment.Status,
			Start: r.Enrollment.StartDate.String(), End: r.Enrollment.EndDate.String(), Hours: strings.TrimSpace(c.PostForm(p + "hours"))}
		h, msg := parseHours(lang, row.Hours)
		if msg != "" {
			row.Error = msg
			form.Invalid++
		} else {
			hours[learner] = h
		}
		form.Rows = append(form.Rows, row)
	}
	if form.Invalid > 0 {
		v.Attendance = form
		s.renderGroup(c, http.StatusUnprocessableEntity, "attendance", v)
		return
	}
	n, err := s.DB.SaveAttendance(c.Request.Context(), core.CurrentUser(c).Username, gf.Group.Code, hours, s.Now())
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.groupSaved(c, gf.Group.Code, url.Values{"what": {"attendance"}}, "attendance", "module_end", func(v *groupView) {
		v.Attendance.Done, v.Attendance.Saved = true, n
	}, n)
}

// groupSaved answers a saved form of the group page: a redirect to the page
// (with what was saved and how many rows) for a plain post, or for htmx the
// form's fragment of the group as it is now, marked by done. q chooses the
// page's view, fragment the form, kind the evaluation kind of the grid.
func (s *Handler) groupSaved(c *gin.Context, code string, q url.Values, fragment, kind string, done func(*groupView), n int) {
	if !core.IsHTMX(c) {
		q.Set("saved", strconv.Itoa(n))
		c.Redirect(http.StatusSeeOther, groupURL(code, q)+"#"+fragment)
		return
	}
	gf, err := s.DB.FindGroup(c.Request.Context(), code)
	if err != nil {
		s.Fail(c, err)
		return
	}
	sortRoster(gf)
	v, err := s.newGroupView(c, gf, kind)
	if err != nil {
		s.Fail(c, err)
		return
	}
	done(v)
	s.renderGroup(c, http.StatusOK, fragment, v)
}

// renderGroup renders the group page (or one of its forms for htmx).
func (s *Handler) renderGroup(c *gin.Context, status int, fragment string, v *groupView) {
	v.prepare(core.Lang(c))
	s.Render(c, status, "group", fragment, v)
}

// gridCell is one level field of a grid row, ready to print.
type gridCell struct {
	Name, ID, Value, Label, Err, ErrID string
}

// goalTick is one goal checkbox of a grid row.
type goalTick struct {
	Code, Description string
	Label             string // the goal in words: skill and level
	Checked           bool
}

// prepare works out, once per page, what the templates print per row and
// cell: labels, names and ids. A grid of 30 rows has some thousand fields,
// and every template call costs a reflective call: the group page is as fast
// as this keeps the template simple.
func (v *groupView) prepare(lang string) {
	g := &v.Grid
	labels := goalLabels(lang, g.Goals)
	for i := range g.Rows {
		r := &g.Rows[i]
		p := "r" + strconv.Itoa(r.Index)
		r.P, r.LearnerURL = p, "/learners/"+url.PathEscape(r.Learner)
		r.StatusLabel = locale.Code(lang, "enrollment status", r.Status)
		r.StoredLabel = ""
		if r.Orig != "" {
			r.StoredLabel = locale.T(lang, "grid.stored", r.Date)
		}
		r.Cells = r.Cells[:0]
		for _, k := range g.Skills {
			code := domain.SkillCodes[k]
			cell := gridCell{Name: p + "." + code, ID: p + "-" + code, Value: r.Levels[k],
				Label: locale.Skill(lang, domain.Skill(k)) + ", " + r.Name, Err: r.Errors[code]}
			if cell.Err != "" {
				cell.ErrID = cell.ID + "-err"
			}
			r.Cells = append(r.Cells, cell)
		}
		r.Decisions = r.Decisions[:0]
		for _, d := range g.Decisions {
			r.Decisions = append(r.Decisions, choice{Value: d, Label: locale.Code(lang, "decision", d), Selected: d == r.Decision})
		}
		r.Ticks = r.Ticks[:0]
		for j, goal := range g.Goals {
			r.Ticks = append(r.Ticks, goalTick{Code: goal.Code, Description: goal.Description, Label: labels[j],
				Checked: slices.Contains(r.Goals, goal.Code)})
		}
	}
	for i := range v.Attendance.Rows {
		r := &v.Attendance.Rows[i]
		r.LearnerURL = "/learners/" + url.PathEscape(r.Learner)
		r.StatusLabel = locale.Code(lang, "enrollment status", r.Status)
		r.LastText, r.LastTitle = lastObservation(lang, v.Last, r.Learner)
	}
	g.Disabled = !v.CanEvaluate
	v.Obs.prepare(lang, v)
}

// goalLabel names a goal in words: its skill and level, e.g. "Spreken A2".
func goalLabel(lang string, g domain.Goal) string {
	name := []rune(locale.Skill(lang, g.Skill))
	if len(name) > 0 {
		name[0] = unicode.ToUpper(name[0])
	}
	return string(name) + " " + g.Level.String()
}

// goalLabels names each goal in words (goalLabel); where two would read
// the same ("Schrijven A2"), each of those says its source ("module",
// "eigen doel"), and where that is still the same, its code.
func goalLabels(lang string, goals []domain.Goal) []string {
	out := make([]string, len(goals))
	seen := map[string]int{}
	for i, g := range goals {
		out[i] = goalLabel(lang, g)
		seen[out[i]]++
	}
	for i, g := range goals {
		if seen[out[i]] > 1 {
			source := g.Code
			if g.Source != "" {
				source = locale.T(lang, "grid.goal.source."+g.Source)
			}
			out[i] += " (" + source + ")"
		}
	}
	again := map[string]int{}
	for _, l := range out {
		again[l]++
	}
	for i, g := range goals {
		if again[out[i]] > 1 {
			out[i] = strings.TrimSuffix(out[i], ")") + ", " + g.Code + ")"
		}
	}
	return out
}

// groupURL is the address of group code's page with a query.
func groupURL(code string, q url.Values) string {
	u := "/groups/" + url.PathEscape(code)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// saveEvaluations checks every row of a grid and stores them all in one
// transaction, or none: on any error the grid comes back with the user's
// input and a message beside each wrong field.
func (s *Handler) saveEvaluations(c *gin.Context) {
	gf, err := s.loadGroup(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	kind := c.PostForm("kind")
	if !slices.Contains(gridKinds, kind) {
		s.Fail(c, core.BadRequest("unknown kind"))
		return
	}
	v, err := s.newGroupView(c, gf, kind)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !v.CanEvaluate {
		s.Fail(c, auth.Forbidden(auth.WriteEvaluation))
		return
	}
	grid, saves, err := s.parseGrid(c, gf, kind)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if grid.Invalid > 0 {
		v.Grid = grid
		s.renderGroup(c, http.StatusUnprocessableEntity, "grid", v)
		return
	}
	n, err := s.DB.SaveEvaluations(c.Request.Context(), core.CurrentUser(c).Username, gf.Group.Code, saves, s.Now())
	if code := domain.ErrorCode(err); code == domain.EINVALID || code == domain.ECONFLICT {
		// The rules were checked above; what is left is a change by someone
		// else meanwhile. Keep the input and say so.
		grid.Error = locale.T(core.Lang(c), "grid.conflict")
		v.Grid = grid
		s.renderGroup(c, core.StatusOf(code), "grid", v)
		return
	} else if err != nil {
		s.Fail(c, err)
		return
	}
	// The grid's date stays as the teacher set it, for the next rows.
	q := url.Values{"kind": {kind}}
	if grid.Date != "" {
		q.Set("date", grid.Date)
	}
	s.groupSaved(c, gf.Group.Code, q, "grid", kind, func(v *groupView) {
		if grid.Date != "" {
			v.Grid.Date = grid.Date
		}
		v.Grid.Done, v.Grid.Saved = true, n
	}, n)
}

// parseGrid reads the rows of a posted grid and asks domain's check of each
// (domain.EvaluationEntry, which the store asks again), putting each broken
// rule beside its field in the user's language. Rows left empty (no stored
// evaluation, nothing typed) are skipped. A learner who is not on the
// group's roster is EFORBIDDEN: no form of ours posts one.
func (s *Handler) parseGrid(c *gin.Context, gf *store.GroupFile, kind string) (gridView, []store.EvaluationSave, error) {
	lang := core.Lang(c)
	today := domain.DateOf(s.Now().In(domain.Zone))
	gv := newGrid(gf, kind)
	// The grid's one date, for every row without a date of its own.
	gv.Date = strings.TrimSpace(c.PostForm("date"))
	gridDate, gridDateMsg := readDate(lang, gv.Date)
	if gridDateMsg == "" && gridDate != 0 {
		gv.Date = gridDate.String()
	} else if gridDateMsg == "" {
		// Blank: the evaluation's rule that it has a date, said once.
		m := map[string]string{}
		placeErrors(lang, m, domain.Collect(domain.CheckDate("date", 0, false)), nil)
		gridDateMsg = m["date"]
	}
	var saves []store.EvaluationSave
	for i := 0; i < maxGridRows; i++ {
		p := "r" + strconv.Itoa(i) + "."
		learner, ok := c.GetPostForm(p + "learner")
		if !ok {
			break
		}
		r := gf.Enrollment(learner)
		if r == nil {
			return gv, nil, auth.Forbidden(auth.WriteEvaluation)
		}
		row := gridRow{Index: i, Learner: learner, Name: r.FirstName + " " + r.LastName, Status: r.Enrollment.Status,
			Orig: strings.TrimSpace(c.PostForm(p + "orig")), Date: strings.TrimSpace(c.PostForm(p + "date")),
			Decision: strings.TrimSpace(c.PostForm(p + "decision")), Feedback: strings.TrimSpace(c.PostForm(p + "feedback")),
			Goals: c.PostFormArray(p + "goal"), Errors: map[string]string{}}
		from, to := domain.EvaluationWindow(&r.Enrollment, &gf.Group)
		row.From, row.To = from.String(), to.String()
		ev := domain.Evaluation{Learner: learner, Group: gf.Group.Code, Kind: kind, Levels: domain.NoLevels,
			Decision: row.Decision, Evaluator: core.CurrentUser(c).Username, Feedback: row.Feedback}
		filled := row.Decision != "" || row.Feedback != "" || len(row.Goals) > 0
		for k := domain.Skill(0); k < domain.NumSkills; k++ {
			raw := strings.TrimSpace(c.PostForm(p + domain.SkillCodes[k]))
			row.Levels[k] = raw
			if raw == "" {
				continue
			}
			filled = true
			if l, err := domain.ParseLevel(raw); err != nil {
				row.Errors[domain.SkillCodes[k]] = parseText(lang, err)
			} else {
				ev.Levels[k], row.Levels[k] = l, l.String()
			}
		}
		var orig domain.Date
		if row.Orig != "" {
			d, ok := domain.ParseISO(row.Orig)
			if !ok {
				return gv, nil, core.BadRequest("bad orig date")
			}
			orig = d
		}
		if !filled && orig == 0 {
			gv.Rows = append(gv.Rows, row)
			continue
		}
		if row.Date == "" {
			// A new row takes the grid's date; a wrong one is said once, beside it.
			if gridDateMsg != "" {
				if gv.DateErr == "" {
					gv.DateErr = gridDateMsg
					gv.Invalid++
				}
				gv.Rows = append(gv.Rows, row)
				continue
			}
			ev.Date = gridDate
		} else {
			var msg string
			if ev.Date, msg = readDate(lang, row.Date); msg != "" {
				row.Errors["date"] = msg
			} else if ev.Date != 0 {
				row.Date = ev.Date.String()
			}
		}
		entry := domain.EvaluationEntry{Evaluation: &ev, Group: &gf.Group, Module: &gf.Module, Enrollment: &r.Enrollment,
			Goals: row.Goals, ModuleGoals: gf.Goals}
		placeErrors(lang, row.Errors, entry.Check(today), func(fe domain.FieldError) string { return gridField(gf, row, fe) })
		if len(row.Errors) > 0 {
			gv.Invalid++
		} else {
			saves = append(saves, store.EvaluationSave{Evaluation: ev, OrigDate: orig, Goals: row.Goals})
		}
		gv.Rows = append(gv.Rows, row)
	}
	return gv, saves, nil
}

// gridField is the field of a grid row that shows a broken rule: its own
// field when the grid has it ("goals" is the goal ticks), "row" for a
// level of a skill the module does not evaluate (the grid has no column
// for it), and "" for a pass without a level when a typed level did not
// parse: that level's own message says what is wrong.
func gridField(gf *store.GroupFile, row gridRow, fe domain.FieldError) string {
	switch fe.Field {
	case "date", "decision", "feedback":
		if fe.Text.Key == "rule.passneedsskill" && slices.ContainsFunc(domain.SkillCodes[:], func(c string) bool { return row.Errors[c] != "" }) {
			return ""
		}
		return fe.Field
	case "goals":
		return "goal"
	}
	if k, err := domain.ParseSkill(fe.Field); err == nil && gf.Module.Skills.Has(k) {
		return fe.Field
	}
	return "row"
}

// sortRoster puts a group's roster in Dutch order of last and first name
// (core.SortByName): the store's ORDER BY is byte order, which puts
// "Özdemir" after "Zeger".
func sortRoster(gf *store.GroupFile) {
	core.SortByName(gf.Roster, func(r store.RosterEntry) []string { return []string{r.LastName, r.FirstName} },
		func(r store.RosterEntry) string { return r.Enrollment.Learner })
}
