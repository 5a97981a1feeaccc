package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/traject-nt2/traject/internal/domain"
	"github.com/traject-nt2/traject/internal/indicator"
	"github.com/traject-nt2/traject/internal/server"
	"github.com/traject-nt2/traject/internal/server/servertest"
	"github.com/traject-nt2/traject/internal/store"
)

// monday is the clock of the register's tests: Monday 16 March 2026, 10:00
// in Brussels, a day G1 has a lesson once planned by planG1.
var monday = time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)

// onMonday serves a on monday.
func onMonday(a *servertest.App) {
	a.ServeWith(func(c *server.Config) { c.Now = func() time.Time { return monday } })
}

// mondayAs signs the fixture account of role in on monday.
func mondayAs(t *testing.T, a *servertest.App, role string) *servertest.Client {
	t.Helper()
	token, csrf, err := a.DB.CreateSession(context.Background(), servertest.Users[role].Username, time.Hour, monday)
	if err != nil {
		t.Fatal(err)
	}
	return &servertest.Client{A: a, Cookie: token, CSRF: csrf}
}

// planG1 plans G1's lessons on Mondays and Thursdays of 3 hours from 2 to
// 19 March 2026: 2, 5, 9, 12, 16 and 19 March.
func planG1(t *testing.T, a *servertest.App) {
	t.Helper()
	g := &domain.Group{Code: "G1"}
	n, err := a.DB.PlanLessons(context.Background(), "t1", domain.LessonPlan{Group: g, From: domain.MustDate("2026-03-02"),
		To: domain.MustDate("2026-03-19"), Weekdays: []time.Weekday{time.Monday, time.Thursday}, Hours: 3}, monday)
	if err != nil || n != 6 {
		t.Fatalf("PlanLessons: %d, %v; want 6 lessons", n, err)
	}
}

// registerForm is a posted lesson of G1: L-AERTS in row 0, L-DEWULF in
// row 1 (L-ENGELS left on 1 February), everyone present unless fields say
// otherwise ("r1.status" → "absent").
func registerForm(fields map[string]string) url.Values {
	f := url.Values{"r0.learner": {"L-AERTS"}, "r0.status": {"present"}, "r1.learner": {"L-DEWULF"}, "r1.status": {"present"}}
	for k, v := range fields {
		f.Set(k, v)
	}
	return f
}

// attendanceOf returns G1's records as "learner date" → "status hours".
func attendanceOf(t *testing.T, a *servertest.App) map[string]string {
	t.Helper()
	reg, err := a.DB.FindRegister(context.Background(), "G1")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range reg.Attendance {
		h := "-"
		if r.Hours != nil {
			h = domain.FormatHours(*r.Hours)
		}
		out[r.Learner+" "+r.Date.String()] = r.Status + " " + h
	}
	return out
}

// hoursOf returns the hours_attended of G1's enrollments by learner.
func hoursOf(t *testing.T, a *servertest.App) map[string]float64 {
	t.Helper()
	gf, err := a.DB.FindGroup(context.Background(), "G1")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range gf.Roster {
		out[r.Enrollment.Learner] = r.Enrollment.HoursAttended
	}
	return out
}

func TestRegisterOpensTodaysLesson(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	c := a.As("teacher")
	// On Sunday there is no lesson: the latest before it opens, saying so.
	rec := c.Get("/groups/G1/register")
	servertest.WantStatus(t, "sunday", rec, http.StatusOK)
	servertest.WantBody(t, "sunday", rec, "Les van do 2026-03-12 · 3 uur", nl("register.notoday"))
	onMonday(a)
	c = mondayAs(t, a, "teacher")
	rec = c.Get("/groups/G1/register")
	servertest.WantStatus(t, "monday", rec, http.StatusOK)
	servertest.WantBody(t, "monday", rec, "Les van ma 2026-03-16 · 3 uur", `<span class="badge">vandaag</span>`,
		`id="r0-present" name="r0.status" value="present" checked`, `id="r1-present" name="r1.status" value="present" checked`,
		"Amina Aerts", "Dina Dewulf", nl("register.pending.hint"), nl("register.confirm"), "30 uur in totaal",
		nl("register.row.typed", "30"), "ma 2026-03-02 · 3 uur · niet geregistreerd",
		`<option value="2026-03-19">do 2026-03-19 · 3 uur</option>`)
	if strings.Contains(rec.Body.String(), "Engels") {
		t.Errorf("L-ENGELS, who left on 1 February, is on the register of 16 March")
	}
	// Half past midnight in Brussels is Monday already, though not in UTC.
	a.ServeWith(func(c *server.Config) {
		c.Now = func() time.Time { return time.Date(2026, 3, 15, 23, 30, 0, 0, time.UTC) }
	})
	servertest.WantBody(t, "midnight", c.Get("/groups/G1/register"), "Les van ma 2026-03-16 · 3 uur", `<span class="badge">vandaag</span>`)
	// Opening wrote nothing: the lesson is still not registered.
	if got := attendanceOf(t, a); len(got) != 0 {
		t.Errorf("opening the register stored %v", got)
	}
	// The group page links to it; another lesson is chosen by its date.
	servertest.WantBody(t, "group page", c.Get("/groups/G1"), `<a href="/groups/G1/register">Aanwezigheden</a>`)
	servertest.WantBody(t, "picker", c.Get("/groups/G1/register?date=2026-03-05"), "Les van do 2026-03-05 · 3 uur")
	servertest.WantStatus(t, "no lesson", c.Get("/groups/G1/register?date=2026-03-06"), http.StatusNotFound)
	// A future lesson is shown, but not to be registered yet.
	rec = c.Get("/groups/G1/register?date=2026-03-19")
	servertest.WantBody(t, "future", rec, nl("register.future"), `value="present" checked disabled`)
}

func TestRegisterLessonAndTaps(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	onMonday(a)
	c := mondayAs(t, a, "teacher")
	ctx := context.Background()
	v0, _ := a.DB.DataVersion(ctx)
	// One button writes the lesson: everyone present except Dina.
	rec := c.Post("/groups/G1/register/2026-03-16", registerForm(map[string]string{"r1.status": "absent"}))
	servertest.WantStatus(t, "confirm", rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/groups/G1/register?date=2026-03-16&saved=2#register" {
		t.Errorf("redirect to %q", loc)
	}
	want := map[string]string{"L-AERTS 2026-03-16": "present -", "L-DEWULF 2026-03-16": "absent -"}
	if got := attendanceOf(t, a); !sameMap(got, want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	if v1, _ := a.DB.DataVersion(ctx); v1 != v0+1 {
		t.Errorf("data version %d → %d, want one step: one transaction", v0, v1)
	}
	// The hours follow the register: the sum of its records.
	if h := hoursOf(t, a); h["L-AERTS"] != 3 || h["L-DEWULF"] != 0 {
		t.Errorf("hours after the lesson %v, want L-AERTS 3, L-DEWULF 0", h)
	}
	// Now each tap saves its row at once: late first asks for the hours.
	c.HTMX = true
	rec = c.Post("/groups/G1/register/2026-03-16/row?learner=L-DEWULF", registerForm(map[string]string{"r1.status": "late"}))
	servertest.WantStatus(t, "late without hours", rec, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "late without hours", rec, `<tr id="r1"`, nl("rule.latehours"), `aria-invalid="true"`)
	if got := attendanceOf(t, a)["L-DEWULF 2026-03-16"]; got != "absent -" {
		t.Errorf("late without hours stored %q", got)
	}
	rec = c.Post("/groups/G1/register/2026-03-16/row?learner=L-DEWULF", registerForm(map[string]string{"r1.status": "late", "r1.hours": "3,5"}))
	servertest.WantStatus(t, "late above the lesson", rec, http.StatusUnprocessableEntity)
	servertest.WantBody(t, "late above the lesson", rec, nl("rule.hoursabovelesson", "3,5", "3", domain.MustDate("2026-03-16")))
	rec = c.Post("/groups/G1/register/2026-03-16/row?learner=L-DEWULF", registerForm(map[string]string{"r1.status": "late", "r1.hours": "1,5"}))
	servertest.WantStatus(t, "late", rec, http.StatusOK)
	servertest.WantBody(t, "late", rec, `<tr id="r1"`, "1,5 uur in totaal", nl("register.row.saved"), `value="late" checked`, `value="1,5"`)
	if strings.Contains(rec.Body.String(), "Aerts") {
		t.Errorf("a tap answered with more than its row")
	}
	rec = c.Post("/groups/G1/register/2026-03-16/row?learner=L-AERTS", registerForm(map[string]string{"r0.status": "excused"}))
	servertest.WantStatus(t, "excused", rec, http.StatusOK)
	servertest.WantBody(t, "excused", rec, "0 uur in totaal")
	want = map[string]string{"L-AERTS 2026-03-16": "excused -", "L-DEWULF 2026-03-16": "late 1.5"}
	if got := attendanceOf(t, a); !sameMap(got, want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	if h := hoursOf(t, a); h["L-AERTS"] != 0 || h["L-DEWULF"] != 1.5 {
		t.Errorf("hours after the taps %v, want L-AERTS 0, L-DEWULF 1.5", h)
	}
	// A learner who is not on the group's roster is refused.
	rec = c.Post("/groups/G1/register/2026-03-16/row?learner=L-ZEGERS", url.Values{"r0.learner": {"L-ZEGERS"}, "r0.status": {"absent"}})
	servertest.WantStatus(t, "stranger", rec, http.StatusForbidden)
	// Every change is in the audit trail, by the teacher.
	trail, err := a.DB.ListAudit(ctx, "L-DEWULF", 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range trail {
		if e.Username == "t1" {
			got = append(got, e.Action+" "+e.Entity+" "+e.Key)
		}
	}
	wantTrail := []string{"update enrollments L-DEWULF/G1", "update attendance L-DEWULF/G1/2026-03-16",
		"update enrollments L-DEWULF/G1", "create attendance L-DEWULF/G1/2026-03-16"}
	if strings.Join(got, "; ") != strings.Join(wantTrail, "; ") {
		t.Errorf("audit trail of L-DEWULF:\n got %q\nwant %q", got, wantTrail)
	}
	// The learner page shows those changes with Dutch labels.
	servertest.WantBody(t, "learner page", c.Get("/learners/L-DEWULF"), "aanwezigheid")
}

// The strip of the last lessons shows each learner's absences at a
// glance, with a letter and a colour, and marks absences in a row.
func TestRegisterStripShowsAbsencesInARow(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	onMonday(a)
	c := mondayAs(t, a, "teacher")
	for _, p := range []struct {
		date   string
		fields map[string]string
	}{
		{"2026-03-02", map[string]string{"r1.status": "absent"}},
		{"2026-03-05", nil},
		{"2026-03-09", map[string]string{"r1.status": "absent"}},
		{"2026-03-12", map[string]string{"r1.status": "excused", "r0.status": "late", "r0.hours": "2"}},
	} {
		servertest.WantStatus(t, p.date, c.Post("/groups/G1/register/"+p.date, registerForm(p.fields)), http.StatusSeeOther)
	}
	rec := c.Get("/groups/G1/register")
	servertest.WantStatus(t, "page", rec, http.StatusOK)
	body := rec.Body.String()
	amina := body[strings.Index(body, `<tr id="r0"`):strings.Index(body, `<tr id="r1"`)]
	dina := body[strings.Index(body, `<tr id="r1"`):]
	dina = dina[:strings.Index(dina, "</tr>")]
	for _, w := range []string{`class="reg-row has-run unregistered"`, "2 lessen na elkaar afwezig",
		`<span class="cell c-absent" title="2026-03-02: Afwezig"><span aria-hidden="true">X</span>`,
		`<span class="cell c-present" title="2026-03-05: Aanwezig"><span aria-hidden="true">A</span>`,
		`<span class="cell c-absent run" title="2026-03-09: Afwezig">`,
		`<span class="cell c-excused run" title="2026-03-12: Gewettigd afwezig"><span aria-hidden="true">G</span>`,
		`<span class="cell c-none now" title="2026-03-16: niet geregistreerd"><span aria-hidden="true">?</span>`} {
		if !strings.Contains(dina, w) {
			t.Errorf("Dina's row lacks %q:\n%s", w, dina)
		}
	}
	if strings.Contains(amina, "run") || !strings.Contains(amina, `title="2026-03-12: Te laat"><span aria-hidden="true">L</span>`) {
		t.Errorf("Amina's row:\n%s", amina)
	}
	// Registered lessons are no longer marked in the picker.
	if strings.Contains(body, "2026-03-12 · 3 uur · niet geregistreerd") || !strings.Contains(body, "ma 2026-03-16 · 3 uur · vandaag</option>") {
		t.Errorf("picker marks registered lessons, or misses today's")
	}
}

func TestRegisterRefusesBadLesson(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	onMonday(a)
	c := mondayAs(t, a, "teacher")
	tests := []struct {
		name   string
		path   string
		fields map[string]string
		status int
		want   string
	}{
		{"late without hours", "/groups/G1/register/2026-03-16", map[string]string{"r1.status": "late"}, http.StatusUnprocessableEntity, nl("rule.latehours")},
		{"hours not a number", "/groups/G1/register/2026-03-16", map[string]string{"r1.status": "late", "r1.hours": "anderhalf"}, http.StatusUnprocessableEntity, nl("v.hours", "anderhalf")},
		{"unknown status", "/groups/G1/register/2026-03-16", map[string]string{"r0.status": "ziek"}, http.StatusUnprocessableEntity, "ziek"},
		{"future lesson", "/groups/G1/register/2026-03-19", nil, http.StatusUnprocessableEntity, nl("rule.future", domain.MustDate("2026-03-19"))},
		{"no lesson that day", "/groups/G1/register/2026-03-17", nil, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := c.Post(tt.path, registerForm(tt.fields))
			servertest.WantStatus(t, tt.name, rec, tt.status)
			servertest.WantBody(t, tt.name, rec, tt.want)
			if got := attendanceOf(t, a); len(got) != 0 {
				t.Errorf("%s: stored %v, want nothing", tt.name, got)
			}
		})
	}
}

func TestRegisterPermissions(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	onMonday(a)
	// Another group's teacher neither sees nor writes G1's register.
	t2 := mondayAs(t, a, "teacher2")
	servertest.WantStatus(t, "t2 reads", t2.Get("/groups/G1/register"), http.StatusForbidden)
	servertest.WantStatus(t, "t2 writes", t2.Post("/groups/G1/register/2026-03-16", registerForm(nil)), http.StatusForbidden)
	servertest.WantStatus(t, "t2 plans", t2.Post("/groups/G1/lessons", url.Values{"weekday": {"2"}, "hours": {"3"},
		"from": {"2026-03-02"}, "to": {"2026-03-20"}}), http.StatusForbidden)
	// A counsellor has no group pages; the other provider's coordinator
	// does not see G1.
	servertest.WantStatus(t, "counsellor", mondayAs(t, a, "counsellor").Post("/groups/G1/register/2026-03-16", registerForm(nil)), http.StatusForbidden)
	servertest.WantStatus(t, "k2", mondayAs(t, a, "coordinator2").Post("/groups/G1/register/2026-03-16", registerForm(nil)), http.StatusForbidden)
	if got := attendanceOf(t, a); len(got) != 0 {
		t.Errorf("refused writes stored %v", got)
	}
	// The coordinator of G1's provider may register, as on the group page.
	rec := mondayAs(t, a, "coordinator").Post("/groups/G1/register/2026-03-16", registerForm(nil))
	servertest.WantStatus(t, "k1", rec, http.StatusSeeOther)
	if got := attendanceOf(t, a); len(got) != 2 {
		t.Errorf("k1 stored %v, want two records", got)
	}
}

func TestRegisterPlanLessons(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	ctx := context.Background()
	// The form opens with the group's dates.
	rec := c.Get("/groups/G1/register")
	servertest.WantBody(t, "page", rec, nl("register.nolessons"), `value="2026-01-05"`, `value="2026-06-26"`, nl("register.plan.fill"))
	plan := url.Values{"weekday": {"1", "4"}, "hours": {"3"}, "from": {"2026-03-02"}, "to": {"2026-03-19"}}
	// The preview counts before anything is stored.
	rec = c.Get("/groups/G1/lessons/preview?" + plan.Encode())
	servertest.WantStatus(t, "preview", rec, http.StatusOK)
	servertest.WantBody(t, "preview", rec, "Dit plant 6 nieuwe lessen.")
	rec = c.Post("/groups/G1/lessons", plan)
	servertest.WantStatus(t, "plan", rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/groups/G1/register?planned=6#plan" {
		t.Errorf("redirect to %q", loc)
	}
	reg, err := a.DB.FindRegister(ctx, "G1")
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, l := range reg.Lessons {
		dates = append(dates, l.Date.String()+" "+domain.FormatHours(l.Hours))
	}
	if got, want := strings.Join(dates, ", "), "2026-03-02 3, 2026-03-05 3, 2026-03-09 3, 2026-03-12 3, 2026-03-16 3, 2026-03-19 3"; got != want {
		t.Errorf("lessons %s, want %s", got, want)
	}
	// Planned again over a longer period, with other hours: the days that
	// hold a lesson keep it, the new ones are created.
	plan = url.Values{"weekday": {"1", "4"}, "hours": {"2,5"}, "from": {"2026-03-02"}, "to": {"2026-03-26"}}
	servertest.WantBody(t, "preview again", c.Get("/groups/G1/lessons/preview?"+plan.Encode()),
		"Dit plant 2 nieuwe lessen.", "6 dagen hebben al een les.")
	c.HTMX = true
	rec = c.Post("/groups/G1/lessons", plan)
	servertest.WantStatus(t, "plan again", rec, http.StatusOK)
	servertest.WantBody(t, "plan again", rec, "2 lessen gepland.", `<option value="2026-03-26">do 2026-03-26 · 2,5 uur</option>`)
	if reg, err = a.DB.FindRegister(ctx, "G1"); err != nil || len(reg.Lessons) != 8 || reg.Lesson(domain.MustDate("2026-03-16")).Hours != 3 {
		t.Errorf("after planning again: %+v, %v; want 8 lessons, 16 March still 3 hours", reg, err)
	}
	// Each lesson created is in the audit trail.
	trail, err := a.DB.ListAuditOf(ctx, "lessons", 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != 8 || trail[0].Username != "t1" || trail[0].Action != store.AuditCreate {
		t.Errorf("audit of lessons: %d entries, first %+v; want 8 creations by t1", len(trail), trail[0])
	}
}

func TestRegisterPlanRefuses(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	c := a.As("teacher")
	ok := map[string][]string{"weekday": {"1"}, "hours": {"3"}, "from": {"2026-03-02"}, "to": {"2026-03-19"}}
	tests := []struct {
		name  string
		field string
		value []string
		want  string
	}{
		{"no weekday", "weekday", nil, nl("rule.planweekdays")},
		{"zero hours", "hours", []string{"0"}, nl("rule.hourspositive")},
		{"no hours", "hours", []string{""}, nl("rule.hourspositive")},
		{"hours not a number", "hours", []string{"drie"}, nl("v.hours", "drie")},
		{"more than a day", "hours", []string{"30"}, nl("rule.planhoursday", 24)},
		{"before the group", "from", []string{"2025-12-01"}, nl("rule.lessonoutsidegroup", domain.MustDate("2025-12-01"), "G1",
			domain.MustDate("2026-01-05"), domain.MustDate("2026-06-26"))},
		{"not a date", "to", []string{"31/02/2026"}, "31/02/2026"},
		{"to before from", "to", []string{"2026-02-01"}, nl("rule.planorder", domain.MustDate("2026-03-02"))},
		{"no last day", "to", []string{""}, nl("rule.required")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range ok {
				f[k] = v
			}
			f[tt.field] = tt.value
			rec := c.Post("/groups/G1/lessons", f)
			servertest.WantStatus(t, tt.name, rec, http.StatusUnprocessableEntity)
			servertest.WantBody(t, tt.name, rec, tt.want, `id="plan-`)
			if reg, err := a.DB.FindRegister(context.Background(), "G1"); err != nil || len(reg.Lessons) != 0 {
				t.Errorf("%s: stored %d lessons (%v), want none", tt.name, len(reg.Lessons), err)
			}
		})
	}
}

func TestRegisterUnregisteredOnGroups(t *testing.T) {
	t.Parallel()
	a := servertest.New(t)
	planG1(t, a)
	onMonday(a)
	c := mondayAs(t, a, "teacher")
	// Before Monday: 2, 5, 9 and 12 March, none registered.
	rec := c.Get("/groups")
	servertest.WantStatus(t, "groups", rec, http.StatusOK)
	servertest.WantBody(t, "groups", rec, `<a class="unregistered" href="/groups/G1/register">4 lessen nog niet geregistreerd</a>`)
	// A lesson registered for one learner only is still not registered.
	if _, err := a.DB.SaveRegister(context.Background(), "t1", "G1", domain.MustDate("2026-03-12"),
		[]domain.Attendance{{Learner: "L-AERTS", Status: "present"}}, monday); err != nil {
		t.Fatal(err)
	}
	servertest.WantBody(t, "one learner", c.Get("/groups"), "4 lessen nog niet geregistreerd")
	for _, d := range []string{"2026-03-02", "2026-03-05", "2026-03-12"} {
		rec := c.Post("/groups/G1/register/"+d, registerForm(nil))
		servertest.WantStatus(t, d, rec, http.StatusSeeOther)
	}
	servertest.WantBody(t, "one left", c.Get("/groups"), "1 les nog niet geregistreerd")
	servertest.WantStatus(t, "last", c.Post("/groups/G1/register/2026-03-09", registerForm(nil)), http.StatusSeeOther)
	if body := c.Get("/groups").Body.String(); strings.Contains(body, "nog niet geregistreerd") {
		t.Errorf("every lesson registered, and the groups page still says some are not")
	}
}

// The hours rule: a lesson registered changes the enrollment's hours and
// the indicators exactly as the same hours typed in would.
func TestRegisterHoursAsTypedIn(t *testing.T) {
	t.Parallel()
	reg := servertest.New(t)
	typed := servertest.New(t)
	planG1(t, reg)
	onMonday(reg)
	onMonday(typed)
	c := mondayAs(t, reg, "teacher")
	for _, p := range []struct {
		date   string
		fields map[string]string
	}{
		{"2026-03-09", map[string]string{"r1.status": "absent"}},
		{"2026-03-12", map[string]string{"r0.status": "late", "r0.hours": "1,5"}},
		{"2026-03-16", map[string]string{"r1.status": "excused"}},
	} {
		servertest.WantStatus(t, p.date, c.Post("/groups/G1/register/"+p.date, registerForm(p.fields)), http.StatusSeeOther)
	}
	// L-AERTS: 3 + 1.5 + 3; L-DEWULF: 0 + 3 + 0.
	rec := mondayAs(t, typed, "teacher").Post("/groups/G1/attendance", url.Values{"a0.learner": {"L-AERTS"}, "a0.hours": {"7,5"},
		"a1.learner": {"L-DEWULF"}, "a1.hours": {"3"}})
	servertest.WantStatus(t, "typed", rec, http.StatusSeeOther)
	got, want := hoursOf(t, reg), hoursOf(t, typed)
	if !sameHours(got, want) || got["L-AERTS"] != 7.5 || got["L-DEWULF"] != 3 || got["L-ENGELS"] != 12 {
		t.Errorf("hours from the register %v, typed in %v; want L-AERTS 7.5, L-DEWULF 3, L-ENGELS 12 in both", got, want)
	}
	results := [2]string{}
	for i, a := range []*servertest.App{reg, typed} {
		ds, err := a.DB.LoadDataSet(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		p := indicator.DefaultParams(domain.MustDate("2025-09-01"), domain.MustDate("2026-08-31"))
		p.AsOf = domain.DateOf(monday)
		res := indicator.Compute(ds, p)
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		results[i] = string(b)
		if i == 0 && !res.Indicators.Progress.AttendanceRate.Valid {
			t.Errorf("no attendance rate from the register")
		}
	}
	if results[0] != results[1] {
		t.Errorf("indicators differ:\nregister %s\ntyped in %s", results[0], results[1])
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func sameHours(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !domain.SameHours(b[k], v) {
			return false
		}
	}
	return true
}
