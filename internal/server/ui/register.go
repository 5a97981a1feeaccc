package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/traject-nt2/traject/internal/auth"
	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/locale"
	"github.com/traject-nt2/traject/internal/server/core"
	"github.com/traject-nt2/traject/internal/store"
)

// The teacher's register (Aanwezigheden, issue 21 point 2), made for a
// tablet in the classroom: a group's lesson of the day with a row per
// learner enrolled that day, one tap for absent, excused or late, and the
// group's lessons planned in one step.
//
// A lesson nobody registered shows everyone present but stores nothing:
// it stays "not registered" (domain.Unregistered) for the coordinator
// until the teacher confirms it with one button, which writes a record per
// learner. From then on every tap on a row saves that row at once (htmx),
// and the row shows the enrollment's hours as the register now sums them.

// stripLessons is how many of a learner's latest lessons the row's strip
// shows.
const stripLessons = 8

// registerStatuses are the statuses a row offers, in the order of its
// buttons: the usual first.
var registerStatuses = []string{"present", "absent", "excused", "late"}

// registerView is the register page of a group on one lesson.
type registerView struct {
	File     *store.GroupFile
	Code     string
	Lessons  []lessonChoice // the picker
	Lesson   *domain.Lesson // nil: the group has no lessons
	Date     string         // the lesson's date, ISO
	Heading  string         // the lesson in words
	Today    bool           // the lesson is today's
	NoToday  bool           // no lesson today, another one is shown
	Future   bool           // the lesson lies after today: nothing to register yet
	Rows     []registerRow
	Pending  int // rows without a record
	CanWrite bool
	Done     bool
	Saved    int
	Invalid  int
	Error    string // a message for the whole lesson (already translated)
	Legend   []legendItem
	Plan     planView

	One *registerRow // the row an htmx tap answers with
}

// lessonChoice is one lesson of the picker.
type lessonChoice struct {
	Date, Label string
	Selected    bool
}

// registerRow is one learner's row at a lesson.
type registerRow struct {
	Index      int
	Learner    string
	Name       string
	LearnerURL string
	Stored     string // the stored status, "" when not registered
	Status     string // the status shown: as posted, stored, or present
	Hours      string // a late learner's hours, as typed or stored
	HoursErr   string
	Err        string // a rule of the row not about the hours
	Total      string // the enrollment's hours_attended
	Typed      string // a note that the hours typed in so far give way to the register, "" for none
	Saved      bool   // this row was just saved
	Strip      []stripCell
	Run        int // absences in a row up to the latest registered lesson
	Disabled   bool
	Choices    []statusChoice
	PostURL    string // the row's own save, "" while the lesson is not registered
	LessonHrs  string
	HoursLabel string
}

// statusChoice is one button of a row.
type statusChoice struct {
	Value, Label, ID string
	Checked          bool
}

// stripCell is one of a learner's latest lessons.
type stripCell struct {
	Status, Letter, Title string
	Run                   bool // part of absences in a row
	Current               bool // the lesson shown
}

// legendItem explains a letter of the strips.
type legendItem struct{ Status, Letter, Label string }

// planView is the form that plans a group's lessons.
type planView struct {
	From, To, Hours string
	Days            []dayTick
	Count, Existing int // lessons the plan creates, and days of it that hold one already
	Ready           bool
	Errors          map[string]string
	Done            bool
	Created         int
}

// dayTick is one weekday of the plan form.
type dayTick struct {
	Value, Label string
	Checked      bool
}

// planWeekdays are the weekdays of the form in their Flemish order, Monday
// first.
var planWeekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// loadRegister reads the group of the route, checked as loadGroup does,
// and its register.
func (s *Handler) loadRegister(c *gin.Context) (*store.GroupFile, *store.GroupRegister, bool, error) {
	gf, err := s.loadGroup(c)
	if err != nil {
		return nil, nil, false, err
	}
	reg, err := s.DB.FindRegister(c.Request.Context(), gf.Group.Code)
	if err != nil {
		return nil, nil, false, err
	}
	member := auth.LearnerFacts{Groups: []auth.GroupFacts{gf.Facts()}}
	return gf, reg, auth.CanWriteAttendance(core.CurrentUser(c), gf.Facts(), member), nil
}

// defaultLesson is the lesson the page opens on without a date: today's,
// else the latest before today, else the first after it; 0 for none.
func defaultLesson(reg *store.GroupRegister, today domain.Date) domain.Date {
	var d domain.Date
	for _, l := range reg.Lessons {
		switch {
		case l.Date == today:
			return today
		case l.Date < today:
			d = l.Date
		case d == 0:
			return l.Date
		}
	}
	return d
}

// register shows the register page of a group.
func (s *Handler) register(c *gin.Context) {
	gf, reg, can, err := s.loadRegister(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	today := s.brusselsToday()
	var date domain.Date
	if q := c.Query("date"); q != "" {
		d, ok := domain.ParseISO(q)
		if !ok || reg.Lesson(d) == nil {
			s.Fail(c, domain.Errorf(domain.ENOTFOUND, "no lesson of %s on %q", gf.Group.Code, q))
			return
		}
		date = d
	} else {
		date = defaultLesson(reg, today)
	}
	v := s.newRegisterView(core.Lang(c), gf, reg, can, date, today)
	v.NoToday = c.Query("date") == "" && v.Lesson != nil && !v.Today
	if n, err := strconv.Atoi(c.Query("saved")); err == nil && n >= 0 {
		v.Done, v.Saved = true, n
	}
	if n, err := strconv.Atoi(c.Query("planned")); err == nil && n >= 0 {
		v.Plan.Done, v.Plan.Created = true, n
	}
	s.renderRegister(c, http.StatusOK, "", v)
}

// newRegisterView builds the page from what is stored: the lesson on date
// (0: none) with a row per learner enrolled that day.
func (s *Handler) newRegisterView(lang string, gf *store.GroupFile, reg *store.GroupRegister, can bool, date, today domain.Date) *registerView {
	v := &registerView{File: gf, Code: gf.Group.Code, CanWrite: can, Lesson: reg.Lesson(date)}
	// The picker says which lessons are still to register (the rule of
	// the groups page and the quality check: domain.Unregistered).
	enrollments := make([]domain.Enrollment, len(gf.Roster))
	for i := range gf.Roster {
		enrollments[i] = gf.Roster[i].Enrollment
	}
	open := map[domain.Date]bool{}
	for l := range domain.Unregistered(reg.Lessons, enrollments, reg.Attendance, today) {
		open[l.Date] = true
	}
	for _, l := range reg.Lessons {
		label := lessonLabel(lang, l, today)
		if open[l.Date] {
			label += " · " + locale.T(lang, "register.row.pending")
		}
		v.Lessons = append(v.Lessons, lessonChoice{Date: l.Date.String(), Label: label, Selected: l.Date == date})
	}
	v.Plan = storedPlan(lang, gf, reg)
	for _, st := range append(slices.Clone(registerStatuses), "") {
		v.Legend = append(v.Legend, legendItem{Status: statusClass(st), Letter: statusLetter(lang, st), Label: statusLabel(lang, st)})
	}
	if v.Lesson == nil {
		return v
	}
	v.Date, v.Today, v.Future = date.String(), date == today, date > today
	v.Heading = locale.T(lang, "register.lesson.head", weekdayName(lang, date), date.String(), core.FormatHours(lang, v.Lesson.Hours))
	type key struct {
		learner string
		date    domain.Date
	}
	records := make(map[key]*domain.Attendance, len(reg.Attendance))
	registered := map[string]bool{} // learners with a record at any lesson
	for i := range reg.Attendance {
		a := &reg.Attendance[i]
		records[key{a.Learner, a.Date}] = a
		registered[a.Learner] = true
	}
	for i := range gf.Roster {
		r := &gf.Roster[i]
		e := &r.Enrollment
		if !domain.EnrolledOn(e, date) {
			continue
		}
		row := registerRow{Index: len(v.Rows), Learner: e.Learner, Name: r.FirstName + " " + r.LastName, Status: "present",
			Total: core.FormatHours(lang, e.HoursAttended)}
		if a := records[key{e.Learner, date}]; a != nil {
			row.Stored, row.Status = a.Status, a.Status
			if a.Status == "late" && a.Hours != nil {
				row.Hours = core.FormatHours(lang, *a.Hours)
			}
		} else {
			v.Pending++
			if !registered[e.Learner] && e.HoursAttended > 0 {
				// The first record makes the register the source of the
				// hours (spec/domain.md, "Hours from the register"): say so.
				row.Typed = locale.T(lang, "register.row.typed", core.FormatHours(lang, e.HoursAttended))
			}
		}
		// The strip: the learner's latest lessons up to this one.
		var cells []stripCell
		for j := len(reg.Lessons) - 1; j >= 0 && len(cells) < stripLessons; j-- {
			l := reg.Lessons[j]
			if l.Date > date || l.Date > today && l.Date != date || !domain.EnrolledOn(e, l.Date) {
				continue
			}
			st := ""
			if a := records[key{e.Learner, l.Date}]; a != nil {
				st = a.Status
			}
			cells = append(cells, stripCell{Status: statusClass(st), Letter: statusLetter(lang, st),
				Title: l.Date.String() + ": " + statusLabel(lang, st), Current: l.Date == date})
		}
		slices.Reverse(cells)
		row.Strip, row.Run = markRuns(cells)
		v.Rows = append(v.Rows, row)
	}
	return v
}

// markRuns marks the absences in a row among cells (oldest first; lessons
// not registered neither count nor break a run) and returns them with the
// length of the run that ends at the latest registered lesson, 0 when that
// one was attended. Two absences in a row count as a run.
func markRuns(cells []stripCell) ([]stripCell, int) {
	absent := func(c stripCell) bool { return c.Status == "absent" || c.Status == "excused" }
	var run []int
	flush := func() {
		if len(run) >= 2 {
			for _, i := range run {
				cells[i].Run = true
			}
		}
		run = run[:0]
	}
	for i, c := range cells {
		switch {
		case c.Status == "none":
		case absent(c):
			run = append(run, i)
		default:
			flush()
		}
	}
	current := len(run)
	flush()
	if current < 2 {
		current = 0
	}
	return cells, current
}

// statusClass is the class of a status in the page: "none" when not
// registered.
func statusClass(st string) string {
	if st == "" {
		return "none"
	}
	return st
}

func statusLetter(lang, st string) string { return locale.T(lang, "register.letter."+statusClass(st)) }

func statusLabel(lang, st string) string {
	if st == "" {
		return locale.T(lang, "register.row.pending")
	}
	return capitalise(locale.Code(lang, "attendance status", st))
}

func capitalise(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// weekdayName is d's weekday in lang, short.
func weekdayName(lang string, d domain.Date) string {
	return locale.T(lang, "register.day."+strconv.Itoa(int(d.Time().Weekday())))
}

// lessonLabel is a lesson as the picker names it.
func lessonLabel(lang string, l domain.Lesson, today domain.Date) string {
	s := weekdayName(lang, l.Date) + " " + l.Date.String() + " · " + locale.T(lang, "register.hours.n", core.FormatHours(lang, l.Hours))
	if l.Date == today {
		s += " · " + locale.T(lang, "register.today")
	}
	return s
}

// storedPlan is the plan form prefilled: the group's dates, and the
// weekdays and hours of its lessons so far.
func storedPlan(lang string, gf *store.GroupFile, reg *store.GroupRegister) planView {
	p := planView{From: gf.Group.StartDate.String(), To: gf.Group.EndDate.String(), Errors: map[string]string{}}
	var days [7]bool
	hours := map[float64]int{}
	for _, l := range reg.Lessons {
		days[l.Date.Time().Weekday()] = true
		hours[l.Hours]++
	}
	best, bestH := 0, 0.0
	for h, n := range hours { // the most usual length, the shorter of two as usual
		if n > best || n == best && h < bestH {
			best, bestH = n, h
		}
	}
	if best > 0 {
		p.Hours = core.FormatHours(lang, bestH)
	}
	plan := domain.LessonPlan{Group: &gf.Group, From: gf.Group.StartDate, To: gf.Group.EndDate, Hours: bestH}
	for _, d := range planWeekdays {
		p.Days = append(p.Days, dayTick{Value: strconv.Itoa(int(d)), Label: locale.T(lang, "register.weekday."+strconv.Itoa(int(d))),
			Checked: days[d]})
		if days[d] {
			plan.Weekdays = append(plan.Weekdays, d)
		}
	}
	if len(plan.Check()) == 0 {
		countPlan(&p, &plan, reg)
	}
	return p
}

// renderRegister renders the register page, or for htmx one fragment of
// it.
func (s *Handler) renderRegister(c *gin.Context, status int, fragment string, v *registerView) {
	v.prepare(core.Lang(c))
	s.Render(c, status, "register", fragment, v)
}

// prepare works out what the template prints per row.
func (v *registerView) prepare(lang string) {
	base := "/groups/" + url.PathEscape(v.Code) + "/register/" + v.Date
	hrs := ""
	if v.Lesson != nil {
		hrs = core.FormatHours(lang, v.Lesson.Hours)
	}
	for i := range v.Rows {
		r := &v.Rows[i]
		r.LearnerURL = "/learners/" + url.PathEscape(r.Learner)
		r.Disabled = !v.CanWrite || v.Future
		r.LessonHrs = hrs
		r.HoursLabel = locale.T(lang, "register.hours", hrs)
		if r.Stored != "" && !r.Disabled {
			r.PostURL = base + "/row?" + url.Values{"learner": {r.Learner}}.Encode()
		}
		r.Choices = r.Choices[:0]
		for _, st := range registerStatuses {
			r.Choices = append(r.Choices, statusChoice{Value: st, Label: statusLabel(lang, st),
				ID: "r" + strconv.Itoa(r.Index) + "-" + st, Checked: st == r.Status})
		}
	}
}

// readRow reads a row of a posted register at lesson l: the status, and the hours of
// a late learner (decimal comma or point). It puts what was typed in row
// and returns the record, or ok false when the row has an error.
func readRow(c *gin.Context, lang string, l *domain.Lesson, row *registerRow) (domain.Attendance, bool) {
	p := "r" + strconv.Itoa(row.Index) + "."
	a := domain.Attendance{Learner: row.Learner, Group: l.Group, Date: l.Date, Status: strings.TrimSpace(c.PostForm(p + "status"))}
	row.Status = a.Status
	row.Hours = strings.TrimSpace(c.PostForm(p + "hours"))
	if a.Status == "late" && row.Hours != "" {
		h, msg := parseHours(lang, row.Hours)
		if msg != "" {
			row.HoursErr = msg
			return a, false
		}
		a.Hours = &h
	}
	return a, true
}

// checkRow asks the domain's rules of an entry (domain.CheckAttendanceEntry,
// which the store asks again) and puts each broken one beside its field.
func checkRow(lang string, row *registerRow, a *domain.Attendance, lesson *domain.Lesson, e *domain.Enrollment, today domain.Date) bool {
	errs := map[string]string{}
	placeErrors(lang, errs, domain.CheckAttendanceEntry(a, lesson, e, today), func(fe domain.FieldError) string {
		if fe.Field == "hours" {
			return "hours"
		}
		return "row"
	})
	row.HoursErr, row.Err = errs["hours"], errs["row"]
	return len(errs) == 0
}

// postedLesson reads the route's lesson for a write: the page as stored,
// or a failure already answered.
func (s *Handler) postedLesson(c *gin.Context) (*registerView, *store.GroupFile, domain.Date, bool) {
	gf, reg, can, err := s.loadRegister(c)
	if err != nil {
		s.Fail(c, err)
		return nil, nil, 0, false
	}
	if !can {
		s.Fail(c, auth.Forbidden(auth.WriteAttendance))
		return nil, nil, 0, false
	}
	d, ok := domain.ParseISO(c.Param("date"))
	if !ok || reg.Lesson(d) == nil {
		s.Fail(c, domain.Errorf(domain.ENOTFOUND, "no lesson of %s on %q", gf.Group.Code, c.Param("date")))
		return nil, nil, 0, false
	}
	v := s.newRegisterView(core.Lang(c), gf, reg, can, d, s.brusselsToday())
	return v, gf, d, true
}

// saveLesson registers a lesson: a record per learner enrolled that day,
// as the rows were posted (everyone present unless marked otherwise), in
// one transaction, or none.
func (s *Handler) saveLesson(c *gin.Context) {
	v, gf, d, ok := s.postedLesson(c)
	if !ok {
		return
	}
	lang := core.Lang(c)
	today := s.brusselsToday()
	var records []domain.Attendance
	for i := range v.Rows {
		row := &v.Rows[i]
		if got := c.PostForm("r" + strconv.Itoa(i) + ".learner"); got != row.Learner {
			// The roster of the day changed since the page was shown.
			v.Error = locale.T(lang, "register.conflict")
			continue
		}
		a, fine := readRow(c, lang, v.Lesson, row)
		if fine {
			fine = checkRow(lang, row, &a, v.Lesson, &gf.Enrollment(row.Learner).Enrollment, today)
		}
		if !fine {
			v.Invalid++
			continue
		}
		records = append(records, a)
	}
	if c.PostForm("r"+strconv.Itoa(len(v.Rows))+".learner") != "" {
		v.Error = locale.T(lang, "register.conflict")
	}
	if v.Invalid > 0 || v.Error != "" {
		s.renderRegister(c, http.StatusUnprocessableEntity, "register", v)
		return
	}
	n, err := s.DB.SaveRegister(c.Request.Context(), core.CurrentUser(c).Username, gf.Group.Code, d, records, s.Now())
	if code := domain.ErrorCode(err); code == domain.EINVALID {
		v.Error = locale.T(lang, "register.conflict")
		s.renderRegister(c, http.StatusUnprocessableEntity, "register", v)
		return
	} else if err != nil {
		s.Fail(c, err)
		return
	}
	s.registerSaved(c, gf.Group.Code, d, "register", n, func(v *registerView) { v.Done, v.Saved = true, n })
}

// saveRegisterRow saves one learner's row of a registered lesson at once:
// what a tap on the row posts.
func (s *Handler) saveRegisterRow(c *gin.Context) {
	v, gf, d, ok := s.postedLesson(c)
	if !ok {
		return
	}
	lang := core.Lang(c)
	learner := c.Query("learner")
	i := slices.IndexFunc(v.Rows, func(r registerRow) bool { return r.Learner == learner })
	if i < 0 {
		if gf.Enrollment(learner) == nil {
			s.Fail(c, auth.Forbidden(auth.WriteAttendance)) // not on this group's roster
		} else {
			s.Fail(c, core.BadRequest("learner not enrolled on the lesson's day"))
		}
		return
	}
	row := &v.Rows[i]
	v.One = row
	a, fine := readRow(c, lang, v.Lesson, row)
	if fine {
		fine = checkRow(lang, row, &a, v.Lesson, &gf.Enrollment(learner).Enrollment, s.brusselsToday())
	}
	if !fine {
		s.renderRegister(c, http.StatusUnprocessableEntity, "register-one", v)
		return
	}
	n, err := s.DB.SaveRegister(c.Request.Context(), core.CurrentUser(c).Username, gf.Group.Code, d, []domain.Attendance{a}, s.Now())
	if err != nil {
		if domain.ErrorCode(err) == domain.EINVALID {
			row.Err = domain.MessageIn(err, lang)
			s.renderRegister(c, http.StatusUnprocessableEntity, "register-one", v)
			return
		}
		s.Fail(c, err)
		return
	}
	s.registerSaved(c, gf.Group.Code, d, "register-one", n, func(v *registerView) {
		if j := slices.IndexFunc(v.Rows, func(r registerRow) bool { return r.Learner == learner }); j >= 0 {
			v.One = &v.Rows[j]
			v.One.Saved = true
		}
	})
}

// registerSaved answers a saved lesson: a redirect to the page for a
// plain post, or for htmx the fragment as it is stored now, marked by
// done.
func (s *Handler) registerSaved(c *gin.Context, code string, d domain.Date, fragment string, n int, done func(*registerView)) {
	if !core.IsHTMX(c) {
		q := url.Values{"date": {d.String()}, "saved": {strconv.Itoa(n)}}
		c.Redirect(http.StatusSeeOther, "/groups/"+url.PathEscape(code)+"/register?"+q.Encode()+"#register")
		return
	}
	gf, reg, can, err := s.loadRegister(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := s.newRegisterView(core.Lang(c), gf, reg, can, d, s.brusselsToday())
	done(v)
	s.renderRegister(c, http.StatusOK, fragment, v)
}

// readPlan reads a posted (or asked) plan form, with the message of each
// field that does not parse; the plan's rules are the domain's.
func readPlan(lang string, form url.Values, g *domain.Group) (planView, domain.LessonPlan) {
	p := planView{From: strings.TrimSpace(form.Get("from")), To: strings.TrimSpace(form.Get("to")),
		Hours: strings.TrimSpace(form.Get("hours")), Errors: map[string]string{}}
	plan := domain.LessonPlan{Group: g}
	picked := map[string]bool{}
	for _, d := range form["weekday"] {
		picked[d] = true
	}
	for _, d := range planWeekdays {
		val := strconv.Itoa(int(d))
		p.Days = append(p.Days, dayTick{Value: val, Label: locale.T(lang, "register.weekday."+val), Checked: picked[val]})
		if picked[val] {
			plan.Weekdays = append(plan.Weekdays, d)
		}
	}
	var msg string
	if plan.From, msg = readDate(lang, p.From); msg != "" {
		p.Errors["from"] = msg
	}
	if plan.To, msg = readDate(lang, p.To); msg != "" {
		p.Errors["to"] = msg
	}
	if p.Hours != "" {
		if plan.Hours, msg = parseHours(lang, p.Hours); msg != "" {
			p.Errors["hours"] = msg
		}
	}
	placeErrors(lang, p.Errors, plan.Check(), nil)
	return p, plan
}

// countPlan puts in p how many lessons plan creates and how many of its
// days hold one already.
func countPlan(p *planView, plan *domain.LessonPlan, reg *store.GroupRegister) {
	if len(p.Errors) > 0 {
		return
	}
	all := plan.Lessons(func(domain.Date) bool { return false })
	p.Count = len(plan.Lessons(func(d domain.Date) bool { return reg.Lesson(d) != nil }))
	p.Existing, p.Ready = len(all)-p.Count, true
}

// planPreview answers the plan form as it is being filled in: how many
// lessons it would create, or what is wrong with it.
func (s *Handler) planPreview(c *gin.Context) {
	gf, reg, can, err := s.loadRegister(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := s.newRegisterView(core.Lang(c), gf, reg, can, 0, s.brusselsToday())
	var plan domain.LessonPlan
	v.Plan, plan = readPlan(core.Lang(c), c.Request.URL.Query(), &gf.Group)
	countPlan(&v.Plan, &plan, reg)
	s.renderRegister(c, http.StatusOK, "plan-count", v)
}

// planLessons creates the lessons of the plan form, skipping the days that
// hold one already.
func (s *Handler) planLessons(c *gin.Context) {
	gf, reg, can, err := s.loadRegister(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !can {
		s.Fail(c, auth.Forbidden(auth.WriteAttendance))
		return
	}
	lang := core.Lang(c)
	today := s.brusselsToday()
	if err := c.Request.ParseForm(); err != nil {
		s.Fail(c, core.BadRequest("bad form"))
		return
	}
	p, plan := readPlan(lang, c.Request.PostForm, &gf.Group)
	if len(p.Errors) > 0 {
		v := s.newRegisterView(lang, gf, reg, can, defaultLesson(reg, today), today)
		v.Plan = p
		s.renderRegister(c, http.StatusUnprocessableEntity, "", v)
		return
	}
	n, err := s.DB.PlanLessons(c.Request.Context(), core.CurrentUser(c).Username, plan, s.Now())
	if err != nil {
		s.Fail(c, err)
		return
	}
	if !core.IsHTMX(c) {
		c.Redirect(http.StatusSeeOther, "/groups/"+url.PathEscape(gf.Group.Code)+"/register?planned="+strconv.Itoa(n)+"#plan")
		return
	}
	if reg, err = s.DB.FindRegister(c.Request.Context(), gf.Group.Code); err != nil {
		s.Fail(c, err)
		return
	}
	v := s.newRegisterView(lang, gf, reg, can, defaultLesson(reg, today), today)
	v.NoToday = v.Lesson != nil && !v.Today
	v.Plan.Done, v.Plan.Created = true, n
	s.renderRegister(c, http.StatusOK, "", v)
}

// brusselsToday is the day it is in Brussels (domain.Zone) by the
// handler's clock: a lesson is today's for the teacher in the classroom,
// whatever the server's own zone.
func (s *Handler) brusselsToday() domain.Date { return domain.DateOf(s.Now().In(domain.Zone)) }
